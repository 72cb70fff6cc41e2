// A fresh RS256 signing key per peer: the provider signs access tokens with the private JWK,
// the MCP resource server verifies them with the public JWKS (in process, so JWKS fetches do not
// show up in the AS request log).
import { generateKeyPairSync, randomUUID } from 'node:crypto';

export function createSigningKey() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const meta = { kid: randomUUID(), alg: 'RS256', use: 'sig' };
  return {
    privateJwk: { ...privateKey.export({ format: 'jwk' }), ...meta },
    publicJwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), ...meta }] },
  };
}

// Dynamic Client Registration (RFC 7591). Omitted metadata gets the RFC's defaults, which is what
// punishes a client that does not send explicit values: grant_types ["authorization_code"] (so no
// refresh token) and token_endpoint_auth_method "client_secret_basic" (so a secret is issued).
import { randomBytes } from 'node:crypto';
import { isLoopbackHost, OAuthError, sendJson, sendOAuthError } from './http.mjs';

export const AUTH_METHODS = ['none', 'client_secret_post', 'client_secret_basic', 'private_key_jwt'];
const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'];

export function handleRegister(req, res, ctx) {
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' });
  const metadata = req.headers['content-type']?.startsWith('application/json') ? req.body : undefined;
  try {
    const client = ctx.store.addClient(newClient(metadata));
    sendJson(res, 201, client);
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    sendOAuthError(res, err);
  }
}

export function newClient(metadata) {
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new OAuthError('invalid_client_metadata', 'the body must be a JSON object');
  }
  const client = {
    ...metadata,
    client_id: `client-${randomBytes(9).toString('base64url')}`,
    client_id_issued_at: Math.floor(Date.now() / 1000),
    token_endpoint_auth_method: metadata.token_endpoint_auth_method ?? 'client_secret_basic',
    grant_types: metadata.grant_types ?? ['authorization_code'],
    response_types: metadata.response_types ?? ['code'],
    redirect_uris: metadata.redirect_uris ?? [],
  };
  checkClientMetadata(client);
  if (client.token_endpoint_auth_method.startsWith('client_secret_')) {
    client.client_secret = randomBytes(24).toString('base64url');
    client.client_secret_expires_at = 0;
  }
  return client;
}

function checkClientMetadata(client) {
  const bad = (description) => new OAuthError('invalid_client_metadata', description);
  if (!AUTH_METHODS.includes(client.token_endpoint_auth_method)) {
    throw bad(`unsupported token_endpoint_auth_method ${client.token_endpoint_auth_method}`);
  }
  if (!Array.isArray(client.grant_types) || client.grant_types.some((g) => !GRANT_TYPES.includes(g))) {
    throw bad('unsupported grant_types');
  }
  if (!Array.isArray(client.response_types) || client.response_types.some((t) => t !== 'code')) {
    throw bad('unsupported response_types');
  }
  if (client.token_endpoint_auth_method === 'private_key_jwt' && !Array.isArray(client.jwks?.keys)) {
    throw bad('private_key_jwt needs a jwks with keys');
  }
  if (!Array.isArray(client.redirect_uris)) throw new OAuthError('invalid_redirect_uri', 'redirect_uris must be an array');
  if (client.grant_types.includes('authorization_code') && client.redirect_uris.length === 0) {
    throw new OAuthError('invalid_redirect_uri', 'redirect_uris required for authorization_code');
  }
  for (const uri of client.redirect_uris) {
    if (!isAcceptableRedirectUri(uri)) throw new OAuthError('invalid_redirect_uri', `not https or loopback: ${uri}`);
  }
}

// https, or http on a loopback host (RFC 8252 section 7.3); never a fragment.
export function isAcceptableRedirectUri(uri) {
  let url;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.hash || String(uri).includes('#')) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

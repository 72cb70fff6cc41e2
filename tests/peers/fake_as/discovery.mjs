// Protected Resource Metadata (RFC 9728) and Authorization Server Metadata (RFC 8414).
import { setTimeout as sleep } from 'node:timers/promises';
import { redirect, sendJson } from './http.mjs';

const OVERSIZED_PADDING_BYTES = 5 * 1024 * 1024;
const NON_LOOPBACK_HTTP = 'http://example.invalid';

export function protectedResourceMetadata({ options, layout }) {
  const doc = {
    resource: prmResourceValue(options.prmResource, layout),
    authorization_servers: [layout.issuer],
    bearer_methods_supported: ['header'],
  };
  if (options.prmScopesSupported) doc.scopes_supported = options.prmScopesSupported;
  return doc;
}

function prmResourceValue(prmResource, layout) {
  if (prmResource === true) return `${layout.resourceOrigin}/other-mcp`;
  return prmResource ?? layout.mcpUrl;
}

export function authorizationServerMetadata({ options, layout }) {
  const { urls } = layout;
  const doc = {
    issuer: metadataIssuer(options.issuerInMetadata, layout.issuer),
    authorization_endpoint: urls.authorize,
    token_endpoint: options.httpEndpoints ? `${NON_LOOPBACK_HTTP}/token` : urls.token,
    revocation_endpoint: urls.revoke,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['ES256', 'RS256', 'EdDSA'],
    revocation_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic', 'private_key_jwt'],
  };
  if (!options.noRegistration) doc.registration_endpoint = urls.register;
  const challengeMethods = { false: ['S256'], true: ['plain'], plain: ['plain'], absent: null }[options.noS256];
  if (challengeMethods) doc.code_challenge_methods_supported = challengeMethods;
  if (options.issParameterSupported) doc.authorization_response_iss_parameter_supported = true;
  if (options.scopesSupported) doc.scopes_supported = options.scopesSupported;
  if (options.clientIdMetadataDocumentSupported) doc.client_id_metadata_document_supported = true;
  return doc;
}

// true: the same server spelled differently (localhost for 127.0.0.1), the subtlest mismatch.
function metadataIssuer(issuerInMetadata, issuer) {
  if (issuerInMetadata === true) return issuer.replace('127.0.0.1', 'localhost');
  return issuerInMetadata ?? issuer;
}

// Serves one metadata document, applying the delay / redirect / oversize knobs aimed at it.
// `kind` is 'prm' or 'as'; the redirectToHttp and oversizedMetadata knobs take true for 'as'.
export async function serveMetadata(kind, req, res, ctx) {
  const { options } = ctx;
  const aimed = (knob) => (kind === 'prm' ? knob === 'prm' : knob === true);
  if (options.metadataDelayMs > 0) await sleep(options.metadataDelayMs, undefined, { signal: ctx.signal });
  if (aimed(options.redirectToHttp)) {
    return redirect(res, NON_LOOPBACK_HTTP + req.url);
  }
  const doc = kind === 'prm' ? protectedResourceMetadata(ctx) : authorizationServerMetadata(ctx);
  if (aimed(options.oversizedMetadata)) doc.padding = 'x'.repeat(OVERSIZED_PADDING_BYTES);
  sendJson(res, 200, doc, { 'Cache-Control': 'max-age=0' });
}

// The authorization endpoint: validates the request, then approves at once (no user, no page)
// with a 302 to the redirect_uri carrying code, state and iss (RFC 9207). The knobs change what
// comes back: an error, a wrong or missing iss, another state, a relative Location.
import { randomBytes } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';
import { lookupClient } from './client_auth.mjs';
import { OAuthError, redirect, sendText, single } from './http.mjs';
import { isAcceptableRedirectUri } from './register.mjs';
import { checkResource, recordResource } from './resource.mjs';

const WRONG_ISSUER = 'https://attacker.example';

export function handleAuthorize(req, res, ctx) {
  if (req.method !== 'GET') return sendText(res, 405, 'method not allowed');
  const query = parseQuery(req.url.split('?')[1] ?? '');
  recordResource(query, ctx, 'authorize');
  // Without a known client and one of its redirect URIs, the AS must not redirect at all
  // (RFC 6749 section 4.1.2.1): it tells the user instead.
  let client, requested;
  try {
    client = lookupClient(ctx, single(query, 'client_id'), 'authorize');
    requested = single(query, 'redirect_uri');
  } catch (err) {
    return sendText(res, 400, `invalid_request: ${err.message}`);
  }
  if (!client) return sendText(res, 400, 'invalid_client: unknown client_id');
  const redirectUri = effectiveRedirectUri(client, requested);
  if (!redirectUri) return sendText(res, 400, 'invalid_request: redirect_uri missing or not registered for this client');

  let result;
  try {
    result = { code: approve(query, client, { redirectUri, redirectUriSent: requested !== undefined }, ctx) };
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    result = { error: err.error, error_description: err.description };
  }
  const location = clientRedirect(redirectUri, result, query.state, ctx);
  if (!ctx.options.relativeAuthorizeLocation) return redirect(res, location);
  // Some AS answer with a relative Location (a consent step on their own origin) first.
  const txn = randomBytes(12).toString('base64url');
  ctx.pendingConsents.set(txn, location);
  redirect(res, `${ctx.layout.paths.consent}?txn=${txn}`);
}

// The second hop when relativeAuthorizeLocation is on.
export function handleConsent(req, res, ctx) {
  const txn = parseQuery(req.url.split('?')[1] ?? '').txn;
  const location = ctx.pendingConsents.get(txn);
  if (!location) return sendText(res, 400, 'unknown transaction');
  ctx.pendingConsents.delete(txn);
  redirect(res, location);
}

// Exact match with a registered URI; may be omitted when exactly one is registered (OAuth 2.1
// section 4.1.1). A CIMD client's document cannot be fetched, so any acceptable URI passes.
function effectiveRedirectUri(client, requested) {
  if (!client.redirect_uris) return requested && isAcceptableRedirectUri(requested) ? requested : null;
  if (requested === undefined) return client.redirect_uris.length === 1 ? client.redirect_uris[0] : null;
  return client.redirect_uris.includes(requested) ? requested : null;
}

function approve(query, client, redirectTarget, ctx) {
  const { options } = ctx;
  if (single(query, 'response_type') !== 'code') {
    throw new OAuthError('unsupported_response_type', 'only response_type=code');
  }
  const challenge = single(query, 'code_challenge');
  if (!challenge) throw new OAuthError('invalid_request', 'code_challenge is required');
  const method = single(query, 'code_challenge_method') ?? 'plain';
  const allowed = options.noS256 === 'plain' || options.noS256 === true ? ['S256', 'plain'] : ['S256'];
  if (!allowed.includes(method)) throw new OAuthError('invalid_request', `code_challenge_method ${method}`);
  const resource = checkResource(query, ctx);
  if (options.authorizeError) throw new OAuthError(options.authorizeError, options.authorizeErrorDescription);
  return ctx.store.createCode({
    clientId: client.client_id,
    ...redirectTarget,
    challenge,
    method,
    scope: single(query, 'scope') ?? '',
    resource,
  });
}

function clientRedirect(redirectUri, result, requestState, ctx) {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(result)) if (value !== undefined) url.searchParams.set(name, value);
  const state = returnedState(typeof requestState === 'string' ? requestState : undefined, ctx.options.stateOverride);
  if (state !== undefined) url.searchParams.set('state', state);
  const iss = { correct: ctx.layout.issuer, wrong: WRONG_ISSUER, missing: undefined }[ctx.options.authorizeIss];
  if (iss !== undefined) url.searchParams.set('iss', iss);
  return url.href;
}

// stateOverride: null echoes the state; true alters it; "omit" drops it; any other string replaces it.
function returnedState(state, override) {
  if (override === null || override === false) return state;
  if (override === true) return `${state ?? ''}-tampered`;
  if (override === 'omit') return undefined;
  return override;
}

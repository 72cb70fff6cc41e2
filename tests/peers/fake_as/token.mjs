// The token endpoint: authorization_code (with PKCE), refresh_token (rotation, reuse detection),
// client_credentials. All checks and state changes after the last await run synchronously, so
// concurrent requests are each processed and counted, one after another.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { authenticateClient } from './client_auth.mjs';
import { OAuthError, sendJson, sendOAuthError, sendText, single } from './http.mjs';
import { checkResource, recordResource } from './resource.mjs';

// An injected failure that is not an OAuth error body (a proxy's 503 page, say).
class HttpFailure extends Error {
  constructor(status) {
    super(`HTTP ${status}`);
    this.status = status;
  }
}

const GRANTS = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
};

export async function handleToken(req, res, ctx) {
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' });
  if (ctx.options.tokenDelayMs > 0) {
    await sleep(ctx.options.tokenDelayMs, undefined, { signal: ctx.signal });
    // A client that gave up waiting has closed the connection: its request has no effect, so a
    // timed-out refresh does not silently rotate the refresh token it still holds.
    if (req.socket.destroyed) return;
  }
  const isForm = req.headers['content-type']?.startsWith('application/x-www-form-urlencoded');
  const form = isForm ? req.body : {};
  try {
    const grantType = single(form, 'grant_type');
    recordResource(form, ctx, 'token', grantType ?? null);
    if (!isForm) throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
    const grant = GRANTS[grantType];
    if (!grant) throw new OAuthError('unsupported_grant_type', `grant_type ${grantType}`);
    const client = await authenticateClient(req, form, ctx, 'token');
    dropClientIfArmed(client, ctx);
    if (!client.grant_types.includes(grantType)) {
      throw new OAuthError('unauthorized_client', `client not registered for ${grantType}`);
    }
    sendJson(res, 200, grant(form, client, ctx), { Pragma: 'no-cache' });
  } catch (err) {
    if (err instanceof HttpFailure) return sendText(res, err.status, 'Service Unavailable');
    if (!(err instanceof OAuthError)) throw err;
    sendOAuthError(res, err);
  }
}

// invalidClientOnce: the AS has lost this (known) client; it fires once, then disarms itself.
function dropClientIfArmed(client, ctx) {
  if (!ctx.options.invalidClientOnce || client.cimd) return;
  ctx.options.invalidClientOnce = false;
  ctx.store.forgetClient(client.client_id);
  throw new OAuthError('invalid_client', 'client not found', 401);
}

function authorizationCodeGrant(form, client, ctx) {
  const code = single(form, 'code');
  const record = code ? ctx.store.consumeCode(code) : null;
  if (!record || record.reused) throw new OAuthError('invalid_grant', 'unknown, expired or used code');
  if (record.clientId !== client.client_id) throw new OAuthError('invalid_grant', 'code issued to another client');
  // Required, and identical, when the authorization request carried one (RFC 6749 section 4.1.3).
  const redirectUri = single(form, 'redirect_uri');
  if ((record.redirectUriSent || redirectUri !== undefined) && redirectUri !== record.redirectUri) {
    throw new OAuthError('invalid_grant', 'redirect_uri mismatch');
  }
  if (!verifierMatches(single(form, 'code_verifier'), record)) {
    throw new OAuthError('invalid_grant', 'PKCE verification failed');
  }
  const resource = checkResource(form, ctx) ?? record.resource;
  const grant = ctx.store.newGrant({ clientId: client.client_id, scope: record.scope, resource }, code);
  const wantsRefresh = !ctx.options.noRefreshToken && client.grant_types.includes('refresh_token');
  return tokenResponse(grant, grant.scope, ctx, wantsRefresh ? ctx.store.issueRefreshToken(grant) : null);
}

// RFC 7636 section 4.6; the verifier syntax of section 4.1 is enforced too.
function verifierMatches(verifier, record) {
  if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const derived = record.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return derived === record.challenge;
}

function refreshTokenGrant(form, client, ctx) {
  injectRefreshError(ctx.options);
  const { store } = ctx;
  const presented = store.refreshTokens.get(single(form, 'refresh_token'));
  if (!presented || presented.revoked || presented.clientId !== client.client_id) {
    throw new OAuthError('invalid_grant', 'unknown or revoked refresh token');
  }
  if (presented.replacedBy) {
    // A rotated-out token came back: a replay, or two refreshes racing (OAuth 2.1 section 4.3.1).
    if (ctx.options.revokeGrantOnRefreshReuse) store.revokeGrant(presented.grantId);
    throw new OAuthError('invalid_grant', 'refresh token already used');
  }
  const scope = narrowedScope(single(form, 'scope'), presented.scope);
  checkResource(form, ctx);
  const grant = store.grants.get(presented.grantId);
  const rotated = ctx.options.rotateRefreshTokens ? store.rotateRefreshToken(presented) : null;
  return tokenResponse(grant, scope, ctx, rotated);
}

// refreshError answers the next refreshErrorTimes refreshes (counting down) without touching the
// refresh token: a number is an HTTP status with a non-JSON body, a string an OAuth error code.
function injectRefreshError(options) {
  if (options.refreshError === null || options.refreshErrorTimes <= 0) return;
  options.refreshErrorTimes -= 1;
  if (typeof options.refreshError === 'number') throw new HttpFailure(options.refreshError);
  const status = options.refreshError === 'invalid_client' ? 401 : 400;
  throw new OAuthError(options.refreshError, 'injected by the fake AS', status);
}

function narrowedScope(requested, granted) {
  if (requested === undefined) return granted;
  const grantedSet = new Set(granted.split(' '));
  if (requested.split(' ').some((s) => !grantedSet.has(s))) throw new OAuthError('invalid_scope', 'scope exceeds the grant');
  return requested;
}

function clientCredentialsGrant(form, client, ctx) {
  if (client.token_endpoint_auth_method === 'none') {
    throw new OAuthError('unauthorized_client', 'client_credentials needs a confidential client');
  }
  const resource = checkResource(form, ctx);
  const grant = ctx.store.newGrant({ clientId: client.client_id, scope: single(form, 'scope') ?? '', resource });
  return tokenResponse(grant, grant.scope, ctx, null);
}

function tokenResponse(grant, scope, ctx, refreshToken) {
  const ttl = ctx.options.accessTokenTtl;
  const access = ctx.store.issueAccessToken({ ...grant, scope }, ttl);
  const body = { access_token: access.value, token_type: 'Bearer', expires_in: ttl };
  if (scope) body.scope = scope;
  if (refreshToken) body.refresh_token = refreshToken.value;
  return body;
}

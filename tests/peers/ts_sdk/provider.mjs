// In-memory OAuthServerProvider for the SDK's mcpAuthRouter: an auto-approving authorization
// server whose strictness is set by options. The SDK's handlers do request parsing, client
// authentication and the PKCE check (via challengeForAuthorizationCode); this class only keeps
// state and decides grants.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  AccessDeniedError,
  InvalidGrantError,
  InvalidScopeError,
  InvalidTargetError,
  InvalidTokenError,
} from '@modelcontextprotocol/sdk/server/auth/errors.js';

const CODE_TTL_SECONDS = 60;

const newToken = (prefix) => `${prefix}_${randomBytes(24).toString('base64url')}`;
const nowSeconds = () => Date.now() / 1000;

class InMemoryClientsStore {
  #clients = new Map();

  getClient(clientId) {
    return this.#clients.get(clientId);
  }

  registerClient(client) {
    this.#clients.set(client.client_id, client);
    return client;
  }
}

export class InMemoryOAuthProvider {
  clientsStore = new InMemoryClientsStore();
  // Every revocation, newest last: { kind: 'access_token'|'grant', reason, clientId, grantId, token?, time }
  revoked = [];

  #codes = new Map(); // code -> { clientId, codeChallenge, redirectUri, resource, scopes, expiresAt }
  #grants = new Map(); // grantId -> { clientId, scopes, resource, active }
  #accessTokens = new Map(); // token -> { grantId, clientId, scopes, resource, expiresAt }
  #refreshTokens = new Map(); // token -> { grantId, current } (current=false once rotated away)

  /**
   * @param {object} o
   * @param {string} o.issuer              AS issuer, exactly as in its metadata (sent as `iss`)
   * @param {string} o.resource            canonical MCP server URL
   * @param {string[]} o.scopesSupported   granted when the client asks for no scope
   * @param {string[]} o.extraScopes       also grantable on request (e.g. the step-up scope)
   * @param {number} o.tokenTtlSeconds
   * @param {boolean} o.rotateRefreshTokens
   * @param {boolean} o.strictResource
   * @param {boolean} o.denyAuthorization
   */
  constructor(o) {
    this.options = o;
    this.knownScopes = new Set([...o.scopesSupported, ...o.extraScopes]);
  }

  async authorize(client, params, res) {
    const redirect = new URL(params.redirectUri);
    if (this.options.denyAuthorization) {
      redirect.searchParams.set('error', AccessDeniedError.errorCode);
      redirect.searchParams.set('error_description', 'The resource owner denied the request');
    } else {
      // Errors thrown here are turned into error redirects by the SDK's authorization handler.
      const resource = this.#checkResource(params.resource?.href, undefined);
      const scopes = this.#grantableScopes(params.scopes);
      const code = newToken('code');
      this.#codes.set(code, {
        clientId: client.client_id,
        codeChallenge: params.codeChallenge,
        redirectUri: params.redirectUri,
        resource,
        scopes,
        expiresAt: nowSeconds() + CODE_TTL_SECONDS,
      });
      redirect.searchParams.set('code', code);
    }
    if (params.state !== undefined) redirect.searchParams.set('state', params.state);
    redirect.searchParams.set('iss', this.options.issuer); // RFC 9207; the SDK does not add it
    res.redirect(302, redirect.href);
  }

  async challengeForAuthorizationCode(client, code) {
    return this.#codeFor(client, code).codeChallenge;
  }

  async exchangeAuthorizationCode(client, code, _codeVerifier, redirectUri, resource) {
    const entry = this.#codeFor(client, code);
    this.#codes.delete(code);
    // Stricter than OAuth 2.1 needs: the MCP profile has clients always send redirect_uri.
    if (redirectUri !== entry.redirectUri) {
      throw new InvalidGrantError('redirect_uri is missing or differs from the authorization request');
    }
    const grantId = randomUUID();
    const grant = {
      clientId: client.client_id,
      scopes: entry.scopes,
      resource: this.#checkResource(resource?.href, entry.resource),
      active: true,
    };
    this.#grants.set(grantId, grant);
    const refreshToken = newToken('rt');
    this.#refreshTokens.set(refreshToken, { grantId, current: true });
    return { ...this.#issueAccessToken(grantId, grant, grant.scopes), refresh_token: refreshToken };
  }

  async exchangeRefreshToken(client, refreshToken, scopes, resource) {
    const entry = this.#refreshTokens.get(refreshToken);
    const grant = entry && this.#grants.get(entry.grantId);
    if (!grant?.active || grant.clientId !== client.client_id) {
      throw new InvalidGrantError('refresh token is invalid');
    }
    if (!entry.current) {
      // A rotated-away token came back: it may have been stolen, so kill the whole grant.
      this.#revokeGrant(entry.grantId, 'refresh_token_reuse');
      throw new InvalidGrantError('refresh token is invalid');
    }
    this.#checkResource(resource?.href, grant.resource);
    if (scopes?.some((s) => !grant.scopes.includes(s))) {
      throw new InvalidScopeError('requested scope exceeds the grant');
    }
    const tokens = this.#issueAccessToken(entry.grantId, grant, scopes ?? grant.scopes);
    if (!this.options.rotateRefreshTokens) {
      return tokens; // no refresh_token in the answer: the client keeps its current one
    }
    entry.current = false;
    const rotated = newToken('rt');
    this.#refreshTokens.set(rotated, { grantId: entry.grantId, current: true });
    return { ...tokens, refresh_token: rotated };
  }

  async verifyAccessToken(token) {
    const entry = this.#accessTokens.get(token);
    if (!entry) throw new InvalidTokenError('unknown or revoked access token');
    if (entry.resource !== undefined && entry.resource !== this.options.resource) {
      throw new InvalidTokenError('access token was issued for another resource');
    }
    // Expiry is checked by the SDK's requireBearerAuth.
    return {
      token,
      clientId: entry.clientId,
      scopes: entry.scopes,
      expiresAt: entry.expiresAt,
      resource: entry.resource === undefined ? undefined : new URL(entry.resource),
      extra: { grantId: entry.grantId },
    };
  }

  async revokeToken(client, { token }) {
    const access = this.#accessTokens.get(token);
    if (access?.clientId === client.client_id) {
      this.#accessTokens.delete(token);
      this.revoked.push({ kind: 'access_token', reason: 'revocation', clientId: access.clientId, grantId: access.grantId, token, time: Date.now() });
      return;
    }
    const refresh = this.#refreshTokens.get(token);
    if (refresh && this.#grants.get(refresh.grantId)?.clientId === client.client_id) {
      this.#revokeGrant(refresh.grantId, 'revocation', token);
    }
    // Unknown tokens are ignored, as RFC 7009 asks.
  }

  #codeFor(client, code) {
    const entry = this.#codes.get(code);
    if (!entry || entry.clientId !== client.client_id || entry.expiresAt < nowSeconds()) {
      throw new InvalidGrantError('authorization code is invalid');
    }
    return entry;
  }

  // Returns the resource the grant is bound to. `bound` is the one fixed earlier in the flow.
  #checkResource(requested, bound) {
    const canonical = this.options.resource;
    if (this.options.strictResource && requested !== canonical) {
      throw new InvalidTargetError(`resource must be ${canonical}`);
    }
    if (requested !== undefined && bound !== undefined && requested !== bound) {
      throw new InvalidTargetError('resource differs from the one granted');
    }
    return requested ?? bound;
  }

  #grantableScopes(requested) {
    const scopes = requested.filter(Boolean);
    const unknown = scopes.filter((s) => !this.knownScopes.has(s));
    if (unknown.length > 0) throw new InvalidScopeError(`unknown scope: ${unknown.join(' ')}`);
    return scopes.length > 0 ? scopes : [...this.options.scopesSupported];
  }

  #issueAccessToken(grantId, grant, scopes) {
    const token = newToken('at');
    const ttl = this.options.tokenTtlSeconds;
    this.#accessTokens.set(token, {
      grantId,
      clientId: grant.clientId,
      scopes,
      resource: grant.resource,
      expiresAt: nowSeconds() + ttl,
    });
    return { access_token: token, token_type: 'Bearer', expires_in: ttl, scope: scopes.join(' ') };
  }

  #revokeGrant(grantId, reason, token) {
    const grant = this.#grants.get(grantId);
    grant.active = false;
    for (const [t, entry] of this.#accessTokens) {
      if (entry.grantId === grantId) this.#accessTokens.delete(t);
    }
    this.revoked.push({ kind: 'grant', reason, clientId: grant.clientId, grantId, token, time: Date.now() });
  }
}

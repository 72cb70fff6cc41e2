// panva's oidc-provider configured as the authorization server of an MCP resource server:
// open dynamic client registration, PKCE S256 only, resource indicators yielding JWT access
// tokens for the MCP server, rotating refresh tokens, revocation, client credentials, and the
// built-in development login/consent pages (driven by browser_standin.mjs).
import { randomBytes } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

const DAY = 24 * 60 * 60;

// When refresh tokens are issued for an authorization code (only ever to clients registered
// with the refresh_token grant):
//   grant_type     always
//   offline_access oidc-provider's own default: scope offline_access, which it keeps only
//                  when the authorization request also carries prompt=consent
//   never          no refresh token at all
const REFRESH_TOKEN_POLICIES = {
  grant_type: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  offline_access: async (ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
  never: async () => false,
};

/**
 * @param {object} p
 * @param {string} p.issuer
 * @param {string} p.mcpUrl            canonical resource indicator of the MCP server (= token audience)
 * @param {object} p.privateJwk        signing key
 * @param {object} p.options           see startOidcPeer
 */
export function createProvider({ issuer, mcpUrl, privateJwk, options }) {
  const {
    accessTokenTtl = 3600,
    refreshTokenTtl = 14 * DAY,
    rotateRefreshToken = true,
    issueRefreshToken = 'grant_type',
    scopes = ['mcp:tools'],
    defaultResource = false,
    clients = [],
    adapter, // oidc-provider's storage adapter (default: its in-memory one, lost with the process)
  } = options;

  const refreshTokenPolicy = REFRESH_TOKEN_POLICIES[issueRefreshToken];
  if (!refreshTokenPolicy) throw new TypeError(`unknown issueRefreshToken policy: ${issueRefreshToken}`);

  const resourceServer = {
    scope: scopes.join(' '),
    audience: mcpUrl,
    accessTokenTTL: accessTokenTtl,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'RS256' } },
  };

  return new Provider(issuer, {
    ...(adapter ? { adapter } : {}),
    jwks: { keys: [privateJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    clients,
    // Plain text, so a failing browser stand-in can quote it (and no library notice on stdout).
    renderError: async (ctx, out) => {
      ctx.type = 'text/plain';
      ctx.body = Object.entries(out).map(([key, value]) => `${key}: ${value}`).join('\n');
    },
    findAccount: async (ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    responseTypes: ['code'], // OAuth 2.1: no implicit or hybrid flows
    pkce: { methods: ['S256'], required: () => true },
    issueRefreshToken: refreshTokenPolicy,
    // Tokens outlive the sign-in session of the (throwaway) browser, as a CLI client expects.
    expiresWithSession: async () => false,
    rotateRefreshToken,
    features: {
      devInteractions: { enabled: true },
      registration: { enabled: true, initialAccessToken: false },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Only the MCP server is a known resource; anything else (even with a trailing slash) is
        // invalid_target, so a client must send the canonical URI.
        getResourceServerInfo: async (ctx, indicator) => {
          if (indicator !== mcpUrl) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
          return resourceServer;
        },
        // defaultResource=true binds requests without `resource` to the MCP server (lets a test
        // exercise a client's per-server opt-out of the parameter).
        defaultResource: async (ctx, client, oneOf) => oneOf ?? (defaultResource ? mcpUrl : undefined),
      },
    },
    // Set explicitly: the library logs a notice for every default TTL helper it calls.
    ttl: {
      AccessToken: accessTokenTtl,
      ClientCredentials: accessTokenTtl,
      RefreshToken: refreshTokenTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 14 * DAY,
      Grant: 14 * DAY,
    },
  });
}

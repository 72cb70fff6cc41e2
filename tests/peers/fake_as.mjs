// A scriptable OAuth 2.1 authorization server + protected MCP resource, in plain node:http, for
// the negative cases of the MCP auth client profile (/work/shared/notes/mcp-auth-client-profile.md).
// With every option at its default it is a correct, spec-following AS and resource on one origin;
// each option below breaks or varies exactly one thing.
//
//   import { startFakeAs } from './fake_as.mjs';
//   const peer = await startFakeAs({ issuerTrailingSlash: true });
//   ... spawn the client against peer.mcpUrl ...
//   peer.count(peer.paths.token)  /  peer.set({ refreshError: 503, refreshErrorTimes: 2 })
//   await peer.close();
//
// CLI: node tests/peers/fake_as.mjs '{"options":{...}}'   prints one JSON line
//      {"mcpUrl","issuer",...} when ready and serves until SIGINT/SIGTERM.
//
// Options (all can change at run time through set(), except separateAsOrigin):
//
// Origins and issuer
//   separateAsOrigin        false  AS on its own port (resource: /mcp + PRM; AS: metadata + endpoints)
//   issuerPath              ''     issuer with a path, e.g. '/tenant1'; the endpoints move under it
//   issuerTrailingSlash     false  issuer "http://127.0.0.1:P/" instead of "http://127.0.0.1:P"
//                                  (both legal: the client must compare exactly, never normalise)
//   issuerInMetadata        null   the "issuer" put in the AS metadata: a string verbatim, or true for
//                                  the same server spelled "localhost" -> the client must refuse
//   metadataLocation        'oauth' where AS metadata is served: 'oauth' (RFC 8414, path inserted),
//                                  'oidc-inserted' (/.well-known/openid-configuration/tenant1),
//                                  'oidc-appended' (/tenant1/.well-known/openid-configuration),
//                                  'oidc' (both OIDC forms), 'all'
//   legacy                  false  2025-03-26 server: no PRM, no resource_metadata in the challenge,
//                                  AS metadata at the MCP origin root
//   legacyNoMetadata        false  legacy and no metadata at all: the client must fall back to
//                                  /authorize, /token, /register at the MCP origin
//
// Protected resource
//   prmLocation             'path' PRM at /.well-known/oauth-protected-resource/mcp, or 'root'
//                                  (/.well-known/oauth-protected-resource)
//   prmResource             null   another "resource" in PRM (string, or true for <origin>/other-mcp)
//                                  -> the client must refuse
//   prmScopesSupported      ['mcp:tools','offline_access']  PRM scopes_supported (null omits it)
//   challengeScope          'mcp:tools'  scope in the 401 challenge (null omits it)
//   challengeResourceMetadata true  false omits resource_metadata: the client must try the well-known
//                                  PRM locations itself
//   challengeParamOrder     'metadata-first' | 'scope-first'
//   unauthorizedWithInvalidToken false  401 says error="invalid_token" even when no token was sent
//   insufficientScopeFor    null   { whoami: 'mcp:tools admin' }: tools/call of that tool answers 403
//                                  error="insufficient_scope" scope="<those>" until the token has them
//   mcpResponseFormat       'json' | 'sse' (answers as one `event: message` SSE event)
//
// AS metadata
//   scopesSupported         ['mcp:tools','offline_access']  AS scopes_supported (null omits it)
//   noS256                  false  'plain' (or true): code_challenge_methods_supported ["plain"] and
//                                  plain accepted; 'absent': the field is missing
//   issParameterSupported   true   advertise authorization_response_iss_parameter_supported
//   httpEndpoints           false  token_endpoint is http://example.invalid/token (non-loopback http)
//   redirectToHttp          false  true: the AS metadata URL 302s to http://example.invalid/...;
//                                  'prm': the PRM URL does
//   oversizedMetadata       false  true: the AS metadata body is 5 MB; 'prm': the PRM body is
//   metadataDelayMs         0      delay before answering PRM and AS metadata
//   noRegistration          false  no registration_endpoint, /register is 404
//   clientIdMetadataDocumentSupported false  advertise CIMD. LIMITATION: the fake cannot fetch the
//                                  https client_id document (tests serve no https), so a client_id
//                                  that is an https URL with a path is accepted as a public client
//                                  with any https/loopback redirect_uri and recorded in peer.cimdUses
//
// Authorization endpoint (auto-approves; no user, no page)
//   authorizeIss            'correct' | 'wrong' (https://attacker.example) | 'missing'
//   authorizeError          null   e.g. 'access_denied': redirect with this error instead of a code
//                                  (iss follows authorizeIss, so it combines with 'wrong')
//   authorizeErrorDescription  text of error_description sent with authorizeError
//   stateOverride           null   true: a different state; 'omit': no state; a string: that state
//   relativeAuthorizeLocation false  /authorize first 302s to a relative Location (/consent?txn=...)
//                                  which then 302s to the redirect_uri
//
// Token endpoint
//   accessTokenTtl          3600   seconds
//   noRefreshToken          false  never issue a refresh token
//   rotateRefreshTokens     true   each refresh returns a new refresh token (the old one is spent);
//                                  false: no refresh_token in refresh responses (keep the old one)
//   revokeGrantOnRefreshReuse true  a spent refresh token coming back revokes the whole grant
//   refreshError            null   'invalid_grant' | 'temporarily_unavailable' | any OAuth error code
//                                  (HTTP 400, 401 for invalid_client) | an HTTP status number such as
//                                  503 (non-JSON body). The refresh token is left untouched.
//   refreshErrorTimes       Infinity  how many refreshes get refreshError; counts down in options
//   invalidClientOnce       false  arms: the next token request of a registered client gets 401
//                                  invalid_client and the AS forgets that client (and its grants);
//                                  disarms itself
//   requireResource         false  authorize/token without resource=<mcpUrl> -> invalid_target
//                                  (a resource other than mcpUrl is always invalid_target)
//   tokenDelayMs            0      delay before processing; a request whose client disconnected
//                                  meanwhile is dropped without effect
//
// Registration follows RFC 7591 defaults for omitted metadata (grant_types ["authorization_code"]:
// no refresh tokens; token_endpoint_auth_method "client_secret_basic": a secret is issued), and
// refresh tokens are only issued to clients registered with the refresh_token grant type.
import { pathToFileURL } from 'node:url';
import { createRequestLog } from './lib/http_log.mjs';
import { closeServer, listenOnLoopback } from './fake_as/http.mjs';
import { computeLayout } from './fake_as/layout.mjs';
import { DEFAULT_OPTIONS, mergeOptions } from './fake_as/options.mjs';
import { newClient } from './fake_as/register.mjs';
import { createRouter } from './fake_as/router.mjs';
import { createStore } from './fake_as/store.mjs';

export async function startFakeAs(options = {}) {
  const log = createRequestLog();
  const shutdown = new AbortController();
  const ctx = {
    options: mergeOptions(DEFAULT_OPTIONS, options, { atStart: true }),
    layout: null,
    store: createStore(),
    resources: [],
    cimdUses: [],
    sessions: new Set(),
    pendingConsents: new Map(),
    usedAssertionIds: new Set(),
    signal: shutdown.signal,
  };

  const servers = [];
  const listen = async (roles) => {
    const { server, origin } = await listenOnLoopback(log.wrap(createRouter(ctx, roles)));
    servers.push(server);
    return origin;
  };
  const resourceOrigin = await listen({ resource: true, as: !ctx.options.separateAsOrigin });
  const asOrigin = ctx.options.separateAsOrigin ? await listen({ resource: false, as: true }) : resourceOrigin;
  const relayout = () => {
    ctx.layout = computeLayout({ resourceOrigin, asOrigin, options: ctx.options });
  };
  relayout();

  return {
    mcpUrl: ctx.layout.mcpUrl,
    resourceOrigin,
    asOrigin,
    get issuer() {
      return ctx.layout.issuer;
    },
    // Paths on their origin, for count(): authorize, consent, token, register, revoke, prm, metadata[].
    get paths() {
      const { paths, prmPath, metadataPaths } = ctx.layout;
      return { ...paths, prm: prmPath, metadata: metadataPaths };
    },
    get urls() {
      const { urls, prmUrl, metadataPaths } = ctx.layout;
      return { ...urls, mcp: ctx.layout.mcpUrl, prm: prmUrl, metadata: metadataPaths.map((p) => asOrigin + p) };
    },
    get options() {
      return { ...ctx.options };
    },

    requests: log.requests,
    count: log.count,
    filter: log.filter,
    clearRequests: log.clear,
    // { endpoint: 'authorize'|'token', grantType, resource (string | string[] | null), time }
    resources: ctx.resources,
    // { clientId, endpoint, time } for each use of an https client_id (CIMD)
    cimdUses: ctx.cimdUses,
    // Live records: { value, grantId, clientId, scope, resource, issuedAt, expiresAt?, revoked,
    // rotatedFrom?, replacedBy? }
    get tokens() {
      return { access: [...ctx.store.accessTokens.values()], refresh: [...ctx.store.refreshTokens.values()] };
    },
    get clients() {
      return [...ctx.store.clients.values()];
    },

    set(changes) {
      ctx.options = mergeOptions(ctx.options, changes);
      relayout();
    },
    // A pre-registered client (as configured by hand); metadata as for /register. Returns the
    // record with client_id (and client_secret for client_secret_* methods).
    registerClient(metadata) {
      return ctx.store.addClient(newClient(metadata));
    },
    expireAccessTokens() {
      ctx.store.expireAccessTokens();
    },
    // The AS loses every registration (and the grants of those clients).
    forgetClients() {
      for (const clientId of [...ctx.store.clients.keys()]) ctx.store.forgetClient(clientId);
    },
    // Every MCP session becomes unknown (404): the client must initialize again.
    dropSessions() {
      ctx.sessions.clear();
    },
    async close() {
      shutdown.abort();
      await Promise.all(servers.map(closeServer));
    },
  };
}

async function main() {
  const { options = {} } = JSON.parse(process.argv[2] ?? '{}');
  const peer = await startFakeAs(options);
  const { mcpUrl, issuer, resourceOrigin, asOrigin } = peer;
  process.stdout.write(`${JSON.stringify({ mcpUrl, issuer, resourceOrigin, asOrigin })}\n`);
  const stop = () => peer.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

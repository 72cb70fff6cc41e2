// The oidc-provider peer: panva's oidc-provider as the authorization server, plus an MCP
// resource server (its own origin) that trusts it. See oidc/provider.mjs and
// oidc/mcp_resource.mjs for what each side does.
//
// In process:  const peer = await startOidcPeer({ accessTokenTtl: 5 });
// Standalone:  node oidc_peer.mjs '{"accessTokenTtl":5}'   prints {"mcpUrl","issuer"} on one line
//              and serves until killed.
import { pathToFileURL } from 'node:url';
import { createRequestLog } from './lib/http_log.mjs';
import { listenLoopback } from './oidc/loopback_server.mjs';
import { createSigningKey } from './oidc/signing_key.mjs';
import { createProvider } from './oidc/provider.mjs';
import { createMcpResource } from './oidc/mcp_resource.mjs';

/**
 * @param {object}   [options]
 * @param {number}   [options.accessTokenTtl=3600]   access token lifetime, seconds
 * @param {number}   [options.refreshTokenTtl=1209600] refresh token lifetime, seconds
 * @param {boolean}  [options.rotateRefreshToken=true] a refresh returns a new refresh token and
 *                   consumes the old one (replaying it revokes the whole grant)
 * @param {'grant_type'|'offline_access'|'never'} [options.issueRefreshToken='grant_type']
 *                   grant_type: to every client registered with the refresh_token grant;
 *                   offline_access: oidc-provider's default (needs scope offline_access AND
 *                   prompt=consent); never
 * @param {string[]} [options.scopes=['mcp:tools']]   scopes of the MCP resource (PRM scopes_supported)
 * @param {string[]} [options.requiredScopes=[]]      scopes /mcp demands (else 403 insufficient_scope)
 * @param {boolean}  [options.defaultResource=false]  bind requests without `resource` to the MCP server
 * @param {string}   [options.issuerPath='']          mount the AS under a path, e.g. '/tenant1'
 *                   (issuer http://127.0.0.1:P/tenant1, metadata at /tenant1/.well-known/openid-configuration)
 * @param {object[]} [options.clients=[]]             pre-registered clients (oidc-provider client metadata)
 * @returns {Promise<{ mcpUrl: string, issuer: string, prmUrl: string, requests: object[],
 *   count: Function, filter: Function, clear: Function, provider: import('oidc-provider').default,
 *   close: () => Promise<void> }>}
 *   requests/count/filter/clear cover both origins (lib/http_log.mjs); tell them apart by
 *   entry.headers.host if a path exists on both.
 */
export async function startOidcPeer(options = {}) {
  const { issuerPath = '', scopes = ['mcp:tools'], requiredScopes = [] } = options;

  const [asServer, mcpServer] = await Promise.all([listenLoopback(), listenLoopback()]);
  const issuer = `${asServer.origin}${issuerPath}`;
  const mcpUrl = `${mcpServer.origin}/mcp`;
  const { privateJwk, publicJwks } = createSigningKey();
  const log = createRequestLog();

  const provider = createProvider({ issuer, mcpUrl, privateJwk, options });
  asServer.handle(log.wrap(mountAt(issuerPath, provider.callback())));

  const resource = createMcpResource({
    mcpUrl, issuer, publicJwks, scopes, requiredScopes, log,
  });
  mcpServer.handle(resource.app);

  return {
    mcpUrl,
    issuer,
    prmUrl: resource.prmUrl,
    requests: log.requests,
    count: log.count,
    filter: log.filter,
    clear: log.clear,
    provider,
    async close() {
      await resource.closeSessions();
      await Promise.all([asServer.close(), mcpServer.close()]);
    },
  };
}

// Serves `handler` under `path` the way a mounting framework does: oidc-provider derives its
// endpoint URLs from req.originalUrl minus req.url.
function mountAt(path, handler) {
  if (!path) return handler;
  return (req, res) => {
    const rest = req.url.slice(path.length);
    if (!req.url.startsWith(path) || !['', '/', '?'].includes(rest[0] ?? '')) {
      res.writeHead(404).end();
      return;
    }
    req.originalUrl = req.url;
    req.url = rest.startsWith('/') ? rest : `/${rest}`;
    handler(req, res);
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const peer = await startOidcPeer(JSON.parse(process.argv[2] ?? '{}'));
  process.stdout.write(`${JSON.stringify({ mcpUrl: peer.mcpUrl, issuer: peer.issuer })}\n`);
  const stop = () => peer.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

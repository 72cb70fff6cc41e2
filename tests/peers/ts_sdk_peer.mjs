// An MCP server protected by the official TypeScript SDK's server-side auth: requireBearerAuth in
// front of StreamableHTTPServerTransport, and the SDK's mcpAuthRouter as authorization server
// (with the in-memory provider in ts_sdk/provider.mjs).
//
//   const peer = await startTsSdkPeer({ separateAs: true });
//   peer.mcpUrl, peer.issuer, peer.requests, peer.count(...), peer.revoked; await peer.close();
//   peer.forgetSessions() ends every MCP session as a server restart would; peer.sessionCount().
//
// CLI: node tests/peers/ts_sdk_peer.mjs '{"separateAs":true}'
//   prints {"mcpUrl":...,"issuer":...} on one line, serves until SIGINT/SIGTERM.
import { pathToFileURL } from 'node:url';
import express from 'express';
import {
  createOAuthMetadata,
  getOAuthProtectedResourceMetadataUrl,
  mcpAuthMetadataRouter,
  mcpAuthRouter,
} from '@modelcontextprotocol/sdk/server/auth/router.js';
import { createRequestLog } from './lib/http_log.mjs';
import { listenLoopback } from './ts_sdk/listen.mjs';
import { InMemoryOAuthProvider } from './ts_sdk/provider.mjs';
import { createMcpEndpoint } from './ts_sdk/mcp_server.mjs';

const MCP_PATH = '/mcp';
const SSE_PATH = '/sse';
// Tests and benchmarks run many flows: the SDK's per-endpoint rate limits would get in the way.
const NO_RATE_LIMIT = { rateLimit: false };

/**
 * @param {object} [options]
 * @param {boolean} [options.separateAs=false]          AS on its own origin (port)
 * @param {number} [options.tokenTtlSeconds=3600]       access token lifetime
 * @param {boolean} [options.rotateRefreshTokens=false] new refresh token per refresh; reusing an old one revokes the grant
 *                                                      (without it, refresh answers carry no refresh_token)
 * @param {boolean} [options.strictResource=false]      authorize/token/refresh must send resource=<mcpUrl>; tokens must be bound to it
 * @param {string} [options.requiredScope]              scope the `whoami` tool call needs (grantable on request)
 * @param {boolean} [options.denyAuthorization=false]   authorize redirects with error=access_denied
 * @param {string[]} [options.scopesSupported=['mcp:tools','offline_access']]
 * @param {boolean} [options.stateless=false]          MCP endpoint without sessions
 * @param {boolean} [options.jsonResponse=false]       MCP answers as application/json, not SSE
 * @param {boolean} [options.legacySse=false]          also the old HTTP+SSE transport at /sse (peer.sseUrl)
 * @param {boolean} [options.resumable=false]          SSE answers carry event ids (an in-memory event store) and
 *                                                      the `poll_me` tool closes its stream before answering
 */
export async function startTsSdkPeer(options = {}) {
  const {
    separateAs = false,
    tokenTtlSeconds = 3600,
    rotateRefreshTokens = false,
    strictResource = false,
    requiredScope,
    denyAuthorization = false,
    scopesSupported = ['mcp:tools', 'offline_access'],
    stateless = false,
    jsonResponse = false,
    legacySse = false,
    resumable = false,
  } = options;

  const log = createRequestLog();
  const rs = await listenLoopback();
  const as = separateAs ? await listenLoopback() : rs;
  const mcpUrl = new URL(MCP_PATH, rs.origin);
  const issuerUrl = new URL(as.origin);

  const provider = new InMemoryOAuthProvider({
    issuer: issuerUrl.href,
    resource: mcpUrl.href,
    scopesSupported,
    extraScopes: requiredScope ? [requiredScope] : [],
    tokenTtlSeconds,
    rotateRefreshTokens,
    strictResource,
    denyAuthorization,
  });

  const asApp = express();
  asApp.use(log.middleware());
  asApp.use(
    mcpAuthRouter({
      provider,
      issuerUrl,
      resourceServerUrl: mcpUrl,
      scopesSupported,
      resourceName: 'mcpauth TS SDK peer',
      authorizationOptions: NO_RATE_LIMIT,
      tokenOptions: NO_RATE_LIMIT,
      clientRegistrationOptions: NO_RATE_LIMIT,
      revocationOptions: NO_RATE_LIMIT,
    }),
  );

  let rsApp = asApp;
  if (separateAs) {
    rsApp = express();
    rsApp.use(log.middleware());
    rsApp.use(
      mcpAuthMetadataRouter({
        oauthMetadata: createOAuthMetadata({ provider, issuerUrl, scopesSupported }),
        resourceServerUrl: mcpUrl,
        scopesSupported,
        resourceName: 'mcpauth TS SDK peer',
      }),
    );
  }

  const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(mcpUrl);
  const mcp = createMcpEndpoint({
    path: MCP_PATH,
    verifier: provider,
    resourceMetadataUrl,
    expectedResource: strictResource ? mcpUrl : undefined,
    requiredScope,
    stateless,
    jsonResponse,
    resumable,
    legacySsePath: legacySse ? SSE_PATH : undefined,
  });
  rsApp.use(mcp.router);

  rs.server.on('request', rsApp);
  if (separateAs) as.server.on('request', asApp);

  return {
    mcpUrl: mcpUrl.href,
    sseUrl: new URL(SSE_PATH, rs.origin).href,
    issuer: issuerUrl.href,
    resourceMetadataUrl,
    requests: log.requests,
    count: log.count,
    filter: log.filter,
    clearRequests: log.clear,
    revoked: provider.revoked,
    provider,
    forgetSessions: mcp.forgetSessions,
    sessionCount: mcp.sessionCount,
    async close() {
      await mcp.close();
      await Promise.all(separateAs ? [rs.close(), as.close()] : [rs.close()]);
    },
  };
}

async function main() {
  const peer = await startTsSdkPeer(JSON.parse(process.argv[2] ?? '{}'));
  process.stdout.write(`${JSON.stringify({ mcpUrl: peer.mcpUrl, sseUrl: peer.sseUrl, issuer: peer.issuer })}\n`);
  const stop = () => peer.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

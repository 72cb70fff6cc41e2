// The soak's MCP server: the TS SDK peer's MCP endpoint (tests/peers/ts_sdk/mcp_server.mjs:
// stateful Streamable HTTP, tools echo, whoami, ...) behind the SDK's bearer middleware, trusting
// the soak's oidc-provider (RFC 9068 JWTs checked with its public key, read from the key file,
// so the AS may be down), with Protected Resource Metadata naming that issuer.
//
//   node soak_upstream.mjs '{"issuer":"http://127.0.0.1:P","keyFile":"key.json"}'
// prints {"mcpUrl":"http://127.0.0.1:Q/mcp"} on one line once listening, serves until killed.
import { readFileSync } from 'node:fs';
import { peerRequire } from '../e2e/support.mjs';
import { listenLoopback } from '../peers/oidc/loopback_server.mjs';
import { jwtVerifier, protectedResourceMetadata } from '../peers/oidc/mcp_resource.mjs';
import { createMcpEndpoint } from '../peers/ts_sdk/mcp_server.mjs';

const express = peerRequire('express');
const { getOAuthProtectedResourceMetadataUrl } = peerRequire('@modelcontextprotocol/sdk/server/auth/router.js');

const { issuer, keyFile } = JSON.parse(process.argv[2]);
const { publicJwks } = JSON.parse(readFileSync(keyFile, 'utf8'));
const loopback = await listenLoopback();
const mcpUrl = `${loopback.origin}/mcp`;
const prmUrl = getOAuthProtectedResourceMetadataUrl(new URL(mcpUrl));

const app = express();
app.get(new URL(prmUrl).pathname, (req, res) =>
  res.json(protectedResourceMetadata({ mcpUrl, issuer, scopes: ['mcp:tools'], name: 'mcpauth soak upstream' })));
const mcp = createMcpEndpoint({
  path: '/mcp',
  verifier: jwtVerifier({ issuer, audience: mcpUrl, publicJwks }),
  resourceMetadataUrl: prmUrl,
  expectedResource: new URL(mcpUrl),
});
app.use(mcp.router);
loopback.handle(app);
process.stdout.write(`${JSON.stringify({ mcpUrl })}\n`);
const stop = () => mcp.close().then(() => loopback.close()).then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

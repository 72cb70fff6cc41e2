// The soak's authorization server: panva's oidc-provider as tests/peers/oidc/provider.mjs
// configures it, on a given port, with a given signing key and a file-backed store
// (file_adapter.mjs), approving every authorization without a page (as signInThroughServe of
// tests/e2e/support.mjs needs). soak.mjs stops it and starts it again: same issuer, keys,
// clients, grants and refresh tokens, so the tokens it issued stay valid.
//
//   node soak_as.mjs '{"port":P,"mcpUrl":"http://127.0.0.1:Q/mcp","keyFile":"key.json",
//                      "stateFile":"as.jsonl","accessTokenTtl":6}'
// prints {"issuer":"http://127.0.0.1:P"} on one line once listening, serves until killed.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createProvider } from '../peers/oidc/provider.mjs';
import { fileAdapter } from './file_adapter.mjs';

const { port, mcpUrl, keyFile, stateFile, accessTokenTtl } = JSON.parse(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;
const { privateJwk } = JSON.parse(readFileSync(keyFile, 'utf8'));
const provider = createProvider({
  issuer,
  mcpUrl,
  privateJwk,
  options: { accessTokenTtl, adapter: fileAdapter(stateFile) },
});
const providerCallback = provider.callback();
const INTERACTION = /^\/interaction\/[^/]+$/;

// Finishes the login prompt (one account for everyone) and the consent prompt (every scope and
// resource asked for); oidc-provider answers with the redirect back into the authorization.
async function approve(req, res) {
  const { prompt, params, session } = await provider.interactionDetails(req, res);
  if (prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: 'soak-user' } }, { mergeWithLastSubmission: false });
    return;
  }
  const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  const { missingOIDCScope, missingOIDCClaims, missingResourceScopes = {} } = prompt.details;
  if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
  if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missingResourceScopes)) grant.addResourceScope(indicator, scopes.join(' '));
  await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && INTERACTION.test(new URL(req.url, issuer).pathname)) {
    approve(req, res).catch((error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`));
    return;
  }
  providerCallback(req, res);
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ issuer })}\n`));
// SIGTERM: a graceful restart, as a deployment does it: no new connections, the requests in
// progress answered, then exit. (SIGKILL, soak.mjs --as-kill, is a crash.)
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 2_000).unref(); // keep-alive connections left open
});

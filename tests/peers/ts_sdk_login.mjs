// The first-login flow done by the TypeScript SDK's own client auth, as a baseline for
// `mcpauth login` in benchmarks: auth() -> REDIRECT, the "browser" follows the authorization URL
// to our loopback callback, auth(authorizationCode) -> AUTHORIZED.
//
// CLI: node tests/peers/ts_sdk_login.mjs MCP_URL
//   prints {"ms": wall time since process start, "flow_ms": flow only, "result": "AUTHORIZED"}; exit 1 on failure.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { followRedirects } from './lib/follow_redirects.mjs';
import { startCallbackServer } from './ts_sdk/callback_server.mjs';
import { InMemoryOAuthClientProvider } from './ts_sdk/client_provider.mjs';

export { InMemoryOAuthClientProvider, startCallbackServer, followRedirects };

/**
 * Checks an authorization response the way a careful client does: state first, then iss
 * (RFC 9207), and only then looks at error / code.
 * @returns {string} the authorization code
 */
export function codeFromCallback(params, { expectedState, expectedIssuer }) {
  if (params.get('state') !== expectedState) throw new Error('callback state mismatch');
  if (params.has('iss') && params.get('iss') !== expectedIssuer) throw new Error('callback iss mismatch');
  if (params.has('error')) throw new Error(`authorization failed: ${params.get('error')}`);
  const code = params.get('code');
  if (!code) throw new Error('callback carries no code');
  return code;
}

/**
 * Full first login against an MCP server with the SDK's auth().
 * @param {string} mcpUrl
 * @param {object} [options]
 * @param {string} [options.scope]   passed to auth() (as a WWW-Authenticate scope would be)
 * @returns {Promise<{ result: 'AUTHORIZED', provider: InMemoryOAuthClientProvider }>}
 *   provider holds the client registration and tokens, ready for StreamableHTTPClientTransport.
 */
export async function loginWithSdk(mcpUrl, { scope } = {}) {
  const callback = await startCallbackServer();
  try {
    const provider = new InMemoryOAuthClientProvider({
      redirectUrl: callback.redirectUrl,
      openBrowser: (url) => followRedirects(url),
    });
    const first = await auth(provider, { serverUrl: mcpUrl, scope });
    if (first !== 'REDIRECT') throw new Error(`auth() returned ${first}, expected REDIRECT`);
    const code = codeFromCallback(await callback.waitForCallback(), {
      expectedState: provider.lastState,
      expectedIssuer: provider.discoveryState()?.authorizationServerMetadata?.issuer,
    });
    const result = await auth(provider, { serverUrl: mcpUrl, authorizationCode: code, scope });
    if (result !== 'AUTHORIZED') throw new Error(`auth() returned ${result}, expected AUTHORIZED`);
    return { result, provider };
  } finally {
    await callback.close();
  }
}

async function main() {
  const mcpUrl = process.argv[2];
  if (!mcpUrl) throw new Error('usage: node ts_sdk_login.mjs MCP_URL');
  const flowStart = performance.now();
  const { result } = await loginWithSdk(mcpUrl);
  const end = performance.now(); // performance.now() counts from process start
  const round = (ms) => Math.round(ms * 10) / 10;
  process.stdout.write(`${JSON.stringify({ ms: round(end), flow_ms: round(end - flowStart), result })}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(`ts_sdk_login: ${err.message}`);
    process.exit(1);
  });
}

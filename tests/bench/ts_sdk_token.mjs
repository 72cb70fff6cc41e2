// The baseline of `mcpauth token` in token_bench.mjs: what a command-line tool built on the MCP
// TypeScript SDK does to print the access token it holds for a server. It loads the SDK's client
// auth module (it needs it to refresh), reads the stored tokens through an OAuthClientProvider
// backed by a JSON file, and prints the access token when it is still valid, else refreshes it
// with the SDK's auth() first.
//
//   node tests/bench/ts_sdk_token.mjs FILE
//     prints the access token on stdout; exit 1 (with the reason on stderr) when there is none.
//
// FILE is what FileOAuthClientProvider writes: {"server_url", "client_information", "tokens",
// "tokens_expire_at" (Unix ms), "discovery_state"}; token_bench.mjs fills it from a sign-in made
// with the SDK (tests/peers/ts_sdk_login.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { auth } from '../peers/node_modules/@modelcontextprotocol/sdk/dist/esm/client/auth.js';

// Refreshed this long before they expire, like mcpauth's oauth21 plugin.
const REFRESH_MARGIN_MS = 60_000;

export class FileOAuthClientProvider {
  #file;
  #state;

  constructor(file, { serverUrl } = {}) {
    this.#file = file;
    try {
      this.#state = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      if (error.code !== 'ENOENT' || !serverUrl) throw error;
      this.#state = { server_url: serverUrl };
    }
    this.redirectUrl = 'http://127.0.0.1/callback'; // a token command never signs in
    this.clientMetadata = {
      client_name: 'ts-sdk-token',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  get serverUrl() {
    return this.#state.server_url;
  }

  // Valid now, and not about to expire.
  tokensUsable(now = Date.now()) {
    const expireAt = this.#state.tokens_expire_at;
    return Boolean(this.#state.tokens) && (expireAt === undefined || now + REFRESH_MARGIN_MS < expireAt);
  }

  #save(fields) {
    Object.assign(this.#state, fields);
    writeFileSync(this.#file, JSON.stringify(this.#state), { mode: 0o600 });
  }

  clientInformation() {
    return this.#state.client_information;
  }

  saveClientInformation(info) {
    this.#save({ client_information: info });
  }

  tokens() {
    return this.#state.tokens;
  }

  saveTokens(tokens) {
    const expiresAt = tokens.expires_in === undefined ? undefined : Date.now() + tokens.expires_in * 1000;
    this.#save({ tokens, tokens_expire_at: expiresAt });
  }

  redirectToAuthorization() {
    throw new Error(`not signed in to ${this.serverUrl}: sign in first`);
  }

  saveCodeVerifier(verifier) {
    this.#save({ code_verifier: verifier });
  }

  codeVerifier() {
    return this.#state.code_verifier;
  }

  saveDiscoveryState(state) {
    this.#save({ discovery_state: state });
  }

  discoveryState() {
    return this.#state.discovery_state;
  }
}

async function main() {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node ts_sdk_token.mjs FILE');
  const provider = new FileOAuthClientProvider(file);
  if (!provider.tokensUsable()) {
    const result = await auth(provider, { serverUrl: provider.serverUrl });
    if (result !== 'AUTHORIZED' || !provider.tokensUsable()) throw new Error('no valid token: sign in again');
  }
  process.stdout.write(`${provider.tokens().access_token}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(`ts_sdk_token: ${error.message}`);
    process.exit(1);
  });
}

// Self-test of the TS SDK peer, driven by the SDK's own client auth.
// Run: cd tests/peers && node --test selftest/
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startTsSdkPeer } from '../ts_sdk_peer.mjs';
import {
  InMemoryOAuthClientProvider,
  followRedirects,
  loginWithSdk,
  startCallbackServer,
} from '../ts_sdk_login.mjs';

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

async function withPeer(options, body) {
  const peer = await startTsSdkPeer(options);
  try {
    await body(peer);
  } finally {
    await peer.close();
  }
}

async function connectClient(peer, provider) {
  const client = new Client({ name: 'selftest', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(peer.mcpUrl), { authProvider: provider }));
  return client;
}

async function whoami(client) {
  const result = await client.callTool({ name: 'whoami', arguments: {} });
  return JSON.parse(result.content[0].text);
}

function postMcp(peer, accessToken, message) {
  return fetch(peer.mcpUrl, {
    method: 'POST',
    headers: { ...MCP_HEADERS, authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, ...message }),
  });
}

async function postToken(peer, form) {
  const response = await fetch(new URL('/token', peer.issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: await response.json() };
}

const isGrant = (grantType) => (r) => r.path === '/token' && r.form?.grant_type === grantType;

// Starts an authorization with the SDK's auth() and returns the callback parameters.
async function authorizeOnly(peer) {
  const callback = await startCallbackServer();
  try {
    const provider = new InMemoryOAuthClientProvider({ redirectUrl: callback.redirectUrl, openBrowser: followRedirects });
    assert.equal(await auth(provider, { serverUrl: peer.mcpUrl }), 'REDIRECT');
    return { provider, params: await callback.waitForCallback() };
  } finally {
    await callback.close();
  }
}

describe('ts_sdk_peer', () => {
  it('answers an unauthenticated request with the SDK 401 and resource_metadata', () =>
    withPeer({}, async (peer) => {
      const response = await fetch(peer.mcpUrl, { method: 'POST', headers: MCP_HEADERS, body: '{}' });
      assert.equal(response.status, 401);
      const challenge = response.headers.get('www-authenticate');
      assert.match(challenge, /^Bearer error="invalid_token"/);
      assert.ok(challenge.includes(`resource_metadata="${peer.resourceMetadataUrl}"`));
      const prm = await (await fetch(peer.resourceMetadataUrl)).json();
      assert.equal(prm.resource, peer.mcpUrl);
      assert.deepEqual(prm.authorization_servers, [peer.issuer]);
      assert.equal(peer.count((r) => r.path === '/mcp' && r.status === 401), 1);
    }));

  for (const options of [{}, { separateAs: true }, { strictResource: true }]) {
    it(`lets the SDK client log in and call tools (${JSON.stringify(options)})`, () =>
      withPeer(options, async (peer) => {
        const { provider } = await loginWithSdk(peer.mcpUrl);
        assert.equal(new URL(peer.issuer).origin === new URL(peer.mcpUrl).origin, !options.separateAs);
        assert.equal(peer.count('/register'), 1);
        const [authorize] = peer.filter('/authorize');
        assert.equal(authorize.query.code_challenge_method, 'S256');
        assert.equal(authorize.query.resource, peer.mcpUrl);
        const [exchange] = peer.filter(isGrant('authorization_code'));
        assert.equal(exchange.form.resource, peer.mcpUrl);
        assert.ok(exchange.form.code_verifier);

        const client = await connectClient(peer, provider);
        try {
          const me = await whoami(client);
          assert.equal(me.clientId, provider.clientInformation().client_id);
          assert.deepEqual(me.scopes, ['mcp:tools', 'offline_access']);
          const echoed = await client.callTool({ name: 'echo', arguments: { text: 'hi' } });
          assert.equal(echoed.content[0].text, 'hi');
        } finally {
          await client.close();
        }
        const mcpCalls = peer.filter((r) => r.path === '/mcp' && r.method === 'POST');
        assert.ok(mcpCalls.every((r) => r.authorization === `Bearer ${provider.tokens().access_token}`));
      }));
  }

  it('rotates refresh tokens, and reuse of a rotated one kills the grant', () =>
    withPeer({ rotateRefreshTokens: true, tokenTtlSeconds: 1 }, async (peer) => {
      const { provider } = await loginWithSdk(peer.mcpUrl);
      const first = provider.tokens();
      await sleep(1100); // access token expired: the client must refresh on the 401
      const client = await connectClient(peer, provider);
      await whoami(client);
      await client.close();
      assert.equal(peer.count(isGrant('refresh_token')), 1);
      const second = provider.tokens();
      assert.notEqual(second.refresh_token, first.refresh_token);

      const clientId = provider.clientInformation().client_id;
      const reuse = { grant_type: 'refresh_token', client_id: clientId, refresh_token: first.refresh_token };
      const replay = await postToken(peer, reuse);
      assert.equal(replay.status, 400);
      assert.equal(replay.body.error, 'invalid_grant');
      assert.deepEqual(peer.revoked.map((r) => r.reason), ['refresh_token_reuse']);
      assert.equal((await postMcp(peer, second.access_token, { method: 'tools/list' })).status, 401);
      const current = await postToken(peer, { ...reuse, refresh_token: second.refresh_token });
      assert.equal(current.body.error, 'invalid_grant');
    }));

  it('without rotation keeps the refresh token valid and sends no new one', () =>
    withPeer({}, async (peer) => {
      const { provider } = await loginWithSdk(peer.mcpUrl);
      const form = {
        grant_type: 'refresh_token',
        client_id: provider.clientInformation().client_id,
        refresh_token: provider.tokens().refresh_token,
      };
      for (let i = 0; i < 2; i++) {
        const { status, body } = await postToken(peer, form);
        assert.equal(status, 200);
        assert.ok(body.access_token);
        assert.equal(body.refresh_token, undefined);
      }
    }));

  it('with strictResource rejects authorization and refresh requests without resource', () =>
    withPeer({ strictResource: true }, async (peer) => {
      const { provider } = await loginWithSdk(peer.mcpUrl);
      const clientId = provider.clientInformation().client_id;
      const authorizeUrl = new URL('/authorize', peer.issuer);
      authorizeUrl.search = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: provider.redirectUrl,
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        state: 's1',
      });
      const { url } = await followRedirects(authorizeUrl, { stopAt: (u) => u.href.startsWith(provider.redirectUrl) });
      assert.equal(new URL(url).searchParams.get('error'), 'invalid_target');

      const form = { grant_type: 'refresh_token', client_id: clientId, refresh_token: provider.tokens().refresh_token };
      const missing = await postToken(peer, form);
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error, 'invalid_target');
      assert.equal((await postToken(peer, { ...form, resource: peer.mcpUrl })).status, 200);
    }));

  it('with requiredScope answers whoami with 403 insufficient_scope until the scope is granted', () =>
    withPeer({ requiredScope: 'mcp:admin' }, async (peer) => {
      const { provider } = await loginWithSdk(peer.mcpUrl);
      const denied = await postMcp(peer, provider.tokens().access_token, {
        method: 'tools/call',
        params: { name: 'whoami', arguments: {} },
      });
      assert.equal(denied.status, 403);
      const challenge = denied.headers.get('www-authenticate');
      assert.match(challenge, /^Bearer error="insufficient_scope"/);
      assert.ok(challenge.includes('scope="mcp:admin"'));
      assert.ok(challenge.includes(`resource_metadata="${peer.resourceMetadataUrl}"`));

      const stepUp = await loginWithSdk(peer.mcpUrl, { scope: 'mcp:tools mcp:admin' });
      const client = await connectClient(peer, stepUp.provider);
      assert.deepEqual((await whoami(client)).scopes, ['mcp:tools', 'mcp:admin']);
      await client.close();
    }));

  it('with denyAuthorization redirects with access_denied, state and iss', () =>
    withPeer({ denyAuthorization: true }, async (peer) => {
      const { provider, params } = await authorizeOnly(peer);
      assert.equal(params.get('error'), 'access_denied');
      assert.equal(params.get('state'), provider.lastState);
      assert.equal(params.get('iss'), peer.issuer);
      assert.equal(params.get('code'), null);
      await assert.rejects(loginWithSdk(peer.mcpUrl), /access_denied/);
      assert.equal(peer.count('/token'), 0);
    }));

  it('checks PKCE in the SDK token handler', () =>
    withPeer({}, async (peer) => {
      const { provider, params } = await authorizeOnly(peer);
      assert.equal(params.get('iss'), peer.issuer);
      const form = {
        grant_type: 'authorization_code',
        client_id: provider.clientInformation().client_id,
        code: params.get('code'),
        redirect_uri: provider.redirectUrl,
        resource: peer.mcpUrl,
      };
      const wrong = await postToken(peer, { ...form, code_verifier: 'x'.repeat(43) });
      assert.equal(wrong.body.error, 'invalid_grant');
      const right = await postToken(peer, { ...form, code_verifier: provider.codeVerifier() });
      assert.equal(right.status, 200);
    }));

  it('runs as a CLI that prints one ready line', async () => {
    const script = fileURLToPath(new URL('../ts_sdk_peer.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, '{"separateAs":true}'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [line] = await once(createInterface({ input: child.stdout }), 'line');
      const ready = JSON.parse(line);
      assert.notEqual(new URL(ready.mcpUrl).origin, new URL(ready.issuer).origin);
      const response = await fetch(ready.mcpUrl, { method: 'POST', headers: MCP_HEADERS, body: '{}' });
      assert.equal(response.status, 401);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});

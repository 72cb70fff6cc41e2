// The manual_jwt auth plugin and the sqlite store in a service-account flow through `mcpauth
// serve`: a client_credentials JWT from oidc-provider (tests/peers/oidc_peer.mjs), uploaded by an
// admin, carries a user's MCP calls (the TS SDK client) through the gateway to the peer's MCP
// server, which verifies it; an expired JWT is refused with the plugin's reason; once the JWT is
// deleted, the gateway asks for one again. tests/abi/cross_toolchain_test.sh runs it on plugins
// built by other toolchains (MCPAUTH_BINARY_DIR names a tree whose lib/mcpauth/plugins holds them).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startOidcPeer } from '../peers/oidc_peer.mjs';
import { peerRequire, startServe } from '../e2e/support.mjs';

const { Client } = peerRequire('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = peerRequire('@modelcontextprotocol/sdk/client/streamableHttp.js');

const ADMIN = 'admin@example.com';
const USER = 'alice@example.com';
const SERVER = 'reports';
const SERVICE_CLIENT = { id: 'reports-service', secret: 'reports-service-secret-for-this-test-only' };

const decodeJwtPart = (jwt, index) => JSON.parse(Buffer.from(jwt.split('.')[index], 'base64url').toString());
const base64url = (object) => Buffer.from(JSON.stringify(object)).toString('base64url');

// An access token for the peer's MCP server, as a service account gets one: client_credentials.
async function serviceToken(peer) {
  const response = await fetch(`${peer.issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${SERVICE_CLIENT.id}:${SERVICE_CLIENT.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: peer.mcpUrl, scope: 'mcp:tools' }),
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  return body.access_token;
}

// The serve API as `user` (the reverse proxy's identity header), answering { status, body }.
async function api(serve, method, route, user, body) {
  const response = await fetch(`${serve.baseUrl}${route}`, {
    method,
    headers: { 'X-User-Email': user, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, text: await response.text() };
}

describe('manual_jwt: a service JWT uploaded by an admin, used through the gateway', () => {
  let peer;
  let serve;
  let token;
  before(async () => {
    peer = await startOidcPeer({
      clients: [
        {
          client_id: SERVICE_CLIENT.id,
          client_secret: SERVICE_CLIENT.secret,
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
    });
    serve = await startServe({
      mcpauth: { user_groups: { [ADMIN]: ['admin'] } },
      [SERVER]: { url: peer.mcpUrl, auth: { plugin: 'manual_jwt', config: { auth_type: 'jwt' } } },
    });
    token = await serviceToken(peer);
  });
  after(async () => {
    await serve?.stop();
    await peer?.close();
  });

  test('the admin uploads it; the plugin reports its issuer and expiry, never the token', async () => {
    const upload = await api(serve, 'POST', `/admin/mcp/${SERVER}/jwt`, ADMIN, { jwt_token: token });
    assert.equal(upload.status, 200, upload.text);
    assert.equal(JSON.parse(upload.text).status, 'success');

    const shown = await api(serve, 'GET', `/admin/mcp/${SERVER}/jwt`, ADMIN);
    assert.equal(shown.status, 200, shown.text);
    const status = JSON.parse(shown.text);
    assert.equal(status.has_jwt, true);
    assert.equal(status.source, 'server');
    assert.equal(status.issuer, peer.issuer);
    assert.equal(status.exp, decodeJwtPart(token, 1).exp);
    assert.ok(!(upload.text + shown.text).includes(token.split('.')[2]), 'no token in the answers');
  });

  test("a user's MCP client calls the server through the gateway with it", async () => {
    const transport = new StreamableHTTPClientTransport(new URL(`${serve.baseUrl}/mcp/${SERVER}`), {
      requestInit: { headers: { 'X-User-Email': USER } },
    });
    const client = new Client({ name: 'mcpauth-abi-e2e', version: '1.0.0' });
    await client.connect(transport);
    try {
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      assert.deepEqual(JSON.parse(result.content[0].text), {
        sub: SERVICE_CLIENT.id, // oidc-provider names the client as the subject of a client_credentials token
        client_id: SERVICE_CLIENT.id,
        scope: 'mcp:tools',
      });
    } finally {
      await transport.terminateSession().catch(() => {});
      await client.close();
    }
    const mcpCalls = peer.filter((r) => r.path === '/mcp');
    assert.ok(mcpCalls.length > 0);
    for (const call of mcpCalls) assert.equal(call.authorization, `Bearer ${token}`);
  });

  test('an expired JWT is refused with the reason, and the stored one stays', async () => {
    const expired = [
      base64url({ alg: 'RS256', typ: 'at+jwt' }),
      base64url({ iss: peer.issuer, exp: Math.floor(Date.now() / 1000) - 60 }),
      'c2lnbmF0dXJl',
    ].join('.');
    const upload = await api(serve, 'POST', `/admin/mcp/${SERVER}/jwt`, ADMIN, { jwt_token: expired });
    assert.equal(upload.status, 400, upload.text);
    assert.match(JSON.parse(upload.text).detail, /expired at \d{4}-\d\d-\d\dT/);
    assert.ok(!upload.text.includes(expired), 'the refused token is not quoted');

    const status = JSON.parse((await api(serve, 'GET', `/admin/mcp/${SERVER}/jwt`, ADMIN)).text);
    assert.equal(status.exp, decodeJwtPart(token, 1).exp);
  });

  test('once deleted, the gateway answers 401 auth_required instead of calling the server', async () => {
    const removed = await api(serve, 'DELETE', `/admin/mcp/${SERVER}/jwt`, ADMIN);
    assert.equal(removed.status, 200, removed.text);
    peer.clear();

    const answer = await fetch(`${serve.baseUrl}/mcp/${SERVER}`, {
      method: 'POST',
      headers: { 'X-User-Email': USER, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mcpauth-abi-e2e', version: '1' } },
      }),
    });
    assert.equal(answer.status, 401);
    const { error } = await answer.json();
    assert.equal(error.data.auth_required, true);
    assert.equal(error.data.server_name, SERVER);
    assert.equal(peer.count((r) => r.path === '/mcp'), 0, 'nothing was sent to the MCP server');
  });
});

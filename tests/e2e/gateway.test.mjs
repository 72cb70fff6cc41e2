// The MCP gateway of `mcpauth serve` (POST/GET/DELETE /mcp/{server}) in front of the official
// TypeScript SDK's MCP servers (tests/peers/ts_sdk_peer.mjs), driven by the SDK's own Streamable
// HTTP client. Users sign in through serve's OAuth routes as a browser would (the peer's
// authorization server approves at once); the client only names the user, as the reverse proxy in
// front of serve does with the identity header.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { startTsSdkPeer } from '../peers/ts_sdk_peer.mjs';
import { createMcpEndpoint } from '../peers/ts_sdk/mcp_server.mjs';
import { peerRequire, signInThroughServe, startServe, tokenRequests } from './support.mjs';

const { Client } = peerRequire('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = peerRequire('@modelcontextprotocol/sdk/client/streamableHttp.js');
const { LoggingMessageNotificationSchema } = peerRequire('@modelcontextprotocol/sdk/types.js');
const express = peerRequire('express');

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const NOBODY = 'nobody@example.com'; // never signs in
const STEP_UP_SCOPE = 'mcp:admin';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const oauth21 = (peer, config = {}) => ({ url: peer.mcpUrl, auth: { plugin: 'oauth21', config } });
const text = (result) => result.content[0].text;

// An SDK client of `server` through the gateway, as `user`. headers: more request headers.
async function connect(serve, server, user, headers = {}) {
  const transport = new StreamableHTTPClientTransport(new URL(`${serve.baseUrl}/mcp/${server}`), {
    requestInit: { headers: { 'X-User-Email': user, ...headers } },
  });
  const client = new Client({ name: 'mcpauth-gateway-e2e', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

// Ends the session upstream (which also ends its server-initiated stream through the gateway).
async function disconnect({ client, transport }) {
  await transport.terminateSession().catch(() => {});
  await client.close();
}

const whoami = async (client) => JSON.parse(text(await client.callTool({ name: 'whoami', arguments: {} })));

// A JSON-RPC request straight to the gateway, for what the SDK client does not show.
function gatewayPost(serve, server, user, message, headers = {}) {
  return fetch(`${serve.baseUrl}/mcp/${server}`, {
    method: 'POST',
    headers: {
      'X-User-Email': user,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(message),
  });
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mcpauth-gateway-e2e', version: '1' } },
};

// The MCP requests the peer received (not its authorization server's).
const mcpRequests = (peer) => peer.filter((r) => r.path === '/mcp');

// The MCP server of `peer` restarted at the same address: its sessions are gone, while the grants of
// its authorization server are kept (as one that stores them would), so the tokens issued before
// still work. Serves the MCP endpoint only.
async function restartMcpServer(peer) {
  const app = express();
  const mcp = createMcpEndpoint({ path: '/mcp', verifier: peer.provider, resourceMetadataUrl: peer.resourceMetadataUrl });
  app.use(mcp.router);
  const server = http.createServer(app);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(new URL(peer.mcpUrl).port), '127.0.0.1', resolve);
  });
  return {
    async close() {
      await mcp.close();
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
    },
  };
}

describe('the gateway of mcpauth serve in front of the TS SDK MCP servers', () => {
  const peers = {};
  let serve;
  let restarted;

  before(async () => {
    peers.stateful = await startTsSdkPeer();
    peers.json = await startTsSdkPeer({ jsonResponse: true });
    peers.stateless = await startTsSdkPeer({ stateless: true });
    peers.stepup = await startTsSdkPeer({ requiredScope: STEP_UP_SCOPE });
    peers.expiring = await startTsSdkPeer({ tokenTtlSeconds: 3 });
    peers.restart = await startTsSdkPeer();
    peers.resumable = await startTsSdkPeer({ resumable: true });
    serve = await startServe({
      stateful: oauth21(peers.stateful),
      json: oauth21(peers.json),
      stateless: oauth21(peers.stateless),
      stepup: oauth21(peers.stepup),
      // Refreshed only once expired, so the test knows when a refresh is due.
      expiring: oauth21(peers.expiring, { refresh_margin_s: 0 }),
      restart: oauth21(peers.restart),
      resumable: oauth21(peers.resumable),
    });
    for (const server of ['stateful', 'json', 'stateless', 'stepup', 'restart', 'resumable'])
      await signInThroughServe(serve, server, ALICE);
    await signInThroughServe(serve, 'stateful', BOB);
  });

  after(async () => {
    // The peers first: their end ends the streams the gateway still forwards.
    await restarted?.close();
    for (const peer of Object.values(peers)) await peer.close();
    if (serve) assert.equal(await serve.stop(), 0, `mcpauth serve stops cleanly:\n${serve.output()}`);
  });

  for (const mode of ['stateful', 'json', 'stateless']) {
    test(`lists the tools and calls them (${mode} server)`, async () => {
      const connection = await connect(serve, mode, ALICE);
      try {
        const { tools } = await connection.client.listTools();
        assert.deepEqual(tools.map((t) => t.name).sort(), ['count', 'echo', 'hang_up', 'whoami']);
        const echoed = await connection.client.callTool({ name: 'echo', arguments: { text: 'through the gateway' } });
        assert.equal(text(echoed), 'through the gateway');
      } finally {
        await disconnect(connection);
      }
    });
  }

  for (const mode of ['stateful', 'stateless']) {
    test(`passes notifications on as they come, before the result (${mode} server)`, async () => {
      const connection = await connect(serve, mode, ALICE);
      try {
        const arrivals = [];
        connection.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) =>
          arrivals.push({ data: n.params.data, at: Date.now() }));
        const result = await connection.client.callTool({ name: 'count', arguments: { n: 4, delayMs: 250 } });
        const done = Date.now();
        assert.equal(text(result), '4');
        assert.deepEqual(arrivals.map((a) => a.data), ['tick 1', 'tick 2', 'tick 3', 'tick 4']);
        // Sent 250 ms apart: a gateway that held the answer back would deliver them all at the end.
        assert.ok(done - arrivals[0].at >= 500, `the first notification came ${done - arrivals[0].at} ms before the result`);
      } finally {
        await disconnect(connection);
      }
    });
  }

  // MCP 2025-11-25: a server may close a call's stream once it has sent an event id; the client
  // resumes it with GET and Last-Event-ID, which the gateway passes on.
  test('an answer the MCP server ends before its response is resumed by the client through the gateway', async () => {
    const connection = await connect(serve, 'resumable', ALICE);
    try {
      const logs = [];
      connection.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => logs.push(n.params.data));
      const result = await connection.client.callTool({ name: 'poll_me', arguments: {} });
      assert.equal(text(result), 'polled');
      assert.deepEqual(logs, ['before the break', 'after the break']);
      const resumes = mcpRequests(peers.resumable).filter((r) => r.headers['last-event-id']);
      assert.equal(resumes.length, 1);
      assert.equal(resumes[0].method, 'GET');
      assert.equal(resumes[0].status, 200);
    } finally {
      await disconnect(connection);
    }
  });

  test('the session is the MCP server\'s, and DELETE ends it there', async () => {
    const peer = peers.stateful;
    const connection = await connect(serve, 'stateful', ALICE);
    const { sessionId } = connection.transport;
    assert.match(sessionId, /^[0-9a-f-]{36}$/);
    await connection.client.callTool({ name: 'echo', arguments: { text: 'x' } });
    // The peer issued it (randomUUID) and sees it on the requests that follow initialize.
    assert.ok(mcpRequests(peer).filter((r) => r.headers['mcp-session-id'] === sessionId).length >= 2);

    await connection.transport.terminateSession();
    const deleted = mcpRequests(peer).filter((r) => r.method === 'DELETE' && r.headers['mcp-session-id'] === sessionId);
    assert.equal(deleted.length, 1);
    assert.equal(deleted[0].status, 200);
    const gone = await gatewayPost(serve, 'stateful', ALICE, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, {
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-06-18',
    });
    assert.equal(gone.status, 404, 'the peer no longer knows the session');
    await connection.client.close();
  });

  test('a user who has not signed in gets 401 and the address to sign in at', async () => {
    const response = await gatewayPost(serve, 'stateful', NOBODY, initialize, { authorization: 'Bearer x' });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), null);
    assert.deepEqual(await response.json(), {
      jsonrpc: '2.0',
      id: 1,
      error: {
        code: -32001,
        message: "Authorization required for MCP server 'stateful'",
        data: {
          auth_required: true,
          server_name: 'stateful',
          oauth_start_url: `${serve.baseUrl}/api/mcp/auth/stateful/oauth/start`,
        },
      },
    });
    await assert.rejects(connect(serve, 'stateful', NOBODY), (error) => {
      assert.equal(error.code, 401);
      assert.match(error.message, /Authorization required for MCP server 'stateful'/);
      return true;
    });
  });

  test('the caller\'s Authorization header stays behind: the server sees the user\'s own token', async () => {
    const peer = peers.stateful;
    const plain = await connect(serve, 'stateful', ALICE);
    const withHeader = await connect(serve, 'stateful', ALICE, { Authorization: 'Bearer caller-token' });
    const bob = await connect(serve, 'stateful', BOB);
    try {
      const own = await whoami(plain.client);
      const seen = await whoami(withHeader.client);
      assert.equal(seen.grantId, own.grantId);
      assert.notEqual((await whoami(bob.client)).grantId, own.grantId);
      assert.equal(mcpRequests(peer).filter((r) => r.authorization === 'Bearer caller-token').length, 0);
      // The token on the last request of Alice's second client is one of her grant's.
      const last = mcpRequests(peer).filter((r) => r.headers['mcp-session-id'] === withHeader.transport.sessionId).at(-1);
      const info = await peer.provider.verifyAccessToken(last.authorization.replace(/^Bearer /, ''));
      assert.equal(info.extra.grantId, own.grantId);
    } finally {
      await Promise.all([plain, withHeader, bob].map(disconnect));
    }
  });

  test('a token that expires mid-session is refreshed once, and the session goes on', async () => {
    const peer = peers.expiring;
    await signInThroughServe(serve, 'expiring', ALICE);
    const connection = await connect(serve, 'expiring', ALICE);
    try {
      const { sessionId } = connection.transport;
      assert.equal(text(await connection.client.callTool({ name: 'echo', arguments: { text: 'before' } })), 'before');
      const refreshes = tokenRequests(peer, 'refresh_token').length;
      await sleep(3_500); // past the 3 s lifetime
      assert.equal(text(await connection.client.callTool({ name: 'echo', arguments: { text: 'after' } })), 'after');
      assert.equal(tokenRequests(peer, 'refresh_token').length, refreshes + 1);
      assert.equal(connection.transport.sessionId, sessionId);
    } finally {
      await disconnect(connection);
    }
  });

  test('a server that hangs up mid-answer: the client gets an error, the gateway serves on', async () => {
    const connection = await connect(serve, 'stateful', ALICE);
    try {
      await assert.rejects(
        connection.client.callTool({ name: 'hang_up', arguments: {} }, undefined, { timeout: 20_000 }),
        /MCP server 'stateful' closed the stream before answering/,
      );
      assert.equal(text(await connection.client.callTool({ name: 'echo', arguments: { text: 'still here' } })), 'still here');
      assert.equal((await fetch(`${serve.baseUrl}/healthz`)).status, 200);
    } finally {
      await disconnect(connection);
    }
  });

  test('insufficient scope: 401 and the address to sign in at, then the step-up sign-in works', async () => {
    const peer = peers.stepup;
    const connection = await connect(serve, 'stepup', ALICE);
    try {
      assert.equal(text(await connection.client.callTool({ name: 'echo', arguments: { text: 'ok' } })), 'ok');
      await assert.rejects(whoami(connection.client), (error) => {
        assert.equal(error.code, 401);
        assert.ok(error.message.includes(`${serve.baseUrl}/api/mcp/auth/stepup/oauth/start`), error.message);
        return true;
      });
      await signInThroughServe(serve, 'stepup', ALICE);
      const authorize = peer.filter((r) => r.path === '/authorize').at(-1);
      assert.ok(authorize.query.scope.split(' ').includes(STEP_UP_SCOPE), `asked for ${authorize.query.scope}`);
      assert.ok((await whoami(connection.client)).scopes.includes(STEP_UP_SCOPE));
    } finally {
      await disconnect(connection);
    }
  });

  test('a server that restarts: 502 while it is down, its sessions gone after, the sign-in kept', async () => {
    const peer = peers.restart;
    const old = await connect(serve, 'restart', ALICE);
    assert.equal(text(await old.client.callTool({ name: 'echo', arguments: { text: 'up' } })), 'up');
    const tokenCalls = peer.count('/token');
    await peer.close();

    await assert.rejects(old.client.callTool({ name: 'echo', arguments: { text: 'down' } }), (error) => {
      assert.equal(error.code, 502);
      assert.match(error.message, /MCP server 'restart' could not be reached/);
      assert.doesNotMatch(error.message, /127\.0\.0\.1/);
      return true;
    });

    restarted = await restartMcpServer(peer);
    await assert.rejects(old.client.callTool({ name: 'echo', arguments: { text: 'old session' } }), (error) => {
      assert.equal(error.code, 404, 'the restarted server does not know the old session');
      return true;
    });
    await old.client.close();
    const fresh = await connect(serve, 'restart', ALICE);
    try {
      assert.equal(text(await fresh.client.callTool({ name: 'echo', arguments: { text: 'back' } })), 'back');
      assert.equal(peer.count('/token'), tokenCalls, 'no new sign-in or refresh was needed');
    } finally {
      await disconnect(fresh);
    }
  });
});

describe('200 concurrent calls from 20 users whose tokens have all expired', () => {
  const USERS = Array.from({ length: 20 }, (_, i) => `user${i}@example.com`);
  const CALLS_PER_USER = 10;
  const TTL_SECONDS = 3;
  let peer;
  let serve;
  const connections = [];

  before(async () => {
    peer = await startTsSdkPeer({ tokenTtlSeconds: TTL_SECONDS });
    serve = await startServe({
      // 20 server-initiated streams and 200 calls make 220 connections at once. The default (64
      // threads, 64 more connections queued) closes the rest; 128 + 128 carries them all, with about
      // 90 waiting in the queue for a thread: those must succeed too.
      mcpauth: { limits: { max_connections: 128 } },
      crowd: oauth21(peer, { refresh_margin_s: 0 }),
    });
  });

  after(async () => {
    await Promise.all(connections.map(disconnect));
    await peer?.close();
    if (serve) assert.equal(await serve.stop(), 0, `mcpauth serve stops cleanly:\n${serve.output()}`);
  });

  test('no call fails, each user\'s token is refreshed exactly once, and every user sees their own grant', async () => {
    const grantOf = new Map();
    for (const user of USERS) {
      await signInThroughServe(serve, 'crowd', user);
      const connection = await connect(serve, 'crowd', user);
      connections.push(connection);
      grantOf.set(user, (await whoami(connection.client)).grantId);
    }
    assert.equal(new Set(grantOf.values()).size, USERS.length, 'one grant per user');

    // Every token held now expires: the last one issued was issued before this point.
    const lastIssued = Math.max(...tokenRequests(peer, 'authorization_code').concat(tokenRequests(peer, 'refresh_token')).map((r) => r.time));
    await sleep(Math.max(0, lastIssued + TTL_SECONDS * 1000 + 500 - Date.now()));
    // Refreshed tokens live long, so each user needs one refresh, not one per expiry.
    peer.provider.options.tokenTtlSeconds = 3600;
    const start = Date.now();

    const calls = connections.flatMap((connection, i) =>
      Array.from({ length: CALLS_PER_USER }, () => whoami(connection.client).then((seen) => ({ user: USERS[i], seen }))));
    const outcomes = await Promise.allSettled(calls);
    const failed = outcomes.filter((o) => o.status === 'rejected');
    assert.equal(failed.length, 0, `failed calls: ${failed.slice(0, 3).map((o) => o.reason?.message).join('; ')}`);
    for (const { value } of outcomes) assert.equal(value.seen.grantId, grantOf.get(value.user), `${value.user} sees their own grant`);

    const refreshes = tokenRequests(peer, 'refresh_token').filter((r) => r.time >= start);
    assert.equal(refreshes.length, USERS.length, 'one refresh per user');
    assert.equal(new Set(refreshes.map((r) => r.form.refresh_token)).size, USERS.length, 'each grant\'s refresh token once');
    assert.ok(refreshes.every((r) => r.status === 200));
  });
});

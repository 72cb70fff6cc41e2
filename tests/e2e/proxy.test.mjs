// `mcpauth proxy`: the TS SDK's own stdio client talks to an OAuth-protected TS SDK server through
// mcpauth, as a desktop MCP client would (tests/peers/ts_sdk_peer.mjs, signed in with `mcpauth login`).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import { startTsSdkPeer } from '../peers/ts_sdk_peer.mjs';
import {
  mcpauthBinary,
  peerRequire,
  pluginDir,
  sanitizerEnv,
  startSignedIn,
  stopPeerAndWorkspace,
  tokenRequests,
} from './support.mjs';

const { Client } = peerRequire('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = peerRequire('@modelcontextprotocol/sdk/client/stdio.js');
const { LoggingMessageNotificationSchema } = peerRequire('@modelcontextprotocol/sdk/types.js');

// A TS SDK client connected through `mcpauth proxy srv`; stderr is kept for failure messages.
async function connectThroughProxy(workspace) {
  const transport = new StdioClientTransport({
    command: mcpauthBinary(),
    args: ['--config', workspace.configFile, '--plugin-dir', pluginDir(), 'proxy', workspace.serverName],
    env: { PATH: process.env.PATH, HOME: workspace.dir, BROWSER: '/bin/false', ...sanitizerEnv() },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr.on('data', (chunk) => (stderr += chunk));
  const client = new Client({ name: 'mcpauth-e2e-proxy', version: '1.0.0' });
  const logs = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => logs.push(n.params.data));
  await client.connect(transport);
  return { client, logs, stderr: () => stderr, close: () => client.close() };
}

const textOf = (result) => result.content.map((c) => c.text).join('');

const modes = [
  { name: 'stateful, SSE answers', options: {} },
  // A server answering with JSON has no stream to put a call's notifications on: the SDK drops them.
  { name: 'stateful, JSON answers', options: { jsonResponse: true }, noCallNotifications: true },
  { name: 'stateless', options: { stateless: true } },
  { name: 'legacy HTTP+SSE transport', options: { legacySse: true }, legacy: true },
];

for (const mode of modes) {
  describe(`proxy, ${mode.name}`, () => {
    let started;
    let proxy;
    before(async () => {
      started = await startSignedIn(startTsSdkPeer(mode.options));
      if (mode.legacy) {
        // Signed in for the server; now reach it over its old transport.
        const config = JSON.parse(await readFile(started.workspace.configFile, 'utf8'));
        Object.assign(config.srv, { url: started.peer.sseUrl, transport: 'sse' });
        await writeFile(started.workspace.configFile, JSON.stringify(config, null, 2));
      }
      proxy = await connectThroughProxy(started.workspace);
    });
    after(async () => {
      await proxy?.close();
      await stopPeerAndWorkspace(started ?? {});
    });

    test('lists the tools and calls one', async () => {
      const { tools } = await proxy.client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['count', 'echo', 'hang_up', 'whoami']);
      const result = await proxy.client.callTool({ name: 'echo', arguments: { text: 'through the proxy' } });
      assert.equal(textOf(result), 'through the proxy', proxy.stderr());
    });

    test("the server's notifications arrive before the result", async () => {
      proxy.logs.length = 0;
      const result = await proxy.client.callTool({ name: 'count', arguments: { n: 3, delayMs: 30 } });
      assert.equal(textOf(result), '3');
      assert.deepEqual(proxy.logs, mode.noCallNotifications ? [] : ['tick 1', 'tick 2', 'tick 3']);
    });

    test('calls in parallel each get their own answer', async () => {
      const texts = Array.from({ length: 10 }, (_, i) => `call ${i}`);
      const results = await Promise.all(
        texts.map((text) => proxy.client.callTool({ name: 'echo', arguments: { text } })),
      );
      assert.deepEqual(results.map(textOf), texts);
    });
  });
}

// MCP 2025-11-25: a server may close a call's stream once it has sent an event id; the proxy
// resumes it with GET and Last-Event-ID, and the client notices nothing.
describe('proxy, a call whose stream the server ends before its response', () => {
  let started;
  let proxy;
  before(async () => {
    started = await startSignedIn(startTsSdkPeer({ resumable: true }));
    proxy = await connectThroughProxy(started.workspace);
  });
  after(async () => {
    await proxy?.close();
    await stopPeerAndWorkspace(started ?? {});
  });

  test('is answered, with the notifications from both sides of the break', async () => {
    const result = await proxy.client.callTool({ name: 'poll_me', arguments: {} });
    assert.equal(textOf(result), 'polled', proxy.stderr());
    assert.deepEqual(proxy.logs, ['before the break', 'after the break']);
    const resumes = started.peer.requests.filter((r) => r.method === 'GET' && r.headers['last-event-id']);
    assert.equal(resumes.length, 1);
  });
});

describe('proxy keeps the session going', () => {
  let started;
  before(async () => {
    started = await startSignedIn(startTsSdkPeer({ tokenTtlSeconds: 2 }));
  });
  after(() => stopPeerAndWorkspace(started ?? {}));

  test('a session the server forgot is opened again without the client noticing', async () => {
    const proxy = await connectThroughProxy(started.workspace);
    try {
      assert.equal(textOf(await proxy.client.callTool({ name: 'echo', arguments: { text: 'one' } })), 'one');
      await started.peer.forgetSessions();
      assert.equal(started.peer.sessionCount(), 0);
      const again = await proxy.client.callTool({ name: 'echo', arguments: { text: 'two' } });
      assert.equal(textOf(again), 'two', proxy.stderr());
      assert.equal(started.peer.sessionCount(), 1);
    } finally {
      await proxy.close();
    }
  });

  test('an access token that expires mid-session is refreshed once and the call goes through', async () => {
    const proxy = await connectThroughProxy(started.workspace);
    try {
      const refreshesBefore = tokenRequests(started.peer, 'refresh_token').length;
      await new Promise((resolve) => setTimeout(resolve, 2500)); // past the 2 s lifetime
      const results = await Promise.all(
        [1, 2, 3].map((i) => proxy.client.callTool({ name: 'echo', arguments: { text: `late ${i}` } })),
      );
      assert.deepEqual(results.map(textOf), ['late 1', 'late 2', 'late 3'], proxy.stderr());
      assert.equal(tokenRequests(started.peer, 'refresh_token').length, refreshesBefore + 1);
    } finally {
      await proxy.close();
    }
  });

  test('closing the client ends the session at the server', async () => {
    const proxy = await connectThroughProxy(started.workspace);
    await proxy.client.callTool({ name: 'echo', arguments: { text: 'x' } });
    const sessions = started.peer.sessionCount();
    await proxy.close();
    assert.equal(started.peer.sessionCount(), sessions - 1);
  });

  // The SDK's close() ends stdin, and sends SIGTERM 2 s later to a proxy still waiting for a call.
  test('a client that closes mid-call still ends the session at the server', async () => {
    const proxy = await connectThroughProxy(started.workspace);
    await proxy.client.callTool({ name: 'echo', arguments: { text: 'x' } });
    const sessions = started.peer.sessionCount();
    const slowCall = proxy.client.callTool({ name: 'count', arguments: { n: 1, delayMs: 10000 } }).catch(() => 'ended');
    await new Promise((resolve) => setTimeout(resolve, 300)); // the call has reached the server
    await proxy.close();
    assert.equal(started.peer.sessionCount(), sessions - 1, proxy.stderr());
    assert.match(proxy.stderr(), /stopping \(SIGTERM\)/);
    assert.equal(await slowCall, 'ended');
  });

  test('a server that hangs up fails that call only', async () => {
    const proxy = await connectThroughProxy(started.workspace);
    try {
      await assert.rejects(proxy.client.callTool({ name: 'hang_up', arguments: {} }), /closed before the answer/);
      assert.equal(textOf(await proxy.client.callTool({ name: 'echo', arguments: { text: 'after' } })), 'after');
    } finally {
      await proxy.close();
    }
  });
});

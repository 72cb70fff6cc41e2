// `mcpauth call` and `mcpauth tools` (the MCP client core: Streamable HTTP, legacy HTTP+SSE, the
// JSON-RPC session) against the official TypeScript SDK's MCP server (tests/peers/ts_sdk_peer.mjs)
// in each of its answer styles, with the credentials of the oauth21 plugin: refresh and step-up in
// the middle of a session, sign-in on demand, and the failures a user can meet. What the CLI cannot
// provoke (a session the server forgets, a GET stream next to requests) runs through
// mcp_session_probe (tests/mcp/session_probe.cpp).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startTsSdkPeer } from '../peers/ts_sdk_peer.mjs';
import {
  browserStandin,
  expectExit,
  makeWorkspace,
  mcpauthBinary,
  pluginDir,
  runProgram,
  sanitizerEnv,
  startSignedIn,
  statusOf,
  stopPeerAndWorkspace,
  tokenRequests,
  withPeerAndWorkspace,
} from './support.mjs';

const PROTOCOL_VERSION = '2025-11-25';
const TOOL_NAMES = ['count', 'echo', 'hang_up', 'whoami'];

const toolCall = (name, args = {}) => JSON.stringify({ name, arguments: args });
const textOf = (result) => result.content[0].text;
const mcpPosts = (peer) => peer.requests.filter((r) => r.method === 'POST' && r.path === '/mcp');

// `mcpauth ...args` that must exit 0 with JSON on stdout; the parsed JSON.
async function runJson(workspace, args, what = args.join(' ')) {
  const result = await workspace.run(args);
  expectExit(result, 0, what);
  return JSON.parse(result.stdout);
}

// The peer's legacy transport for `srv`. The oauth21 plugin signs in against the peer's /mcp (whose
// protected resource metadata names /mcp, not /sse: the plugin rightly refuses to authorize /sse
// with it), so the workspace signs in first and is then pointed at /sse; the peer accepts the same
// tokens there.
async function useLegacySse(workspace, peer) {
  const config = JSON.parse(await readFile(workspace.configFile, 'utf8'));
  config[workspace.serverName] = { ...config[workspace.serverName], url: peer.sseUrl, transport: 'sse' };
  await writeFile(workspace.configFile, JSON.stringify(config, null, 2));
}

// Runs mcpauth and notes when each stderr line arrives; onLine(text, child) may act on a line.
function runTimed(workspace, args, { env = {}, onLine = () => {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(mcpauthBinary(), ['--config', workspace.configFile, '--plugin-dir', pluginDir(), ...args], {
      env: { PATH: process.env.PATH, HOME: workspace.dir, BROWSER: browserStandin, ...sanitizerEnv(), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let pending = '';
    const lines = [];
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      pending += chunk;
      let end;
      while ((end = pending.indexOf('\n')) >= 0) {
        const text = pending.slice(0, end);
        pending = pending.slice(end + 1);
        lines.push({ text, time: Date.now() });
        onLine(text, child);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal ? `signal ${signal}` : code, stdout, lines, stderr: lines.map((l) => l.text).join('\n') });
    });
  });
}

const modes = [
  { name: 'stateful, SSE answers', options: {}, sessions: true },
  { name: 'stateful, JSON answers', options: { jsonResponse: true }, sessions: true, json: true },
  { name: 'stateless', options: { stateless: true } },
  { name: 'legacy HTTP+SSE (transport "sse")', options: { legacySse: true }, legacy: true },
];

for (const mode of modes) {
  describe(`call and tools, ${mode.name}`, () => {
    let peer;
    let workspace;
    before(async () => {
      ({ peer, workspace } = await startSignedIn(startTsSdkPeer(mode.options)));
      if (mode.legacy) await useLegacySse(workspace, peer);
    });
    after(() => stopPeerAndWorkspace({ peer, workspace }));

    test('call srv tools/list prints the result as JSON, indented by 2', async () => {
      const result = await workspace.run(['call', 'srv', 'tools/list']);
      expectExit(result, 0, 'call tools/list');
      assert.match(result.stdout, /^\{\n {2}"tools": \[/);
      assert.deepEqual(JSON.parse(result.stdout).tools.map((t) => t.name).sort(), TOOL_NAMES);
    });

    test('call srv tools/call echo', async () => {
      const result = await runJson(workspace, ['call', 'srv', 'tools/call', toolCall('echo', { text: 'hi' })]);
      assert.equal(textOf(result), 'hi');
      assert.equal(result.isError, undefined);
    });

    test('tools srv: a table of names and descriptions, aligned', async () => {
      const result = await workspace.run(['tools', 'srv']);
      expectExit(result, 0, 'tools');
      const lines = result.stdout.trimEnd().split('\n');
      assert.match(lines[0], /^NAME +DESCRIPTION$/);
      assert.equal(lines.length, 1 + TOOL_NAMES.length);
      const column = lines[0].indexOf('DESCRIPTION');
      for (const line of lines.slice(1)) {
        assert.equal(line.slice(column - 2, column), '  ', line);
        assert.notEqual(line[column], ' ', line);
      }
      assert.ok(lines.some((line) => /^echo +Returns its input$/.test(line)), result.stdout);
      const listed = await runJson(workspace, ['--json', 'tools', 'srv']);
      assert.deepEqual(listed.map((t) => t.name).sort(), TOOL_NAMES);
    });

    test('count: the notifications reach stderr as they arrive, then the result', async () => {
      const run = await runTimed(workspace, ['call', 'srv', 'tools/call', toolCall('count', { n: 3, delayMs: 300 })]);
      expectExit(run, 0, 'call count');
      assert.equal(textOf(JSON.parse(run.stdout)), '3');
      const ticks = run.lines.filter((l) => l.text.startsWith('[info] tick'));
      if (mode.json) {
        // The SDK's JSON answers carry only the response: it drops the call's notifications.
        assert.equal(ticks.length, 0, run.stderr);
        return;
      }
      assert.deepEqual(ticks.map((l) => l.text), ['[info] tick 1', '[info] tick 2', '[info] tick 3']);
      // Printed one by one, 300 ms apart, not all at once when the answer is complete.
      assert.ok(ticks[2].time - ticks[0].time >= 400, `ticks ${ticks.map((t) => t.time - ticks[0].time)}`);
    });

    test('what goes over the wire: session id, protocol version, Accept, DELETE at the end', async () => {
      peer.clearRequests();
      expectExit(await workspace.run(['call', 'srv', 'tools/list']), 0, 'call');
      if (mode.legacy) {
        const stream = peer.requests.filter((r) => r.method === 'GET' && r.path === '/sse');
        assert.equal(stream.length, 1);
        assert.equal(stream[0].headers.accept, 'text/event-stream');
        const posts = peer.requests.filter((r) => r.method === 'POST' && r.path === '/sse/messages');
        assert.deepEqual(posts.map((r) => r.json.method), ['initialize', 'notifications/initialized', 'tools/list']);
        assert.ok(posts.every((r) => r.query.sessionId && r.status === 202));
        return;
      }
      const posts = mcpPosts(peer);
      assert.deepEqual(posts.map((r) => r.json.method), ['initialize', 'notifications/initialized', 'tools/list']);
      for (const post of posts) {
        assert.equal(post.headers.accept, 'application/json, text/event-stream');
        assert.equal(post.headers['content-type'], 'application/json');
      }
      const [initialize, ...later] = posts;
      assert.equal(initialize.json.params.protocolVersion, PROTOCOL_VERSION);
      assert.equal(initialize.json.params.clientInfo.name, 'mcpauth');
      assert.equal(initialize.headers['mcp-session-id'], undefined);
      for (const post of later) assert.equal(post.headers['mcp-protocol-version'], PROTOCOL_VERSION);
      assert.equal(later[0].status, 202, 'notifications/initialized is accepted with 202');
      const deletes = peer.requests.filter((r) => r.method === 'DELETE');
      if (mode.sessions) {
        const sessionId = later[0].headers['mcp-session-id'];
        assert.ok(sessionId);
        assert.ok(later.every((r) => r.headers['mcp-session-id'] === sessionId));
        assert.equal(deletes.length, 1);
        assert.equal(deletes[0].headers['mcp-session-id'], sessionId);
        assert.equal(deletes[0].status, 200);
      } else {
        assert.ok(later.every((r) => r.headers['mcp-session-id'] === undefined));
        assert.equal(deletes.length, 0, 'no session, nothing to end');
      }
    });
  });
}

// MCP 2025-11-25 lets a server close a call's stream once it has sent an event id; the client then
// resumes it with GET and Last-Event-ID, after the server's retry wait (the peer asks for 200 ms).
describe('an answer the server ends before its response, resumed', () => {
  let peer;
  let workspace;
  before(async () => {
    ({ peer, workspace } = await startSignedIn(startTsSdkPeer({ resumable: true })));
  });
  after(() => stopPeerAndWorkspace({ peer, workspace }));

  test('call: one GET with Last-Event-ID brings the rest of the stream and the result', async () => {
    peer.clearRequests();
    const result = await workspace.run(['call', 'srv', 'tools/call', toolCall('poll_me')]);
    expectExit(result, 0, 'call poll_me');
    assert.equal(textOf(JSON.parse(result.stdout)), 'polled');
    assert.match(result.stderr, /\[info\] before the break\n(.*\n)*\[info\] after the break/);
    const post = mcpPosts(peer).find((r) => r.json.method === 'tools/call');
    const resumes = peer.requests.filter((r) => r.method === 'GET' && r.headers['last-event-id']);
    assert.equal(resumes.length, 1, JSON.stringify(peer.requests.map((r) => [r.method, r.status])));
    assert.equal(resumes[0].headers['mcp-session-id'], post.headers['mcp-session-id']);
    assert.equal(resumes[0].headers.accept, 'text/event-stream');
    assert.equal(resumes[0].status, 200);
  });
});

describe('failures a user can meet', () => {
  let peer;
  let workspace;
  before(async () => {
    ({ peer, workspace } = await startSignedIn(startTsSdkPeer()));
  });
  after(() => stopPeerAndWorkspace({ peer, workspace }));

  test('an upstream that hangs up mid-answer: a clear error, exit 1, no crash', async () => {
    const result = await workspace.run(['call', 'srv', 'tools/call', toolCall('hang_up')]);
    expectExit(result, 1, 'hang_up');
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /\[info\] about to hang up/);
    assert.match(result.stderr, /mcpauth: .*(closed before the answer was complete|without a response)/);
    // The next call is fine: nothing of the broken connection is reused.
    expectExit(await workspace.run(['call', 'srv', 'tools/list']), 0, 'call after the hang-up');
  });

  test('a JSON-RPC error: its message on stderr, exit 1', async () => {
    const result = await workspace.run(['call', 'srv', 'no/such_method']);
    expectExit(result, 1, 'unknown method');
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /mcpauth: 'srv' answered no\/such_method with error -32601: Method not found/);
  });

  test('a tool that reports an error: the result on stdout, its text on stderr, exit 1', async () => {
    const result = await workspace.run(['call', 'srv', 'tools/call', toolCall('nope')]);
    expectExit(result, 1, 'unknown tool');
    assert.equal(JSON.parse(result.stdout).isError, true);
    assert.match(result.stderr, /the tool reported an error: .*Tool nope not found/);
  });

  test('bad PARAMS_JSON and missing arguments are usage errors', async () => {
    const bad = await workspace.run(['call', 'srv', 'tools/call', '{"name":']);
    expectExit(bad, 2, 'bad params');
    assert.match(bad.stderr, /PARAMS_JSON must be a JSON object/);
    expectExit(await workspace.run(['call', 'srv', 'tools/list', '[1]']), 2, 'array params');
    expectExit(await workspace.run(['call', 'srv']), 2, 'no method');
    expectExit(await workspace.run(['tools', 'srv', 'extra']), 2, 'tools with an argument');
    expectExit(await workspace.run(['call', 'nosuch', 'tools/list']), 1, 'unknown server');
  });

  test('an HTTP error names the server and the status, never the token', async () => {
    const token = (await workspace.run(['token', 'srv'])).stdout.trim();
    // The Streamable HTTP endpoint taken for a legacy event stream: the GET has no session.
    const config = JSON.parse(await readFile(workspace.configFile, 'utf8'));
    config.srv.transport = 'sse';
    await writeFile(workspace.configFile, JSON.stringify(config));
    try {
      const result = await workspace.run(['call', 'srv', 'tools/list']);
      expectExit(result, 1, 'GET refused');
      const host = new URL(peer.mcpUrl).host;
      assert.match(result.stderr, new RegExp(`MCP server ${host} answered HTTP 400 to GET: Mcp-Session-Id header is required`));
      assert.ok(token.length > 20 && !result.stderr.includes(token), 'no token in the error');
    } finally {
      config.srv.transport = 'http';
      await writeFile(workspace.configFile, JSON.stringify(config));
    }
  });
});

describe('tokens in the middle of a session', () => {
  test('an expiring token is refreshed once before the call, which succeeds', async () => {
    const started = await startSignedIn(startTsSdkPeer({ tokenTtlSeconds: 2, rotateRefreshTokens: true }));
    try {
      const { peer, workspace } = started;
      await new Promise((resolve) => setTimeout(resolve, 1200)); // past half the 2 s lifetime
      const result = await runJson(workspace, ['call', 'srv', 'tools/call', toolCall('echo', { text: 'later' })]);
      assert.equal(textOf(result), 'later');
      assert.equal(tokenRequests(peer, 'refresh_token').length, 1);
      assert.equal(peer.revoked.length, 0);
    } finally {
      await stopPeerAndWorkspace(started);
    }
  });

  test('a token the server no longer takes (401): one refresh, the request is sent again', async () => {
    const started = await startSignedIn(startTsSdkPeer());
    try {
      const { peer, workspace } = started;
      const token = (await workspace.run(['token', 'srv'])).stdout.trim();
      const client = { client_id: tokenRequests(peer, 'authorization_code')[0].form.client_id };
      await peer.provider.revokeToken(client, { token });
      assert.equal(peer.revoked.length, 1);
      peer.clearRequests();
      const result = await runJson(workspace, ['call', 'srv', 'tools/list']);
      assert.equal(result.tools.length, TOOL_NAMES.length);
      assert.equal(tokenRequests(peer, 'refresh_token').length, 1);
      const [refused, ...accepted] = mcpPosts(peer);
      assert.equal(refused.status, 401);
      assert.equal(refused.authorization, `Bearer ${token}`);
      assert.ok(accepted.length >= 3 && accepted.every((r) => r.status < 300 && r.authorization !== refused.authorization));
    } finally {
      await stopPeerAndWorkspace(started);
    }
  });

  test('step-up: 403 insufficient_scope signs in again with the scope, then the call succeeds', async () => {
    const started = await startSignedIn(startTsSdkPeer({ requiredScope: 'mcp:admin' }));
    try {
      const { peer, workspace } = started;
      const result = await runJson(workspace, ['call', 'srv', 'tools/call', toolCall('whoami')]);
      assert.ok(JSON.parse(textOf(result)).scopes.includes('mcp:admin'), textOf(result));
      assert.ok(mcpPosts(peer).some((r) => r.status === 403 && r.json?.params?.name === 'whoami'));
      const authorizations = peer.requests.filter((r) => r.path === '/authorize');
      assert.equal(authorizations.length, 2, 'the login, then the step-up');
      assert.ok(authorizations[1].query.scope.split(' ').includes('mcp:admin'), authorizations[1].query.scope);
      assert.equal(tokenRequests(peer, 'authorization_code').length, 2);
    } finally {
      await stopPeerAndWorkspace(started);
    }
  });
});

describe('the session (mcp_session_probe)', () => {
  let peer;
  let workspace;
  before(async () => {
    ({ peer, workspace } = await startSignedIn(startTsSdkPeer()));
  });
  after(() => stopPeerAndWorkspace({ peer, workspace }));

  const probe = (scenario) =>
    runProgram(
      path.join(process.env.MCPAUTH_BINARY_DIR, 'bin', 'mcp_session_probe'),
      ['--config', workspace.configFile, '--plugin-dir', pluginDir(), '--server', 'srv', '--scenario', scenario],
      { home: workspace.dir },
    );

  test('a session the server has forgotten (404) is initialized again, and the request repeated', async () => {
    peer.clearRequests();
    const result = await probe('expire');
    expectExit(result, 0, 'probe expire');
    assert.deepEqual(JSON.parse(result.stdout), { new_session: true, tools: TOOL_NAMES.length });
    const posts = mcpPosts(peer);
    assert.deepEqual(posts.map((r) => `${r.json.method} ${r.status}`), [
      'initialize 200',
      'notifications/initialized 202',
      'tools/list 200',
      'tools/list 404',
      'initialize 200',
      'notifications/initialized 202',
      'tools/list 200',
    ]);
    assert.equal(posts[3].headers['mcp-session-id'], posts[2].headers['mcp-session-id']);
    assert.equal(posts[4].headers['mcp-session-id'], undefined, 'the new initialize carries no session id');
    assert.notEqual(posts[6].headers['mcp-session-id'], posts[2].headers['mcp-session-id']);
  });

  test('a GET stream read on one thread while another makes requests; close() ends it', async () => {
    peer.clearRequests();
    const result = await probe('listen');
    expectExit(result, 0, 'probe listen');
    const out = JSON.parse(result.stdout);
    assert.equal(out.listened, true);
    assert.equal(out.calls, 3);
    assert.equal(out.notifications, 6, 'the calls\' notifications came on their own answers');
    assert.ok(out.listen_ended_ms < 5000, `listen ended ${out.listen_ended_ms} ms after close`);
    const [stream] = peer.requests.filter((r) => r.method === 'GET' && r.path === '/mcp');
    assert.equal(stream.headers.accept, 'text/event-stream');
    assert.equal(stream.headers['mcp-protocol-version'], PROTOCOL_VERSION);
    const [ended] = peer.requests.filter((r) => r.method === 'DELETE');
    assert.equal(stream.headers['mcp-session-id'], ended.headers['mcp-session-id']);
  });
});

describe('signing in on demand', () => {
  test('call on a server never signed in to: the browser sign-in runs, the URL goes to stderr', async () => {
    await withPeerAndWorkspace(startTsSdkPeer(), {}, async (peer, workspace) => {
      const result = await workspace.run(['call', 'srv', 'tools/list']);
      expectExit(result, 0, 'call');
      assert.equal(JSON.parse(result.stdout).tools.length, TOOL_NAMES.length, 'stdout is the result alone');
      assert.match(result.stderr, /\/authorize\?/);
      assert.match(result.stderr, /Signed in to 'srv'/);
      assert.equal((await statusOf(workspace)).authenticated, true);
      const again = await workspace.run(['tools', 'srv']);
      expectExit(again, 0, 'tools');
      assert.equal(tokenRequests(peer, 'authorization_code').length, 1, 'signed in once');
    });
  });

  test('--no-browser: the URL on stderr; the sign-in completes when a browser reaches the callback', async () => {
    await withPeerAndWorkspace(startTsSdkPeer(), {}, async (peer, workspace) => {
      let browser;
      const run = await runTimed(workspace, ['call', '--no-browser', 'srv', 'tools/list'], {
        env: { BROWSER: '/bin/false' },
        onLine: (text) => {
          if (!browser && text.startsWith(new URL(peer.issuer).origin)) browser = runProgram(browserStandin, [text]);
        },
      });
      expectExit(run, 0, 'call --no-browser');
      expectExit(await browser, 0, 'browser stand-in');
      assert.equal(JSON.parse(run.stdout).tools.length, TOOL_NAMES.length);
      assert.match(run.stderr, /Open this URL in a browser/);
    });
  });

  test('--no-browser with nobody signing in: exit 1 after --timeout, nothing on stdout', async () => {
    await withPeerAndWorkspace(startTsSdkPeer(), {}, async (peer, workspace) => {
      const result = await workspace.run(['call', '--no-browser', '--timeout', '1', 'srv', 'tools/list']);
      expectExit(result, 1, 'call without sign-in');
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /no answer from the browser within 1 s/);
      assert.equal(mcpPosts(peer).filter((r) => r.status < 300).length, 0);
    });
  });

  test('call --url on a fresh workspace signs in through the browser and prints the list', async () => {
    const peer = await startTsSdkPeer();
    const workspace = await makeWorkspace({ url: 'http://127.0.0.1:9/unused' });
    try {
      const result = await workspace.run(['call', '--url', peer.mcpUrl, 'tools/list']);
      expectExit(result, 0, 'call --url');
      assert.deepEqual(JSON.parse(result.stdout).tools.map((t) => t.name).sort(), TOOL_NAMES);
      const status = await statusOf(workspace, ['--url', peer.mcpUrl]);
      assert.equal(status.authenticated, true);
      const table = await workspace.run(['tools', '--url', peer.mcpUrl]);
      expectExit(table, 0, 'tools --url');
      assert.match(table.stdout, /^echo +Returns its input$/m);
      assert.equal(tokenRequests(peer, 'authorization_code').length, 1, 'the second command reused the tokens');
    } finally {
      await peer.close();
      await workspace.cleanup();
    }
  });
});

// Shared pieces of the end-to-end tests: where the built mcpauth is, a throw-away home with a
// configuration naming one MCP server, and running the CLI as a child process (always async:
// the peers serve from this same process).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CookieJar } from '../peers/lib/follow_redirects.mjs';
import { fillForm, firstForm } from '../peers/oidc/html_forms.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const peersDir = path.join(here, '..', 'peers');
export const browserStandin = path.join(peersDir, 'browser_standin.sh');

function binaryDir() {
  const dir = process.env.MCPAUTH_BINARY_DIR;
  if (!dir) throw new Error('MCPAUTH_BINARY_DIR is not set (run the end-to-end tests through ctest)');
  return dir;
}
export const mcpauthBinary = () => path.join(binaryDir(), 'bin', 'mcpauth');
export const pluginDir = () => path.join(binaryDir(), 'lib', 'mcpauth', 'plugins');
export const probeBinary = () => path.join(binaryDir(), 'bin', 'oauth21_credentials_probe');

// A temporary HOME with config.json: one server `srv` (oauth21 with `auth`, sqlite storage).
export async function makeWorkspace({ url, auth = {}, serverName = 'srv' }) {
  const dir = await mkdtemp(path.join(tmpdir(), 'mcpauth-e2e-'));
  const configFile = path.join(dir, 'config.json');
  const config = {
    mcpauth: { default_storage: { plugin: 'sqlite', config: { path: path.join(dir, 'tokens.db') } } },
    [serverName]: { url, auth: { plugin: 'oauth21', config: auth } },
  };
  await writeFile(configFile, JSON.stringify(config, null, 2));
  return {
    dir,
    configFile,
    serverName,
    // Runs `mcpauth --config <file> --plugin-dir <dir> ...args`.
    run: (args, options = {}) =>
      runMcpauth(['--config', configFile, '--plugin-dir', pluginDir(), ...args], { home: dir, ...options }),
    // get_credentials from `threads` threads of one process (tests/oauth21/credentials_probe.cpp).
    // extraArgs: more probe options (--challenge, --begin).
    credentials: (threads = 1, { extraArgs = [], ...options } = {}) =>
      runProgram(
        probeBinary(),
        ['--config', configFile, '--plugin-dir', pluginDir(), '--server', serverName, '--threads', String(threads),
          ...extraArgs],
        { home: dir, ...options },
      ),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

// A started peer (peerStarting: the promise startFakeAs, startOidcPeer or startTsSdkPeer returns)
// and a workspace whose server `srv` is the peer's MCP server (auth: the oauth21 plugin's config).
// On failure the peer is closed again: a peer left listening would keep node from exiting.
export async function startPeerAndWorkspace(peerStarting, { auth } = {}) {
  const peer = await peerStarting;
  try {
    return { peer, workspace: await makeWorkspace({ url: peer.mcpUrl, auth }) };
  } catch (error) {
    await peer.close();
    throw error;
  }
}

// startPeerAndWorkspace, then a `mcpauth login srv ...loginArgs` that must succeed. If the login
// fails, both are stopped before the error goes on: a suite's `after` then has nothing to do.
export async function startSignedIn(peerStarting, { auth, loginArgs = [] } = {}) {
  const started = await startPeerAndWorkspace(peerStarting, { auth });
  try {
    const { workspace } = started;
    expectExit(await workspace.run(['login', workspace.serverName, ...loginArgs]), 0, 'login');
    return started;
  } catch (error) {
    await stopPeerAndWorkspace(started);
    throw error;
  }
}

// The teardown of the two above. Either may be missing: a suite's `before` that failed sets neither.
export async function stopPeerAndWorkspace({ peer, workspace }) {
  await peer?.close();
  await workspace?.cleanup();
}

// body(peer, workspace) on a startPeerAndWorkspace pair, stopped again however body ends.
export async function withPeerAndWorkspace(peerStarting, options, body) {
  const started = await startPeerAndWorkspace(peerStarting, options);
  try {
    return await body(started.peer, started.workspace);
  } finally {
    await stopPeerAndWorkspace(started);
  }
}

// `mcpauth --json status <target>` (default: the workspace's server): the first entry's status.
export async function statusOf(workspace, target = [workspace.serverName]) {
  const result = await workspace.run(['--json', 'status', ...target]);
  expectExit(result, 0, 'status');
  return JSON.parse(result.stdout)[0].status;
}

// The credentials probe's counts (it may print more fields for other options).
export function probeSummary(result) {
  const { ok, errors, distinct_credentials } = JSON.parse(result.stdout);
  return { ok, errors, distinct_credentials };
}

// Runs a program; resolves {code, stdout, stderr}. env is added to a minimal environment.
export function runProgram(program, args, { home, env = {}, stdin = '', timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      env: { PATH: process.env.PATH, HOME: home ?? tmpdir(), BROWSER: browserStandin, ...sanitizerEnv(), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal ? `signal ${signal}` : code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

export const runMcpauth = (args, options) => runProgram(mcpauthBinary(), args, options);

// ctest passes the sanitizer settings of the ASan build; keep them for the children.
export function sanitizerEnv() {
  const env = {};
  for (const name of ['ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS']) if (process.env[name]) env[name] = process.env[name];
  return env;
}

// The token-endpoint requests of a peer with the given grant type.
export const tokenRequests = (peer, grantType) =>
  peer.requests.filter((r) => r.method === 'POST' && r.form && r.form.grant_type === grantType);

// Fails with the CLI's output in the message, so a failing test says why.
export function expectExit(result, code, what) {
  if (result.code !== code) {
    throw new Error(`${what}: exit ${result.code}, wanted ${code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
}

// The HTTP status of the MCP server's answer to an initialize request carrying `token`.
export async function mcpStatusWith(peer, token) {
  const response = await fetch(peer.mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mcpauth-e2e', version: '1' } },
    }),
  });
  await response.body?.cancel();
  return response.status;
}

// A port on 127.0.0.1 that was free a moment ago (for a server that must get a known port).
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

// The peers' npm packages (tests/peers/node_modules), for tests that drive their clients.
export const peerRequire = createRequire(path.join(peersDir, 'package.json'));

// `mcpauth serve` for a configuration (an object: servers and `mcpauth` settings) in a temporary
// HOME, on 127.0.0.1 at a port the system picks (read from its log), until stop(). Storage is
// sqlite in that HOME unless the settings name a default_storage. home: an existing HOME to use
// instead, which stop() and kill() keep (a restart on the same store); listen: HOST:PORT.
export async function startServe(config, options = {}) {
  const { env = {}, timeoutMs = 15_000, home: givenHome, listen = '127.0.0.1:0' } = options;
  const home = givenHome ?? (await mkdtemp(path.join(tmpdir(), 'mcpauth-serve-')));
  const removeHome = () => (givenHome ? undefined : rm(home, { recursive: true, force: true }));
  const configFile = path.join(home, 'config.json');
  const settings = { default_storage: { plugin: 'sqlite', config: { path: path.join(home, 'tokens.db') } }, ...config.mcpauth };
  await writeFile(configFile, JSON.stringify({ ...config, mcpauth: settings }, null, 2));
  const child = spawn(
    mcpauthBinary(),
    ['--config', configFile, '--plugin-dir', pluginDir(), 'serve', '--listen', listen],
    { env: { PATH: process.env.PATH, HOME: home, ...sanitizerEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mcpauth serve did not start in time:\n${output}`)), timeoutMs);
    const take = (chunk) => {
      output += chunk;
      const found = output.match(/listening on (https?:\/\/\S+)/);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    exited.then((outcome) => {
      clearTimeout(timer);
      reject(new Error(`mcpauth serve exited (${outcome}):\n${output}`));
    });
  });
  let baseUrl;
  try {
    baseUrl = await listening;
  } catch (error) {
    child.kill('SIGKILL');
    await removeHome();
    throw error;
  }
  return {
    baseUrl,
    pid: child.pid,
    output: () => output,
    // SIGTERM, then the exit code (or signal name; 'timeout' and SIGKILL when it does not stop).
    async stop() {
      child.kill('SIGTERM');
      let timer;
      const timedOut = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs, 'timeout')));
      const outcome = await Promise.race([exited, timedOut]);
      clearTimeout(timer); // else it keeps node's test runner waiting
      if (outcome === 'timeout') child.kill('SIGKILL');
      await removeHome();
      return outcome;
    },
    // SIGKILL (a crash: nothing is flushed or released); resolves once the process is gone.
    async kill() {
      child.kill('SIGKILL');
      await exited;
      await removeHome();
    },
  };
}

// Signs `user` in to `server` as a browser would: serve's OAuth start route, the authorization
// server, serve's callback, with serve's session cookie and the identity header (which the
// reverse proxy adds) on serve's requests only. An authorization server page with a form (such
// as oidc-provider's sign-in and consent pages) is submitted with `user` as the login name.
// Resolves with the address the callback finally sends the browser to; throws unless it reports
// success.
export async function signInThroughServe(serve, server, user, { identityHeader = 'X-User-Email', maxHops = 20 } = {}) {
  const cookies = new CookieJar();
  const serveOrigin = new URL(serve.baseUrl).origin;
  let url = new URL(`${serve.baseUrl}/api/mcp/auth/${server}/oauth/start`);
  let post; // the fields of a form to POST to `url`
  for (let hop = 0; hop < maxHops; hop++) {
    const headers = { ...cookies.headerFor(url), ...(url.origin === serveOrigin ? { [identityHeader]: user } : {}) };
    const signal = AbortSignal.timeout(10_000);
    const method = post ? 'POST' : 'GET';
    const response = await fetch(url, { method, body: post, redirect: 'manual', headers, signal });
    cookies.store(url, response.headers.getSetCookie());
    const location = response.headers.get('location');
    const page = response.status === 200 && url.origin !== serveOrigin ? await response.text() : undefined;
    if (page === undefined) await response.body?.cancel();
    const form = page && firstForm(page, url);
    if (form) {
      const fields = fillForm(form, { login: user, password: 'any-password' });
      url = new URL(form.action);
      post = form.method === 'POST' ? fields : undefined;
      if (!post) url.search = fields.toString();
      continue;
    }
    post = undefined;
    if (response.status < 300 || response.status > 399 || !location) {
      throw new Error(`sign-in of ${user} to ${server} stopped at ${url.pathname} with HTTP ${response.status}`);
    }
    url = new URL(location, url);
    if (url.origin === serveOrigin && url.searchParams.has('mcp_auth_server')) {
      if (url.searchParams.get('mcp_auth_success') !== '1') {
        throw new Error(`sign-in of ${user} to ${server} failed: ${url.searchParams.get('mcp_auth_error')}`);
      }
      return url.href;
    }
  }
  throw new Error(`sign-in of ${user} to ${server}: more than ${maxHops} redirects`);
}

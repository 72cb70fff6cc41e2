// Shared pieces of the end-to-end tests: where the built mcpauth is, a throw-away home with a
// configuration naming one MCP server, and running the CLI as a child process (always async:
// the peers serve from this same process).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
function sanitizerEnv() {
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

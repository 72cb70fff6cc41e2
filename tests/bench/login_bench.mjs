// The login benchmark driver (run it through run_login_bench.sh, which checks the tree first).
//
//   node tests/bench/login_bench.mjs --build-dir DIR [--runs N] [--warmup N] [--json FILE]
//
// Starts the TypeScript SDK peer (tests/peers/ts_sdk_peer.mjs) in this process, then runs, in
// turn, N times each, and times every whole command from spawn to exit:
//   a        mcpauth login --url URL, first login in a fresh HOME, BROWSER = the node stand-in
//   c        the same command again in that HOME (cached discovery and registration)
//   b        node tests/peers/ts_sdk_login.mjs URL (the SDK's client auth; browser in-process)
//   a-curl   as a, with BROWSER = a shell script running curl (a browser that costs ~nothing)
//   c-curl   as c, with that curl BROWSER
//   b-spawn  the SDK's flow of ts_sdk_login.mjs, but opening the URL with the node stand-in as a
//            separate process, as mcpauth does (this file's --sdk-login mode)
//   standin  the node stand-in alone, against an authorization URL of the same peer whose
//            redirect goes to a callback server of this driver that answers at once
//   curl     the curl BROWSER alone, likewise
// Requests to the peer are counted per login from its request log: GET /authorize is the
// browser's, everything else the client's. --json FILE also writes the figures to FILE, a JSON
// object a line (tests/bench/README.md).
//
//   node tests/bench/login_bench.mjs --sdk-login MCP_URL
//     (internal) ts_sdk_login.mjs's flow with $BROWSER spawned on the authorization URL.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  absolutePath, figureWriter, median, parseOptions, quantile, runMain, text, wholeNumber,
} from './bench_lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const peersDir = path.join(here, '..', 'peers');
const standin = path.join(peersDir, 'browser_standin.sh');
const tsSdkLogin = path.join(peersDir, 'ts_sdk_login.mjs');

function parseArgs(argv) {
  const options = parseOptions(argv, {
    'build-dir': absolutePath, runs: wholeNumber(1), warmup: wholeNumber(0), 'sdk-login': text,
  }, { runs: 10, warmup: 1 });
  if (!options.sdkLogin && !options.buildDir) throw new Error('--build-dir is required');
  return options;
}

// ---- --sdk-login: ts_sdk_login.mjs's loginWithSdk, with the browser a separate program ----

async function sdkLoginWithBrowserProgram(mcpUrl) {
  const { InMemoryOAuthClientProvider, startCallbackServer, codeFromCallback } = await import(
    pathToFileURL(tsSdkLogin).href
  );
  const { auth } = await import(
    pathToFileURL(path.join(peersDir, 'node_modules/@modelcontextprotocol/sdk/dist/esm/client/auth.js')).href
  );
  const browser = process.env.BROWSER;
  if (!browser) throw new Error('BROWSER is not set');
  const callback = await startCallbackServer();
  try {
    const provider = new InMemoryOAuthClientProvider({
      redirectUrl: callback.redirectUrl,
      // Like mcpauth: start the program with the URL as one argument, do not wait for it.
      openBrowser: async (url) => {
        spawn(browser, [url.href], { stdio: 'inherit' }).on('error', (err) => {
          console.error(`cannot start ${browser}: ${err.message}`);
          process.exit(1);
        });
      },
    });
    const first = await auth(provider, { serverUrl: mcpUrl });
    if (first !== 'REDIRECT') throw new Error(`auth() returned ${first}, expected REDIRECT`);
    const code = codeFromCallback(await callback.waitForCallback(), {
      expectedState: provider.lastState,
      expectedIssuer: provider.discoveryState()?.authorizationServerMetadata?.issuer,
    });
    const result = await auth(provider, { serverUrl: mcpUrl, authorizationCode: code });
    if (result !== 'AUTHORIZED') throw new Error(`auth() returned ${result}, expected AUTHORIZED`);
  } finally {
    await callback.close();
  }
  process.stdout.write(`${JSON.stringify({ ms: Math.round(performance.now()), result: 'AUTHORIZED' })}\n`);
  process.exit(0); // the browser program may still be running; it is not ours to wait for
}

// ---- the benchmark ----

// Runs a command; resolves once it and everything holding its output (a browser it started)
// are done. ms: from spawn to the command's own exit; startedAt/exitedAtWall: Date.now() then.
function timed(program, args, { env, cwd }) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const startedAt = Date.now();
    let exitedAt;
    let exitedAtWall;
    let exitCode;
    let stdout = '';
    let stderr = '';
    const child = spawn(program, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      exitedAt = performance.now();
      exitedAtWall = Date.now();
      exitCode = signal ? `signal ${signal}` : code;
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ ms: exitedAt - started, startedAt, exitedAtWall, code: exitCode, stdout, stderr });
    });
  });
}

function check(result, what) {
  if (result.code !== 0) {
    throw new Error(`${what}: exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
}

// A callback server that answers 200 at once: the end point for timing a browser alone.
async function instantCallbackServer() {
  const arrivals = [];
  const server = createServer((req, res) => {
    arrivals.push(Date.now());
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    redirectUri: `http://127.0.0.1:${server.address().port}/callback`,
    arrivals,
    close: () => new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    }),
  };
}

// A fresh authorization URL of a client registered for `redirectUri`, as a client would build it.
async function authorizationUrlFactory(peer, redirectUri) {
  const registration = await fetch(new URL('/register', peer.issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'login-bench', redirect_uris: [redirectUri], grant_types: ['authorization_code'],
      response_types: ['code'], token_endpoint_auth_method: 'none',
    }),
  });
  if (registration.status !== 201) throw new Error(`registering the bench client: HTTP ${registration.status}`);
  const { client_id: clientId } = await registration.json();
  return () => {
    const url = new URL('/authorize', peer.issuer);
    const verifier = randomBytes(32).toString('base64url');
    url.search = new URLSearchParams({
      response_type: 'code', client_id: clientId, redirect_uri: redirectUri,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
      state: randomBytes(32).toString('base64url'), scope: 'mcp:tools', resource: peer.mcpUrl,
    }).toString();
    return url.href;
  };
}

async function bench(options) {
  const { startTsSdkPeer } = await import(pathToFileURL(path.join(peersDir, 'ts_sdk_peer.mjs')).href);
  const mcpauth = path.join(options.buildDir, 'bin', 'mcpauth');
  const pluginDir = path.join(options.buildDir, 'lib', 'mcpauth', 'plugins');
  const work = await mkdtemp(path.join(tmpdir(), 'mcpauth-login-bench-'));
  const hasCurl = spawnSync('sh', ['-c', 'command -v curl'], { stdio: 'ignore' }).status === 0;
  const curlBrowser = path.join(work, 'curl_browser.sh');
  await writeFile(curlBrowser, '#!/bin/sh\n# $BROWSER that follows redirects to the callback and loads it.\n'
    + 'exec curl --silent --show-error --location --max-redirs 10 --max-time 30 --output /dev/null "$1"\n');
  await chmod(curlBrowser, 0o755);

  const peer = await startTsSdkPeer();
  const callback = await instantCallbackServer();
  const authorizationUrl = await authorizationUrlFactory(peer, callback.redirectUri);
  const baseEnv = { PATH: process.env.PATH };

  let homes = 0;
  const freshHome = async () => {
    const home = path.join(work, `home-${(homes += 1)}`);
    await mkdir(home);
    return home;
  };
  const login = (home, browser) => timed(mcpauth, ['--plugin-dir', pluginDir, 'login', '--url', peer.mcpUrl], {
    env: { ...baseEnv, HOME: home, BROWSER: browser }, cwd: home,
  });

  // Each variant runs one sample per round (the peer's log cleared first); c shares a's HOME.
  // kind 'login': a whole login; kind 'browser': a browser program alone.
  const variants = [];
  const variant = (key, kind, label, browser, run) =>
    variants.push({ key, kind, label, browser, run, ms: [], extra: [], client: [], browserRequests: [], paths: null });
  let homeForSecond;
  let homeForSecondCurl;
  variant('a', 'login', 'mcpauth login --url, first login (fresh HOME)', 'node stand-in', async () => {
    homeForSecond = await freshHome();
    return login(homeForSecond, standin);
  });
  variant('c', 'login', 'mcpauth login --url, second login (same HOME)', 'node stand-in', () => login(homeForSecond, standin));
  variant('b', 'login', 'node ts_sdk_login.mjs (SDK auth())', 'in-process fetch', () =>
    timed(process.execPath, [tsSdkLogin, peer.mcpUrl], { env: baseEnv, cwd: work }));
  variant('b-spawn', 'login', 'SDK auth() flow, browser as a process', 'node stand-in', () =>
    timed(process.execPath, [fileURLToPath(import.meta.url), '--sdk-login', peer.mcpUrl], {
      env: { ...baseEnv, BROWSER: standin }, cwd: work,
    }));
  if (hasCurl) {
    variant('a-curl', 'login', 'mcpauth login --url, first login (fresh HOME)', 'curl script', async () => {
      homeForSecondCurl = await freshHome();
      return login(homeForSecondCurl, curlBrowser);
    });
    variant('c-curl', 'login', 'mcpauth login --url, second login (same HOME)', 'curl script', () =>
      login(homeForSecondCurl, curlBrowser));
  }
  variant('standin', 'browser', 'the browser alone: /authorize -> instant callback', 'node stand-in', () =>
    timed(standin, [authorizationUrl()], { env: baseEnv, cwd: work }));
  if (hasCurl) {
    variant('curl', 'browser', 'the browser alone: /authorize -> instant callback', 'curl script', () =>
      timed(curlBrowser, [authorizationUrl()], { env: baseEnv, cwd: work }));
  }

  const total = options.warmup + options.runs;
  try {
    for (let round = 0; round < total; round += 1) {
      const measured = round >= options.warmup;
      for (const v of variants) {
        peer.clearRequests();
        callback.arrivals.length = 0;
        const result = await v.run();
        check(result, `${v.key} (round ${round + 1})`);
        const requests = [...peer.requests];
        const browserRequests = requests.filter((r) => r.path === '/authorize');
        let extra;
        if (v.kind === 'login') {
          const exchanges = requests.filter((r) => r.form?.grant_type === 'authorization_code' && r.status === 200);
          if (exchanges.length !== 1) throw new Error(`${v.key}: ${exchanges.length} successful code exchanges, wanted 1`);
          extra = result.exitedAtWall - exchanges[0].time; // from the code exchange to the exit
        } else {
          if (callback.arrivals.length !== 1) throw new Error(`${v.key}: the browser reached the callback ${callback.arrivals.length} times`);
          extra = callback.arrivals[0] - result.startedAt; // from spawn to the callback request
        }
        if (!measured) continue;
        v.ms.push(result.ms);
        v.extra.push(extra);
        v.client.push(requests.length - browserRequests.length);
        v.browserRequests.push(browserRequests.length);
        v.paths ??= requests.map((r) => `${r.method} ${r.path} ${r.status ?? ''}`.trim());
      }
      process.stderr.write(`round ${round + 1}/${total}${measured ? '' : ' (warm-up)'} done\n`);
    }
  } finally {
    await callback.close();
    await peer.close();
    await rm(work, { recursive: true, force: true });
  }

  report(variants, options, hasCurl);
}

function report(variants, options, hasCurl) {
  const byKey = Object.fromEntries(variants.map((v) => [v.key, v]));
  const fmt = (ms) => ms.toFixed(0);
  const perLogin = (values) => {
    const distinct = [...new Set(values)];
    return distinct.length === 1 ? String(distinct[0]) : `${Math.min(...values)}-${Math.max(...values)}`;
  };
  const lines = [];
  lines.push(`Login wall time (spawn to exit), TypeScript SDK peer on 127.0.0.1, ${options.runs} runs each after `
    + `${options.warmup} warm-up round(s), node ${process.version}, ${availableParallelism()} cores`);
  lines.push('');
  lines.push('| variant | command | browser | median ms | p90 ms | code exchange -> exit ms | spawn -> callback ms '
    + '| client requests/login | browser requests/login |');
  lines.push('|---|---|---|---:|---:|---:|---:|---:|---:|');
  for (const v of variants) {
    const extra = fmt(median(v.extra));
    lines.push(`| ${v.key} | ${v.label} | ${v.browser} | ${fmt(median(v.ms))} | ${fmt(quantile(v.ms, 0.9))} `
      + `| ${v.kind === 'login' ? extra : ''} | ${v.kind === 'browser' ? extra : ''} `
      + `| ${perLogin(v.client)} | ${perLogin(v.browserRequests)} |`);
  }
  lines.push('');
  lines.push('(medians; "code exchange -> exit": from the peer receiving POST /token to the command\'s exit; '
    + '"spawn -> callback": from starting the browser alone to its callback request)');
  lines.push('');
  const ratio = (x, y) => (x / y).toFixed(2);
  const m = (key) => median(byKey[key].ms);
  const toCallback = (key) => median(byKey[key].extra);
  lines.push('Ratios of medians:');
  lines.push(`  a / b                      ${ratio(m('a'), m('b'))}   as run: mcpauth starts a node browser process, ts_sdk_login.mjs fetches in-process`);
  lines.push(`  a / b-spawn                ${ratio(m('a'), m('b-spawn'))}   both start the same node stand-in as the browser`);
  lines.push(`  (a - standin) / b          ${ratio(m('a') - toCallback('standin'), m('b'))}   a minus the stand-in's spawn -> callback time`);
  if (hasCurl) {
    lines.push(`  a-curl / b                 ${ratio(m('a-curl'), m('b'))}   mcpauth with a curl browser (a few ms)`);
    lines.push(`  (a-curl - curl) / b        ${ratio(m('a-curl') - toCallback('curl'), m('b'))}   that minus curl's spawn -> callback time`);
  }
  lines.push(`  c / a                      ${ratio(m('c'), m('a'))}   second mcpauth login vs first`);
  lines.push('');
  lines.push('Requests to the peer in one login (the first measured run):');
  for (const v of variants) lines.push(`  ${v.key.padEnd(8)} ${v.paths.join(', ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);

  const figure = figureWriter(options.json, 'login');
  const note = `median of ${options.runs} runs`;
  const sdk = { peer: 'TS SDK client auth', peerValue: m('b') };
  figure({ figure: 'first login, wall time', unit: 'ms', value: m('a'), ...sdk, target: 'ratio <= 0.5',
    note: `${note}; mcpauth starts a node browser stand-in, the SDK fetches in-process` });
  figure({ figure: 'first login, both spawning the browser', unit: 'ms', value: m('a'), peer: 'TS SDK client auth',
    peerValue: m('b-spawn'), target: 'ratio <= 0.5', note });
  figure({ figure: 'second login (cached discovery, registration)', unit: 'ms', value: m('c'), note });
  figure({ figure: 'first login, client requests', unit: 'requests', value: median(byKey.a.client),
    peer: 'TS SDK client auth', peerValue: median(byKey.b.client), note: 'without the browser\'s /authorize' });
  figure({ figure: 'second login, client requests', unit: 'requests', value: median(byKey.c.client),
    note: 'without the browser\'s /authorize' });
}

runMain('login_bench', parseArgs, (options) =>
  (options.sdkLogin ? sdkLoginWithBrowserProgram(options.sdkLogin) : bench(options)));

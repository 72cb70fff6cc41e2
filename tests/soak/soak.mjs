// The soak driver (run it through run_soak.sh, which checks the options and the tools): starts
// the parts on 127.0.0.1, loads `mcpauth serve` for a while, restarts the authorization server
// again and again, samples serve's resident memory, and reports. See README.md.
//
//   MCPAUTH_BINARY_DIR=build node tests/soak/soak.mjs '{"durationS":600, ...}'   (options: run_soak.sh)
//
// Prints the report on stdout, its last line one JSON object (the summary); progress on stderr.
// Exits 0 when every check passed, 1 when one failed, 2 when the parts could not be set up.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort, peerRequire, signInThroughServe, startServe } from '../e2e/support.mjs';
import { createSigningKey } from '../peers/oidc/signing_key.mjs';

const { Client } = peerRequire('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = peerRequire('@modelcontextprotocol/sdk/client/streamableHttp.js');

const here = path.dirname(fileURLToPath(import.meta.url));
const SERVER = 'soak';
const PROTOCOL_VERSION = '2025-06-18';
const CALL_TIMEOUT_MS = 30_000;
const MAX_REASONS_SHOWN = 5; // per source
const MAX_WARNINGS_SHOWN = 10;

const o = JSON.parse(process.argv[2] ?? '{}');
const progress = (message) => process.stderr.write(`soak: ${message}\n`);
const users = Array.from({ length: o.users }, (_, i) => `soak-user-${i + 1}@example.com`);

// Failed requests by source, and the first few reasons of each.
const failures = { wrk: 0, sdk: 0, status: 0 };
const reasons = { wrk: [], sdk: [], status: [] };
function fail(source, reason) {
  failures[source] += 1;
  if (reasons[source].length < MAX_REASONS_SHOWN) reasons[source].push(`${new Date().toISOString()} ${source}: ${reason}`);
}

// A node child that prints one JSON line when ready: that object, and the child.
async function startNodeChild(name, script, config, log) {
  const child = spawn(process.execPath, [path.join(here, script), JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.on('data', (chunk) => log.push(`${name}: ${chunk}`));
  const exited = once(child, 'exit').then(([code, signal]) => {
    throw new Error(`${name} exited (${signal ?? code}) while starting: ${log.join('')}`);
  });
  const [line] = await Promise.race([once(createInterface({ input: child.stdout }), 'line'), exited]);
  exited.catch(() => {});
  return { child, ready: JSON.parse(line) };
}

async function stopChild(child, signal = 'SIGKILL') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

function rssKb(pid) {
  return readFile(`/proc/${pid}/status`, 'utf8').then((text) => Number(text.match(/^VmRSS:\s+(\d+) kB/m)[1]));
}

// MCP sessions opened through the gateway for wrk: initialize, then notifications/initialized.
async function openSession(baseUrl, user) {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'x-user-email': user,
  };
  const initialize = await fetch(`${baseUrl}/mcp/${SERVER}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'mcpauth-soak-wrk', version: '1' } },
    }),
  });
  const text = await initialize.text();
  const session = initialize.headers.get('mcp-session-id');
  if (initialize.status !== 200 || !session) throw new Error(`initialize for ${user} answered ${initialize.status}: ${text}`);
  const sessionHeaders = { ...headers, 'mcp-session-id': session, 'mcp-protocol-version': PROTOCOL_VERSION };
  const initialized = await fetch(`${baseUrl}/mcp/${SERVER}`, {
    method: 'POST',
    headers: sessionHeaders,
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  await initialized.body?.cancel();
  if (initialized.status !== 202) throw new Error(`notifications/initialized for ${user} answered ${initialized.status}`);
  return session;
}

function runWrk(url, sessions, stats) {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'soak' } } });
  const child = spawn(
    'wrk',
    ['-t1', `-c${o.wrkConnections}`, `-d${o.durationS}s`, '--timeout', `${CALL_TIMEOUT_MS / 1000}s`, '-s', path.join(here, 'soak.lua'),
      '-H', 'Content-Type: application/json', '-H', 'Accept: application/json, text/event-stream',
      '-H', `MCP-Protocol-Version: ${PROTOCOL_VERSION}`, url],
    {
      env: { ...process.env, SOAK_BODY: body, SOAK_SESSIONS: sessions.map(({ user, session }) => `${user} ${session}`).join(',') },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  return once(child, 'exit').then(([code]) => {
    const line = output.split('\n').find((l) => l.startsWith('SOAK_WRK '));
    if (code !== 0 || !line) throw new Error(`wrk failed (exit ${code}):\n${output}`);
    Object.assign(stats, JSON.parse(line.slice('SOAK_WRK '.length)));
    const failed = stats.bad_status + stats.rpc_errors + stats.connect + stats.read + stats.write + stats.timeout;
    if (failed > 0) {
      failures.wrk += failed;
      reasons.wrk.push(`${new Date().toISOString()} wrk: ${stats.bad_status} non-200, ${stats.rpc_errors} without a JSON-RPC result, socket errors: ` +
        `connect ${stats.connect}, read ${stats.read}, write ${stats.write}, timeout ${stats.timeout}`);
    }
  });
}

// An SDK client of the gateway as `user`: echo calls `pauseMs` apart, a new session every
// `callsPerSession` calls, until `stopAt`.
async function sdkClient(baseUrl, user, stopAt, stats) {
  while (Date.now() < stopAt) {
    const client = new Client({ name: 'mcpauth-soak-sdk', version: '1' });
    const transport = new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp/${SERVER}`), {
      requestInit: { headers: { 'X-User-Email': user } },
    });
    try {
      await client.connect(transport, { timeout: CALL_TIMEOUT_MS });
      stats.sessions += 1;
      for (let i = 0; i < o.callsPerSession && Date.now() < stopAt; i++) {
        const text = `${user} ${stats.calls}`;
        stats.calls += 1;
        try {
          const result = await client.callTool({ name: 'echo', arguments: { text } }, undefined, { timeout: CALL_TIMEOUT_MS });
          if (result.isError || result.content?.[0]?.text !== text) fail('sdk', `echo answered ${JSON.stringify(result)}`);
        } catch (error) {
          fail('sdk', `tools/call: ${error.message}`);
        }
        await sleep(o.sdkPauseMs);
      }
    } catch (error) {
      stats.calls += 1;
      fail('sdk', `connect: ${error.message}`);
      await sleep(o.sdkPauseMs);
    } finally {
      await client.close().catch(() => {});
    }
  }
}

// GET /api/mcp/auth/status for each user in turn: 200, and the user still holds a refresh token.
async function statusPoller(baseUrl, stopAt, stats) {
  for (let i = 0; Date.now() < stopAt; i++) {
    const user = users[i % users.length];
    stats.requests += 1;
    try {
      const response = await fetch(`${baseUrl}/api/mcp/auth/status`, {
        headers: { 'X-User-Email': user },
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
      const text = await response.text();
      const entry = response.status === 200 && JSON.parse(text).servers?.find((s) => s.server_name === SERVER);
      if (!entry?.has_refresh_token) fail('status', `${user}: HTTP ${response.status} ${text.slice(0, 300)}`);
    } catch (error) {
      fail('status', `${user}: ${error.message}`);
    }
    await sleep(o.statusPauseMs);
  }
}

// Stops the AS every asEveryS seconds (SIGTERM: it answers the requests in progress; SIGKILL with
// asKill), keeps it down asDownS seconds, starts it again (same port, key and state file) and
// waits until it listens.
async function restartAsUntil(stopAt, as, startAs, stats) {
  for (;;) {
    await sleep(Math.min(o.asEveryS * 1000, Math.max(0, stopAt - Date.now())));
    if (Date.now() + o.asDownS * 1000 >= stopAt) return;
    const stopping = Date.now();
    await stopChild(as.child, o.asKill ? 'SIGKILL' : 'SIGTERM');
    await sleep(o.asDownS * 1000);
    Object.assign(as, await startAs());
    stats.restarts += 1;
    stats.downS.push((Date.now() - stopping) / 1000); // stopping, asDownS, starting up
  }
}

function linearSlopePerMinute(samples) {
  const n = samples.length;
  if (n < 2) return 0;
  const mt = samples.reduce((s, x) => s + x.t, 0) / n;
  const mk = samples.reduce((s, x) => s + x.kb, 0) / n;
  let num = 0;
  let den = 0;
  for (const { t, kb } of samples) {
    num += (t - mt) * (kb - mk);
    den += (t - mt) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function eventCount(metrics, event) {
  const line = metrics.split('\n').find((l) => l.startsWith(`mcpauth_plugin_events_total{server="${SERVER}",event="${event}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function main() {
  const tmp = await mkdtemp(path.join(tmpdir(), 'mcpauth-soak-'));
  const childLog = [];
  const parts = {};
  try {
    const keyFile = path.join(tmp, 'key.json');
    await writeFile(keyFile, JSON.stringify(createSigningKey()));
    const issuer = `http://127.0.0.1:${await freePort()}`;
    progress('starting the MCP server and the authorization server');
    parts.upstream = await startNodeChild('upstream', 'soak_upstream.mjs', { issuer, keyFile }, childLog);
    const { mcpUrl } = parts.upstream.ready;
    const asConfig = {
      port: Number(new URL(issuer).port),
      mcpUrl,
      keyFile,
      stateFile: path.join(tmp, 'as-state.jsonl'),
      accessTokenTtl: o.tokenTtlS,
    };
    const startAs = () => startNodeChild('as', 'soak_as.mjs', asConfig, childLog);
    parts.as = await startAs();
    progress('starting mcpauth serve');
    parts.serve = await startServe(
      { [SERVER]: { url: mcpUrl, transport: 'http', auth: { plugin: 'oauth21', config: {} } } },
      { env: { OAUTH_STORAGE_ENCRYPTION_KEY: randomBytes(32).toString('base64url').concat('=') } },
    );
    const { baseUrl, pid } = parts.serve;
    progress(`signing in ${users.length} users`);
    for (const user of users) await signInThroughServe(parts.serve, SERVER, user);
    const sessions = [];
    for (const user of users) sessions.push({ user, session: await openSession(baseUrl, user) });

    progress(`loading for ${o.durationS} s (warm-up ${o.warmupS} s)`);
    const started = Date.now();
    const stopAt = started + o.durationS * 1000;
    const wrkStats = {};
    const sdkStats = { calls: 0, sessions: 0 };
    const statusStats = { requests: 0 };
    const asStats = { restarts: 0, downS: [] };
    const samples = [];
    const sampler = setInterval(() => {
      rssKb(pid).then((kb) => samples.push({ t: (Date.now() - started) / 1000, kb }), () => {});
    }, o.sampleS * 1000);
    samples.push({ t: 0, kb: await rssKb(pid) });
    await Promise.all([
      runWrk(`${baseUrl}/mcp/${SERVER}`, sessions, wrkStats),
      ...Array.from({ length: o.sdkClients }, (_, i) => sdkClient(baseUrl, users[i % users.length], stopAt, sdkStats)),
      statusPoller(baseUrl, stopAt, statusStats),
      restartAsUntil(stopAt, parts.as, startAs, asStats),
    ]);
    clearInterval(sampler);
    samples.push({ t: (Date.now() - started) / 1000, kb: await rssKb(pid) });
    const duration = (Date.now() - started) / 1000;
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    return report({ o, duration, wrkStats, sdkStats, statusStats, asStats, samples, metrics, serveOutput: parts.serve.output() });
  } finally {
    const stopping = Date.now();
    const stopped = await parts.serve?.stop();
    if (stopped !== undefined) progress(`mcpauth serve stopped: ${stopped} after ${((Date.now() - stopping) / 1000).toFixed(1)} s`);
    if (stopped !== undefined && stopped !== 0) {
      progress(`mcpauth serve did not stop cleanly (${stopped}); its last lines:\n${parts.serve.output().split('\n').slice(-15).join('\n')}`);
    }
    for (const part of [parts.as, parts.upstream]) if (part) await stopChild(part.child);
    await rm(tmp, { recursive: true, force: true });
  }
}

function report({ duration, wrkStats, sdkStats, statusStats, asStats, samples, metrics, serveOutput }) {
  const refreshed = eventCount(metrics, 'token_refreshed');
  const refreshFailed = eventCount(metrics, 'token_refresh_failed');
  const afterWarmup = samples.filter((s) => s.t >= o.warmupS);
  const atWarmup = median(afterWarmup.slice(0, 3).map((s) => s.kb));
  const atEnd = median(afterWarmup.slice(-3).map((s) => s.kb));
  const growthKb = atEnd - atWarmup;
  const slopeKbPerMin = linearSlopePerMinute(afterWarmup);
  const requests = wrkStats.requests + sdkStats.calls + statusStats.requests;
  const downMax = asStats.downS.length ? Number(Math.max(...asStats.downS).toFixed(1)) : null;
  const failed = failures.wrk + failures.sdk + failures.status;
  const checks = {
    no_failed_requests: failed === 0,
    tokens_refreshed: refreshed > 0,
    as_restarted: asStats.restarts > 0,
    ...(o.checkMemory ? { rss_flat: growthKb <= o.rssLimitKb } : {}),
  };
  // serve logs a line per request at info; the rest is what went wrong or nearly did. Shown first:
  // all but the retries and ride-outs of a refresh while the AS is down.
  const warnings = serveOutput.split('\n').filter((l) => / (warn|error) /.test(l));
  const expected = / retrying in \d+ ms$|; using the current access token meanwhile$/;
  const shown = [...warnings.filter((l) => !expected.test(l)), ...warnings.filter((l) => expected.test(l))];
  const mib = (kb) => (kb / 1024).toFixed(1);
  const lines = [
    `mcpauth soak: ${duration.toFixed(0)} s, ${users.length} users, access tokens for ${o.tokenTtlS} s, ` +
      `AS ${o.asKill ? 'killed' : 'stopped'} every ${o.asEveryS} s, down ${o.asDownS} s`,
    `requests:        ${requests} (wrk ${wrkStats.requests} at -c${o.wrkConnections}, p99 ${wrkStats.p99_ms.toFixed(1)} ms; ` +
      `SDK tools/call ${sdkStats.calls} in ${sdkStats.sessions} sessions from ${o.sdkClients} clients; status API ${statusStats.requests})`,
    `failed requests: ${failed} (wrk ${failures.wrk}, SDK ${failures.sdk}, status ${failures.status})`,
    ...Object.values(reasons).flat().map((r) => `  ${r}`),
    `token refreshes: ${refreshed} (failed refreshes: ${refreshFailed}); AS restarts: ${asStats.restarts}` +
      (downMax === null ? '' : `, down ${median(asStats.downS).toFixed(1)} s (median), ${downMax} s at most`),
    `serve RSS:       ${mib(samples[0].kb)} MiB at start, ${mib(atWarmup)} MiB after the ${o.warmupS} s warm-up, ` +
      `${mib(atEnd)} MiB at the end (${growthKb >= 0 ? '+' : ''}${mib(growthKb)} MiB, ${slopeKbPerMin.toFixed(0)} KiB/min; ` +
      (o.checkMemory ? `limit +${mib(o.rssLimitKb)} MiB)` : 'not checked)'),
    `serve log lines at warn and above: ${warnings.length}`,
    ...shown.slice(0, MAX_WARNINGS_SHOWN).map((l) => `  ${l}`),
    `checks:          ${Object.entries(checks).map(([name, ok]) => `${name} ${ok ? 'passed' : 'FAILED'}`).join(', ')}`,
  ];
  const summary = {
    benchmark: 'soak',
    duration_s: Math.round(duration),
    users: users.length,
    token_ttl_s: o.tokenTtlS,
    as_stop: o.asKill ? 'SIGKILL' : 'SIGTERM',
    requests,
    failed_requests: failed,
    failed_by_source: failures,
    token_refreshes: refreshed,
    token_refresh_failures: refreshFailed,
    as_restarts: asStats.restarts,
    as_down_s_max: downMax,
    rss_start_kb: samples[0].kb,
    rss_after_warmup_kb: atWarmup,
    rss_end_kb: atEnd,
    rss_growth_kb: growthKb,
    rss_slope_kb_per_min: Math.round(slopeKbPerMin),
    rss_samples: samples.length,
    checks,
    passed: Object.values(checks).every(Boolean),
  };
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(summary)}\n`);
  return summary.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    progress(`could not run: ${error.stack ?? error}`);
    process.exit(2);
  },
);

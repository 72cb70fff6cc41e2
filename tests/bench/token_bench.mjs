// The cold `mcpauth token` benchmark: a new process printing a cached, valid access token, against
// a command-line tool built on the MCP TypeScript SDK doing the same (ts_sdk_token.mjs: the SDK's
// client auth module loaded, the tokens read through an OAuthClientProvider backed by a JSON
// file). Target: mcpauth at least 10x faster. A benchmark, not a test: it builds nothing and
// asserts only that every run prints the token.
//
//   node tests/bench/token_bench.mjs --build-dir DIR [--runs N] [--warmup N] [--json FILE]
//     --build-dir DIR  a built tree with bin/mcpauth and the oauth21 and sqlite plugins
//     --runs N         timed runs of each command, interleaved (default 50)
//     --warmup N       untimed rounds first (default 3)
//     --json FILE      also write the figures to FILE, a JSON object a line (tests/bench/README.md)
//
// The setup: the TypeScript SDK peer (tests/peers/ts_sdk_peer.mjs) in this process; a workspace
// signed in to it with `mcpauth login` and the browser stand-in, as the end-to-end tests do
// (tests/e2e/support.mjs: oauth21, sqlite store); and a sign-in with the SDK's own auth()
// (tests/peers/ts_sdk_login.mjs) saved to the JSON file. Each token is checked against the peer.
// Then, in turn, N times each: `mcpauth --config F --plugin-dir D token srv`, `node
// ts_sdk_token.mjs FILE`, and `node -e 0` (node's start alone, for reference), timed by
// spawn_timer.py (posix_spawn to wait4; peak RSS, CPU time and page faults from the child's rusage).
// Prints Markdown on stdout. Needs node, python3 and tests/peers/node_modules.
import { spawn } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  absolutePath, figureWriter, median, parseOptions, quantile, runMain, wholeNumber,
} from './bench_lib.mjs';
import { FileOAuthClientProvider } from './ts_sdk_token.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const peersDir = path.join(here, '..', 'peers');

function parseArgs(argv) {
  const options = parseOptions(argv, { 'build-dir': absolutePath, runs: wholeNumber(1), warmup: wholeNumber(0) },
    { runs: 50, warmup: 3 });
  if (!options.buildDir) throw new Error('--build-dir is required');
  return options;
}

// spawn_timer.py with this spec; resolves its samples.
function timeCommands(spec) {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [path.join(here, 'spawn_timer.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`spawn_timer.py: exit ${code}`))));
    child.stdin.end(JSON.stringify(spec));
  });
}

async function bench(options) {
  process.env.MCPAUTH_BINARY_DIR = options.buildDir; // read by tests/e2e/support.mjs
  const support = await import(pathToFileURL(path.join(here, '..', 'e2e', 'support.mjs')).href);
  const { startTsSdkPeer } = await import(pathToFileURL(path.join(peersDir, 'ts_sdk_peer.mjs')).href);
  const { loginWithSdk } = await import(pathToFileURL(path.join(peersDir, 'ts_sdk_login.mjs')).href);

  process.stderr.write('signing in with mcpauth login and with the SDK\n');
  const started = await support.startSignedIn(startTsSdkPeer());
  const { peer, workspace } = started;
  try {
    const sdkFile = path.join(workspace.dir, 'ts-sdk-auth.json');
    const { provider } = await loginWithSdk(peer.mcpUrl);
    const saved = new FileOAuthClientProvider(sdkFile, { serverUrl: peer.mcpUrl });
    saved.saveClientInformation(provider.clientInformation());
    saved.saveDiscoveryState(provider.discoveryState());
    saved.saveTokens(provider.tokens());

    const env = { PATH: process.env.PATH, HOME: workspace.dir };
    const commands = [
      {
        name: 'mcpauth',
        label: 'mcpauth token srv',
        argv: [support.mcpauthBinary(), '--config', workspace.configFile, '--plugin-dir', support.pluginDir(), 'token',
          workspace.serverName],
      },
      { name: 'sdk', label: 'node ts_sdk_token.mjs FILE', argv: [process.execPath, path.join(here, 'ts_sdk_token.mjs'), sdkFile] },
      { name: 'node', label: 'node -e 0 (node starting, for reference)', argv: [process.execPath, '-e', '0'] },
    ];
    // What each prints, checked once against the peer; every timed run must print the same.
    for (const command of commands) {
      const result = await support.runProgram(command.argv[0], command.argv.slice(1), { home: workspace.dir });
      support.expectExit(result, 0, command.label);
      command.stdout = result.stdout;
      if (command.name !== 'node') {
        const status = await support.mcpStatusWith(peer, result.stdout.trim());
        if (status !== 200) throw new Error(`${command.label}: the peer answers ${status} to its token`);
      }
    }

    const loadBefore = loadavg();
    process.stderr.write(`timing ${options.warmup} + ${options.runs} rounds\n`);
    const samples = await timeCommands({
      runs: options.runs,
      warmup: options.warmup,
      cwd: workspace.dir,
      commands: commands.map(({ name, argv, stdout }) => ({ name, argv, env, stdout })),
    });
    report(commands, samples, options, loadBefore, loadavg());
  } finally {
    await support.stopPeerAndWorkspace(started);
  }
}

function report(commands, samples, options, loadBefore, loadAfter) {
  const of = (name, field) => samples[name].map((sample) => sample[field]);
  const load = (l) => l.map((x) => x.toFixed(2)).join(' ');
  const lines = [];
  lines.push(`## Cold \`mcpauth token\` vs a TypeScript SDK CLI, cached token (${new Date().toISOString().slice(0, 16)}Z)`);
  lines.push('');
  lines.push(`- machine: ${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown CPU'}; load average ${load(loadBefore)} `
    + `before, ${load(loadAfter)} after; node ${process.version}`);
  lines.push(`- ${options.runs} runs of each command, interleaved, after ${options.warmup} warm-up rounds; wall time from `
    + 'posix_spawn to wait4; peak RSS, CPU time (user + system) and page faults from the child\'s rusage');
  lines.push('');
  lines.push('| command | median ms | p90 ms | min ms | peak RSS MB | CPU ms | page faults |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const { name, label } of commands) {
    const ms = of(name, 'ms');
    lines.push(`| ${label} | ${median(ms).toFixed(2)} | ${quantile(ms, 0.9).toFixed(2)} | ${Math.min(...ms).toFixed(2)} `
      + `| ${(median(of(name, 'maxrss_kb')) / 1024).toFixed(1)} | ${median(of(name, 'cpu_ms')).toFixed(1)} `
      + `| ${median(of(name, 'faults'))} |`);
  }
  lines.push('');
  lines.push('(peak RSS, CPU time and page faults: medians; a cold start\'s time grows with its page faults, whose '
    + 'cost depends much on the machine, virtual ones most)');
  const speedup = median(of('sdk', 'ms')) / median(of('mcpauth', 'ms'));
  const memory = median(of('sdk', 'maxrss_kb')) / median(of('mcpauth', 'maxrss_kb'));
  lines.push('');
  lines.push(`Target, mcpauth at least 10x faster: ${speedup.toFixed(1)}x by median wall time, `
    + `${speedup >= 10 ? 'met' : 'missed'}; peak RSS ${memory.toFixed(1)}x smaller.`);
  lines.push('');
  lines.push('Commands (HOME and the working directory: the workspace, removed afterwards; PATH only besides):');
  lines.push('');
  for (const { argv } of commands) lines.push(`    ${argv.join(' ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);

  const figure = figureWriter(options.json, 'token');
  const note = `median of ${options.runs} runs, spawn to exit`;
  const compared = (field, scale = 1) => ({
    value: median(of('mcpauth', field)) / scale, peer: 'TS SDK token read, node',
    peerValue: median(of('sdk', field)) / scale, note,
  });
  figure({ figure: 'cold `mcpauth token`, wall time', unit: 'ms', ...compared('ms'), target: 'ratio <= 0.1' });
  figure({ figure: 'cold `mcpauth token`, peak RSS', unit: 'MB', ...compared('maxrss_kb', 1024) });
  figure({ figure: 'cold `mcpauth token`, CPU time', unit: 'ms', ...compared('cpu_ms') });
}

runMain('token_bench', parseArgs, bench);

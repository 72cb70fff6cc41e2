// Pieces shared by the node benchmark drivers (login_bench.mjs, token_bench.mjs): the command
// line, statistics, and the figures written with --json (tests/bench/README.md).
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Nearest-rank quantile.
export function quantile(values, q) {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

export const median = (values) => quantile(values, 0.5);

// Option value parsers for parseOptions.
export const wholeNumber = (min) => (text, name) => {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new Error(`${name} takes a whole number >= ${min}`);
  return Number(text);
};
export const absolutePath = (text) => path.resolve(text);
export const text = (value) => value;

// parseOptions(argv, parsers, defaults): --NAME VALUE or --NAME=VALUE for each NAME of parsers
// (plus --json FILE); the result has each value under the camel-cased NAME.
export function parseOptions(argv, parsers, defaults = {}) {
  const all = { json: absolutePath, ...parsers };
  const options = { ...defaults };
  for (let i = 0; i < argv.length; i += 1) {
    const [, name, inline] = /^--([a-z-]+)(?:=(.*))?$/s.exec(argv[i]) ?? [];
    if (!all[name]) throw new Error(`unknown argument ${argv[i]}`);
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new Error(`--${name} needs a value`);
      value = argv[++i];
    }
    options[name.replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = all[name](value, `--${name}`);
  }
  return options;
}

// The figure writer of benchmark `bench`: figure({figure, unit, value, peer, peerValue,
// peerMissing, target: 'value|ratio|excess OP LIMIT', note}) appends a JSON line to `file`;
// without a file it does nothing.
export function figureWriter(file, bench) {
  if (file) writeFileSync(file, '');
  return ({ figure, unit, value, peer, peerValue, peerMissing, target, note }) => {
    if (!file) return;
    const record = { bench, figure, unit, value, peer, peer_value: peerValue, peer_missing: peerMissing, note };
    if (target) {
      const [of, op, limit] = target.split(' ');
      record.target = { of, op, limit: Number(limit) };
    }
    appendFileSync(file, `${JSON.stringify(record)}\n`);
  };
}

// Runs main(options) with the parsed command line; a bad one exits 2, a failure 1, named `name`.
export function runMain(name, parse, main) {
  let options;
  try {
    options = parse(process.argv.slice(2));
  } catch (err) {
    console.error(`${name}: ${err.message}`);
    process.exit(2);
  }
  main(options).catch((err) => {
    console.error(`${name}: ${err.stack ?? err.message}`);
    process.exit(1);
  });
}

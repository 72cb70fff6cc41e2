#!/usr/bin/env bash
# The login benchmark: wall time of a whole first `mcpauth login --url` (discovery, dynamic
# client registration, authorization through $BROWSER, token) against the TypeScript SDK's own
# client auth doing the same flow (tests/peers/ts_sdk_login.mjs), both against the TS SDK peer
# (tests/peers/ts_sdk_peer.mjs), and of a second mcpauth login (cached discovery and
# registration). Also counts the requests each login makes to the peer: the client's own and
# the browser's (GET /authorize). A benchmark, not a test: it builds nothing and asserts only
# that every login succeeds. Prints a Markdown table; progress goes to stderr.
#
# Usage: tests/bench/run_login_bench.sh [--build-dir DIR] [--runs N] [--warmup N] [--json FILE]
#   --build-dir DIR  a built tree with bin/mcpauth and the oauth21 and sqlite plugins
#                    (default: build in the repository root; a relative DIR is taken from the
#                    current directory)
#   --runs N         timed runs of each variant, interleaved (default 10)
#   --warmup N       untimed rounds first (default 1)
#   --json FILE      also write the figures to FILE, a JSON object a line (tests/bench/README.md)
#   -h, --help       show this text
#
# Variants (see tests/bench/login_bench.mjs): a = mcpauth first login with the node browser
# stand-in (tests/peers/browser_standin.sh) as $BROWSER; c = a second login in the same HOME;
# b = node ts_sdk_login.mjs, whose "browser" is a fetch inside its own process. For a fair
# comparison also: a-curl/c-curl = a/c with a shell-script $BROWSER running curl (if curl is
# installed); b-spawn = the SDK flow starting the node stand-in as a process, as mcpauth does;
# standin/curl = each browser alone against the same peer and an instant callback.
# Needs node and tests/peers/node_modules (npm ci in tests/peers, see tools/setup.sh).
set -euo pipefail

# shellcheck source=bench_lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"

runs=10
warmup=1
parse_options build-dir runs warmup -- "$@"
whole --runs "$runs" 1
whole --warmup "$warmup" 0
require_build "$build_dir" oauth21 sqlite
command -v node >/dev/null || die "node is not installed"
[ -d "$bench_repo/tests/peers/node_modules/@modelcontextprotocol/sdk" ] || die "tests/peers/node_modules is missing: run npm ci in tests/peers (tools/setup.sh)"

exec node "$bench_dir/login_bench.mjs" --build-dir "$build" --runs "$runs" --warmup "$warmup" ${json_file:+--json "$json_file"}

#!/usr/bin/env bash
# The login benchmark: wall time of a whole first `mcpauth login --url` (discovery, dynamic
# client registration, authorization through $BROWSER, token) against the TypeScript SDK's own
# client auth doing the same flow (tests/peers/ts_sdk_login.mjs), both against the TS SDK peer
# (tests/peers/ts_sdk_peer.mjs), and of a second mcpauth login (cached discovery and
# registration). Also counts the requests each login makes to the peer: the client's own and
# the browser's (GET /authorize). A benchmark, not a test: it builds nothing and asserts only
# that every login succeeds. Prints a Markdown table; progress goes to stderr.
#
# Usage: tests/bench/run_login_bench.sh [--build-dir DIR] [--runs N] [--warmup N]
#   --build-dir DIR  a built tree with bin/mcpauth and the oauth21 and sqlite plugins
#                    (default: build in the repository root; a relative DIR is taken from the
#                    current directory)
#   --runs N         timed runs of each variant, interleaved (default 10)
#   --warmup N       untimed rounds first (default 1)
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

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

usage() { sed -n '2,/^set -euo pipefail$/{/^set /d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
die() {
  echo "run_login_bench.sh: $*" >&2
  exit 2
}

build="$repo/build"
runs=10
warmup=1
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --build-dir) [ $# -ge 2 ] || die "--build-dir needs a value"; build=$2; shift 2 ;;
    --build-dir=*) build=${1#*=}; shift ;;
    --runs) [ $# -ge 2 ] || die "--runs needs a value"; runs=$2; shift 2 ;;
    --runs=*) runs=${1#*=}; shift ;;
    --warmup) [ $# -ge 2 ] || die "--warmup needs a value"; warmup=$2; shift 2 ;;
    --warmup=*) warmup=${1#*=}; shift ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ $runs =~ ^[0-9]+$ && $runs -ge 1 ]] || die "--runs takes a whole number >= 1, not '$runs'"
[[ $warmup =~ ^[0-9]+$ ]] || die "--warmup takes a whole number >= 0, not '$warmup'"

[ -d "$build" ] || die "no build directory '$build' (give --build-dir DIR)"
build=$(cd "$build" && pwd)
[ -x "$build/bin/mcpauth" ] || die "$build/bin/mcpauth is missing: build the targets mcpauth mcpauth_oauth21 mcpauth_sqlite first"
for plugin in mcpauth_oauth21 mcpauth_sqlite; do
  [ -e "$build/lib/mcpauth/plugins/$plugin.so" ] || die "$build/lib/mcpauth/plugins/$plugin.so is missing: build the target $plugin"
done
command -v node >/dev/null || die "node is not installed"
[ -d "$repo/tests/peers/node_modules/@modelcontextprotocol/sdk" ] || die "tests/peers/node_modules is missing: run npm ci in tests/peers (tools/setup.sh)"

exec node "$here/login_bench.mjs" --build-dir "$build" --runs "$runs" --warmup "$warmup"

#!/usr/bin/env bash
# The soak: `mcpauth serve` under sustained load for a while, with access tokens that expire every
# few seconds and an authorization server that is stopped and started again every few seconds.
# Reports the requests done and failed, the token refreshes, the AS restarts and serve's resident
# memory (after the warm-up vs at the end, and its slope), as text and as one JSON line (the last
# line of stdout). Exits 1 when a request failed, no token was refreshed, the AS was never
# restarted, or the resident memory grew after the warm-up by more than --rss-limit-mib; 2 when
# the parts could not be set up. What runs, what counts as a failure: tests/soak/README.md.
#
# Usage: tests/soak/run_soak.sh [--build-dir DIR] [--minutes N | --seconds N] [options]
#   --build-dir DIR      a built tree with bin/mcpauth and the oauth21 and sqlite plugins
#                        (default: build in the repository root)
#   --minutes N          how long to load (default 10)
#   --seconds N          the same in seconds (the short CI run uses 75)
#   --warmup S           seconds before the memory baseline is taken (default: a fifth of the
#                        run, at least 15)
#   --users K            users signed in through serve (default 4)
#   --token-ttl S        access token lifetime at the AS, seconds (default 6)
#   --as-every S         stop the AS every S seconds (default 20): SIGTERM, it answers the
#                        requests in progress first, as a deployment restarts it
#   --as-down S          and start it again S seconds later (default 2)
#   --as-kill            SIGKILL the AS instead (a crash): a refresh whose answer is lost then
#                        loses the user's grant (see README.md), so failed requests are expected
#   --wrk-connections C  wrk connections (one thread) POSTing tools/call (default 4)
#   --sdk-clients N      TS SDK Streamable HTTP clients calling echo (default 2)
#   --sample S           seconds between samples of serve's VmRSS (default 2)
#   --rss-limit-mib M    most resident memory serve may gain after the warm-up (default 4)
#   --no-memory-check    report the memory, do not check it (sanitizer builds)
#   -h, --help           show this text
#
# Needs: node (with tests/peers/node_modules installed), wrk.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../bench/bench_lib.sh source-path=SCRIPTDIR
source "$repo/tests/bench/bench_lib.sh"

build="$repo/build"
seconds=600
warmup=
users=4
token_ttl=6
as_every=20
as_down=2
wrk_connections=4
sdk_clients=2
sample=2
rss_limit_mib=4
check_memory=true
as_kill=false
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --no-memory-check) check_memory=false; shift ;;
    --as-kill) as_kill=true; shift ;;
    --build-dir | --minutes | --seconds | --warmup | --users | --token-ttl | --as-every | --as-down | \
      --wrk-connections | --sdk-clients | --sample | --rss-limit-mib)
      [ $# -ge 2 ] || die "$1 needs a value"
      set -- "$1=$2" "${@:3}"
      ;;
    --build-dir=*) build=${1#*=}; shift ;;
    --minutes=*) whole --minutes "${1#*=}" 1; seconds=$((${1#*=} * 60)); shift ;;
    --seconds=*) seconds=${1#*=}; shift ;;
    --warmup=*) warmup=${1#*=}; shift ;;
    --users=*) users=${1#*=}; shift ;;
    --token-ttl=*) token_ttl=${1#*=}; shift ;;
    --as-every=*) as_every=${1#*=}; shift ;;
    --as-down=*) as_down=${1#*=}; shift ;;
    --wrk-connections=*) wrk_connections=${1#*=}; shift ;;
    --sdk-clients=*) sdk_clients=${1#*=}; shift ;;
    --sample=*) sample=${1#*=}; shift ;;
    --rss-limit-mib=*) rss_limit_mib=${1#*=}; shift ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
whole --seconds "$seconds" 10
[ -n "$warmup" ] || warmup=$((seconds / 5 > 15 ? seconds / 5 : 15))
whole --warmup "$warmup" 0
[ "$warmup" -lt "$seconds" ] || die "--warmup ($warmup) must be shorter than the run ($seconds s)"
whole --users "$users" 1
whole --token-ttl "$token_ttl" 2
whole --as-every "$as_every" 1
whole --as-down "$as_down" 0
whole --wrk-connections "$wrk_connections" "$users" # every user's session is used
whole --sdk-clients "$sdk_clients" 0
whole --sample "$sample" 1
whole --rss-limit-mib "$rss_limit_mib" 0

[ -d "$build" ] || die "no build directory '$build' (give --build-dir DIR)"
build=$(cd "$build" && pwd)
[ -x "$build/bin/mcpauth" ] || die "$build/bin/mcpauth is missing: build the target mcpauth first"
for plugin in oauth21 sqlite; do
  [ -e "$build/lib/mcpauth/plugins/mcpauth_$plugin.so" ] ||
    die "$build/lib/mcpauth/plugins/mcpauth_$plugin.so is missing: build the target mcpauth_$plugin"
done
for tool in node wrk; do
  command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install -y nodejs wrk)"
done
[ -d "$repo/tests/peers/node_modules/oidc-provider" ] || die "tests/peers/node_modules is missing: npm ci in tests/peers"

options=$(printf '{"durationS":%d,"warmupS":%d,"users":%d,"tokenTtlS":%d,"asEveryS":%d,"asDownS":%d,' \
  "$seconds" "$warmup" "$users" "$token_ttl" "$as_every" "$as_down")
options+=$(printf '"wrkConnections":%d,"sdkClients":%d,"sdkPauseMs":50,"callsPerSession":100,"statusPauseMs":250,' \
  "$wrk_connections" "$sdk_clients")
options+=$(printf '"sampleS":%d,"rssLimitKb":%d,"checkMemory":%s,"asKill":%s}' "$sample" $((rss_limit_mib * 1024)) \
  "$check_memory" "$as_kill")
MCPAUTH_BINARY_DIR=$build exec node "$here/soak.mjs" "$options"

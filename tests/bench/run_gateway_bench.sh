#!/usr/bin/env bash
# The gateway benchmark: requests/s and p50/p99 latency of an MCP tools/call POSTed straight to
# an MCP server, and through the gateway of `mcpauth serve` (POST /mcp/{server}) in front of the
# same server, measured with wrk on loopback: same body and headers, same connections and
# duration, the runs interleaved. The targets: the gateway adds less than 0.3 ms to the median
# latency, and keeps at least 80% of the direct throughput.
# A benchmark, not a test: it builds nothing and asserts only that every answer is a 2xx (and,
# before measuring, that both paths return the tool's result). Prints Markdown on stdout;
# progress goes to stderr.
#
# Usage: tests/bench/run_gateway_bench.sh [--build-dir DIR] [--duration S] [--connections LIST]
#                                         [--threads N] [--warmup S] [--rounds N] [--json FILE]
#   --build-dir DIR     a built tree with bin/mcpauth and the oauth21 and sqlite plugins
#                       (default: build in the repository root)
#   --duration S        seconds of each measured wrk run (default 10)
#   --connections LIST  comma-separated wrk connection counts, each measured (default 1,16):
#                       1 shows the latency the gateway adds, more its throughput
#   --threads N         wrk threads, at most the connections (default 2)
#   --warmup S          seconds of an unmeasured wrk run before each measured one (default 2)
#   --rounds N          runs of each variant per connection count, interleaved (default 3)
#   --json FILE         also write the figures to FILE, a JSON object a line (tests/bench/README.md)
#   -h, --help          show this text
#
# The setup, on 127.0.0.1 only: the MCP server is tests/bench/gateway_bench_upstream.mjs (node's
# http module; stateless, JSON answers; it checks the bearer token). `mcpauth serve` has one
# server `up` at its URL (transport http, auth plugin oauth21, sqlite storage) with the bench
# user's token stored through POST /api/mcp/auth/up/token: each gateway request asks the oauth21
# plugin for the user's credentials (a cached, valid token; no authorization server involved).
# Two mcpauth processes run side by side: "gateway" with --log-level warn, and "gateway-info"
# with the default info log (a line per request) to /dev/null. The variants of a round run one
# after the other, in reverse order every other round. wrk (tests/bench/gateway_bench.lua) sends
# Content-Type: application/json, Accept: application/json, text/event-stream,
# MCP-Protocol-Version and X-User-Email; straight to the upstream also its Authorization.
# wrk, the gateway and the upstream share the machine's cores: compare figures of one run only.
# Each run also reports the CPU time per request of mcpauth, of the upstream and of wrk (from
# /proc), which depends less on other load than req/s does. At the end, forwarding_floor (built
# with the benchmarks) measures what the four loopback socket calls of any forwarder cost here,
# and from it the largest share of the direct throughput that any gateway could keep.
#
# Needs: wrk, curl, node, python3.
set -euo pipefail

# shellcheck source=bench_lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"
bench_id=gateway

duration=10
connections=1,16
threads=2
warmup=2
rounds=3
parse_options build-dir duration connections threads warmup rounds -- "$@"
whole --duration "$duration" 1
whole --threads "$threads" 1
whole --warmup "$warmup" 0
whole --rounds "$rounds" 1
IFS=, read -r -a connection_counts <<<"$connections"
[ ${#connection_counts[@]} -gt 0 ] || die "--connections needs at least one number"
max_connections=64
for c in "${connection_counts[@]}"; do
  whole --connections "$c" 1
  max_connections=$((c > max_connections ? c : max_connections)) # one thread per connection, none queued
done

require_build "$build_dir" oauth21 sqlite
floor_bin=$build/bin/forwarding_floor
[ -x "$floor_bin" ] || die "$floor_bin is missing: build the target forwarding_floor"
for tool in wrk curl node python3; do
  command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install -y wrk curl nodejs python3)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcpauth-gateway-bench.XXXXXX")
pids=()
cleanup() {
  stop_wrk
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

user=bench@example.com
token=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
OAUTH_STORAGE_ENCRYPTION_KEY=$("$mcpauth" keygen)
export OAUTH_STORAGE_ENCRYPTION_KEY

progress "starting the upstream"
UPSTREAM_TOKEN=$token node "$bench_dir/gateway_bench_upstream.mjs" >"$tmp/upstream.out" 2>"$tmp/upstream.log" &
upstream_pid=$!
pids+=("$upstream_pid")
for ((i = 0; ; i++)); do
  [ -s "$tmp/upstream.out" ] && break
  kill -0 "$upstream_pid" 2>/dev/null || die "the upstream exited while starting: $(cat "$tmp/upstream.log")"
  [ "$i" -lt 200 ] || die "the upstream did not start listening within 10 s"
  sleep 0.05
done
upstream_url=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["url"])' <"$tmp/upstream.out")

cat >"$tmp/mcp.json" <<EOF
{
  "mcpauth": {
    "default_storage": {"plugin": "sqlite", "config": {"path": "$tmp/tokens.db"}},
    "limits": {"max_connections": $max_connections}
  },
  "up": {"url": "$upstream_url", "transport": "http", "auth": {"plugin": "oauth21", "config": {}},
         "description": "the gateway benchmark's MCP server"}
}
EOF

# The variants: where wrk sends, and the mcpauth process to account CPU to (none: direct).
declare -A url pid
url[direct]=$upstream_url
pid[direct]=
variants=(direct)
commands=("upstream: UPSTREAM_TOKEN=... node $bench_dir/gateway_bench_upstream.mjs")
start_mcpauth() {
  local variant=$1
  start_serve "$variant" "$2" "$3" "$tmp/mcp.json"
  pid[$variant]=$serve_pid
  pids+=("$serve_pid")
  url[$variant]="$serve_base/mcp/up"
  variants+=("$variant")
}
start_mcpauth gateway warn "$tmp/gateway.log"
start_mcpauth gateway-info info /dev/null

base=${url[gateway]%/mcp/up}
answer=$(curl -s -o "$tmp/upload.out" -w '%{http_code}' -X POST -H "X-User-Email: $user" \
  -H 'Content-Type: application/json' -d "{\"token\": \"$token\", \"expires_at\": $(($(date +%s) + 86400))}" \
  "$base/api/mcp/auth/up/token")
[ "$answer" = 200 ] || die "storing the user's token answered $answer: $(cat "$tmp/upload.out")"

export GATEWAY_BENCH_BODY='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello from wrk"}}}'
expected='{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"hello from wrk"}]}}'
headers=(-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream'
  -H 'MCP-Protocol-Version: 2025-06-18' -H "X-User-Email: $user")
# request_headers VARIANT: the headers into $request; straight to the upstream with the token
# that the gateway otherwise adds.
request_headers() {
  request=("${headers[@]}")
  if [ "$1" = direct ]; then request+=(-H "Authorization: Bearer $token"); fi
}

for variant in "${variants[@]}"; do
  request_headers "$variant"
  answer=$(curl -s -o "$tmp/answer.out" -w '%{http_code}' "${request[@]}" -d "$GATEWAY_BENCH_BODY" "${url[$variant]}")
  if [ "$answer" != 200 ] || [ "$(cat "$tmp/answer.out")" != "$expected" ]; then
    die "$variant: the tools/call answered $answer: $(cat "$tmp/answer.out")"
  fi
done

# Columns of $tmp/runs: connections round variant req/s p50 p99 mcpauth_us upstream_us wrk_us other load
measure() {
  local variant=$1 c=$2 round=$3 t out=$tmp/wrk.out args
  t=$((threads < c ? threads : c))
  request_headers "$variant"
  args=(-t"$t" -c"$c" -s "$bench_dir/gateway_bench.lua" "${request[@]}")
  if [ "$warmup" -gt 0 ]; then run_wrk /dev/null "${args[@]}" -d"${warmup}s" "${url[$variant]}"; fi
  progress "round $round: $variant, $c connections"
  local mcpauth0 mcpauth1 upstream0 upstream1 machine0 machine1 wrk0 requests
  mcpauth0=$([ -n "${pid[$variant]}" ] && process_ticks "${pid[$variant]}" || echo 0)
  upstream0=$(process_ticks "$upstream_pid")
  machine0=$(machine_ticks)
  children_ticks "$tmp/times"
  wrk0=$children
  run_wrk "$out" "${args[@]}" -d"${duration}s" --latency "${url[$variant]}"
  children_ticks "$tmp/times"
  machine1=$(machine_ticks)
  upstream1=$(process_ticks "$upstream_pid")
  mcpauth1=$([ -n "${pid[$variant]}" ] && process_ticks "${pid[$variant]}" || echo 0)
  if grep -q 'Non-2xx' "$out"; then
    cat "$out" >&2
    die "$variant: some answers were not 2xx"
  fi
  if grep -q 'Socket errors' "$out"; then progress "$variant: $(grep 'Socket errors' "$out")"; fi
  requests=$(wrk_requests "$out")
  echo "$c $round $variant $(wrk_rps "$out") $(wrk_latency_ms "$out" 50) $(wrk_latency_ms "$out" 99)" \
    "$(us_per_request $((mcpauth1 - mcpauth0)) "$requests") $(us_per_request $((upstream1 - upstream0)) "$requests")" \
    "$(us_per_request $((children - wrk0)) "$requests")" \
    "$(other_cpu "$machine0" "$machine1" $((mcpauth1 - mcpauth0 + upstream1 - upstream0 + children - wrk0)))" \
    "$(load1)" >>"$tmp/runs"
}

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$tmp/runs"
for ((round = 1; round <= rounds; round++)); do
  order=()
  for variant in "${variants[@]}"; do
    if ((round % 2)); then order+=("$variant"); else order=("$variant" "${order[@]}"); fi
  done
  for c in "${connection_counts[@]}"; do
    for variant in "${order[@]}"; do measure "$variant" "$c" "$round"; done
  done
done
progress "measuring the forwarding floor"
for _ in 1 2 3; do "$floor_bin" 200000; done >"$tmp/floor"
floor_cpu=$(cut -d' ' -f1 "$tmp/floor" | sort -g | sed -n 2p)
floor_wall=$(cut -d' ' -f2 "$tmp/floor" | sort -g | sed -n 2p)
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

echo "## MCP gateway of mcpauth serve vs straight to the MCP server ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
echo "- machine: $(nproc) cores, ${cpu_model:-unknown CPU}, $(uname -sr); load average $load_start at the start, $load_end at the end"
echo "- wrk $(wrk -v 2>&1 | awk 'NR == 1 { print $2 }'): $duration s per run after a $warmup s warm-up, $rounds runs of each variant per connection count, interleaved; up to $threads wrk threads"
echo "- upstream: node $(node --version) http module (gateway_bench_upstream.mjs); mcpauth: $mcpauth, oauth21 with a stored user token, sqlite store"
echo
echo "Medians over the rounds (latency in ms; \"+p50\", \"+p99\": gateway minus direct; \"kept\": gateway req/s / direct req/s):"
echo
echo "| connections | direct req/s | p50 | p99 | gateway req/s | p50 | p99 | +p50 | +p99 | kept | gateway, info log: req/s | p50 | p99 | +p50 | kept |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
median_of() { # median_of CONNECTIONS VARIANT COLUMN
  awk -v c="$1" -v v="$2" -v col="$3" '$1 == c && $3 == v { print $col }' "$tmp/runs" | sort -g |
    awk '{ a[NR] = $1 } END { printf "%s", NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
verdicts=()
for c in "${connection_counts[@]}"; do
  declare -A m=()
  for variant in "${variants[@]}"; do
    for col in 4 5 6; do m[$variant,$col]=$(median_of "$c" "$variant" "$col"); done
  done
  row=$(awk -v dr="${m[direct,4]}" -v d50="${m[direct,5]}" -v d99="${m[direct,6]}" \
    -v gr="${m[gateway,4]}" -v g50="${m[gateway,5]}" -v g99="${m[gateway,6]}" \
    -v ir="${m[gateway-info,4]}" -v i50="${m[gateway-info,5]}" -v i99="${m[gateway-info,6]}" -v c="$c" 'BEGIN {
      printf "| %d | %.0f | %.3f | %.3f | %.0f | %.3f | %.3f | %+.3f | %+.3f | %.0f%% | %.0f | %.3f | %.3f | %+.3f | %.0f%% |",
        c, dr, d50, d99, gr, g50, g99, g50 - d50, g99 - d99, gr / dr * 100, ir, i50, i99, i50 - d50, ir / dr * 100 }')
  echo "$row"
  note="median of $rounds wrk runs of ${duration}s, $c connection$([ "$c" = 1 ] || echo s)"
  figure figure="tools/call p50 latency, $c conn." unit=ms value="${m[gateway,5]}" peer=direct \
    peer_value="${m[direct,5]}" target="excess < 0.3" note="$note"
  figure figure="tools/call p99 latency, $c conn." unit=ms value="${m[gateway,6]}" peer=direct \
    peer_value="${m[direct,6]}" note="$note"
  figure figure="tools/call req/s, $c conn." unit=req/s value="${m[gateway,4]}" peer=direct \
    peer_value="${m[direct,4]}" target="ratio >= 0.8" note="$note"
  verdicts+=("$(awk -v dr="${m[direct,4]}" -v d50="${m[direct,5]}" -v gr="${m[gateway,4]}" -v g50="${m[gateway,5]}" -v c="$c" 'BEGIN {
      printf "- %d connections: p50 added %.3f ms (%s), throughput kept %.0f%% (%s)", c,
        g50 - d50, (g50 - d50 < 0.3) ? "met" : "missed", gr / dr * 100, (gr >= 0.8 * dr) ? "met" : "missed" }')")
done
echo
echo "Targets (gateway with --log-level warn): p50 adds < 0.3 ms; keeps >= 80% of direct req/s:"
for verdict in "${verdicts[@]}"; do echo "$verdict"; done
echo
echo "What any gateway could keep here: the four loopback socket calls a forwarder makes per request (the"
echo "request in, out to the MCP server, the answer in, out to the client), with no work between them,"
echo "cost $floor_cpu µs of CPU and $floor_wall µs of wall time per request on this machine (forwarding_floor,"
echo "200,000 round trips, median of 3 runs). So at most, whatever the gateway:"
for c in "${connection_counts[@]}"; do
  if [ "$c" = 1 ]; then # one request at a time: the extra hop's time adds to each request's
    ceiling=$(awk -v rps="$(median_of 1 direct 4)" -v w="$floor_wall" 'BEGIN { t = 1e6 / rps; printf "%.0f", t / (t + w) * 100 }')
    echo "- 1 connection: $ceiling% (time per direct request / (that + $floor_wall µs))"
  else # the cores are busy: the gateway's CPU time comes out of the upstream's and wrk's
    ceiling=$(awk -v up="$(median_of "$c" direct 8)" -v wrk="$(median_of "$c" direct 9)" -v f="$floor_cpu" \
      'BEGIN { printf "%.0f", (up + wrk) / (up + wrk + f) * 100 }')
    echo "- $c connections: $ceiling% ((upstream + wrk CPU µs per direct request) / (that + $floor_cpu µs))"
  fi
  figure figure="req/s share any gateway could keep, $c conn." unit=% value="$ceiling" \
    note="from forwarding_floor: $floor_cpu µs CPU, $floor_wall µs wall per forwarded request"
done
echo
echo "Every run: CPU µs per request of mcpauth, of the upstream and of wrk (user + system, from /proc),"
echo "the share of the machine's CPU time that none of them used (other work: figures with much of it"
echo "are low), and the 1-minute load average after the run (it counts the benchmark's own threads):"
echo
echo "| connections | round | variant | req/s | p50 ms | p99 ms | mcpauth µs/req | upstream µs/req | wrk µs/req | other CPU | load |"
echo "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
sort -k1,1n -k2,2n -s "$tmp/runs" | awk '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $3 == "direct" ? "-" : $7, $8, $9, $10, $11 }'
echo
echo "Commands (in $tmp, removed afterwards; on 127.0.0.1):"
echo
for command in "${commands[@]}"; do echo "    $command"; done
echo "    wrk -tT -cC -d${duration}s --latency -s $bench_dir/gateway_bench.lua $(quoted "${headers[@]}") -H 'Authorization: Bearer ...' $upstream_url   (direct)"
echo "    wrk -tT -cC -d${duration}s --latency -s $bench_dir/gateway_bench.lua $(quoted "${headers[@]}") http://127.0.0.1:PORT/mcp/up   (gateway, gateway-info)"
echo "    (each after the same with -d${warmup}s, unmeasured; GATEWAY_BENCH_BODY=$(quoted "$GATEWAY_BENCH_BODY"); T = min(C, $threads))"

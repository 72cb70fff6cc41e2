#!/usr/bin/env bash
# The HTTP API benchmark: requests/s and p99 latency of `mcpauth serve` for
# GET /api/mcp/auth/status and GET /admin/mcp/{server}/jwt, measured with wrk on loopback, next
# to a minimal FastAPI + uvicorn app doing the same work (tests/bench/api_bench_fastapi.py), the
# stack the seed (Atlas UI 3) runs on. The target is at least 5x FastAPI's throughput.
# A benchmark, not a test: it builds nothing and asserts only that every answer is a 200.
# Prints a Markdown table on stdout; progress goes to stderr.
#
# Usage: tests/bench/run_api_bench.sh [--build-dir DIR] [--duration S] [--connections N]
#                                     [--threads N] [--warmup S] [--storage sqlite|memory]
#                                     [--json FILE]
#   --build-dir DIR    a built tree with bin/mcpauth and the manual_jwt, none and sqlite (or
#                      memory) plugins (default: build in the repository root)
#   --duration S       seconds of each measured wrk run (default 10)
#   --connections N    wrk connections (default 32)
#   --threads N        wrk threads (default 2)
#   --warmup S         seconds of an unmeasured wrk run before each measured one (default 3)
#   --storage NAME     mcpauth's token store: sqlite (default; the default embedded store,
#                      in a temporary directory) or memory (not encrypted: for comparison only)
#   --json FILE        also write the figures to FILE, a JSON object a line (tests/bench/README.md)
#   -h, --help         show this text
#
# The setup: 4 servers (jwt-a, jwt-b, jwt-c with auth_type jwt and group "users", open with
# auth_type none); the bench user is in "admin" and "users"; a server-level JWT is stored for
# jwt-a and jwt-b (POST /admin/mcp/{s}/jwt), so the status route decrypts 2 records and misses 4
# lookups per request, and the admin route reads jwt-a. Servers run one at a time, on
# 127.0.0.1 only: mcpauth with --log-level warn (log to a file); mcpauth with the default info
# log (one line per request) to /dev/null; FastAPI with 1 uvicorn worker (python3 -m uvicorn);
# FastAPI with 2 workers (uvicorn's supervisor, with TCP_NODELAY: api_bench_fastapi.py main());
# and stock `uvicorn --workers 2`, which on asyncio leaves Nagle's algorithm on (every answer
# after the first on a connection waits ~40 ms for a delayed ACK: Kludex/uvicorn#3149).
# wrk runs on the same machine and takes CPU from the server: compare figures of one run only;
# the server's CPU time per request is printed too, as it depends less on other load.
#
# Needs: wrk, curl, and a python3 with fastapi, uvicorn and cryptography (without that python,
# only mcpauth is measured, and the output says the peer is missing):
#   apt-get install -y wrk curl python3-fastapi python3-uvicorn python3-cryptography
# ($PYTHON chooses the interpreter; by default the first of python3 and /usr/bin/python3 that
# has them.) uvicorn uses uvloop and httptools when they can be imported (pip's uvicorn[standard];
# Debian's python3-uvloop and python3-httptools), else asyncio and h11: the output says which.
set -euo pipefail

# shellcheck source=bench_lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"
bench_id=api

duration=10
connections=32
threads=2
warmup=3
storage=sqlite
parse_options build-dir duration connections threads warmup storage -- "$@"
whole --duration "$duration" 1
whole --connections "$connections" 1
whole --threads "$threads" 1
whole --warmup "$warmup" 0
[[ $storage == sqlite || $storage == memory ]] || die "--storage is sqlite or memory, not '$storage'"
[ "$connections" -ge "$threads" ] || die "--connections must be at least --threads"

require_build "$build_dir" manual_jwt none "$storage"
install_hint="apt-get install -y wrk curl python3-fastapi python3-uvicorn python3-cryptography"
command -v wrk >/dev/null || die "wrk is not installed: $install_hint"
command -v curl >/dev/null || die "curl is not installed: $install_hint"
# The peer's python; without one, mcpauth is measured alone and the output says why.
python=
for candidate in ${PYTHON:-python3 /usr/bin/python3}; do
  if "$candidate" -c 'import fastapi, uvicorn, cryptography' 2>/dev/null; then
    python=$(command -v "$candidate")
    break
  fi
done
peer_missing=
if [ -z "$python" ]; then
  peer_missing="no python3 with fastapi, uvicorn and cryptography (apt-get install -y python3-fastapi python3-uvicorn python3-cryptography)"
  progress "FastAPI is not measured: tried ${PYTHON:-python3 /usr/bin/python3}: $peer_missing"
  python=python3
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcpauth-api-bench.XXXXXX")
server_pid=
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}
cleanup() {
  stop_wrk
  stop_server
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

user=bench@example.com
key=$("$mcpauth" keygen)
export OAUTH_STORAGE_ENCRYPTION_KEY="$key" JWT_STORAGE_ENCRYPTION_KEY="$key"
# A JWT as an identity provider would issue it (valid for 30 days; the signature is not checked).
jwt=$("$python" -c '
import base64, json, time
seg = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
obj = lambda o: seg(json.dumps(o, separators=(",", ":")).encode())
print(obj({"alg": "RS256", "typ": "JWT"}) + "." + obj({"iss": "https://idp.example.com", "sub": "svc-bench",
      "aud": "mcp", "iat": int(time.time()), "exp": int(time.time()) + 30 * 86400}) + "." + seg(bytes(256)))')
seeded=(jwt-a jwt-b)
if [ "$storage" = sqlite ]; then
  storage_json="{\"plugin\": \"sqlite\", \"config\": {\"path\": \"$tmp/tokens.db\"}}"
else
  storage_json='{"plugin": "memory", "config": {}}'
fi
max_connections=$((connections > 64 ? connections : 64)) # one thread per connection, none queued
cat >"$tmp/mcp.json" <<EOF
{
  "mcpauth": {
    "admin_group": "admin",
    "user_groups": {"$user": ["admin", "users"]},
    "default_storage": $storage_json,
    "limits": {"max_connections": $max_connections}
  },
  "jwt-a": {"url": "https://a.example.com/mcp", "auth_type": "jwt", "groups": ["users"], "description": "JWT server A"},
  "jwt-b": {"url": "https://b.example.com/mcp", "auth_type": "jwt", "groups": ["users"], "description": "JWT server B"},
  "jwt-c": {"url": "https://c.example.com/mcp", "auth_type": "jwt", "groups": ["users"], "description": "JWT server C"},
  "open": {"url": "https://open.example.com/mcp", "auth_type": "none", "description": "no authentication"}
}
EOF
export API_BENCH_CONFIG="$tmp/mcp.json"
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in tests/bench
API_BENCH_SEED=$("$python" -c 'import json, sys; print(json.dumps({s: sys.argv[1] for s in sys.argv[2:]}))' "$jwt" "${seeded[@]}")
export API_BENCH_SEED

routes=(/api/mcp/auth/status /admin/mcp/jwt-a/jwt)
wrk_args=(-t"$threads" -c"$connections" -d"${duration}s" --latency -H "X-User-Email: $user")
declare -A rps p99 load cpu other
commands=()

# Measures both routes against the server at $2; $1 names the variant.
measure() {
  local variant=$1 base=$2 route out
  for route in "${routes[@]}"; do
    local answer
    answer=$(curl -s -o /dev/null -w '%{http_code}' -H "X-User-Email: $user" "$base$route")
    [ "$answer" = 200 ] || die "$variant: GET $route answered $answer, not 200"
    if [ "$warmup" -gt 0 ]; then
      run_wrk /dev/null -t"$threads" -c"$connections" -d"${warmup}s" -H "X-User-Email: $user" "$base$route"
    fi
    out="$tmp/wrk.out"
    progress "$variant: wrk $(quoted "${wrk_args[@]}") $base$route"
    local before after machine0 machine1 wrk0
    before=$(process_ticks "$server_pid")
    machine0=$(machine_ticks)
    children_ticks "$tmp/times"
    wrk0=$children
    run_wrk "$out" "${wrk_args[@]}" "$base$route"
    children_ticks "$tmp/times"
    machine1=$(machine_ticks)
    after=$(process_ticks "$server_pid")
    if grep -q 'Non-2xx' "$out"; then
      cat "$out" >&2
      die "$variant: some answers to GET $route were not 2xx"
    fi
    if grep -q 'Socket errors' "$out"; then progress "$variant: $(grep 'Socket errors' "$out")"; fi
    rps[$variant,$route]=$(wrk_rps "$out")
    p99[$variant,$route]=$(wrk_latency_ms "$out" 99)
    load[$variant,$route]=$(load1)
    # The share of the machine's CPU time that neither the server nor wrk used: other work.
    other[$variant,$route]=$(other_cpu "$machine0" "$machine1" $((after - before + children - wrk0)))
    cpu[$variant,$route]=$(us_per_request $((after - before)) "$(wrk_requests "$out")")
  done
}

run_mcpauth() {
  local variant=$1 base
  start_serve "$variant" "$2" "$3" "$tmp/mcp.json"
  server_pid=$serve_pid
  base=$serve_base
  local s answer
  for s in "${seeded[@]}"; do
    answer=$(curl -s -o "$tmp/upload.out" -w '%{http_code}' -X POST -H "X-User-Email: $user" \
      -H 'Content-Type: application/json' -d "{\"jwt_token\": \"$jwt\"}" "$base/admin/mcp/$s/jwt")
    [ "$answer" = 200 ] || die "uploading the JWT of $s answered $answer: $(cat "$tmp/upload.out")"
  done
  measure "$variant" "$base"
  stop_server
}

# $2 workers; $3 "uvicorn": python3 -m uvicorn; "supervisor": api_bench_fastapi.py's main(),
# uvicorn's multi-worker supervisor without the TCP_NODELAY bug of --workers N (see there).
run_fastapi() {
  local variant=$1 workers=$2 launcher=$3 port base args
  port=$(free_port)
  base="http://127.0.0.1:$port"
  if [ "$launcher" = uvicorn ]; then
    args=(-m uvicorn api_bench_fastapi:app --app-dir "$bench_dir" --host 127.0.0.1 --port "$port"
      --workers "$workers" --log-level warning --no-access-log)
  else
    args=("$bench_dir/api_bench_fastapi.py" --port "$port" --workers "$workers")
  fi
  commands+=("$variant: $(quoted "$python" "${args[@]}")")
  progress "starting $variant"
  "$python" "${args[@]}" 2>"$tmp/server.log" &
  server_pid=$!
  wait_healthz "$base" "$server_pid" "$tmp/server.log"
  # With several workers, /healthz may have come from the first one up: let the others start.
  if [ "$workers" -gt 1 ]; then sleep 2; fi
  measure "$variant" "$base"
  stop_server
}

if [ -z "$peer_missing" ]; then
  # uvicorn's "auto" choices: httptools and uvloop when they import, else h11 and asyncio.
  uvicorn_impl=$("$python" -c '
def has(name):
    try:
        __import__(name)
        return True
    except ImportError:
        return False
print(("httptools" if has("httptools") else "h11") + ", " + ("uvloop" if has("uvloop") else "asyncio"))')
  versions=$("$python" -c 'import fastapi, uvicorn, cryptography
print(f"FastAPI {fastapi.__version__}, uvicorn {uvicorn.__version__}, cryptography {cryptography.__version__}")')
fi
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

variants=(mcpauth mcpauth-info)
run_mcpauth mcpauth warn "$tmp/server.log"
run_mcpauth mcpauth-info info /dev/null
if [ -z "$peer_missing" ]; then
  variants+=(fastapi-1 fastapi-2 fastapi-2-stock)
  run_fastapi fastapi-1 1 uvicorn
  run_fastapi fastapi-2 2 supervisor
  run_fastapi fastapi-2-stock 2 uvicorn
fi
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# ratio A B: A / B as "N.Nx", "-" without B.
ratio() { if [ -n "$2" ]; then awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; else echo -; fi; }
status=${routes[0]} admin=${routes[1]}
missing="peer missing"

echo "## mcpauth serve vs FastAPI + uvicorn ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
echo "- machine: $(nproc) cores, ${cpu_model:-unknown CPU}, $(uname -sr); load average $load_start at the start, $load_end at the end"
echo "- wrk $(wrk -v 2>&1 | awk 'NR == 1 { print $2 }'): $threads threads, $connections connections, $duration s after a $warmup s warm-up; wrk shares the cores with the server"
echo "- mcpauth: $mcpauth, $storage storage, a thread per connection (max_connections $max_connections), --log-level warn; \"info log\": the default level (a line per request) to /dev/null"
if [ -n "$peer_missing" ]; then
  echo "- FastAPI: NOT MEASURED, the peer is missing on this machine: $peer_missing"
else
  echo "- FastAPI: $versions ($uvicorn_impl), $python; async handlers, in-memory Fernet store, log level warning, no access log;"
  echo "  1 worker: python3 -m uvicorn; 2 workers: uvicorn's supervisor with TCP_NODELAY (api_bench_fastapi.py main());"
  echo "  stock --workers 2 leaves Nagle on with asyncio (Kludex/uvicorn#3149), see the last table"
fi
echo
echo "| route | mcpauth req/s | p99 ms | mcpauth info log req/s | p99 ms | FastAPI 1 worker req/s | p99 ms | FastAPI 2 workers req/s | p99 ms | mcpauth / FastAPI 1w | mcpauth / FastAPI 2w |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for route in "${routes[@]}"; do
  echo "| GET $route | ${rps[mcpauth,$route]} | ${p99[mcpauth,$route]} | ${rps[mcpauth-info,$route]} | ${p99[mcpauth-info,$route]} |" \
    "${rps[fastapi-1,$route]:-$missing} | ${p99[fastapi-1,$route]:--} | ${rps[fastapi-2,$route]:-$missing} | ${p99[fastapi-2,$route]:--} |" \
    "$(ratio "${rps[mcpauth,$route]}" "${rps[fastapi-1,$route]:-}") | $(ratio "${rps[mcpauth,$route]}" "${rps[fastapi-2,$route]:-}") |"
done
echo
echo "Target, mcpauth at least 5x FastAPI's throughput:"
for route in "${routes[@]}"; do
  if [ -n "$peer_missing" ]; then
    verdict="not known, FastAPI was not measured"
  else
    verdict=$(awk -v a="${rps[mcpauth,$route]}" -v b="${rps[fastapi-1,$route]}" -v c="${rps[fastapi-2,$route]}" \
      'BEGIN { print (a >= 5 * b ? "met" : "missed") " against 1 worker, " (a >= 5 * c ? "met" : "missed") " against 2 workers" }')
  fi
  echo "- GET $route: $verdict"
done
echo
echo "Every run: the server's CPU time per request (user + system of all its processes, from /proc;"
echo "less sensitive than req/s to other work on the machine), the share of the machine's CPU time"
echo "used by neither the server nor wrk (other work: figures with much of it are low), and the"
echo "1-minute load average after the run (it counts the server's and wrk's threads too):"
echo
echo "| server | status req/s | p99 ms | CPU µs/req | other CPU | load | admin jwt req/s | p99 ms | CPU µs/req | other CPU | load |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for variant in "${variants[@]}"; do
  echo "| $variant | ${rps[$variant,$status]} | ${p99[$variant,$status]} | ${cpu[$variant,$status]} | ${other[$variant,$status]} | ${load[$variant,$status]} |" \
    "${rps[$variant,$admin]} | ${p99[$variant,$admin]} | ${cpu[$variant,$admin]} | ${other[$variant,$admin]} | ${load[$variant,$admin]} |"
done
echo
echo "Commands (in $tmp, removed afterwards; one server at a time, on 127.0.0.1):"
echo
for command in "${commands[@]}"; do echo "    $command"; done
echo "    wrk $(quoted "${wrk_args[@]}") http://127.0.0.1:PORT{$status,$admin}   (each after the same with -d${warmup}s, unmeasured)"

# api_figure ROUTE VARIANT PEER VALUES TITLE UNIT [TARGET]: mcpauth's figure from the associative
# array VALUES (rps, p99, cpu) with the FastAPI VARIANT's, named PEER.
api_figure() {
  local route=$1 variant=$2 peer=(peer="$3")
  local -n values=$4
  if [ -n "$peer_missing" ]; then peer+=(peer_missing="$peer_missing"); else peer+=(peer_value="${values[$variant,$route]}"); fi
  figure figure="GET $route: $5" unit="$6" value="${values[mcpauth,$route]}" "${peer[@]}" ${7:+target="$7"} \
    note="wrk -t$threads -c$connections -d${duration}s, $storage store"
}
for route in "${routes[@]}"; do
  api_figure "$route" fastapi-1 "FastAPI 1 worker" rps "req/s" req/s "ratio >= 5"
  api_figure "$route" fastapi-2 "FastAPI 2 workers" rps "req/s" req/s "ratio >= 5"
  api_figure "$route" fastapi-1 "FastAPI 1 worker" p99 "p99 latency" ms
  api_figure "$route" fastapi-1 "FastAPI 1 worker" cpu "server CPU per request" µs
done

# Shell pieces shared by the benchmark scripts (run_*_bench.sh). Source it right after
# `set -euo pipefail`; messages then name the script that sourced it.
# shellcheck shell=bash

bench_script=${BASH_SOURCE[1]}
# The directory of the benchmarks, the repository, and the default --build-dir.
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench_repo=$(cd "$bench_dir/../.." && pwd)
# shellcheck disable=SC2034 # read by the scripts that source this file
build_dir="$bench_repo/build"
clock_ticks=$(getconf CLK_TCK)

# The script's header comment, from its second line down to `set -euo pipefail`.
usage() { sed -n '2,/^set -euo pipefail$/{/^set /d;s/^# \{0,1\}//;p}' "$bench_script"; }
die() {
  echo "${bench_script##*/}: $*" >&2
  exit 2
}
progress() { echo "${bench_script##*/}: $*" >&2; }

# A command line as it can be pasted into a shell.
quoted() {
  local arg words=()
  for arg in "$@"; do
    if [[ $arg =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then words+=("$arg"); else words+=("'${arg//\'/\'\\\'\'}'"); fi
  done
  echo "${words[*]}"
}

# whole OPTION VALUE MIN: dies unless VALUE is a whole number >= MIN.
whole() { [[ $2 =~ ^[0-9]+$ && $2 -ge $3 ]] || die "$1 takes a whole number >= $3, not '$2'"; }

# parse_options NAME... -- ARGS...: the script's command line. Each NAME is a long option taking a
# value (--NAME VALUE or --NAME=VALUE), stored in the variable NAME with - turned into _ (set its
# default before); -h/--help prints the header comment. Every script also takes --json FILE (into
# $json_file): its figures as JSON lines, see figure().
json_file=
parse_options() {
  local names=(json) name known
  while [ "$1" != -- ]; do
    names+=("$1")
    shift
  done
  shift
  while [ $# -gt 0 ]; do
    if [ "$1" = -h ] || [ "$1" = --help ]; then
      usage
      exit 0
    fi
    known=
    for name in "${names[@]}"; do
      if [ "$1" = "--$name" ]; then
        [ $# -ge 2 ] || die "$1 needs a value"
        set -- "$1=$2" "${@:3}"
      fi
      if [[ $1 == --$name=* ]]; then
        if [ "$name" = json ]; then name=json_file; fi
        printf -v "${name//-/_}" '%s' "${1#*=}"
        known=1
        shift
        break
      fi
    done
    [ -n "$known" ] || { usage >&2; die "unknown argument: $1"; }
  done
  if [ -n "$json_file" ]; then : >"$json_file" || die "cannot write --json $json_file"; fi
}

# require_build DIR PLUGIN...: DIR is a built tree with bin/mcpauth and these plugins; sets $build
# (absolute) and $mcpauth.
require_build() {
  local plugin
  [ -d "$1" ] || die "no build directory '$1' (give --build-dir DIR)"
  build=$(cd "$1" && pwd)
  mcpauth="$build/bin/mcpauth"
  [ -x "$mcpauth" ] || die "$mcpauth is missing: build the target mcpauth first"
  shift
  for plugin in "$@"; do
    [ -e "$build/lib/mcpauth/plugins/mcpauth_$plugin.so" ] ||
      die "$build/lib/mcpauth/plugins/mcpauth_$plugin.so is missing: build the target mcpauth_$plugin"
  done
}

# figure KEY=VALUE...: one figure of the benchmark $bench_id as a JSON line into $json_file
# (nothing without --json). Keys: figure, unit, value (required), peer, peer_value, peer_missing
# (why there is no peer figure), target ("value|ratio|excess OP LIMIT", OP one of < <= >= >;
# ratio = value / peer_value, excess = value - peer_value), note. tests/bench/README.md
# describes them.
number_pattern='^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$'
target_pattern='^(value|ratio|excess) (<|<=|>=|>) [0-9]+(\.[0-9]+)?$'
figure() {
  [ -n "$json_file" ] || return 0
  local pair key value fields=("\"bench\": \"$bench_id\"") of op limit
  for pair in "$@"; do
    key=${pair%%=*}
    value=${pair#*=}
    case "$key" in
      value | peer_value)
        [[ $value =~ $number_pattern ]] || die "figure: $key is not a number: '$value'"
        fields+=("\"$key\": $value")
        ;;
      target)
        [[ $value =~ $target_pattern ]] || die "figure: bad target '$value'"
        read -r of op limit <<<"$value"
        fields+=("\"target\": {\"of\": \"$of\", \"op\": \"$op\", \"limit\": $limit}")
        ;;
      figure | unit | peer | peer_missing | note)
        value=${value//\\/\\\\}
        fields+=("\"$key\": \"${value//\"/\\\"}\"")
        ;;
      *) die "figure: unknown key '$key'" ;;
    esac
  done
  local IFS=,
  echo "{${fields[*]}}" >>"$json_file"
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_healthz BASE_URL PID LOG: waits until BASE_URL/healthz answers; dies (with LOG) if PID exits first.
wait_healthz() {
  local i
  for ((i = 0; i < 200; i++)); do
    curl -sf -o /dev/null "$1/healthz" && return 0
    kill -0 "$2" 2>/dev/null || die "the server exited while starting; its log: $(cat "$3" 2>/dev/null)"
    sleep 0.05
  done
  die "the server did not answer $1/healthz within 10 s"
}

# start_serve VARIANT LEVEL LOG CONFIG: `$mcpauth --config CONFIG --log-level LEVEL serve` on a
# free port of 127.0.0.1, in the background, stderr to LOG; waits for its /healthz. Sets
# $serve_pid and $serve_base; adds the command line (named VARIANT) to the array $commands.
start_serve() {
  local port
  port=$(free_port)
  serve_base="http://127.0.0.1:$port"
  commands+=("$1: $mcpauth --config ${4##*/} --log-level $2 serve --listen 127.0.0.1:$port 2>$3")
  progress "starting $1"
  "$mcpauth" --config "$4" --log-level "$2" serve --listen "127.0.0.1:$port" 2>"$3" &
  serve_pid=$!
  wait_healthz "$serve_base" "$serve_pid" "$3"
}

# run_wrk OUT WRK_ARGS...: wrk in the background, waited for, so that a signal's trap runs at
# once; stop_wrk (for that trap) ends it.
wrk_pid=
run_wrk() {
  local out=$1
  shift
  wrk "$@" >"$out" &
  wrk_pid=$!
  wait "$wrk_pid"
  wrk_pid=
}
stop_wrk() {
  if [ -n "$wrk_pid" ]; then kill "$wrk_pid" 2>/dev/null || true; fi
}

# wrk_latency_ms OUT PERCENT: a line of wrk's --latency distribution ("99%   16.76ms") in ms.
wrk_latency_ms() {
  awk -v p="$2%" '$1 == p { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
       f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.3f", v * f }' "$1"
}
wrk_rps() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1"; }
wrk_requests() { awk '/ requests in / { print $1 }' "$1"; }

# process_ticks PID...: CPU time (user + system, clock ticks) of the processes, all their threads,
# and their direct children (uvicorn's workers).
process_ticks() {
  local pid pids=() total=0 ticks
  for pid in "$@"; do
    # shellcheck disable=SC2207
    pids+=("$pid" $(cat /proc/"$pid"/task/*/children 2>/dev/null || true))
  done
  for pid in "${pids[@]}"; do
    ticks=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }') || ticks=0
    total=$((total + ${ticks:-0}))
  done
  echo "$total"
}

# "busy total" clock ticks of the whole machine, from /proc/stat.
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat; }

# children_ticks FILE: CPU time of this shell's finished children (wrk), in clock ticks, into
# $children. `times` runs in this shell (a subshell would report its own children); its output
# goes through FILE.
# shellcheck disable=SC2034 # read by the scripts that source this file
children=0
children_ticks() {
  times >"$1"
  children=$(awk -v hz="$clock_ticks" 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] }
                                                  printf "%.0f", t * hz }' "$1")
}

# other_cpu MACHINE_TICKS_BEFORE MACHINE_TICKS_AFTER ACCOUNTED_TICKS: the share of the machine's
# CPU time in between that the accounted processes did not use (other work), as "NN%".
other_cpu() {
  awk -v m0="$1" -v m1="$2" -v used="$3" \
    'BEGIN { split(m0, a, " "); split(m1, b, " "); o = (b[1] - a[1] - used) / (b[2] - a[2]) * 100; printf "%.0f%%", o < 0 ? 0 : o }'
}

# us_per_request TICKS REQUESTS: CPU µs per request.
us_per_request() { awk -v t="$1" -v n="$2" -v hz="$clock_ticks" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }'; }

load1() { cut -d' ' -f1 /proc/loadavg; }

# Shell pieces shared by the wrk benchmarks (run_api_bench.sh, run_gateway_bench.sh). Source it
# right after `set -euo pipefail`; messages then name the script that sourced it.
# shellcheck shell=bash

bench_script=${BASH_SOURCE[1]}
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

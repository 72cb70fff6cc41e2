#!/usr/bin/env bash
# Runs every benchmark of tests/bench in sequence and writes one Markdown report: the machine it
# ran on, then one table with each figure next to its peer's figure from the same run, the ratio,
# the target of the issue that asked for it and whether it was met; then each benchmark's own
# output. A benchmark that cannot run, or whose peer is missing here, says so in the table; the
# report is written all the same. See tests/bench/README.md.
#
# Usage: tools/bench-report.sh [--build-dir DIR] [--out FILE] [--quick] [--only LIST]
#   --build-dir DIR  the build tree (default: build in the repository root); configured
#                    (RelWithDebInfo) when it does not exist, and the benchmarks' targets built
#   --out FILE       the report (default: tests/bench/REPORT.md)
#   --quick          short runs (a few minutes in all): a check that everything works; the
#                    figures are rough, and the storage figures are for 1,000 entries
#   --only LIST      comma-separated benchmarks to run, of: fernet storage credentials token
#                    login api gateway (default: all)
#   -h, --help       show this text
# A full run takes about 12 minutes on a quiet 2-core machine, far longer on a busy one (filling
# the durable stores with 100,000 entries is fsync-bound). Run it on a machine as quiet as you can
# get: the load average at the start and the end is in the report.
set -euo pipefail

# shellcheck source=tests/bench/bench_lib.sh source-path=SCRIPTDIR/..
source "$(dirname "${BASH_SOURCE[0]}")/../tests/bench/bench_lib.sh"
repo=$bench_repo

out="$bench_dir/REPORT.md"
quick=
all=fernet,storage,credentials,token,login,api,gateway
only=$all
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = --quick ]; then quick=1; else args+=("$1"); fi
  shift
done
parse_options build-dir out only -- "${args[@]}"
[ -z "$json_file" ] || die "--json is not an option of this script"
IFS=, read -r -a benches <<<"$only"
for bench in "${benches[@]}"; do
  [[ ,$all, == *,$bench,* ]] || die "--only: no benchmark '$bench' (they are: $all)"
done
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")

targets=(mcpauth mcpauth_memory mcpauth_sqlite mcpauth_fernet_file mcpauth_oauth21 mcpauth_manual_jwt mcpauth_none
  fernet_bench storage_bench credentials_bench forwarding_floor)
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  progress "configuring $build_dir"
  launcher=()
  if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache); fi
  cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
fi
progress "building ${targets[*]} in $build_dir"
cmake --build "$build_dir" -j "$(nproc)" --target "${targets[@]}" >/dev/null
build_dir=$(cd "$build_dir" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcpauth-bench-report.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# command_of BENCHMARK: its command line, full or --quick, into $command.
command_of() {
  local b=(--build-dir "$build_dir")
  case "$1" in
    fernet) command=("$bench_dir/run_fernet_bench.sh" "${b[@]}" ${quick:+--seconds 0.5}) ;;
    storage) command=("$bench_dir/run_storage_bench.sh" "${b[@]}" ${quick:+--entries 1000 --samples 300}) ;;
    credentials) command=("$build_dir/bin/credentials_bench" "$build_dir/lib/mcpauth/plugins" ${quick:+20000}) ;;
    token) command=(node "$bench_dir/token_bench.mjs" "${b[@]}" ${quick:+--runs 10 --warmup 1}) ;;
    login) command=("$bench_dir/run_login_bench.sh" "${b[@]}" ${quick:+--runs 2 --warmup 0}) ;;
    api) command=("$bench_dir/run_api_bench.sh" "${b[@]}" ${quick:+--duration 2 --warmup 1}) ;;
    gateway) command=("$bench_dir/run_gateway_bench.sh" "${b[@]}" ${quick:+--duration 2 --warmup 1 --rounds 1}) ;;
  esac
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
start_seconds=$SECONDS
declare -A status_of
for bench in "${benches[@]}"; do
  command_of "$bench"
  progress "running $bench: ${command[*]}"
  bench_start=$SECONDS
  if "${command[@]}" --json "$tmp/$bench.jsonl" >"$tmp/$bench.out" 2>"$tmp/$bench.err"; then
    status_of[$bench]=ok
  else
    status_of[$bench]="failed (exit $?): $(grep -v '^ *at ' "$tmp/$bench.err" | tail -n 1)"
    progress "$bench ${status_of[$bench]}"
  fi
  line=$(quoted "${command[@]}")
  printf '%s\t%s\t%s\t%s\n' "$bench" "$((SECONDS - bench_start))" "${status_of[$bench]}" "${line//"$repo/"/}" >>"$tmp/runs.tsv"
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

cmake_value() { sed -n "s/^$1:[A-Z]*=//p" "$build_dir/CMakeCache.txt"; }
compiler=$(cmake_value CMAKE_CXX_COMPILER)
revision=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ]; then revision+=" + uncommitted changes"; fi
{
  echo "# mcpauth benchmark report"
  echo
  echo "Written by \`tools/bench-report.sh${quick:+ --quick}\` on $started, in $(((SECONDS - start_seconds + 30) / 60)) min.${quick:+ Short runs: rough figures, and the storage figures are for 1,000 entries.}"
  echo
  echo "- CPU: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores"
  echo "- RAM: $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- OS: Debian $(cat /etc/debian_version 2>/dev/null || echo '(not Debian)'), kernel $(uname -r)"
  echo "- compiler: $("$compiler" --version | head -n 1), build type $(cmake_value CMAKE_BUILD_TYPE)"
  echo "- peers: node $(node --version 2>/dev/null || echo missing), $(/usr/bin/python3 --version 2>&1)"
  echo "- git revision: $revision"
  echo "- load average (1, 5, 15 min): $load_start at the start, $load_end at the end"
  echo
  python3 "$bench_dir/bench_report_table.py" "$tmp" "${benches[@]}"
  echo
  echo "## Each benchmark's own output"
  for bench in "${benches[@]}"; do
    echo
    echo "<details><summary>$bench</summary>"
    echo
    echo '```'
    cat "$tmp/$bench.out"
    if [ "${status_of[$bench]}" != ok ]; then
      echo "--- stderr"
      tail -n 20 "$tmp/$bench.err"
    fi
    echo '```'
    echo
    echo "</details>"
  done
} >"$out"
progress "wrote $out"

#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang, -DMCPAUTH_FUZZ=ON, in build-fuzz/) and runs
# each for a bounded time on a temporary copy of its seed corpus (tests/fuzz/corpus/<target>/;
# the repository is never written to). Fails on any crash, leak, timeout or sanitizer report.
# Ends with a table (executions and corpus size per target), then, for each failure, the report's
# first lines and the reproducer in base64: the end of the output is what CI logs keep.
#
#   tools/run-fuzz.sh                      # every target, 15 s each (about 3 minutes: CI)
#   tools/run-fuzz.sh --seconds 600 --target fuzz_jwt
# See tests/fuzz/README.md for longer runs and reproducing a crash.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
seconds=15
only=""
jobs=2

usage() {
  cat <<USAGE
Usage: tools/run-fuzz.sh [--seconds N] [--target NAME] [--build-dir DIR] [--jobs N]
  --seconds N      run each target for N seconds (default $seconds)
  --target NAME    run only this target (one of the directories of tests/fuzz/corpus)
  --build-dir DIR  the fuzzing build (default build-fuzz in the repository)
  --jobs N         parallel compile jobs (default $jobs)
Exit status: 0 when every target ran clean; 1 on a crash, leak, timeout or sanitizer report
(the reproducer's path is printed); 2 on a usage or build error.
USAGE
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=${2:?--seconds needs a value}; shift 2 ;;
    --target) only=${2:?--target needs a value}; shift 2 ;;
    --build-dir) build=${2:?--build-dir needs a value}; shift 2 ;;
    --jobs) jobs=${2:?--jobs needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-fuzz.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "run-fuzz.sh: --seconds must be a positive integer" >&2; exit 2; }

corpora="$root/tests/fuzz/corpus"
targets=()
for dir in "$corpora"/*/; do targets+=("$(basename "$dir")"); done
if [[ -n "$only" ]]; then
  [[ -d "$corpora/$only" ]] || { echo "run-fuzz.sh: no target '$only' (see $corpora)" >&2; exit 2; }
  targets=("$only")
fi

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
echo "== configure and build ${targets[*]} in $build"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMCPAUTH_FUZZ=ON \
  -DMCPAUTH_BUILD_TESTS=OFF "${launcher[@]}" >/dev/null || exit 2
cmake --build "$build" -j "$jobs" --target "${targets[@]}" || exit 2

work=$(mktemp -d "${TMPDIR:-/tmp}/mcpauth-fuzz.XXXXXX")
failed=()
failures="$work/failures"
rows=()
total=0
export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

for target in "${targets[@]}"; do
  echo "== $target: $seconds s"
  mkdir -p "$work/$target/corpus" "$work/$target/artifacts"
  cp -r "$corpora/$target/." "$work/$target/corpus/"
  log="$work/$target/log"
  status=0
  "$build/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/$target/artifacts/" "$work/$target/corpus" >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  execs=${execs:-0}
  size=$(find "$work/$target/corpus" -type f | wc -l)
  total=$((total + execs))
  rows+=("$(printf '%-24s %14s %8s' "$target" "$execs" "$size")")
  reproducers=$(find "$work/$target/artifacts" -type f)
  if [[ $status -ne 0 || -n "$reproducers" ]] || grep -q -e 'runtime error:' -e 'ERROR: AddressSanitizer' \
       -e 'ERROR: LeakSanitizer' "$log"; then
    failed+=("$target")
    {
      echo "!! $target FAILED (exit $status); from $log:"
      grep -m1 -A20 -e '==ERROR' -e 'runtime error:' -e 'ERROR: libFuzzer' -e 'ALARM' "$log" || tail -30 "$log"
      for file in $reproducers; do
        echo "!! reproducer: $file  (run: $build/fuzz/$target $file); its bytes in base64"
        echo "!! (to reproduce elsewhere: base64 -d > crash, then run the target on it):"
        head -c 4096 "$file" | base64 -w 100
      done
    } >>"$failures"
  fi
done

echo
printf '%-24s %14s %8s\n' target executions corpus
for row in "${rows[@]}"; do echo "$row"; done
printf '%-24s %14s\n' total "$total"

if [[ ${#failed[@]} -gt 0 ]]; then
  echo >&2
  cat "$failures" >&2
  echo "FAILED: ${failed[*]} (logs and reproducers kept in $work)" >&2
  exit 1
fi
rm -rf "$work"

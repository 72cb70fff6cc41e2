#!/usr/bin/env bash
# Every test on a new machine: install dependencies, build, run the whole suite with ctest; then
# the same suite again in a second build under AddressSanitizer + UBSan; then every fuzz target
# (clang + libFuzzer) for a bounded time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
bash "$root/tools/setup.sh"

echo "== build and test (RelWithDebInfo)"
bash "$root/tools/build.sh" "$root/build"
ctest --test-dir "$root/build" --output-on-failure -j "$jobs"

echo "== build and test under AddressSanitizer + UBSan"
bash "$root/tools/build.sh" "$root/build-asan" -DMCPAUTH_SANITIZE=ON
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$root/build-asan" --output-on-failure -j "$jobs"

echo "== fuzz every parser (clang + libFuzzer, a few seconds per target)"
bash "$root/tools/run-fuzz.sh" --seconds 15

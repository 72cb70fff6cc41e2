#!/usr/bin/env bash
# get/put latency (median, p99) of every shipped storage plugin (memory, sqlite, fernet_file),
# loaded through the host, with 10,000 and 100,000 entries of 1 KiB, as a Markdown table. The
# targets: memory get < 1 µs, sqlite get < 50 µs, fernet_file get < 100 µs (medians). There is no
# peer. Builds nothing.
#
# Usage: tests/bench/run_storage_bench.sh [--build-dir DIR] [--samples N] [--entries LIST] [--json FILE]
#   --build-dir DIR  a built tree with bin/storage_bench, bin/mcpauth and the three store plugins
#                    (default: build in the repository root)
#   --samples N      gets and puts measured per store and size (default 5000)
#   --entries LIST   comma-separated numbers of entries stored first (default 10000,100000)
#   --json FILE      also write the figures to FILE, a JSON object a line (tests/bench/README.md)
#   -h, --help       show this text
# Filling 100,000 entries into the durable stores takes minutes: every put is fsynced.
set -euo pipefail

# shellcheck source=bench_lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"
bench_id=storage

samples=5000
entries=10000,100000
parse_options build-dir samples entries -- "$@"
whole --samples "$samples" 1
IFS=, read -r -a entry_counts <<<"$entries"
[ ${#entry_counts[@]} -gt 0 ] || die "--entries needs at least one number"
for n in "${entry_counts[@]}"; do whole --entries "$n" 1; done
require_build "$build_dir" memory sqlite fernet_file
bench="$build/bin/storage_bench"
[ -x "$bench" ] || die "$bench is missing: build the target storage_bench first"
plugins="$build/lib/mcpauth/plugins"
OAUTH_STORAGE_ENCRYPTION_KEY="${OAUTH_STORAGE_ENCRYPTION_KEY:-$("$mcpauth" keygen)}"
export OAUTH_STORAGE_ENCRYPTION_KEY
declare -A config=([memory]='{}' [sqlite]='{"path":"@DIR@/tokens.db"}' [fernet_file]='{"path":"@DIR@/store"}')
declare -A get_target=([memory]=1 [sqlite]=50 [fernet_file]=100)

echo "Storage latency in microseconds, 1 KiB values, $samples samples each ($(nproc) cores, $(uname -m))"
echo
echo "| plugin | entries | get median | get p99 | put median | put p99 |"
echo "|---|---:|---:|---:|---:|---:|"
for n in "${entry_counts[@]}"; do
  for plugin in memory sqlite fernet_file; do
    progress "$plugin, $n entries"
    read -r id count get50 get99 put50 put99 < <("$bench" "$plugins/mcpauth_$plugin.so" "${config[$plugin]}" "$n" "$samples")
    printf "| %s | %d | %.2f | %.2f | %.2f | %.2f |\n" "$id" "$count" "$get50" "$get99" "$put50" "$put99"
    note="$samples samples"
    figure figure="$plugin get median, $n entries" unit=µs value="$get50" target="value < ${get_target[$plugin]}" note="$note"
    figure figure="$plugin get p99, $n entries" unit=µs value="$get99" note="$note"
    figure figure="$plugin put median, $n entries" unit=µs value="$put50" note="$note"
    figure figure="$plugin put p99, $n entries" unit=µs value="$put99" note="$note"
  done
done

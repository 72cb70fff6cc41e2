#!/bin/sh
# get/put latency (median, p99) of every shipped storage plugin with 10,000 and 100,000 entries of
# 1 KiB, as a Markdown table. Builds nothing; takes the build directory.
# Usage: tests/bench/run_storage_bench.sh build [samples]
# Filling 100,000 entries into the durable stores takes minutes: every put is fsynced.
set -eu
build=${1:?usage: $0 BUILD_DIR [samples]}
samples=${2:-5000}
plugins="$build/lib/mcpauth/plugins"
bench="$build/bin/storage_bench"
export OAUTH_STORAGE_ENCRYPTION_KEY="${OAUTH_STORAGE_ENCRYPTION_KEY:-$("$build/bin/mcpauth" keygen)}"

echo "Storage latency in microseconds, 1 KiB values, $samples samples each ($(nproc) cores, $(uname -m))"
echo
echo "| plugin | entries | get median | get p99 | put median | put p99 |"
echo "|---|---:|---:|---:|---:|---:|"
for entries in 10000 100000; do
  "$bench" "$plugins/mcpauth_memory.so" '{}' "$entries" "$samples"
  "$bench" "$plugins/mcpauth_sqlite.so" '{"path":"@DIR@/tokens.db"}' "$entries" "$samples"
  "$bench" "$plugins/mcpauth_fernet_file.so" '{"path":"@DIR@/store"}' "$entries" "$samples"
done | awk '{ printf "| %s | %d | %.2f | %.2f | %.2f | %.2f |\n", $1, $2, $3, $4, $5, $6 }'

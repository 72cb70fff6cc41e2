#!/usr/bin/env bash
# Installs the build into a temporary prefix, builds tests/sdk/consumer (an out-of-tree plugin)
# against the installed SDK only, and checks that the installed mcpauth loads it and its own plugins.
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
[ -f "$work/prefix/include/mcpauth/plugin_abi.h" ] || fail "plugin_abi.h was not installed"
[ -f "$work/prefix/include/mcpauth/plugin.hpp" ] || fail "plugin.hpp was not installed"

cmake -S "$source_dir/tests/sdk/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null \
  || fail "configuring the out-of-tree plugin against the installed SDK failed"
cmake --build "$work/consumer" >/dev/null || fail "building the out-of-tree plugin failed"
plugin="$work/consumer/plugins/example_header.so"
[ -f "$plugin" ] || fail "example_header.so was not built"

exported=$(nm -D --defined-only --format=posix "$plugin" | awk '$2 != "A" {print $1}')
[ "$exported" = "mcpauth_plugin_entry_v1" ] || fail "the out-of-tree plugin exports: $exported"

cd "$work"  # no ./config here: the installed binary must still find its own plugins
mcpauth="$work/prefix/bin/mcpauth"
"$mcpauth" plugins --plugin-dir "$work/consumer/plugins" --json > out.json
python3 - out.json <<'PY' || fail "the installed mcpauth did not load the out-of-tree plugin"
import json, sys
report = json.load(open(sys.argv[1]))
ids = [p["id"] for p in report["plugins"]]
assert ids == ["example_header"], ids
assert report["plugins"][0]["kinds"] == "auth" and report["plugins"][0]["abi"].startswith("1."), report
assert report["rejected"] == [], report["rejected"]
PY
"$mcpauth" plugins --json 2>/dev/null > shipped.json
python3 - shipped.json <<'PY' || fail "the installed mcpauth did not find its shipped plugins"
import json, sys
ids = sorted(p["id"] for p in json.load(open(sys.argv[1]))["plugins"])
assert {"memory", "none"} <= set(ids), ids
PY
echo "install test passed"

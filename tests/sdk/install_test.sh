#!/usr/bin/env bash
# The SDK as a stranger gets it. Installs the build into a temporary prefix, builds sdk/examples
# (the api_key_header auth plugin and the dir_store storage plugin) against the installed SDK
# only, runs the installed mcpauth-storage-contract on dir_store, and uses both plugins through
# the installed mcpauth: `plugins`, `config check`, and `call demo tools/list` to an MCP server on
# 127.0.0.1 (tests/sdk/api_key_mcp_server.py) that logs the X-API-Key each request carried: first
# without a key (refused before sending), then with the key from the environment, then with the
# key an admin uploaded through `mcpauth serve` (kept in dir_store).
#
# Usage: tests/sdk/install_test.sh BUILD_DIR SOURCE_DIR   (ctest runs it as sdk_install_test)
# Needs: cmake, a C++20 compiler, nm, python3.
set -euo pipefail

usage() { sed -n '2,11s/^# \{0,1\}//p' "$0"; }
case "${1:-}" in -h | --help) usage; exit 0 ;; esac
[ $# -eq 2 ] || { usage >&2; exit 2; }
build_dir=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)

work=$(mktemp -d)
server_pid=
serve_pid=
cleanup() {
  for pid in $serve_pid $server_pid; do
    if kill "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# wait_for FILE PATTERN: until FILE has a line matching PATTERN (30 s at most: CI machines are busy).
wait_for() {
  for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  fail "timed out waiting for '$2' in $1"
}

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
for header in plugin_abi.h plugin.hpp; do
  [ -f "$work/prefix/include/mcpauth/$header" ] || fail "$header was not installed"
done
mcpauth=$work/prefix/bin/mcpauth

cmake -S "$source_dir/sdk/examples" -B "$work/examples" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null \
  || fail "configuring sdk/examples against the installed SDK failed"
cmake --build "$work/examples" -j 2 >/dev/null || fail "building sdk/examples failed"
plugins=$work/examples/plugins
for plugin in api_key_header dir_store; do
  exported=$(nm -D --defined-only --format=posix "$plugins/$plugin.so" | awk '$2 != "A" {print $1}')
  [ "$exported" = "mcpauth_plugin_entry_v1" ] || fail "$plugin.so exports: $exported"
done

cd "$work"  # no ./config here: the installed binary must still find its own plugins
"$mcpauth" plugins --plugin-dir "$plugins" --json > plugins.json
python3 - plugins.json <<'PY' || fail "the installed mcpauth did not load the example plugins"
import json, sys
report = json.load(open(sys.argv[1]))
kinds = {p["id"]: p["kinds"] for p in report["plugins"]}
assert kinds == {"api_key_header": "auth", "dir_store": "storage"}, kinds
assert all(p["abi"].startswith("1.") for p in report["plugins"]), report
assert report["rejected"] == [], report["rejected"]
PY
"$mcpauth" plugins --json 2>/dev/null > shipped.json
python3 - shipped.json <<'PY' || fail "the installed mcpauth did not find its shipped plugins"
import json, sys
ids = sorted(p["id"] for p in json.load(open(sys.argv[1]))["plugins"])
assert {"memory", "none", "sqlite"} <= set(ids), ids
PY

"$work/prefix/bin/mcpauth-storage-contract" --plugin "$plugins/dir_store.so" --config '{"path":"@DIR@/store"}' \
  --shared --crash > contract.log 2>&1 || { cat contract.log >&2; fail "dir_store failed the storage contract"; }
! grep -qi "skipped" contract.log || { cat contract.log >&2; fail "the storage contract skipped tests of dir_store"; }

python3 "$source_dir/tests/sdk/api_key_mcp_server.py" port keys.log &
server_pid=$!
wait_for port .
write_config() {  # write_config AUTH_CONFIG_JSON
  cat > mcp.json <<EOF
{
  "mcpauth": {"plugin_dirs": ["$plugins"], "dev_user": "admin@localhost",
              "user_groups": {"admin@localhost": ["admin"]}},
  "demo": {"url": "http://127.0.0.1:$(cat port)/mcp",
           "auth": {"plugin": "api_key_header", "config": $1},
           "storage": {"plugin": "dir_store", "config": {"path": "$work/store"}}}
}
EOF
}
write_config '{"header": "X API Key"}'
if "$mcpauth" --config mcp.json config check > check.txt 2> check.err; then fail "config check accepted a bad header"; fi
grep -q "field 'header'\|/header" check.err || { cat check.err >&2; fail "config check did not name the bad field"; }
write_config '{"header": "X-API-Key", "key_env": "EXAMPLE_API_KEY"}'
"$mcpauth" --config mcp.json config check --json > check.json || fail "config check refused the example config"
python3 - check.json <<'PY' || fail "config check did not bind demo to the example plugins"
import json, sys
[server] = json.load(open(sys.argv[1]))["servers"]
assert (server["auth_plugin"], server["storage_plugin"], server["ok"]) == ("api_key_header", "dir_store", True), server
PY

# call_demo ENV_ARGS...: `mcpauth call demo tools/list` run by env(1) with these arguments.
call_demo() { env "$@" "$mcpauth" --config mcp.json --log-level warn call demo tools/list > call.json 2> call.err; }
if call_demo -u EXAMPLE_API_KEY; then fail "call without any key succeeded"; fi
[ ! -s keys.log ] || fail "a request reached the server without a key"
if env -u EXAMPLE_API_KEY "$mcpauth" --config mcp.json token demo > token.txt 2> token.err; then
  fail "token without any key succeeded"
fi
grep -q "no API key: store one or set EXAMPLE_API_KEY" token.err || { cat token.err >&2; fail "token did not say why"; }

call_demo EXAMPLE_API_KEY=key-from-env || { cat call.err >&2; fail "call with the key from the environment failed"; }
grep -q '"echo"' call.json || fail "tools/list did not return the server's tool: $(cat call.json)"
[ "$(sort -u keys.log)" = "key-from-env" ] || fail "the server saw keys: $(sort -u keys.log | tr '\n' ' ')"

env -u EXAMPLE_API_KEY "$mcpauth" --config mcp.json serve --listen 127.0.0.1:0 2> serve.log &
serve_pid=$!
wait_for serve.log "listening on"
base=$(sed -n 's|.*listening on \(http://[0-9.:]*\).*|\1|p' serve.log | head -1)
python3 - "$base" <<'PY' || { cat serve.log >&2; fail "the admin upload through mcpauth serve failed"; }
import json, sys, urllib.error, urllib.request
def upload(token):
    request = urllib.request.Request(sys.argv[1] + "/admin/mcp/demo/jwt", json.dumps({"jwt_token": token}).encode(),
                                     {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
status, body = upload("bad key with spaces")
assert status == 400 and "printable ASCII" in body and "bad key" not in body, (status, body)
status, body = upload("key-from-admin")
assert status == 200, (status, body)
with urllib.request.urlopen(sys.argv[1] + "/admin/mcp/demo/jwt") as answer:
    status = json.load(answer)
assert status["has_jwt"] and status["source"] == "server" and "key-from-admin" not in json.dumps(status), status
PY
kill "$serve_pid"
wait "$serve_pid" || fail "mcpauth serve did not stop cleanly"
serve_pid=

: > keys.log
call_demo -u EXAMPLE_API_KEY || { cat call.err >&2; fail "call with the uploaded key failed"; }
[ "$(sort -u keys.log)" = "key-from-admin" ] || fail "the server saw keys: $(sort -u keys.log | tr '\n' ' ')"
entry=$(printf 'demo/api_key/' | od -An -tx1 | tr -d ' \n').v
[ "$(cat "store/entries/$entry")" = "key-from-admin" ] || fail "dir_store does not hold the uploaded key as $entry"
echo "install test passed"

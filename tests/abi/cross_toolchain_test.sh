#!/usr/bin/env bash
# The plugin ABI across toolchains. Builds the shipped plugins again from this source tree, once
# with clang and once with gcc linking libstdc++ and libgcc statically into each plugin, checks
# that each build is what it claims (readelf), then has the gcc-built host of the main build load
# them: the storage contract on their sqlite and fernet_file plugins, and real sign-ins and MCP
# calls with their oauth21, manual_jwt and sqlite plugins (e2e tests against the TS SDK and
# oidc-provider peers).
#
# Registered with ctest as abi_cross_toolchain (ctest -R abi_cross_toolchain); by hand:
#   tests/abi/cross_toolchain_test.sh --build-dir build
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: tests/abi/cross_toolchain_test.sh --build-dir DIR [options]

  --build-dir DIR      the main (gcc) build: its bin/mcpauth, bin/mcpauth-storage-contract and
                       ctest registrations are used (required)
  --work-dir DIR       where the plugin builds go (default: DIR/tests/abi/cross_toolchain; kept,
                       so a second run only rebuilds what changed)
  --launcher PROGRAM   compiler launcher for the plugin builds (e.g. ccache)
  --toolchain NAME     only this one: clang or static (default: both)
  -h, --help           this text
EOF
}

source_dir=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=
work_dir=
launcher=
toolchains=(clang static)
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build_dir=$(cd "$2" && pwd); shift 2 ;;
    --work-dir) work_dir=$2; shift 2 ;;
    --launcher) launcher=$2; shift 2 ;;
    --toolchain) toolchains=("$2"); shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$build_dir" ] || { usage >&2; exit 2; }
work_dir=${work_dir:-$build_dir/tests/abi/cross_toolchain}
mkdir -p "$work_dir"
work_dir=$(cd "$work_dir" && pwd)

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

plugins=(mcpauth_none mcpauth_memory mcpauth_sqlite mcpauth_fernet_file mcpauth_oauth21 mcpauth_manual_jwt)
plugin_ids=(none memory sqlite fernet_file oauth21 manual_jwt)

# configure_and_build NAME CMAKE_ARGS...: the shipped plugins of this source tree, built in
# $work_dir/NAME (no tests, nothing but the plugins).
configure_and_build() {
  local name=$1
  shift
  local launch=()
  [ -z "$launcher" ] || launch=(-DCMAKE_C_COMPILER_LAUNCHER="$launcher" -DCMAKE_CXX_COMPILER_LAUNCHER="$launcher")
  step "$name: configure and build ${plugins[*]}"
  cmake -S "$source_dir" -B "$work_dir/$name" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMCPAUTH_BUILD_TESTS=OFF \
    "${launch[@]}" "$@" >"$work_dir/$name.configure.log" 2>&1 \
    || { cat "$work_dir/$name.configure.log" >&2; fail "configuring the $name build"; }
  cmake --build "$work_dir/$name" -j "$(nproc)" --target "${plugins[@]}" \
    || fail "building the plugins with $name"
}

plugin_dir_of() { echo "$work_dir/$1/lib/mcpauth/plugins"; }

# The artifacts are what they claim: clang's name in .comment, or no shared libstdc++/libgcc.
check_toolchain() {
  local name=$1 dir
  dir=$(plugin_dir_of "$name")
  for plugin in "${plugins[@]}"; do
    local file=$dir/$plugin.so
    [ -f "$file" ] || fail "$name: $file was not built"
    case $name in
      clang)
        readelf -p .comment "$file" | grep -q 'clang version' \
          || fail "$name: $plugin.so was not compiled by clang (.comment: $(readelf -p .comment "$file" | tr -s '\n' ' '))"
        ;;
      static)
        local needed
        needed=$(readelf -d "$file" | awk '/\(NEEDED\)/ {print $NF}' | tr -d '[]')
        if grep -Eq '^lib(stdc\+\+|gcc_s)\.so' <<<"$needed"; then
          fail "$name: $plugin.so still needs a shared C++ runtime: $(tr '\n' ' ' <<<"$needed")"
        fi
        if nm -D --undefined-only "$file" | grep -Eq '@(GLIBCXX|CXXABI)_'; then
          fail "$name: $plugin.so imports symbols of the shared libstdc++"
        fi
        ;;
    esac
  done
  echo "$name: ${#plugins[@]} plugins checked with readelf"
}

# The gcc host lists exactly the foreign plugins, loaded from DIR, none refused.
check_host_loads() {
  local name=$1 dir
  dir=$(plugin_dir_of "$name")
  "$build_dir/bin/mcpauth" plugins --plugin-dir "$dir" --json >"$work_dir/$name.plugins.json" \
    || fail "$name: mcpauth plugins failed"
  python3 - "$work_dir/$name.plugins.json" "$dir" "${plugin_ids[@]}" <<'PY' || fail "$name: the host did not load the plugins"
import json, os, sys
report_file, directory, *expected = sys.argv[1:]
report = json.load(open(report_file))
assert report["rejected"] == [], report["rejected"]
ids = sorted(p["id"] for p in report["plugins"])
assert ids == sorted(expected), ids
for plugin in report["plugins"]:
    assert os.path.dirname(os.path.realpath(plugin["path"])) == os.path.realpath(directory), plugin
PY
  echo "$name: the gcc host loaded ${plugin_ids[*]} from $dir"
}

# The main build's ctest test NAME (the storage contract on a shipped plugin), run on the plugin
# file PLUGIN instead, with the same configuration and environment.
run_registered_test_on() {
  python3 - "$build_dir" "$1" "$2" <<'PY'
import json, os, subprocess, sys
build, name, plugin = sys.argv[1:]
shown = subprocess.run(["ctest", "--test-dir", build, "--show-only=json-v1", "-R", f"^{name}$"],
                       check=True, capture_output=True, text=True).stdout
tests = [t for t in json.loads(shown)["tests"] if t["name"] == name]
if len(tests) != 1:
    sys.exit(f"ctest knows no test {name} in {build}")
command = tests[0]["command"]
command[command.index("--plugin") + 1] = plugin
env = dict(os.environ)
for prop in tests[0].get("properties", []):
    if prop["name"] == "ENVIRONMENT":
        env.update(value.split("=", 1) for value in prop["value"])
sys.exit(subprocess.run(command, env=env).returncode)
PY
}

run_storage_contracts() {
  local name=$1 dir
  dir=$(plugin_dir_of "$name")
  for store in sqlite fernet_file; do
    step "$name: storage contract on mcpauth_$store.so"
    run_registered_test_on "storage_contract_$store" "$dir/mcpauth_$store.so" \
      || fail "$name: mcpauth_$store.so failed the storage contract"
  done
}

# The e2e tests take the host from MCPAUTH_BINARY_DIR/bin and the plugins from
# MCPAUTH_BINARY_DIR/lib/mcpauth/plugins: a tree with the gcc host and the foreign plugins.
run_auth_flows() {
  local name=$1 tree=$work_dir/$1.host
  rm -rf "$tree"
  mkdir -p "$tree/lib/mcpauth"
  ln -s "$build_dir/bin" "$tree/bin"
  ln -s "$(plugin_dir_of "$name")" "$tree/lib/mcpauth/plugins"
  step "$name: sign-ins and MCP calls with the gcc host"
  MCPAUTH_BINARY_DIR=$tree node --test --test-concurrency=1 \
    "$source_dir/tests/e2e/ts_sdk.test.mjs" \
    "$source_dir/tests/abi/manual_jwt_gateway.test.mjs" \
    || fail "$name: the auth tests failed with the $name plugins"
}

for name in "${toolchains[@]}"; do
  case $name in
    clang) configure_and_build clang -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ ;;
    static)
      configure_and_build static -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ \
        "-DCMAKE_MODULE_LINKER_FLAGS=-static-libstdc++ -static-libgcc"
      ;;
    *) fail "unknown toolchain $name (clang or static)" ;;
  esac
  check_toolchain "$name"
  check_host_loads "$name"
  run_storage_contracts "$name"
  run_auth_flows "$name"
done
echo "cross-toolchain ABI test passed: ${toolchains[*]}"

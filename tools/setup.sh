#!/usr/bin/env bash
# Installs everything mcpauth needs to build and test on Debian 12. Safe to run again: it only
# installs what is missing. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libpoco-dev libboost-dev libyaml-cpp-dev catch2 libsqlite3-dev libssl-dev
  python3 python3-cryptography python3-cryptography-vectors
  binutils  # nm, for the exported-symbol test
  chromium  # the admin web page's browser test (driven by playwright-core from npm)
  clang libfuzzer-14-dev  # the fuzz targets (tools/run-fuzz.sh), and plugins built by another compiler
  wrk  # load for the soak test and the benchmarks
)
# Node.js runs the end-to-end tests' peers (tests/peers); they need Node 18 or later (machines of
# this project come with Node 20; a bare Debian 12 gets Debian's nodejs 18).
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The peers' npm packages, exactly as locked. A copy of the lock file in node_modules marks an
# install that is current.
peers="$(cd "$(dirname "$0")/.." && pwd)/tests/peers"
if ! cmp -s "$peers/package-lock.json" "$peers/node_modules/.mcpauth-installed-lock" 2>/dev/null; then
  echo "setup: installing the test peers' npm packages (tests/peers)"
  (cd "$peers" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$peers/package-lock.json" "$peers/node_modules/.mcpauth-installed-lock"
fi
echo "setup: all build and test dependencies are installed"

#!/usr/bin/env bash
# Installs everything mcpauth needs to build and test on Debian 12. Safe to run again: it only
# installs what is missing. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libpoco-dev libboost-dev libyaml-cpp-dev catch2 libsqlite3-dev libssl-dev
  python3 python3-cryptography python3-cryptography-vectors
  binutils  # nm, for the exported-symbol test
)

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
echo "setup: all build and test dependencies are installed"

#!/usr/bin/env bash
# The main job on a new machine: install dependencies, build, then run the host (`mcpauth serve`)
# with the shipped default configuration (config/defaults/mcp.json: sqlite storage in
# ~/.local/share/mcpauth, http://127.0.0.1:8000, a local admin for development). Ctrl-C stops it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/tools/setup.sh"
bash "$root/tools/build.sh" "$root/build"
cd "$root"
./build/bin/mcpauth plugins
./build/bin/mcpauth config check
exec ./build/bin/mcpauth serve "$@"

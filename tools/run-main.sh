#!/usr/bin/env bash
# The main job on a new machine: install dependencies, build, then run the host with the shipped
# default configuration (config/defaults/mcp.json).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/tools/setup.sh"
bash "$root/tools/build.sh" "$root/build"
cd "$root"
./build/bin/mcpauth plugins
./build/bin/mcpauth config check

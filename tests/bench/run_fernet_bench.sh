#!/usr/bin/env bash
# Fernet encrypt/decrypt of a 1 KiB plaintext: our C++ implementation (fernet_bench) against
# Python's cryptography (fernet_bench.py, Debian's /usr/bin/python3), measured in the same run.
# The target is at least 2x Python. Builds nothing. Prints a Markdown table.
#
# Usage: tests/bench/run_fernet_bench.sh [--build-dir DIR] [--seconds S] [--json FILE]
#   --build-dir DIR  a built tree with bin/fernet_bench (default: build in the repository root)
#   --seconds S      seconds of each measurement (default 2)
#   --json FILE      also write the figures to FILE, a JSON object a line (tests/bench/README.md)
#   -h, --help       show this text
# Without Python's cryptography (apt-get install -y python3-cryptography) only ours is measured.
set -euo pipefail

# shellcheck source=bench_lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"
bench_id=fernet

seconds=2
parse_options build-dir seconds -- "$@"
if ! [[ $seconds =~ ^[0-9]+(\.[0-9]+)?$ ]] || ! awk -v s="$seconds" 'BEGIN { exit !(s > 0) }'; then
  die "--seconds takes a number > 0, not '$seconds'"
fi
bench="$build_dir/bin/fernet_bench"
[ -x "$bench" ] || die "$bench is missing: build the target fernet_bench first"

# Lines "encrypt OPS", "decrypt OPS" (and "version V" from Python) into value[ours|python,KEY].
declare -A value
out=$("$bench" "$seconds")
while read -r key number; do value[ours,$key]=$number; done <<<"$out"
peer_missing=
if /usr/bin/python3 -c 'import cryptography' 2>/dev/null; then
  out=$(/usr/bin/python3 -I "$bench_dir/fernet_bench.py" "$seconds")
  while read -r key number; do value[python,$key]=$number; done <<<"$out"
  peer="Python cryptography ${value[python,version]}"
else
  peer="Python cryptography"
  peer_missing="/usr/bin/python3 cannot import cryptography (apt-get install -y python3-cryptography)"
  progress "Python is not measured: $peer_missing"
fi

echo "Fernet, 1 KiB plaintext, ops/s (${peer_missing:+NOT MEASURED: }$peer${peer_missing:+, $peer_missing})"
echo
echo "| Operation | mcpauth C++ | Python cryptography | Ratio |"
echo "|---|---:|---:|---:|"
for op in encrypt decrypt; do
  ours=${value[ours,$op]}
  if [ -n "$peer_missing" ]; then
    echo "| $op | $ours | peer missing | - |"
    figure figure="$op 1 KiB" unit=ops/s value="$ours" peer="$peer" peer_missing="$peer_missing" target="ratio >= 2"
  else
    python=${value[python,$op]}
    awk -v op="$op" -v a="$ours" -v b="$python" 'BEGIN { printf "| %s | %d | %d | %.1fx |\n", op, a, b, a / b }'
    figure figure="$op 1 KiB" unit=ops/s value="$ours" peer="$peer" peer_value="$python" target="ratio >= 2"
  fi
done

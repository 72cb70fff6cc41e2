#!/bin/sh
# Fernet encrypt/decrypt of a 1 KiB plaintext: our C++ implementation against Python's
# cryptography (Debian's /usr/bin/python3), measured in the same run, as a Markdown table.
# Builds nothing. Usage: run_fernet_bench.sh path/to/fernet_bench [seconds per measurement]
set -eu
bench=${1:?usage: $0 path/to/fernet_bench [seconds per measurement]}
seconds=${2:-2}
here=$(dirname "$0")

ours=$("$bench" "$seconds")
python=$(/usr/bin/python3 -I "$here/fernet_bench.py" "$seconds")

{ echo "$ours" | sed 's/^/ours /'; echo "$python" | sed 's/^/python /'; } | awk '
  { value[$1 " " $2] = $3 }
  END {
    printf "Fernet, 1 KiB plaintext, ops/s (Python cryptography %s)\n\n", value["python version"]
    print "| Operation | mcpauth C++ | Python cryptography | Ratio |"
    print "|---|---:|---:|---:|"
    split("encrypt decrypt", ops, " ")
    for (i = 1; i <= 2; i++) {
      ours = value["ours " ops[i]]; python = value["python " ops[i]]
      printf "| %s | %d | %d | %.1fx |\n", ops[i], ours, python, ours / python
    }
  }'

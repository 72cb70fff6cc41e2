#!/usr/bin/env python3
"""The tables of tools/bench-report.sh, in Markdown on stdout.

  python3 tests/bench/bench_report_table.py DIR BENCHMARK...

DIR holds runs.tsv (a line per benchmark run: name, seconds, status "ok" or why it failed, the
command) and BENCHMARK.jsonl, the figures each benchmark wrote with --json (a JSON object a line,
described in tests/bench/README.md). Prints the table of figures (mcpauth, peer, ratio, target,
met?) in the order given, then a table of the runs.
"""
import json
import os
import sys

OPERATORS = {"<": "<", "<=": "≤", ">=": "≥", ">": ">"}
COMPARE = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
}


def number(x):
    """x with as many digits as a benchmark figure deserves."""
    size = abs(x)
    if float(x).is_integer() and size < 1000:
        return str(int(x))
    if size >= 1000:
        return f"{x:,.0f}"
    if size >= 100:
        return f"{x:.0f}"
    if size >= 10:
        return f"{x:.1f}"
    if size >= 1:
        return f"{x:.2f}"
    return f"{x:.3g}"


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def ratio_text(ratio):
    return f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.2f}x"


def target_text(target, unit):
    op, limit = OPERATORS[target["op"]], f"{target['limit']:g}"
    if target["of"] == "value":
        return f"{op} {limit} {unit}"
    if target["of"] == "ratio":
        return f"{op} {limit}x peer"
    return f"{op} peer + {limit} {unit}"


def verdict(figure):
    """"yes", "**no**", "unknown (...)" or "" without a target."""
    target = figure.get("target")
    if not target:
        return ""
    value, peer = figure["value"], figure.get("peer_value")
    if target["of"] == "value":
        measured = value
    elif peer is None:
        return "unknown (peer missing)" if "peer_missing" in figure else "unknown (no peer figure)"
    elif target["of"] == "ratio":
        if peer == 0:
            return "unknown (peer figure 0)"
        measured = value / peer
    else:
        measured = value - peer
    return "yes" if COMPARE[target["op"]](measured, target["limit"]) else "**no**"


def figure_row(figure):
    unit = figure["unit"]
    peer_value = figure.get("peer_value")
    if peer_value is not None:
        peer = f"{number(peer_value)} {unit} ({figure['peer']})"
        ratio = ratio_text(figure["value"] / peer_value) if peer_value else "-"
    elif "peer_missing" in figure:
        peer = f"**missing**: {figure.get('peer', 'the peer')} was not measured, {figure['peer_missing']}"
        ratio = "-"
    else:
        peer, ratio = "-", "-"
    target = target_text(figure["target"], unit) if "target" in figure else "-"
    return [figure["bench"], figure["figure"], f"{number(figure['value'])} {unit}", peer, ratio, target, verdict(figure)]


def read_figures(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def main():
    directory, benches = sys.argv[1], sys.argv[2:]
    runs = {}
    with open(os.path.join(directory, "runs.tsv"), encoding="utf-8") as lines:
        for line in lines:
            name, seconds, status, command = line.rstrip("\n").split("\t")
            runs[name] = (int(seconds), status, command)

    print("| benchmark | figure | mcpauth | peer (same run) | ratio | target | met? |")
    print("|---|---|---:|---:|---:|---|---|")
    for bench in benches:
        figures = read_figures(os.path.join(directory, bench + ".jsonl"))
        for figure in figures:
            print("| " + " | ".join(cell(text) for text in figure_row(figure)) + " |")
        status = runs[bench][1]
        if status != "ok":
            what = "stopped after these figures" if figures else "not run"
            print(f"| {bench} | **{what}**: {cell(status)} | | | | | |")
    print()
    print("Ratio: mcpauth's figure / the peer's. Targets are those of the issues that asked for each benchmark.")
    print()
    print("| benchmark | command | seconds | result |")
    print("|---|---|---:|---|")
    for bench in benches:
        seconds, status, command = runs[bench]
        print(f"| {bench} | `{cell(command)}` | {seconds} | {cell(status)} |")


if __name__ == "__main__":
    main()

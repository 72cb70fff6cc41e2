#!/usr/bin/env python3
"""Times short commands precisely, for token_bench.mjs: each is started with posix_spawn and
reaped with wait4, so a run's wall time is from spawn to exit with nothing of the timer in it, and
its peak RSS, CPU time and page faults are the child's own (wait4's rusage).

  python3 tests/bench/spawn_timer.py < SPEC.json

SPEC: {"runs": N, "warmup": W, "cwd": DIR, "commands": [{"name": ..., "argv": [absolute program,
...], "env": {...}, "stdout": what it must print}, ...]}. The commands run in turn, W + N rounds
(the first W unmeasured); any exit code but 0, or other output, stops the timer with exit 1.
Prints {"<name>": [{"ms": wall, "maxrss_kb": peak RSS, "cpu_ms": user + system, "faults": page
faults}, ...], ...}.
"""
import json
import os
import sys
import tempfile
import time


def run(command, stdout, stderr):
    for stream in (stdout, stderr):
        stream.seek(0)
        stream.truncate()
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
        (os.POSIX_SPAWN_DUP2, stdout.fileno(), 1),
        (os.POSIX_SPAWN_DUP2, stderr.fileno(), 2),
    ]
    start = time.perf_counter_ns()
    pid = os.posix_spawn(command["argv"][0], command["argv"], command["env"], file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall_ns = time.perf_counter_ns() - start
    stdout.seek(0)
    stderr.seek(0)
    printed = stdout.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0 or printed != command["stdout"]:
        sys.exit(f"spawn_timer: {command['name']}: exit {os.waitstatus_to_exitcode(status)}, "
                 f"{'the expected' if printed == command['stdout'] else 'other'} output; "
                 f"stderr: {stderr.read().decode(errors='replace')}")
    return {"ms": wall_ns / 1e6, "maxrss_kb": usage.ru_maxrss, "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000,
            "faults": usage.ru_minflt + usage.ru_majflt}


def main():
    spec = json.load(sys.stdin)
    os.chdir(spec["cwd"])
    samples = {command["name"]: [] for command in spec["commands"]}
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        for round_index in range(spec["warmup"] + spec["runs"]):
            for command in spec["commands"]:
                sample = run(command, stdout, stderr)
                if round_index >= spec["warmup"]:
                    samples[command["name"]].append(sample)
    json.dump(samples, sys.stdout)


main()

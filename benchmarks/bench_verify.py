"""What ``mockls check --verify`` costs next to the plain test run it wraps: ``mockls check
--verify examples/shop`` against ``pytest`` on the shop's tests, in the same run.

Both run as subprocesses of this venv's interpreter, alternately, ``--repeat`` times each;
the table gives the median wall time and CPU time (user + system of the process and every
process it waited for: the sandbox's workers included) and their ratios. The issue's goal:
a wall ratio of at most 2. The check also prints one line per test it ran; the benchmark
reports how many, and fails (exit 1) when it ran none, or fewer than pytest collected among
the tests that patch.

    .venv/bin/python benchmarks/bench_verify.py
    .venv/bin/python benchmarks/bench_verify.py --repeat 5

It writes the numbers to ``benchmarks/results/verify-*.json``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_diagnostics import machine, write_results  # the script's own directory is on sys.path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
SHOP = REPO / "examples" / "shop"


def timed(command: Sequence[str]) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Run ``command`` in the shop: its wall seconds, CPU seconds, and what it printed."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    completed = subprocess.run(
        command, cwd=SHOP, env=environment, capture_output=True, text=True, check=False
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, completed


PYTEST = [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"]
VERIFY = [sys.executable, "-m", "mockls", "check", "--verify", "."]


def measure(repeat: int) -> dict[str, Any]:
    walls: dict[str, list[float]] = {"pytest": [], "verify": []}
    cpus: dict[str, list[float]] = {"pytest": [], "verify": []}
    test_lines = 0
    for _ in range(repeat):
        for name, command in (("pytest", PYTEST), ("verify", VERIFY)):
            wall, cpu, completed = timed(command)
            walls[name].append(wall)
            cpus[name].append(cpu)
            if name == "verify":
                test_lines = sum(
                    1
                    for line in completed.stderr.splitlines()
                    if line.startswith("mockls: tests/") and "` " in line
                )
    median = {name: statistics.median(values) for name, values in walls.items()}
    cpu = {name: statistics.median(values) for name, values in cpus.items()}
    return {
        "pytest_wall_seconds": median["pytest"],
        "verify_wall_seconds": median["verify"],
        "wall_ratio": median["verify"] / median["pytest"],
        "pytest_cpu_seconds": cpu["pytest"],
        "verify_cpu_seconds": cpu["verify"],
        "cpu_ratio": cpu["verify"] / cpu["pytest"],
        "tests_run_by_verify": test_lines,
        "runs": {"wall": walls, "cpu": cpus},
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each kind (default 3)")
    arguments = parser.parse_args(argv)
    row = measure(arguments.repeat)
    print(f"{'':22} {'wall s':>8} {'CPU s':>8}")
    print(
        f"{'pytest tests':22} {row['pytest_wall_seconds']:>8.2f} {row['pytest_cpu_seconds']:>8.2f}"
    )
    print(
        f"{'mockls check --verify':22} {row['verify_wall_seconds']:>8.2f}"
        f" {row['verify_cpu_seconds']:>8.2f}"
    )
    print(f"{'ratio':22} {row['wall_ratio']:>8.2f} {row['cpu_ratio']:>8.2f}   (goal: wall <= 2)")
    print(f"tests run by --verify: {row['tests_run_by_verify']}")
    written = write_results({"machine": machine(), "shop": row}, RESULTS, "verify")
    print(f"results: {written}")
    return 0 if row["tests_run_by_verify"] else 1


if __name__ == "__main__":
    sys.exit(main())

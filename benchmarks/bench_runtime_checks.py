"""What ``pytest --mockls`` costs, and that it changes no outcome: the same suite run with and
without it.

For each suite — ``examples/shop`` (in this venv), and celery 5.5.3's ``t/unit`` and botocore
1.43.11's ``tests/unit`` from :mod:`real_suites`, each in its own venv, which has no mockls:
this checkout goes on ``PYTHONPATH`` (its ``mockls.egg-info``, made by ``make``, names the
plugin) — it runs plain ``pytest`` and ``pytest --mockls`` alternately, ``--repeat`` times
each, and reports the median wall times, their ratio, the findings of the run, and whether
every test ended the same way both times (from JUnit XML: passed, failed, error or skipped
per test). The issue's targets: a ratio of at most 1.25 and identical outcomes.

    .venv/bin/python benchmarks/bench_runtime_checks.py                      # the shop
    .venv/bin/python benchmarks/bench_runtime_checks.py --suites shop celery botocore

It prints a table and writes the numbers to ``benchmarks/results/runtime-checks-*.json``;
it exits 1 when outcomes differ.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from bench_diagnostics import machine, write_results  # the script's own directory is on sys.path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"


@dataclass(frozen=True)
class Target:
    """A suite to run: where, with which interpreter, which tests, what else pytest needs."""

    name: str
    root: Path
    python: Path
    tests: str
    extra: tuple[str, ...] = ()
    environment: tuple[tuple[str, str], ...] = ()


def targets(names: Sequence[str]) -> list[Target]:
    found: list[Target] = []
    for name in names:
        if name == "shop":
            found.append(Target("shop", REPO / "examples" / "shop", Path(sys.executable), "tests"))
            continue
        from real_suites import fetch  # noqa: PLC0415  (fetching takes minutes the first time)

        suite = fetch(name)
        found.append(
            Target(
                name,
                suite.root,
                suite.python,
                suite.suite.tests + ("/unit" if name in ("celery", "botocore") else ""),
                ("--continue-on-collection-errors",),
                (("PYTHONPATH", f"{REPO / 'server'}{os.pathsep}{REPO}"),),
            )
        )
    return found


def run(target: Target, mockls: bool, scratch: Path) -> tuple[float, dict[str, str], str]:
    """One run: wall seconds, each test's outcome, and the mockls summary line (if any)."""
    junit = scratch / f"{target.name}-{'mockls' if mockls else 'plain'}.xml"
    command = [
        str(target.python), "-m", "pytest", target.tests, "-q", "-p", "no:cacheprovider",
        f"--junitxml={junit}", *target.extra,
        *(["--mockls"] if mockls else []),
    ]  # fmt: skip
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    environment.update(dict(target.environment))
    started = time.monotonic()
    completed = subprocess.run(
        command, cwd=target.root, env=environment, capture_output=True, text=True, check=False
    )
    elapsed = time.monotonic() - started
    summary = next(
        (line for line in completed.stdout.splitlines() if line.startswith("mockls: ")), ""
    )
    return elapsed, outcomes(junit), summary


def outcomes(junit: Path) -> dict[str, str]:
    result: dict[str, str] = {}
    if not junit.exists():
        return result
    for case in ElementTree.parse(junit).iter("testcase"):
        kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        result[f"{case.get('classname')}::{case.get('name')}"] = kinds[0] if kinds else "passed"
    return result


def measure(target: Target, repeat: int, scratch: Path) -> dict[str, Any]:
    plain_times: list[float] = []
    mockls_times: list[float] = []
    plain: dict[str, str] = {}
    checked: dict[str, str] = {}
    summary = ""
    for _ in range(repeat):
        elapsed, plain, _ = run(target, False, scratch)
        plain_times.append(elapsed)
        elapsed, checked, summary = run(target, True, scratch)
        mockls_times.append(elapsed)
    differing = sorted(
        test for test in plain.keys() | checked.keys() if plain.get(test) != checked.get(test)
    )
    return {
        "suite": target.name,
        "tests": len(plain),
        "plain_seconds": statistics.median(plain_times),
        "mockls_seconds": statistics.median(mockls_times),
        "ratio": statistics.median(mockls_times) / statistics.median(plain_times),
        "outcomes_identical": not differing,
        "differing": differing[:20],
        "outcome_counts": {
            kind: list(plain.values()).count(kind) for kind in sorted(set(plain.values()))
        },
        "summary": summary,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--suites", nargs="+", default=["shop"], choices=["shop", "celery", "botocore"]
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each kind (default 3)")
    arguments = parser.parse_args(argv)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as scratch:
        for target in targets(arguments.suites):
            rows.append(measure(target, arguments.repeat, Path(scratch)))
    print(f"{'suite':10} {'tests':>6} {'pytest s':>9} {'--mockls s':>11} {'ratio':>6}  outcomes")
    for row in rows:
        same = "identical" if row["outcomes_identical"] else f"DIFFER: {row['differing']}"
        print(
            f"{row['suite']:10} {row['tests']:>6} {row['plain_seconds']:>9.2f} "
            f"{row['mockls_seconds']:>11.2f} {row['ratio']:>6.2f}  {same}"
        )
        print(f"{'':10} {row['summary']}")
    written = write_results({"machine": machine(), "suites": rows}, RESULTS, "runtime-checks")
    print(f"results: {written}")
    return 0 if all(row["outcomes_identical"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

"""What ``mockls check --fix`` costs next to ``mockls check``, on the generated test modules.

For modules of about 100, 1,000 and 10,000 lines (``generate.py``: one mistake about every eight
test methods, most of them with a safe fix) it measures, median over the runs:

- in process, ``lint_source`` once (what ``mockls check`` does per file) and ``fix_source``
  (lint, apply, lint again until nothing is left: what ``--fix`` does per file), and the ratio;
- end to end, ``python -m mockls check FILE`` and ``python -m mockls check --fix FILE`` on a
  fresh copy of the file each run, as subprocesses (interpreter start and imports included).

It prints a table and writes the numbers as JSON to ``benchmarks/results/fix-latest.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generate import generate_test_module  # the script's own directory is on sys.path

from mockls.config import Settings
from mockls.findings import Finding
from mockls.fix_application import fix_source
from mockls.linter import lint_source

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def in_process(source: str, repeat: int) -> dict[str, float]:
    def lint(text: str) -> list[Finding]:
        return lint_source(text, "tests/test_generated.py", Settings())

    fixed = fix_source(source, lint)
    return {
        "lint_seconds": median_seconds(lambda: lint(source), repeat),
        "fix_seconds": median_seconds(lambda: fix_source(source, lint), repeat),
        "fixed": fixed.fixed_count,
        "remaining": len(fixed.remaining),
    }


def end_to_end(source: str, repeat: int, *options: str) -> float:
    samples = []
    with tempfile.TemporaryDirectory() as directory:
        original = Path(directory) / "original.py"
        original.write_text(source, encoding="utf-8")
        path = Path(directory) / "test_generated.py"
        for _ in range(repeat):
            shutil.copyfile(original, path)
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "mockls", "check", *options, str(path)],
                capture_output=True,
                check=False,
            )
            samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--subprocess-repeat", type=int, default=5)
    arguments = parser.parse_args()
    rows = []
    for size in arguments.sizes:
        source = generate_test_module(size)
        row: dict[str, float | int] = {"lines": source.count("\n")}
        row.update(in_process(source, arguments.repeat))
        row["check_process_seconds"] = end_to_end(source, arguments.subprocess_repeat)
        row["fix_process_seconds"] = end_to_end(source, arguments.subprocess_repeat, "--fix")
        rows.append(row)
    print(
        f"{'lines':>6} {'fixed':>5} {'left':>4} {'lint ms':>8} {'fix ms':>8} {'ratio':>6}"
        f" {'check s':>8} {'--fix s':>8} {'ratio':>6}"
    )
    for row in rows:
        print(
            f"{row['lines']:>6} {row['fixed']:>5} {row['remaining']:>4}"
            f" {row['lint_seconds'] * 1000:>8.1f} {row['fix_seconds'] * 1000:>8.1f}"
            f" {row['fix_seconds'] / row['lint_seconds']:>6.2f}"
            f" {row['check_process_seconds']:>8.2f} {row['fix_process_seconds']:>8.2f}"
            f" {row['fix_process_seconds'] / row['check_process_seconds']:>6.2f}"
        )
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "fix-latest.json").write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

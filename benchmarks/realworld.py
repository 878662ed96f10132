"""`make realworld`: mockls check on real, maintained test suites, judged against reviewed verdicts.

For each suite of `real_suites.py` (celery, botocore, ansible-core, pinned sdists from PyPI,
each with its own venv), runs `python -m mockls check --format json <tests>` in the unpacked
tree, as a user would, and compares the findings with `realworld_verdicts.toml`: every
finding a person reviewed, by reading the code behind it, as a true finding or a false alarm
(with why). It prints the findings that are new (not reviewed yet), the true ones that
vanished and the false alarms that are back, then the time and peak RSS of each run against
the suite's limits. Exit status 1 when any of those needs a look, 0 when all is as reviewed.

    .venv/bin/python benchmarks/realworld.py                 # all three
    .venv/bin/python benchmarks/realworld.py ansible-core    # one
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from real_suites import SUITES, fetch

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI
    import tomli as tomllib

VERDICTS = Path(__file__).resolve().parent / "realworld_verdicts.toml"

Key = tuple[str, int, str]
"""A finding as reviewed: ``(path in the suite, 1-based line, code)``."""


@dataclass(frozen=True)
class Run:
    """One `mockls check` of a suite."""

    findings: dict[Key, str]  # -> message
    seconds: float
    cpu_seconds: float  # user + system: steadier than wall-clock on a busy machine
    peak_rss_mb: float
    stderr: str


def check(name: str) -> Run:
    """Run `mockls check` on the suite's tests in its tree, timing it and reading its peak RSS."""
    ready = fetch(name)
    command = [sys.executable, "-m", "mockls", "check", "--format", "json", ready.suite.tests]
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as out,
        tempfile.TemporaryFile("w+", encoding="utf-8") as err,
    ):
        started = time.monotonic()
        process = subprocess.Popen(
            command, cwd=ready.root, stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )
        # wait4 reports this child's own peak RSS (KiB on Linux), which Popen.wait cannot.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode not in (0, 1):
        raise SystemExit(f"mockls check failed on {name} ({process.returncode}):\n{stderr}")
    findings = {
        (finding["path"], finding["line"], finding["code"]): finding["message"]
        for finding in json.loads(stdout)
    }
    cpu = usage.ru_utime + usage.ru_stime
    return Run(findings, seconds, cpu, usage.ru_maxrss / 1024, stderr)


def judge(name: str, run: Run, verdicts: dict[str, object]) -> list[str]:
    """What needs a look: new, vanished and false findings, and runs over the limits."""
    reviewed = {
        (entry["path"], entry["line"], entry["code"]): entry
        for entry in verdicts.get("finding", [])  # type: ignore[union-attr]
    }
    problems: list[str] = []
    for key, message in sorted(run.findings.items()):
        entry = reviewed.get(key)
        if entry is None:
            problems.append(f"NEW (review it) {_where(key)}: {message}")
        elif entry["verdict"] == "false-alarm":
            problems.append(f"FALSE ALARM {_where(key)}: {entry['why']}")
    for key, entry in sorted(reviewed.items()):
        if entry["verdict"] == "true" and key not in run.findings:
            problems.append(f"VANISHED {_where(key)}: {entry['why']}")
    limit_s, limit_mb = verdicts["seconds"], verdicts["peak-rss-mb"]
    timing = (
        f"{run.seconds:.1f} s (limit {limit_s} s; CPU {run.cpu_seconds:.1f} s), "
        f"peak RSS {run.peak_rss_mb:.0f} MB"
    )
    print(f"{name}: {len(run.findings)} findings; {timing} (limit {limit_mb} MB)")
    for line in run.stderr.splitlines():
        if "targets" in line:  # which interpreter resolved the targets
            print(f"  {line}")
    if run.seconds > limit_s:  # type: ignore[operator]
        problems.append(f"SLOW {run.seconds:.1f} s > {limit_s} s")
    if run.peak_rss_mb > limit_mb:  # type: ignore[operator]
        problems.append(f"MEMORY {run.peak_rss_mb:.0f} MB > {limit_mb} MB")
    return problems


def _where(key: Key) -> str:
    path, line, code = key
    return f"{path}:{line} {code}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suites", nargs="*", metavar="SUITE", help=f"of {', '.join(SUITES)}")
    arguments = parser.parse_args(argv)
    unknown = [name for name in arguments.suites if name not in SUITES]
    if unknown:
        parser.error(f"unknown suite {unknown[0]!r} (known: {', '.join(SUITES)})")
    with VERDICTS.open("rb") as stream:
        all_verdicts = tomllib.load(stream)
    failed = False
    for name in arguments.suites or SUITES:
        problems = judge(name, check(name), all_verdicts[name])
        for problem in problems:
            print(f"  {problem}")
        failed = failed or bool(problems)
    print("needs a look" if failed else "as reviewed: no new, vanished or false findings")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

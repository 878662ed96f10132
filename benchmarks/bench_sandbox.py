"""How fast the sandbox answers: worker start, warm round trips, replacement, test runs.

For each interpreter (the server's, and pyenv's 3.9 and 3.13 when this machine has them) it
measures, on ``examples/shop`` as the workspace:

- **cold start**: a new :class:`~mockls.sandbox.SandboxPool` (private directory included) to
  the first ``ping`` answered — what the first sandbox request after opening a workspace pays
  — and then the first ``resolve``, which imports the workspace modules it names;
- **warm resolve**: ``resolve`` of workspace targets on a warm worker that has imported them,
  sent to the worker every time (the cache bypassed: ``pool.call``), and the same answered
  from the cache (``pool.resolve``);
- **replacement**: a request whose user code calls ``os._exit`` (the crash reported), then the
  next request answered by the fresh worker the pool started in its place;
- **warm verification**: the round trip that confirms a where-to-patch finding — ``resolve``
  then ``apply_patch`` with the lookup site, to a warm worker (the cache bypassed) — and what
  the server does after a save of ``tests/test_payments.py``: every claim of its findings and
  fixes checked (``verify_findings``, the cache emptied first);
- **verify a test** (the server's interpreter, which has pytest): ``run_test`` of shop tests
  against ``python -m pytest NODE`` in a fresh process, each end to end, and the ratio of their
  medians.

It prints a table and writes the numbers as JSON to ``benchmarks/results/``. Run it with
``.venv/bin/python benchmarks/bench_sandbox.py`` (``--help`` for the options).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_diagnostics import machine, write_results  # the script's own directory is on sys.path
from bench_resolve import summary

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for scripts.engine_pythons
from mockls.config import Settings
from mockls.linter import lint_source
from mockls.resolve.project import Project, ProjectFile
from mockls.sandbox import (
    Reply,
    RunOutcome,
    RuntimeObject,
    SandboxFault,
    SandboxOptions,
    SandboxPool,
    TestRun,
)
from mockls.verification import verify_findings
from scripts.engine_pythons import find_interpreter

RESULTS_DIR = Path(__file__).resolve().parent / "results"
SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop"

TARGETS = [
    "shop.payments.charge",
    "shop.payments.PaymentGateway",
    "shop.orders.OrderService",
    "shop.inventory.Inventory",
    "shop.emails.send_receipt",
    "shop.returns.accept_return",
]

WARM_BUDGET_MS = 50.0
"""The issue's goal for a warm verification round trip (p50)."""

TEST_RUN_BUDGET = 1.5
"""The issue's goal for verifying a test: at most this many times plain pytest's time."""

SHOP_TESTS = [
    ("tests/test_payments.py", "test_placed_order_is_paid"),
    ("tests/test_payments.py", "test_placed_order_keeps_the_charge_id"),
    ("tests/test_orders.py", "PlaceOrderTests.test_place_charges_the_total"),
    ("tests/test_cancel_and_ship.py", "ShipOrderTests.test_ship_tells_the_customer"),
]
"""Tests of the shop for the verify-a-test comparison: mocker, @patch, an async TestCase."""

OPTIONS = SandboxOptions(size=1, deadline=60.0, start_deadline=60.0)


def interpreters() -> list[tuple[str, str]]:
    """(label, path): the server's, then the newest 3.9 and 3.13 when present."""
    found = [("server " + ".".join(map(str, sys.version_info[:2])), sys.executable)]
    for version in ("3.9", "3.13"):
        path = find_interpreter(version)
        if path is not None:
            found.append((path.parent.parent.name, str(path)))
    return found


def elapsed(start: float) -> float:
    return time.perf_counter() - start


def require(outcome: object, kind: type) -> None:
    if not isinstance(outcome, kind):
        raise RuntimeError(f"expected a {kind.__name__}, got {outcome!r}")


def cold_start(python: str, repeat: int) -> tuple[list[float], list[float]]:
    """A new pool to its first answer; then its first ``resolve`` (which imports the code)."""
    first: list[float] = []
    importing: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        with SandboxPool(SHOP, python, OPTIONS) as pool:
            require(pool.call("ping", {}), Reply)
            first.append(elapsed(start))
            start = time.perf_counter()
            require(pool.call("resolve", {"target": TARGETS[0]}), Reply)
            importing.append(elapsed(start))
    return first, importing


def warm_resolve(python: str, rounds: int) -> tuple[list[float], list[float]]:
    worker: list[float] = []
    cached: list[float] = []
    with SandboxPool(SHOP, python, OPTIONS) as pool:
        for target in TARGETS:  # import everything once: warm
            require(pool.resolve(target), RuntimeObject)
        for _ in range(rounds):
            for target in TARGETS:
                start = time.perf_counter()
                require(pool.call("resolve", {"target": target}), Reply)
                worker.append(elapsed(start))
                start = time.perf_counter()
                require(pool.resolve(target), RuntimeObject)
                cached.append(elapsed(start))
    return worker, cached


def replacement(python: str, repeat: int, workspace: Path) -> tuple[list[float], list[float]]:
    crash: list[float] = []
    replaced: list[float] = []
    with SandboxPool(workspace, python, OPTIONS) as pool:
        require(pool.call("ping", {}), Reply)
        for _ in range(repeat):
            start = time.perf_counter()
            require(pool.call("resolve", {"target": "crash"}), SandboxFault)
            crash.append(elapsed(start))
            start = time.perf_counter()
            require(pool.call("resolve", {"target": "calm.answer"}), Reply)
            replaced.append(elapsed(start))
    return crash, replaced


def warm_verification(python: str, rounds: int) -> tuple[list[float], list[float]]:
    """The round trip confirming the shop's where-to-patch finding, and every claim of a
    saved test module checked."""
    site = {"target": "shop.payments.charge", "lookup_sites": [["shop.orders", "charge"]]}
    project = Project(SHOP, python)
    project.scan()
    path = SHOP / "tests" / "test_payments.py"
    source = path.read_text(encoding="utf-8")
    findings = lint_source(source, "tests/test_payments.py", Settings(), ProjectFile(project, path))
    round_trip: list[float] = []
    module: list[float] = []
    loop = asyncio.new_event_loop()
    try:
        with SandboxPool(SHOP, python, OPTIONS) as pool:
            loop.run_until_complete(verify_findings(findings, pool))  # warm
            for _ in range(rounds):
                start = time.perf_counter()
                require(pool.call("resolve", {"target": site["target"]}), Reply)
                require(pool.call("apply_patch", site), Reply)
                round_trip.append(elapsed(start))
                pool.cache.file_changed(str(SHOP / "shop" / "orders.py"))  # every claim read it
                start = time.perf_counter()
                verified = loop.run_until_complete(verify_findings(findings, pool))
                module.append(elapsed(start))
                if not any("confirmed in the sandbox" in item.message for item in verified):
                    raise RuntimeError(f"nothing confirmed: {verified!r}")
    finally:
        loop.close()
    return round_trip, module


def verify_test_runs(python: str, repeat: int) -> tuple[list[float], list[float]]:
    """Verifying each shop test in the sandbox, and running it with plain pytest."""
    sandboxed: list[float] = []
    plain: list[float] = []
    options = SandboxOptions(size=2, test_deadline=300.0, start_deadline=60.0)
    with SandboxPool(SHOP, python, options) as pool:
        require(pool.call("ping", {}), Reply)
        for _ in range(repeat):
            for relative, name in SHOP_TESTS:
                module = relative.removesuffix(".py").replace("/", ".")
                start = time.perf_counter()
                run = pool.run_test(SHOP / relative, name, module)
                sandboxed.append(elapsed(start))
                if not isinstance(run, TestRun) or run.outcome is not RunOutcome.PASSED:
                    raise RuntimeError(f"{name}: {run!r}")
                node = "::".join([relative, *name.split(".")])
                start = time.perf_counter()
                subprocess.run(
                    [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", node],
                    cwd=SHOP,
                    check=True,
                    capture_output=True,
                )
                plain.append(elapsed(start))
    return sandboxed, plain


def measure(
    python: str, repeat: int, rounds: int, workspace: Path, *, with_tests: bool
) -> dict[str, Any]:
    worker, cached = warm_resolve(python, rounds)
    round_trip, module = warm_verification(python, rounds)
    crash, replaced = replacement(python, repeat, workspace)
    first, importing = cold_start(python, repeat)
    measured: dict[str, Any] = {
        "interpreter": python,
        "cold_start": summary(first),
        "first_resolve_importing": summary(importing),
        "warm_resolve_worker": summary(worker),
        "warm_resolve_cached": summary(cached),
        "warm_verification_round_trip": summary(round_trip),
        "verify_saved_test_module": summary(module),
        "crash_reported": summary(crash),
        "next_answer_after_crash": summary(replaced),
    }
    if with_tests:
        sandboxed, plain = verify_test_runs(python, max(1, repeat // 3))
        measured["verify_test"] = summary(sandboxed)
        measured["plain_pytest"] = summary(plain)
        measured["verify_test_ratio"] = statistics.median(sandboxed) / statistics.median(plain)
    return measured


def report(results: dict[str, dict[str, Any]]) -> None:
    print(f"{'':34}{'count':>7}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for label, measured in results.items():
        print(f"{label} ({measured['interpreter']})")
        for key, value in measured.items():
            if isinstance(value, dict):
                print(
                    f"  {key:32}{value['count']:>7}{value['p50_ms']:>10.2f}"
                    f"{value['p95_ms']:>10.2f}{value['max_ms']:>10.2f}"
                )
            elif key == "verify_test_ratio":
                print(f"  {key:32}{value:>17.2f}x")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=10, help="cold starts and crashes")
    parser.add_argument("--rounds", type=int, default=50, help="rounds over the warm targets")
    parser.add_argument("--python", action="append", help="interpreter(s) instead of the default")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR, help="directory for JSON")
    parser.add_argument("--no-tests", action="store_true", help="skip the verify-a-test runs")
    options = parser.parse_args(argv)
    chosen = [(path, path) for path in options.python] if options.python else interpreters()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="mockls-bench-sandbox-") as directory:
        workspace = Path(directory)
        (workspace / "crash.py").write_text("import os\n\nos._exit(3)\n")
        (workspace / "calm.py").write_text("def answer():\n    return 42\n")
        for label, python in chosen:
            with_tests = python == sys.executable and not options.no_tests
            results[label] = measure(
                python, options.repeat, options.rounds, workspace, with_tests=with_tests
            )
    report(results)
    write_results({"interpreters": results, "machine": machine()}, options.output, "sandbox")
    slow = [
        label
        for label, measured in results.items()
        if measured["warm_verification_round_trip"]["p50_ms"] > WARM_BUDGET_MS
        or measured.get("verify_test_ratio", 0.0) > TEST_RUN_BUDGET
    ]
    if slow:
        print(
            f"over budget (verification p50 {WARM_BUDGET_MS:g} ms, a test run"
            f" {TEST_RUN_BUDGET:g}x pytest): {', '.join(slow)}"
        )
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())

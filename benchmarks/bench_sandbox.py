"""How fast the sandbox answers: worker start, warm ``resolve`` round trips, replacement.

For each interpreter (the server's, and pyenv's 3.9 and 3.13 when this machine has them) it
measures, on ``examples/shop`` as the workspace:

- **cold start**: a new :class:`~mockls.sandbox.SandboxPool` (private directory included) to
  the first ``ping`` answered — what the first sandbox request after opening a workspace pays
  — and then the first ``resolve``, which imports the workspace modules it names;
- **warm resolve**: ``resolve`` of workspace targets on a warm worker that has imported them,
  sent to the worker every time (the cache bypassed: ``pool.call``), and the same answered
  from the cache (``pool.resolve``);
- **replacement**: a request whose user code calls ``os._exit`` (the crash reported), then the
  next request answered by the fresh worker the pool started in its place.

It prints a table and writes the numbers as JSON to ``benchmarks/results/``. Run it with
``.venv/bin/python benchmarks/bench_sandbox.py`` (``--help`` for the options).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_diagnostics import machine, write_results  # the script's own directory is on sys.path
from bench_resolve import summary

from mockls.sandbox import Reply, RuntimeObject, SandboxFault, SandboxOptions, SandboxPool

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
"""The issue's goal for a warm verification round trip (p50); ``resolve`` is its first step."""

OPTIONS = SandboxOptions(size=1, deadline=60.0, start_deadline=60.0)


def interpreters() -> list[tuple[str, str]]:
    """(label, path): the server's, then pyenv's newest 3.9 and 3.13 when present."""
    found = [("server " + ".".join(map(str, sys.version_info[:2])), sys.executable)]
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    for version in ("3.9", "3.13"):
        candidates = sorted(
            root.glob(f"{version}.*/bin/python"),
            key=lambda path: [int(part) for part in path.parts[-3].split(".") if part.isdigit()],
        )
        if candidates:
            found.append((candidates[-1].parts[-3], str(candidates[-1])))
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


def measure(python: str, repeat: int, rounds: int, workspace: Path) -> dict[str, Any]:
    worker, cached = warm_resolve(python, rounds)
    crash, replaced = replacement(python, repeat, workspace)
    first, importing = cold_start(python, repeat)
    return {
        "interpreter": python,
        "cold_start": summary(first),
        "first_resolve_importing": summary(importing),
        "warm_resolve_worker": summary(worker),
        "warm_resolve_cached": summary(cached),
        "crash_reported": summary(crash),
        "next_answer_after_crash": summary(replaced),
    }


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=10, help="cold starts and crashes")
    parser.add_argument("--rounds", type=int, default=50, help="rounds over the warm targets")
    parser.add_argument("--python", action="append", help="interpreter(s) instead of the default")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR, help="directory for JSON")
    options = parser.parse_args(argv)
    chosen = [(path, path) for path in options.python] if options.python else interpreters()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="mockls-bench-sandbox-") as directory:
        workspace = Path(directory)
        (workspace / "crash.py").write_text("import os\n\nos._exit(3)\n")
        (workspace / "calm.py").write_text("def answer():\n    return 42\n")
        for label, python in chosen:
            results[label] = measure(python, options.repeat, options.rounds, workspace)
    report(results)
    write_results({"interpreters": results, "machine": machine()}, options.output, "sandbox")
    slow = [
        label
        for label, measured in results.items()
        if measured["warm_resolve_worker"]["p50_ms"] > WARM_BUDGET_MS
    ]
    if slow:
        print(f"warm resolve p50 over {WARM_BUDGET_MS:g} ms: {', '.join(slow)}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())

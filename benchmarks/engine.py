"""How fast mockengine is next to unittest.mock, case by case, in one process.

Each case is one operation a test suite does over and over (making a mock, calling it,
asserting, autospeccing, patching, awaiting), written once and run with either library. The
two libraries take turns, case by case, for many rounds (the order alternating), so that both
see the same machine; each round times a short batch of operations with the garbage collector
paused, as ``timeit`` does, and a case's time is its best round. The ratio is unittest.mock's
time over mockengine's (2.0: mockengine takes half the time); the summary is their geometric
mean.

Run it with ``.venv/bin/python benchmarks/engine.py`` (``--help`` for the options), or under
any CPython 3.9-3.13 (``python3.9 benchmarks/engine.py``). It prints a table, writes the
numbers as JSON to ``benchmarks/results/engine-latest.json``, and exits 1 when a goal is
missed: a geometric mean of at least 2, at least 3 for ``MagicMock()`` and
``create_autospec``, and no case slower than unittest.mock.
"""

from __future__ import annotations

import argparse
import gc
import math
import sys
import time
import unittest.mock
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_diagnostics import machine, write_results  # the script's own directory is on sys.path

import mockengine  # the repository is put on sys.path just above

RESULTS_DIR = Path(__file__).resolve().parent / "results"
GEOMETRIC_MEAN_GOAL = 2.0
CASE_GOAL = 3.0
"""For the cases marked ``goal``: what autospec and MagicMock cost is why people avoid them."""
BATCH_SECONDS = 0.002
"""About how long one timed batch runs (its size is calibrated once per case). Many short
batches, the best one kept, see through the load of a shared machine better than a few long."""

SETTINGS = {f"key{index}": index for index in range(10)}


class Thirty:
    """A class with 30 methods of assorted signatures, for ``create_autospec``."""


for _index in range(30):
    exec(  # builds the 30 methods; the text is fixed
        f"def method_{_index}(self, a, b=1, *args, key=None, **kwargs): return a\n",
        globals(),
    )
    setattr(Thirty, f"method_{_index}", globals().pop(f"method_{_index}"))


def target_function(value: int) -> int:
    """What ``patch`` replaces by name."""
    return value


@dataclass(frozen=True)
class Case:
    """One operation: ``setup(library)`` makes its state, ``run(library, state)`` is timed."""

    name: str
    run: Callable[[ModuleType, Any], object]
    setup: Callable[[ModuleType], Any] = lambda library: None
    goal: bool = False


def _recorded(library: ModuleType, calls: int) -> Any:
    mock = library.Mock()
    for index in range(calls):
        mock(index, key=index)
    return mock


def _chain(library: ModuleType) -> Any:
    mock = library.Mock()
    mock.a.b.c.d  # noqa: B018  (the children exist before the timing)
    return mock


def _with_calls(library: ModuleType) -> tuple[Any, list[Any]]:
    mock = library.Mock()
    for index in range(10):
        getattr(mock, f"m{index % 3}")(index)
    call = library.call
    return mock, [getattr(call, f"m{index % 3}")(index) for index in range(10)]


def _patch_enter_exit(library: ModuleType, state: Any) -> None:
    with library.patch(f"{__name__}.target_function"):
        pass


def _patch_object_enter_exit(library: ModuleType, state: Any) -> None:
    with library.patch.object(Thirty, "method_3"):
        pass


def _patch_dict_enter_exit(library: ModuleType, state: Any) -> None:
    with library.patch.dict(SETTINGS, {"key3": 33, "extra": 1}):
        pass


def _await(library: ModuleType, mock: Any) -> object:
    coroutine = mock(1, key=2)
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    raise RuntimeError("the AsyncMock did not finish at once")


CASES = [
    Case("Mock()", lambda library, state: library.Mock()),
    Case("MagicMock()", lambda library, state: library.MagicMock(), goal=True),
    Case("child attribute chain (mock.a.b.c.d)", lambda library, mock: mock.a.b.c.d, _chain),
    Case(
        "call recorded with args and kwargs",
        lambda library, mock: mock.method(1, "two", key=3),
        lambda library: library.Mock(),
    ),
    Case(
        "assert_called_with after 100 calls",
        lambda library, mock: mock.assert_called_with(99, key=99),
        lambda library: _recorded(library, 100),
    ),
    Case(
        "mock_calls == [10 calls]",
        lambda library, state: state[0].mock_calls == state[1],
        _with_calls,
    ),
    Case(
        "create_autospec(30-method class)",
        lambda library, state: library.create_autospec(Thirty),
        goal=True,
    ),
    Case(
        "call on an autospecced method",
        lambda library, instance: instance.method_7(1, 2, key=3),
        lambda library: library.create_autospec(Thirty, instance=True),
    ),
    Case("patch() enter and exit", _patch_enter_exit),
    Case("patch.object() enter and exit", _patch_object_enter_exit),
    Case("patch.dict() enter and exit", _patch_dict_enter_exit),
    Case("AsyncMock call awaited", _await, lambda library: library.AsyncMock(return_value=3)),
]

LIBRARIES = {"unittest.mock": unittest.mock, "mockengine": mockengine}


def time_batch(case: Case, library: ModuleType, size: int) -> float:
    """Seconds per operation over one batch of ``size`` operations (gc paused)."""
    state = case.setup(library)
    run = case.run
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(size):
            run(library, state)
        elapsed = time.perf_counter() - start
    finally:
        gc.enable()
    return elapsed / size


def batch_size(case: Case) -> int:
    """How many operations make a batch of about ``BATCH_SECONDS`` with the slower library."""
    per_operation = max(time_batch(case, library, 20) for library in LIBRARIES.values())
    return max(1, int(BATCH_SECONDS / per_operation))


def measure(cases: Sequence[Case], rounds: int) -> dict[str, dict[str, float]]:
    """The best time per operation of each case with each library, in seconds."""
    sizes = {case.name: batch_size(case) for case in cases}
    best = {case.name: dict.fromkeys(LIBRARIES, math.inf) for case in cases}
    for round_number in range(rounds):
        for case in cases:
            order = list(LIBRARIES.items())
            if round_number % 2:
                order.reverse()
            for label, library in order:
                seconds = time_batch(case, library, sizes[case.name])
                best[case.name][label] = min(best[case.name][label], seconds)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=60, help="timed rounds per case (best wins)")
    parser.add_argument("--case", action="append", help="only cases whose name contains this")
    parser.add_argument("--no-write", action="store_true", help="do not write the JSON results")
    args = parser.parse_args(argv)

    cases = [
        case for case in CASES if not args.case or any(part in case.name for part in args.case)
    ]
    best = measure(cases, args.rounds)

    rows = []
    missed = []
    print(f"mockengine vs unittest.mock, CPython {sys.version.split()[0]}, best of {args.rounds}")
    print(f"  {'case':40} {'unittest.mock':>14} {'mockengine':>12} {'ratio':>7}")
    for case in cases:
        reference, ours = best[case.name]["unittest.mock"], best[case.name]["mockengine"]
        ratio = reference / ours
        goal = CASE_GOAL if case.goal else 1.0
        mark = "" if ratio >= goal else f"  < {goal:g}x goal"
        if mark:
            missed.append(case.name)
        print(
            f"  {case.name:40} {reference * 1e6:11.2f} us {ours * 1e6:9.2f} us {ratio:6.2f}x{mark}"
        )
        rows.append(
            {"case": case.name, "unittest_mock_s": reference, "mockengine_s": ours,
             "ratio": ratio, "goal": goal}
        )  # fmt: skip
    geometric_mean = math.exp(sum(math.log(row["ratio"]) for row in rows) / len(rows))
    mean_mark = (
        "" if geometric_mean >= GEOMETRIC_MEAN_GOAL else f"  < {GEOMETRIC_MEAN_GOAL:g}x goal"
    )
    if mean_mark and not args.case:
        missed.append("geometric mean")
    print(f"  {'geometric mean':40} {'':>14} {'':>12} {geometric_mean:6.2f}x{mean_mark}")

    if not args.no_write:
        data = {"machine": machine(), "rounds": args.rounds, "cases": rows,
                "geometric_mean": geometric_mean, "missed": missed}  # fmt: skip
        print(f"wrote {write_results(data, RESULTS_DIR, 'engine')}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

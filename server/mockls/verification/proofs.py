"""Proof by execution of a refactoring: its tests run before and after the change, compared.

A refactoring of patch structure promises that the tests it touches cannot tell the
difference. :func:`prove_refactoring` runs each of them on the saved file and on the changed
text (through the caller's two runners, so that the caller decides where and how often runs
happen) and compares the two runs of each test with :func:`compare_runs`: the same outcome
(passed, failed, error), the same patches started in the same order, and for each patch the
same number of calls on its mock and the same answer to "did the original run while it was
patched out". Failure messages are not compared: they name mocks by their ``id``.

A test that cannot show anything (its run is a fault, it was skipped, not found, or nothing
here can run it) leaves the refactoring unknown, never proved.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from mockls.sandbox import PatchUsage, RunOutcome, SandboxFault, TestRun

__all__ = ["Proof", "ProofVerdict", "TestRunner", "compare_runs", "prove_refactoring"]

TestRunner = Callable[[str], Awaitable[TestRun | SandboxFault]]
"""Runs one test by name (``test_x`` or ``Class.test_x``)."""

_SHOWS_NOTHING = frozenset({RunOutcome.SKIPPED, RunOutcome.NOT_FOUND, RunOutcome.UNAVAILABLE})
"""Outcomes of a run before the change that exercise none of it."""

_VERB = {
    RunOutcome.PASSED: "passes",
    RunOutcome.FAILED: "fails",
    RunOutcome.ERROR: "raises an error",
    RunOutcome.SKIPPED: "is skipped",
    RunOutcome.NOT_FOUND: "cannot be collected",
    RunOutcome.UNAVAILABLE: "cannot be run",
}


class ProofVerdict(enum.Enum):
    """What running a refactoring's tests before and after it showed."""

    KEPT = "kept"  # every test ended the same, with the same mock calls
    CHANGED = "changed"  # some test did not
    UNKNOWN = "unknown"  # nothing could be shown (a fault, no test that runs)


@dataclass(frozen=True, slots=True)
class Proof:
    """A verdict and, in one phrase, what the runs showed."""

    verdict: ProofVerdict
    evidence: str


async def prove_refactoring(tests: Sequence[str], before: TestRunner, after: TestRunner) -> Proof:
    """Run each of ``tests`` with ``before`` (the saved file), then ``after`` (the changed
    text), and stop at the first difference."""
    if not tests:
        return Proof(ProofVerdict.UNKNOWN, "it affects no test to run")
    for test in tests:
        original = await before(test)
        if isinstance(original, SandboxFault):
            return Proof(ProofVerdict.UNKNOWN, f"`{test}` could not run: {original.message}")
        if original.outcome in _SHOWS_NOTHING:
            reason = f": {original.message}" if original.message else ""
            return Proof(ProofVerdict.UNKNOWN, f"`{test}` {_VERB[original.outcome]}{reason}")
        changed = await after(test)
        if isinstance(changed, SandboxFault):
            return Proof(
                ProofVerdict.UNKNOWN,
                f"`{test}` could not run with the change: {changed.message}",
            )
        difference = compare_runs(test, original, changed)
        if difference is not None:
            return Proof(ProofVerdict.CHANGED, difference)
    count = len(tests)
    which = f"`{tests[0]}`" if count == 1 else f"its {count} tests"
    return Proof(ProofVerdict.KEPT, f"{which} ended the same, with the same mock calls")


def compare_runs(test: str, before: TestRun, after: TestRun) -> str | None:
    """How the run of ``test`` after the change differs from the one before; ``None``: it
    does not (outcome, and each patch's target, calls and original, in start order)."""
    if before.outcome is not after.outcome:
        return f"`{test}` {_VERB[before.outcome]}, and {_VERB[after.outcome]} with the change"
    if len(before.patches) != len(after.patches):
        return (
            f"`{test}` starts {_patches(len(before.patches))}, and"
            f" {_patches(len(after.patches))} with the change"
        )
    for old, new in zip(before.patches, after.patches, strict=True):
        name = _name(old)
        if (old.kind, old.target, old.module, old.attribute) != (
            new.kind,
            new.target,
            new.module,
            new.attribute,
        ):
            return f"`{test}` patches `{name}`, and `{_name(new)}` in its place with the change"
        if old.call_count != new.call_count:
            return (
                f"in `{test}` the mock of `{name}` is called {_times(old.call_count)}, and"
                f" {_times(new.call_count)} with the change"
            )
        if old.original_called != new.original_called:
            return (
                f"in `{test}` the original `{name}` {_ran(old.original_called)} while patched"
                f" out, and {_ran(new.original_called)} with the change"
            )
    return None


def _name(usage: PatchUsage) -> str:
    return usage.target or usage.attribute


def _patches(count: int) -> str:
    return f"{count} patch" if count == 1 else f"{count} patches"


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _ran(called: bool | None) -> str:
    if called is None:
        return "cannot be watched"
    return "runs" if called else "does not run"

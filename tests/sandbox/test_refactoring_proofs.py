"""A refactoring's tests run before and after it, compared: what tells two runs apart, when a
proof stops, and the proof of the shop's refactorings in a real sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from mockls.fixes.refactoring import ParsedModule
from mockls.fixes.refactorings import refactorings
from mockls.resolve.project import Project, ProjectFile
from mockls.sandbox import FaultKind, PatchUsage, RunOutcome, SandboxFault, SandboxPool, TestRun
from mockls.spans import Position, Span
from mockls.verification import Proof, ProofVerdict, compare_runs, prove_refactoring

from .conftest import PATIENT

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"

CHARGE = PatchUsage("patch", "shop.orders.charge", "shop.orders", "charge", 1, False)
RECEIPT = PatchUsage("patch", "shop.orders.send_receipt", "shop.orders", "send_receipt", 0, False)
PASSED = TestRun("pytest", RunOutcome.PASSED, "", (CHARGE, RECEIPT))
TEST = "OrderTests.test_pay"

DIFFERENCES = [
    pytest.param(PASSED, None, id="the-same"),
    pytest.param(
        replace(PASSED, outcome=RunOutcome.FAILED, message="AssertionError: <Mock id='1'>"),
        "`OrderTests.test_pay` passes, and fails with the change",
        id="outcome",
    ),
    pytest.param(
        replace(PASSED, outcome=RunOutcome.NOT_FOUND),
        "`OrderTests.test_pay` passes, and cannot be collected with the change",
        id="no-longer-collected",
    ),
    pytest.param(
        replace(PASSED, patches=(CHARGE,)),
        "`OrderTests.test_pay` starts 2 patches, and 1 patch with the change",
        id="a-patch-fewer",
    ),
    pytest.param(
        replace(PASSED, patches=(RECEIPT, CHARGE)),
        "`OrderTests.test_pay` patches `shop.orders.charge`, and `shop.orders.send_receipt` in"
        " its place with the change",
        id="start-order",
    ),
    pytest.param(
        replace(PASSED, patches=(replace(CHARGE, call_count=2), RECEIPT)),
        "in `OrderTests.test_pay` the mock of `shop.orders.charge` is called once, and 2 times"
        " with the change",
        id="call-count",
    ),
    pytest.param(
        replace(PASSED, patches=(CHARGE, replace(RECEIPT, original_called=True))),
        "in `OrderTests.test_pay` the original `shop.orders.send_receipt` does not run while"
        " patched out, and runs with the change",
        id="original-ran",
    ),
    pytest.param(
        replace(PASSED, patches=(replace(CHARGE, callers=(("shop/orders.py", 9),)), RECEIPT)),
        None,
        id="callers-are-not-compared",
    ),
]


@pytest.mark.parametrize(("after", "difference"), DIFFERENCES)
def test_compare_runs(after: TestRun, difference: str | None) -> None:
    assert compare_runs(TEST, PASSED, after) == difference


def test_failure_messages_are_not_compared() -> None:
    before = replace(PASSED, outcome=RunOutcome.FAILED, message="AssertionError: <Mock id='1'>")
    after = replace(before, message="AssertionError: <Mock id='2'>")
    assert compare_runs(TEST, before, after) is None


class Runs:
    """Answers test runs from a table, keeping the order they were asked in."""

    def __init__(self, answers: dict[str, TestRun | SandboxFault]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    async def __call__(self, test: str) -> TestRun | SandboxFault:
        self.asked.append(test)
        return self.answers[test]


TIMEOUT = SandboxFault(FaultKind.TIMEOUT, "the test ran past its deadline")
SKIPPED = TestRun("pytest", RunOutcome.SKIPPED, "no network here", ())

PROOFS = [
    pytest.param(
        ("a", "b"),
        {"a": PASSED, "b": PASSED},
        {"a": PASSED, "b": PASSED},
        Proof(ProofVerdict.KEPT, "its 2 tests ended the same, with the same mock calls"),
        ["a", "b"],
        id="kept",
    ),
    pytest.param(
        (),
        {},
        {},
        Proof(ProofVerdict.UNKNOWN, "it affects no test to run"),
        [],
        id="no-tests",
    ),
    pytest.param(
        ("a", "b"),
        {"a": PASSED, "b": PASSED},
        {"a": replace(PASSED, outcome=RunOutcome.ERROR), "b": PASSED},
        Proof(ProofVerdict.CHANGED, "`a` passes, and raises an error with the change"),
        ["a"],
        id="stops-at-the-first-difference",
    ),
    pytest.param(
        ("a",),
        {"a": TIMEOUT},
        {"a": PASSED},
        Proof(ProofVerdict.UNKNOWN, "`a` could not run: the test ran past its deadline"),
        [],
        id="fault-before",
    ),
    pytest.param(
        ("a",),
        {"a": PASSED},
        {"a": TIMEOUT},
        Proof(
            ProofVerdict.UNKNOWN,
            "`a` could not run with the change: the test ran past its deadline",
        ),
        ["a"],
        id="fault-after",
    ),
    pytest.param(
        ("a",),
        {"a": SKIPPED},
        {"a": SKIPPED},
        Proof(ProofVerdict.UNKNOWN, "`a` is skipped: no network here"),
        [],
        id="a-skipped-test-shows-nothing",
    ),
]


@pytest.mark.parametrize(("tests", "before", "after", "proof", "run_after"), PROOFS)
def test_prove_refactoring(
    tests: tuple[str, ...],
    before: dict[str, TestRun | SandboxFault],
    after: dict[str, TestRun | SandboxFault],
    proof: Proof,
    run_after: list[str],
) -> None:
    runs_before, runs_after = Runs(before), Runs(after)
    assert asyncio.run(prove_refactoring(tests, runs_before, runs_after)) == proof
    assert runs_after.asked == run_after


# -- in a real sandbox ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shop_pool() -> Iterator[SandboxPool]:
    with SandboxPool(SHOP, None, PATIENT) as pool:
        yield pool


def offered_at(path: Path, marker: str, title: str) -> tuple[str, tuple[str, ...]]:
    """The text and tests of the refactoring ``title`` offered at ``marker`` in ``path``."""
    project = Project(SHOP)
    project.scan()
    text = path.read_text(encoding="utf-8")
    before = text[: text.index(marker)]
    position = Position(before.count("\n"), len(before) - before.rfind("\n") - 1)
    module = ParsedModule.of(text, ProjectFile(project, path))
    assert module is not None
    (offered,) = [
        found
        for found in refactorings(module, Span(position, position))
        if found.refactoring.title == title
    ]
    return offered.fixed_source, offered.refactoring.tests


def test_the_shop_refund_test_flattened_keeps_its_outcome_and_calls(
    shop_pool: SandboxPool,
) -> None:
    path = SHOP / "tests" / "test_refunds.py"
    fixed, tests = offered_at(
        path,
        "with mock.patch(",
        "Flatten the `with patch` blocks: patchers stopped by `addCleanup`",
    )
    module = "tests.test_refunds"

    runs_before: dict[str, TestRun | SandboxFault] = {}

    async def before(test: str) -> TestRun | SandboxFault:  # run once, read by both proofs
        if test not in runs_before:
            runs_before[test] = await shop_pool.run_test_async(path, test, module)
        return runs_before[test]

    async def after(test: str) -> TestRun | SandboxFault:
        return await shop_pool.run_test_async(path, test, module, fixed)

    async def one_more_call(test: str) -> TestRun | SandboxFault:
        # the flattened test calling the refund mock once more at its end: it still passes
        last = '        self.assertEqual(order.status, "cancelled")\n'
        changed = fixed.replace(last, f'{last}        mock_refund("ch_9")\n')
        assert changed != fixed
        return await shop_pool.run_test_async(path, test, module, changed)

    assert asyncio.run(prove_refactoring(tests, before, after)) == Proof(
        ProofVerdict.KEPT,
        "`RefundTests.test_cancelling_a_paid_order_refunds_it` ended the same, with the same"
        " mock calls",
    )
    assert asyncio.run(prove_refactoring(tests, before, one_more_call)) == Proof(
        ProofVerdict.CHANGED,
        "in `RefundTests.test_cancelling_a_paid_order_refunds_it` the mock of"
        " `shop.orders.refund` is called once, and 2 times with the change",
    )

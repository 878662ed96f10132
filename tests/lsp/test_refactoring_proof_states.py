"""The server's proofs of refactorings in a real sandbox: started by the first request and
answered at once, kept for the document version, sharing the runs before the change, and
dropped (and stopped) when the version or the files on disk change."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from unittest import mock

import pytest

from mockls.fixes.refactoring import ParsedModule
from mockls.fixes.refactorings import OfferedRefactoring, refactorings
from mockls.lsp.documents import DocumentSnapshot
from mockls.lsp.refactoring_proofs import (
    MAX_TESTS,
    ProofState,
    ProofStatus,
    RefactoringProofs,
    TestFile,
)
from mockls.sandbox import SandboxOptions, SandboxPool
from mockls.spans import Position, Span

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
DOC = Path(__file__).resolve().parents[2] / "docs" / "refactorings.md"
REFUNDS = SHOP / "tests" / "test_refunds.py"
TEXT = REFUNDS.read_text(encoding="utf-8")
TEST = "RefundTests.test_cancelling_a_paid_order_refunds_it"
KEPT = f"`{TEST}` ended the same, with the same mock calls"

WAIT = 120.0
"""A hang guard: each run starts pytest in a fresh worker on a loaded two-core machine."""


@pytest.fixture(scope="module")
def pool() -> Iterator[SandboxPool]:
    with SandboxPool(SHOP, None, SandboxOptions(deadline=120.0, start_deadline=120.0)) as pool:
        yield pool


@pytest.fixture
def runs(pool: SandboxPool) -> Iterator[mock.MagicMock]:
    """The pool's test runs, counted (and run)."""
    with mock.patch.object(pool, "run_test_async", wraps=pool.run_test_async) as counted:
        yield counted


@pytest.fixture
def tests(pool: SandboxPool) -> TestFile:
    """Where the refund test runs."""
    return TestFile(pool, REFUNDS, "tests.test_refunds")


@pytest.fixture
def reports() -> list[str]:
    """What the proofs said when they ended."""
    return []


@pytest.fixture
def proofs(reports: list[str]) -> RefactoringProofs:
    return RefactoringProofs(reports.append)


def snapshot(version: int = 1) -> DocumentSnapshot:
    return DocumentSnapshot(REFUNDS.as_uri(), version, TEXT, "python", REFUNDS)


def flatten() -> OfferedRefactoring:
    before = TEXT[: TEXT.index("with mock.patch(")]
    position = Position(before.count("\n"), len(before) - before.rfind("\n") - 1)
    module = ParsedModule.of(TEXT)
    assert module is not None
    (offered,) = refactorings(module, Span(position, position))
    return offered


async def settled(
    proofs: RefactoringProofs,
    document: DocumentSnapshot,
    offered: OfferedRefactoring,
    tests: TestFile,
) -> ProofState:
    """The state once the proof has ended (asking as an editor would, again and again)."""

    async def ended() -> ProofState:
        while (state := proofs.state(document, offered, tests)).status is ProofStatus.RUNNING:
            await asyncio.sleep(0.05)
        return state

    return await asyncio.wait_for(ended(), WAIT)


@pytest.mark.asyncio
async def test_the_first_request_starts_the_proof_and_later_ones_read_it(
    proofs: RefactoringProofs, tests: TestFile, runs: mock.MagicMock, reports: list[str]
) -> None:
    document, offered = snapshot(), flatten()

    assert proofs.state(document, offered, tests) == ProofState(ProofStatus.RUNNING)
    assert await settled(proofs, document, offered, tests) == ProofState(ProofStatus.VERIFIED, KEPT)
    assert proofs.state(document, offered, tests) == ProofState(ProofStatus.VERIFIED, KEPT)
    assert [call.args[1:] for call in runs.call_args_list] == [
        (TEST, "tests.test_refunds", None),
        (TEST, "tests.test_refunds", offered.fixed_source),
    ]
    assert reports == [
        "test_refunds.py: Flatten the `with patch` blocks: patchers stopped by `addCleanup`:"
        f" verified in the sandbox: {KEPT}"
    ]

    proofs.forget_all()  # a file changed on disk: the code under test may have changed
    assert proofs.state(document, offered, tests) == ProofState(ProofStatus.RUNNING)
    proofs.forget_all()


@pytest.mark.asyncio
async def test_refactorings_of_one_version_share_the_run_before_the_change(
    proofs: RefactoringProofs, tests: TestFile, runs: mock.MagicMock
) -> None:
    document, offered = snapshot(), flatten()
    commented = replace(offered, fixed_source=f"# flattened\n{offered.fixed_source}")

    assert proofs.state(document, offered, tests).status is ProofStatus.RUNNING
    assert proofs.state(document, commented, tests).status is ProofStatus.RUNNING
    await settled(proofs, document, offered, tests)
    await settled(proofs, document, commented, tests)
    assert [call.args[3] for call in runs.call_args_list] == [
        None,
        offered.fixed_source,
        commented.fixed_source,
    ]


@pytest.mark.asyncio
async def test_a_new_version_drops_the_proofs_of_the_old_one(
    proofs: RefactoringProofs, tests: TestFile, runs: mock.MagicMock, reports: list[str]
) -> None:
    offered = flatten()

    assert proofs.state(snapshot(1), offered, tests).status is ProofStatus.RUNNING
    newer = snapshot(2)
    assert proofs.state(newer, offered, tests).status is ProofStatus.RUNNING
    assert await settled(proofs, newer, offered, tests) == ProofState(ProofStatus.VERIFIED, KEPT)
    assert len(reports) == 1  # the first proof was stopped, never reported


@pytest.mark.asyncio
async def test_nothing_runs_where_the_sandbox_may_not_or_for_too_many_tests(
    proofs: RefactoringProofs, tests: TestFile, runs: mock.MagicMock
) -> None:
    document, offered = snapshot(), flatten()
    assert proofs.state(document, offered, None) == ProofState(
        ProofStatus.UNVERIFIED, "the sandbox may not run this file"
    )
    wide = replace(offered, refactoring=replace(offered.refactoring, tests=(TEST, "b", "c")))
    assert RefactoringProofs(lambda _: None, max_tests=2).state(
        document, wide, tests
    ) == ProofState(ProofStatus.UNVERIFIED, "it affects 3 tests; at most 2 are run to prove one")
    runs.assert_not_called()


def test_the_doc_gives_the_most_tests_a_proof_runs() -> None:
    assert f"or more than {MAX_TESTS} tests are" in DOC.read_text(encoding="utf-8")

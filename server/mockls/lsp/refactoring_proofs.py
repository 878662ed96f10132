"""Refactorings proved by execution: the tests they affect run in the sandbox before and after.

A refactoring offered where the sandbox may run (a trusted workspace, the ``sandbox`` setting
on, the document saved: :meth:`~mockls.lsp.sandbox.ServerSandbox.pool_for`) is proved in the
background (:func:`~mockls.verification.prove_refactoring`): each test it names runs on the file as
saved and on the changed text (``run_test(..., source=)``; the user's file is never
touched). A test run takes seconds, so a code action request never waits for one: the first
request for a refactoring starts its proof and answers at once; the proof is kept for that
document version, and later requests (an editor asks again at every cursor move) answer from
it: verified, withheld (the tests could tell the difference), or unverified (nothing could be
shown). Resolving the action (``codeAction/resolve``) is what waits for the proof. A new
version, a closed document, or any file saved or changed on disk (the code under test may have
changed) drops what was proved.

Runs that prove refactorings go one at a time, so the pool keeps a worker for what a person
waits on (claims, hover, the lens); the runs before the change are shared by the
refactorings of one version, and a proof stops at its first difference. A refactoring that
affects more than :data:`MAX_TESTS` tests is not run: proving it would hold the sandbox for
minutes. The end of each proof is said in the client's log (``window/logMessage``).
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from mockls.lsp.documents import DocumentSnapshot
from mockls.sandbox import SandboxFault, SandboxPool, TestRun
from mockls.verification import Proof, ProofVerdict, prove_refactoring

if TYPE_CHECKING:
    from mockls.fixes.refactorings import OfferedRefactoring
    from mockls.lsp.documents import DocumentStore
    from mockls.lsp.feature_host import FeatureHost
    from mockls.lsp.project import ProjectSet
    from mockls.lsp.sandbox import ServerSandbox

__all__ = [
    "MAX_TESTS",
    "ProofState",
    "ProofStatus",
    "RefactoringProofs",
    "TestFile",
    "document_tests",
    "proof_states",
    "setup_refactoring_proofs",
]

log = logging.getLogger(__name__)

MAX_TESTS = 10
"""The most tests a refactoring may affect for its proof to run (each runs twice)."""

RUNS_AT_ONCE = 1
"""Test runs of proofs at the same time, across the server."""


class ProofStatus(enum.Enum):
    """Where the proof of one offered refactoring stands."""

    UNVERIFIED = "unverified"  # the sandbox may not run it, or running showed nothing
    RUNNING = "running"
    VERIFIED = "verified"  # its tests ended the same, with the same mock calls
    CHANGED = "changed"  # a test could tell the difference


@dataclass(frozen=True, slots=True)
class ProofState:
    """A refactoring's proof status and, in one phrase, why."""

    status: ProofStatus
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class TestFile:
    """Where a document's tests run: its pool, its file, and its module's dotted name."""

    __test__ = False  # not a pytest test class

    pool: SandboxPool
    path: Path
    module: str | None


@dataclass(slots=True)
class _DocumentProofs:
    """The runs and proofs of one document version."""

    snapshot: DocumentSnapshot
    before: dict[str, asyncio.Task[TestRun | SandboxFault]] = field(default_factory=dict)
    proofs: dict[tuple[str, tuple[str, ...]], asyncio.Task[Proof]] = field(default_factory=dict)

    def cancel(self) -> None:
        for task in (*self.before.values(), *self.proofs.values()):
            task.cancel()


class RefactoringProofs:
    """The proofs of the refactorings offered in each open document's current version.
    Used from the event loop only."""

    def __init__(
        self,
        report: Callable[[str], None],
        *,
        max_tests: int = MAX_TESTS,
        runs_at_once: int = RUNS_AT_ONCE,
    ) -> None:
        self._report = report
        self._max_tests = max_tests
        self._runs = asyncio.Semaphore(runs_at_once)
        self._documents: dict[str, _DocumentProofs] = {}

    def state(
        self, snapshot: DocumentSnapshot, offered: OfferedRefactoring, tests: TestFile | None
    ) -> ProofState:
        """The proof of ``offered`` in ``snapshot`` as it stands; started now if it is not
        yet. ``tests``: where the document's tests run (``None``: the sandbox may not)."""
        if tests is None:
            return ProofState(ProofStatus.UNVERIFIED, "the sandbox may not run this file")
        names = offered.refactoring.tests
        if len(names) > self._max_tests:
            return ProofState(
                ProofStatus.UNVERIFIED,
                f"it affects {len(names)} tests; at most {self._max_tests} are run to prove one",
            )
        document = self._document(snapshot)
        key = (offered.fixed_source, names)
        task = document.proofs.get(key)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._prove(document, tests, offered))
            document.proofs[key] = task
            refactoring = offered.refactoring
            what = f"{tests.path.name}: {refactoring.title}"
            task.add_done_callback(
                lambda done: self._reported(what, done, stricter=refactoring.stricter)
            )
        if not task.done():
            return ProofState(ProofStatus.RUNNING)
        proof = task.result()
        return ProofState(_STATUS[proof.verdict], proof.evidence)

    async def settled(
        self, snapshot: DocumentSnapshot, offered: OfferedRefactoring, tests: TestFile | None
    ) -> ProofState:
        """The proof of ``offered`` in ``snapshot`` once it has ended (started now if need
        be); unverified when the document changed meanwhile."""
        state = self.state(snapshot, offered, tests)
        if state.status is not ProofStatus.RUNNING:
            return state
        document = self._documents[snapshot.uri]
        task = document.proofs[(offered.fixed_source, offered.refactoring.tests)]
        try:
            proof = await asyncio.shield(task)
        except asyncio.CancelledError:
            if task.cancelled():  # dropped: the document or a file changed
                return ProofState(ProofStatus.UNVERIFIED, "the document changed")
            raise
        return ProofState(_STATUS[proof.verdict], proof.evidence)

    def forget(self, uri: str) -> None:
        """Drop (and stop) the proofs of a document that changed or closed."""
        document = self._documents.pop(uri, None)
        if document is not None:
            document.cancel()

    def forget_all(self) -> None:
        """Drop every proof: a file changed on disk, or the settings did."""
        for uri in list(self._documents):
            self.forget(uri)

    def _document(self, snapshot: DocumentSnapshot) -> _DocumentProofs:
        document = self._documents.get(snapshot.uri)
        if document is None or document.snapshot is not snapshot:
            self.forget(snapshot.uri)
            document = self._documents[snapshot.uri] = _DocumentProofs(snapshot)
        return document

    async def _prove(
        self, document: _DocumentProofs, tests: TestFile, offered: OfferedRefactoring
    ) -> Proof:
        async def before(test: str) -> TestRun | SandboxFault:
            run = document.before.get(test)
            if run is None:
                run = asyncio.get_running_loop().create_task(self._run(tests, test, None))
                document.before[test] = run
            return await run

        async def after(test: str) -> TestRun | SandboxFault:
            return await self._run(tests, test, offered.fixed_source)

        try:
            return await prove_refactoring(offered.refactoring.tests, before, after)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a bug in mockls: the refactoring stays unverified
            log.exception("proving %r failed", offered.refactoring.title)
            return Proof(ProofVerdict.UNKNOWN, f"proving it failed: {error}")

    async def _run(self, tests: TestFile, test: str, source: str | None) -> TestRun | SandboxFault:
        async with self._runs:
            return await tests.pool.run_test_async(tests.path, test, tests.module, source)

    def _reported(self, what: str, done: asyncio.Task[Proof], *, stricter: bool) -> None:
        if done.cancelled():
            return
        proof = done.result()
        if proof.verdict is ProofVerdict.KEPT:
            said = "verified in the sandbox"
        elif proof.verdict is ProofVerdict.UNKNOWN:
            said = "not verified"
        elif stricter:
            said = "offered, saying what the sandbox saw"
        else:
            said = "not offered, the sandbox saw a difference"
        self._report(f"{what}: {said}: {proof.evidence}")


_STATUS = {
    ProofVerdict.KEPT: ProofStatus.VERIFIED,
    ProofVerdict.CHANGED: ProofStatus.CHANGED,
    ProofVerdict.UNKNOWN: ProofStatus.UNVERIFIED,
}


async def document_tests(
    sandbox: ServerSandbox, projects: ProjectSet, snapshot: DocumentSnapshot
) -> TestFile | None:
    """Where the tests of ``snapshot`` run; ``None`` where the sandbox may not run them."""
    pool = await sandbox.pool_for(snapshot)
    project = projects.project_file(snapshot.path) if snapshot.path else None
    if pool is None or project is None or snapshot.path is None:
        return None
    return TestFile(pool, snapshot.path, project.module_name)


async def proof_states(
    proofs: RefactoringProofs,
    tests_of: Callable[[DocumentSnapshot], Awaitable[TestFile | None]],
    documents: DocumentStore,
    snapshot: DocumentSnapshot,
    offered: Sequence[OfferedRefactoring],
) -> list[ProofState]:
    """Where the proof of each of ``offered`` stands (never waiting for a test run);
    ``tests_of`` says where a document's tests run."""
    if not offered:
        return []
    tests = await tests_of(snapshot)
    if documents.get(snapshot.uri) is not snapshot:
        # edited meanwhile: the answer is dropped, and no proof may replace the new version's
        return [ProofState(ProofStatus.UNVERIFIED, "the document changed") for _ in offered]
    return [proofs.state(snapshot, item, tests) for item in offered]


def setup_refactoring_proofs(host: FeatureHost) -> RefactoringProofs:
    """The server's proofs, dropped when what they ran may have changed."""

    def report(message: str) -> None:
        host.window_log_message(
            types.LogMessageParams(type=types.MessageType.Info, message=f"mockls: {message}")
        )

    proofs = RefactoringProofs(report)

    def document_changed(params: types.DidChangeTextDocumentParams) -> None:
        proofs.forget(params.text_document.uri)

    def document_closed(params: types.DidCloseTextDocumentParams) -> None:
        proofs.forget(params.text_document.uri)

    def files_changed(_params: object) -> None:
        proofs.forget_all()

    host.on_notification(types.TEXT_DOCUMENT_DID_CHANGE, document_changed)
    host.on_notification(types.TEXT_DOCUMENT_DID_CLOSE, document_closed)
    host.on_notification(types.TEXT_DOCUMENT_DID_SAVE, files_changed)
    host.on_notification(types.WORKSPACE_DID_CHANGE_WATCHED_FILES, files_changed)
    host.on_notification(types.WORKSPACE_DID_CHANGE_CONFIGURATION, files_changed)
    return proofs

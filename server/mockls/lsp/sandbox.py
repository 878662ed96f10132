"""The server's sandbox: one worker pool per project, used only where the settings allow it.

A pool is started the first time a trusted project with the ``sandbox`` setting on needs one
(``"trusted": false`` from the editor turns the setting off, see :mod:`mockls.config`), and
runs the project's interpreter. The sandbox imports files from disk, never an editor's
buffer: a document whose text differs from its file is not verified (its fixes that need
proof are withheld until it is saved). Saves and files changed outside the editor are passed
on to the pools, whose workers then import them afresh. Everything here runs the pools'
async API: the event loop never waits for a worker, and a hover waits for one at most
:data:`HOVER_SANDBOX_WAIT`: a busy sandbox's signature comes with a later hover.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from lsprotocol import types

from mockls.files import SourceError, read_source
from mockls.findings import Finding
from mockls.lsp.diagnostics import LintOutcome, converted
from mockls.lsp.documents import file_path
from mockls.navigation import HoverCard, with_runtime_signature
from mockls.runtime.facts import RunFacts
from mockls.sandbox import ObjectKind, ResolveOutcome, RuntimeObject, SandboxPool, SuiteRun
from mockls.verification import verify_findings, with_run, withhold_unproved_fixes

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Executor

    from mockls.lsp.client_support import ClientSupport
    from mockls.lsp.documents import DocumentSnapshot
    from mockls.lsp.feature_host import FeatureHost
    from mockls.lsp.project import ProjectSet
    from mockls.lsp.settings import SettingsProvider

__all__ = [
    "HOVER_SANDBOX_WAIT",
    "RuntimeSignatures",
    "ServerSandbox",
    "TestRunFindings",
    "setup_sandbox",
]

log = logging.getLogger(__name__)

HOVER_SANDBOX_WAIT = 0.5
"""Seconds a hover waits for the sandbox's runtime signature before it answers without it;
the question goes on, and its answer (cached by the pool) completes the next hover."""


class TestRunFindings:
    """The runs of tests for each document version (``mockls.verifyTest``), kept until the
    document changes, and their last word on its findings. Used from the event loop only."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self._runs: dict[str, tuple[DocumentSnapshot, dict[str, _TestRunEvidence]]] = {}

    def keep(
        self,
        snapshot: DocumentSnapshot,
        test: str,
        run: SuiteRun,
        information: tuple[Finding, ...],
    ) -> None:
        """The run of ``test`` on ``snapshot`` and what each of its patches did
        (``information``), replacing its earlier run."""
        known = self._runs.get(snapshot.uri)
        runs = known[1] if known is not None and known[0] is snapshot else {}
        self._runs[snapshot.uri] = (snapshot, {**runs, test: _TestRunEvidence(run, information)})

    def ran(self, snapshot: DocumentSnapshot) -> bool:
        """Whether a test ran on exactly this version of the document."""
        known = self._runs.get(snapshot.uri)
        return known is not None and known[0] is snapshot and bool(known[1])

    def last_word(
        self, snapshot: DocumentSnapshot, findings: Sequence[Finding]
    ) -> tuple[Finding, ...]:
        """``findings`` of exactly this version of the document with the last word of the
        tests run on it (:func:`mockls.runtime.judgement.overrule`), and what their patches
        did."""
        known = self._runs.get(snapshot.uri)
        if known is None or known[0] is not snapshot or snapshot.path is None:
            return tuple(findings)
        evidence = list(known[1].values())
        facts = RunFacts()
        for each in evidence:
            facts.merge(each.run.facts)
        run = evidence[-1].run
        judged = with_run(findings, snapshot.path, snapshot.text, replace(run, facts=facts))
        information = [finding for each in evidence for finding in each.information]
        return tuple(
            sorted((*judged, *information), key=lambda finding: (finding.span.start, finding.code))
        )

    def forget(self, uri: str) -> None:
        self._runs.pop(uri, None)


@dataclass(frozen=True, slots=True)
class _TestRunEvidence:
    """One test's run, and what each of its patches did there."""

    run: SuiteRun
    information: tuple[Finding, ...]


class RuntimeSignatures:
    """The autospec questions hovers asked of the pools: each asked once and left to go on
    when a hover stops waiting for it (its answer, cached by the pool, completes a later
    hover). Used from the event loop only."""

    def __init__(self) -> None:
        self._pending: dict[tuple[SandboxPool, str], asyncio.Future[ResolveOutcome]] = {}

    async def autospec_within(
        self, pool: SandboxPool, target: str, seconds: float
    ) -> ResolveOutcome | None:
        """The pool's autospec of ``target`` if it comes within ``seconds``, else ``None``."""
        key = (pool, target)
        pending = self._pending.get(key)
        if pending is None:
            pending = asyncio.ensure_future(pool.autospec_async(target))
            self._pending[key] = pending

            def forget(done: asyncio.Future[ResolveOutcome]) -> None:
                self._pending.pop(key, None)
                if not done.cancelled() and done.exception() is not None:
                    log.error("the autospec of %s failed", target, exc_info=done.exception())

            pending.add_done_callback(forget)
        try:
            return await asyncio.wait_for(asyncio.shield(pending), seconds)
        except asyncio.TimeoutError:
            return None


class ServerSandbox:
    """The sandbox as the server's features use it: the pool that may run code for a
    document, its verification of a lint, its signatures for hovers, the test runs."""

    def __init__(
        self,
        settings: SettingsProvider,
        projects: ProjectSet,
        lint_executor: Executor,
        client_support: Callable[[], ClientSupport],
    ) -> None:
        self._settings = settings
        self._projects = projects
        self._lint_executor = lint_executor
        self._client_support = client_support
        self.pools = projects.workspace.sandboxes
        """The sandbox pools of the projects that may run code."""
        self.runtime_signatures = RuntimeSignatures()
        """The runtime signatures hovers asked the sandbox for."""
        self.test_runs = TestRunFindings()
        """What running tests (``mockls.verifyTest``) found, per document version."""

    async def pool_for(self, snapshot: DocumentSnapshot) -> SandboxPool | None:
        """The pool that may run code for ``snapshot``: ``None`` when its settings keep the
        sandbox off, it has no scanned project, or its text is not what its file holds."""
        loop = asyncio.get_running_loop()
        file_settings = await loop.run_in_executor(None, self._settings.for_path, snapshot.path)
        if not file_settings.settings.sandbox:
            return None
        return await self._pool_if_saved(snapshot)

    async def verify(self, outcome: LintOutcome) -> LintOutcome | None:
        """``outcome`` with the last word of the tests run on its document, and the claims the
        runs did not settle checked in the sandbox (see :mod:`mockls.verification`); without
        its unproved fixes when it cannot run; ``None`` when the sandbox is off or nothing is
        claimed."""
        findings = outcome.findings
        snapshot = outcome.snapshot
        runs = self.test_runs.ran(snapshot)
        claims = any(
            finding.claim or any(fix.claim for fix in finding.fixes) for finding in findings
        )
        if not claims and not runs:
            return None
        loop = asyncio.get_running_loop()
        file_settings = await loop.run_in_executor(None, self._settings.for_path, snapshot.path)
        if not file_settings.settings.sandbox:
            return None
        pool = await self._pool_if_saved(snapshot) if claims else None
        ruled = self.test_runs.last_word(snapshot, findings)
        merged = (
            await verify_findings(_settled_by_run(findings, ruled), pool)
            if pool is not None
            else withhold_unproved_fixes(ruled)
        )
        return await loop.run_in_executor(
            self._lint_executor,
            converted,
            snapshot,
            outcome.settings_generation,
            merged,
            file_settings,
            self._client_support(),
        )

    async def runtime_card(self, snapshot: DocumentSnapshot, card: HoverCard) -> HoverCard | None:
        """``card`` with the runtime signature of its ``runtime_target`` when the sandbox may
        run and finds one within :data:`HOVER_SANDBOX_WAIT`; ``None`` for an empty card that
        the sandbox cannot complete (yet)."""
        target = card.runtime_target
        pool = await self.pool_for(snapshot) if target is not None else None
        answer = None
        if pool is not None and target:
            answer = await self.runtime_signatures.autospec_within(pool, target, HOVER_SANDBOX_WAIT)
        if not isinstance(answer, RuntimeObject):
            return card if card.markdown else None
        kind = "object" if answer.kind is ObjectKind.OTHER else answer.kind.value
        return with_runtime_signature(card, kind, answer.signature)

    async def _pool_if_saved(self, snapshot: DocumentSnapshot) -> SandboxPool | None:
        project = self._projects.project_file(snapshot.path) if snapshot.path else None
        if project is None:
            return None
        if not await asyncio.get_running_loop().run_in_executor(None, _saved, snapshot):
            return None
        return self._projects.workspace.sandbox_pool(project.project)


def _settled_by_run(static: Sequence[Finding], ruled: Sequence[Finding]) -> list[Finding]:
    """``ruled`` (``static`` after the tests run on the document had their last word) with no
    claim left to check on a finding the run spoke about: one it confirmed, or its own (the
    run leaves the others as they were, the very same objects). Its word stands: applying the
    patch in the sandbox would only confirm it a second time. Their fixes are still proved."""
    untouched = {id(finding) for finding in static}
    return [
        finding if id(finding) in untouched else replace(finding, claim=None) for finding in ruled
    ]


def _saved(snapshot: DocumentSnapshot) -> bool:
    """Whether the document's text is what its file holds (the sandbox imports the file)."""
    if snapshot.path is None:
        return False
    try:
        return read_source(snapshot.path) == snapshot.text
    except SourceError:
        return False


def setup_sandbox(host: FeatureHost, *, sandbox: ServerSandbox) -> None:
    """Pass saved and changed files on to the pools; close them when the settings change
    (they start again as the new settings allow) and at shutdown."""
    pools = sandbox.pools

    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        path = file_path(params.text_document.uri)
        if path is not None:
            pools.file_changed(path)

    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            path = file_path(change.uri)
            if path is not None:
                pools.file_changed(path)

    async def did_change_configuration(_params: types.DidChangeConfigurationParams) -> None:
        await pools.close()

    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        sandbox.test_runs.forget(params.text_document.uri)

    host.on_notification(types.TEXT_DOCUMENT_DID_SAVE, did_save)
    host.on_notification(types.WORKSPACE_DID_CHANGE_WATCHED_FILES, did_change_watched_files)
    host.on_notification(types.WORKSPACE_DID_CHANGE_CONFIGURATION, did_change_configuration)
    host.on_notification(types.TEXT_DOCUMENT_DID_CLOSE, did_close)

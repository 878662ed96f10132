"""Diagnostics: lint open documents off the event loop and publish what is still current.

A change is linted after a short pause (edits in a burst are linted once); opening, saving
and a settings change lint at once. The lint itself (settings, rules, conversion) runs on
one worker thread, as background work (:mod:`mockls.checkpoints`): it gives way while a request
about another document is answered, and a lint replaced by a newer one (another version, new
settings, the document closed) stops at its next checkpoint. A result is published only if the
document is still at the version it was linted at and the settings did not change meanwhile;
closing a document clears its diagnostics.

The static result is published first; when a ``verify`` step is given (the sandbox's), its
result for the same version follows, replacing it, once it arrives. A quiet relint whose
static result did not change keeps what is published until verification says otherwise.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from mockls.checkpoints import Requests, Work, working
from mockls.files import too_large
from mockls.findings import Finding
from mockls.linter import lint_module
from mockls.lsp.client_support import ClientSupport
from mockls.lsp.convert import lsp_diagnostic
from mockls.lsp.documents import DocumentSnapshot
from mockls.lsp.positions import ClientColumns

if TYPE_CHECKING:
    from mockls.lsp.documents import DocumentStore
    from mockls.lsp.feature_host import FeatureHost
    from mockls.lsp.settings import FileSettings, SettingsProvider
    from mockls.resolve.project import ProjectFile

__all__ = [
    "DiagnosticsScheduler",
    "LintOutcome",
    "Verify",
    "converted",
    "lint_document",
    "setup_diagnostics",
]

log = logging.getLogger(__name__)

CHANGE_DELAY = 0.25
"""Seconds to wait after a change before linting, so that a burst of edits is linted once."""

Verify = Callable[["LintOutcome"], Awaitable["LintOutcome | None"]]
"""Checks an outcome's findings at run time: the outcome to publish instead, or ``None``."""


@dataclass(frozen=True, slots=True)
class LintOutcome:
    """The findings of one document version under one generation of settings."""

    snapshot: DocumentSnapshot
    settings_generation: int
    findings: tuple[Finding, ...]
    diagnostics: tuple[types.Diagnostic, ...]
    """The published form of ``findings``, index for index."""
    columns: ClientColumns
    problems: tuple[str, ...] = ()


def lint_document(
    snapshot: DocumentSnapshot,
    settings: SettingsProvider,
    support: ClientSupport,
    project: ProjectFile | None = None,
) -> LintOutcome:
    """Lint one document version and convert the findings for the client. Runs off the loop.

    ``project`` is the workspace as seen from the document (``None``: none, or not indexed yet).
    """
    generation = settings.generation
    file_settings = settings.for_path(snapshot.path)
    refusal = too_large(snapshot.text)
    if refusal is not None:  # no findings, and the reason shown once
        name = snapshot.path.name if snapshot.path is not None else snapshot.uri
        problems = (*file_settings.problems, f"{name}: {refusal}")
        return converted(
            snapshot, generation, (), replace(file_settings, problems=problems), support
        )
    findings = tuple(
        lint_module(snapshot.module, file_settings.relative_path, file_settings.settings, project)
    )
    return converted(snapshot, generation, findings, file_settings, support)


def converted(
    snapshot: DocumentSnapshot,
    generation: int,
    findings: tuple[Finding, ...],
    file_settings: FileSettings,
    support: ClientSupport,
) -> LintOutcome:
    """The outcome of ``findings`` for ``snapshot``, converted for the client (off the loop:
    related locations in other files are read)."""
    columns = snapshot.columns(support.encoding)
    locate = _Locator(snapshot, file_settings, columns, support.encoding)
    diagnostics = tuple(lsp_diagnostic(finding, columns, support, locate) for finding in findings)
    return LintOutcome(snapshot, generation, findings, diagnostics, columns, file_settings.problems)


class DiagnosticsScheduler:
    """Schedules, runs and publishes the lints of open documents. Used from the event loop."""

    def __init__(
        self,
        *,
        lint: Callable[[DocumentSnapshot], LintOutcome],
        is_current: Callable[[LintOutcome], bool],
        publish: Callable[[str, int | None, list[types.Diagnostic]], None],
        report_problems: Callable[[tuple[str, ...]], None],
        executor: Executor,
        ready: asyncio.Event,
        change_delay: float = CHANGE_DELAY,
        verify: Verify | None = None,
        requests: Requests | None = None,
    ) -> None:
        self._lint = lint
        self._requests = requests
        """The requests in flight, which the lints give way to."""
        self._verify = verify
        self._is_current = is_current
        self._publish = publish
        self._report_problems = report_problems
        self._executor = executor
        self._ready = ready
        self._change_delay = change_delay
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._quiet: set[str] = set()
        """Documents whose pending lint publishes only a change (see :meth:`schedule`)."""
        self._latest: dict[str, LintOutcome] = {}
        """What is published for each document (verified, when verification has ended)."""
        self._static: dict[str, LintOutcome] = {}
        """The last static result for each document, published or not."""
        self._pending_snapshots: dict[str, DocumentSnapshot] = {}
        self._documents: Callable[[], list[DocumentSnapshot]] = list

    def track(self, documents: Callable[[], list[DocumentSnapshot]]) -> None:
        """Where :meth:`relint_all` finds the open documents."""
        self._documents = documents

    def schedule(
        self, snapshot: DocumentSnapshot, *, delay: float = 0.0, quiet: bool = False
    ) -> None:
        """Lint ``snapshot`` after ``delay`` seconds, replacing any lint pending for it.

        A ``quiet`` lint (after a change elsewhere in the project) publishes nothing when its
        diagnostics are those already published for this version under the same settings;
        it stays loud when it replaces a pending lint that was not quiet.
        """
        if not snapshot.is_python:
            return
        uri = snapshot.uri
        pending = self._pending.get(uri)
        quiet = quiet and (pending is None or pending.done() or uri in self._quiet)
        self._cancel(uri)
        task = asyncio.get_running_loop().create_task(
            self._lint_and_publish(snapshot, delay, quiet=quiet)
        )
        self._pending[uri] = task
        self._pending_snapshots[uri] = snapshot
        if quiet:
            self._quiet.add(uri)
        task.add_done_callback(lambda done: self._forget_task(uri, done))

    def schedule_change(self, snapshot: DocumentSnapshot, *, quiet: bool = False) -> None:
        """Lint after an edit, once the edits pause."""
        self.schedule(snapshot, delay=self._change_delay, quiet=quiet)

    def relint_all(self, *, quiet: bool = False) -> None:
        """Lint every open document now (after a settings or project change)."""
        for snapshot in self._documents():
            self.schedule(snapshot, quiet=quiet)

    def clear(self, uri: str) -> None:
        """Drop a closed document's pending lint and clear its diagnostics."""
        self._cancel(uri)
        self._latest.pop(uri, None)
        self._static.pop(uri, None)
        self._publish(uri, None, [])

    def latest(self, snapshot: DocumentSnapshot) -> LintOutcome | None:
        """The published outcome for exactly ``snapshot``, if it is still current."""
        outcome = self._latest.get(snapshot.uri)
        if outcome is None or outcome.snapshot is not snapshot or not self._is_current(outcome):
            return None
        return outcome

    async def outcome(self, snapshot: DocumentSnapshot) -> LintOutcome:
        """The outcome for ``snapshot``: the published one once its lint (and verification)
        pending now has ended, else a fresh lint (not published, not verified)."""
        pending = self._pending.get(snapshot.uri)
        if pending is not None and self._pending_snapshots.get(snapshot.uri) is snapshot:
            await asyncio.wait([pending])
        latest = self.latest(snapshot)
        if latest is not None:
            return latest
        await self._ready.wait()
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, self._lint, snapshot
        )

    def cancel_all(self) -> None:
        """Stop every pending lint (at shutdown)."""
        for uri in list(self._pending):
            self._cancel(uri)

    async def _lint_and_publish(
        self, snapshot: DocumentSnapshot, delay: float, *, quiet: bool = False
    ) -> None:
        try:
            if delay > 0:
                await asyncio.sleep(delay)
            await self._ready.wait()
            outcome = await self._lint_in_background(snapshot)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("linting %s (version %s) failed", snapshot.uri, snapshot.version)
            return
        self._report_problems(outcome.problems)
        if not self._is_current(outcome):
            log.debug("dropping stale diagnostics of %s version %s", snapshot.uri, snapshot.version)
            return
        uri = snapshot.uri
        settled = self._static.get(uri)
        self._static[uri] = outcome
        if not (quiet and _republishes(settled, outcome)):
            # (else the result published for this version, maybe verified, stays)
            previous = self._latest.get(uri)
            self._latest[uri] = outcome
            if not (quiet and _republishes(previous, outcome)):
                self._publish(uri, snapshot.version, list(outcome.diagnostics))
        if self._verify is not None:
            await self._verify_and_publish(outcome, self._verify)

    async def _lint_in_background(self, snapshot: DocumentSnapshot) -> LintOutcome:
        """Lint on the executor as background work, abandoned when this task is cancelled."""
        work = Work(snapshot.uri, self._requests)

        def lint() -> LintOutcome:
            with working(work):
                return self._lint(snapshot)

        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, lint)
        except asyncio.CancelledError:
            work.cancel()
            raise

    async def _verify_and_publish(self, outcome: LintOutcome, verify: Verify) -> None:
        """Publish what verification makes of ``outcome``, if it changes what is published."""
        try:
            verified = await verify(outcome)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception(
                "verifying %s (version %s) failed", outcome.snapshot.uri, outcome.snapshot.version
            )
            return
        if verified is None or not self._is_current(verified):
            return
        uri = outcome.snapshot.uri
        previous = self._latest.get(uri)
        self._latest[uri] = verified
        if not _republishes(previous, verified):
            self._publish(uri, verified.snapshot.version, list(verified.diagnostics))

    def _cancel(self, uri: str) -> None:
        self._quiet.discard(uri)
        self._pending_snapshots.pop(uri, None)
        task = self._pending.pop(uri, None)
        if task is not None:
            task.cancel()

    def _forget_task(self, uri: str, done: asyncio.Task[None]) -> None:
        if self._pending.get(uri) is done:
            del self._pending[uri]
            self._pending_snapshots.pop(uri, None)
            self._quiet.discard(uri)


def _republishes(previous: LintOutcome | None, outcome: LintOutcome) -> bool:
    """Whether ``outcome`` says again exactly what ``previous`` published for the same version."""
    return (
        previous is not None
        and previous.snapshot is outcome.snapshot
        and previous.settings_generation == outcome.settings_generation
        and previous.diagnostics == outcome.diagnostics
    )


def setup_diagnostics(
    host: FeatureHost, *, documents: DocumentStore, scheduler: DiagnosticsScheduler
) -> None:
    """Keep the diagnostics of the open documents published (the documents are up to date
    when these run: see :func:`~mockls.lsp.document_sync.setup_documents`)."""
    scheduler.track(documents.all)

    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        snapshot = documents.get(params.text_document.uri)
        if snapshot is not None:
            scheduler.schedule(snapshot)

    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        snapshot = documents.get(params.text_document.uri)
        if snapshot is not None and snapshot.version == params.text_document.version:
            scheduler.schedule_change(snapshot)

    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        snapshot = documents.get(params.text_document.uri)
        if snapshot is not None:
            # Linted already: quietly, for what can be verified now that it is saved.
            scheduler.schedule(snapshot, quiet=scheduler.latest(snapshot) is not None)

    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        if documents.get(params.text_document.uri) is not None:  # forgotten after this
            scheduler.clear(params.text_document.uri)

    host.on_notification(types.TEXT_DOCUMENT_DID_OPEN, did_open)
    host.on_notification(types.TEXT_DOCUMENT_DID_CHANGE, did_change)
    host.on_notification(types.TEXT_DOCUMENT_DID_SAVE, did_save)
    host.on_notification(types.TEXT_DOCUMENT_DID_CLOSE, did_close)


class _Locator:
    """Finds the URI and the columns of a file a finding's related location names."""

    def __init__(
        self,
        snapshot: DocumentSnapshot,
        file_settings: FileSettings,
        columns: ClientColumns,
        encoding: str,
    ) -> None:
        self._snapshot = snapshot
        self._settings = file_settings
        self._columns = columns
        self._encoding = encoding
        self._others: dict[Path, ClientColumns | None] = {}

    def __call__(self, path: str) -> tuple[str, ClientColumns | None]:
        own = self._snapshot.path
        if path in ("", self._settings.relative_path):
            return self._snapshot.uri, self._columns
        full = Path(path)
        if not full.is_absolute():
            base = self._settings.root or (own.parent if own is not None else None)
            if base is None:
                return self._snapshot.uri, self._columns
            full = base / full
        if full == own:
            return self._snapshot.uri, self._columns
        if full not in self._others:
            self._others[full] = self._read(full)
        return full.as_uri(), self._others[full]

    def _read(self, path: Path) -> ClientColumns | None:
        try:
            return ClientColumns.of(path.read_text(encoding="utf-8"), self._encoding)
        except (OSError, UnicodeDecodeError, ValueError):
            return None

"""The scheduler lints off the loop, coalesces edits, and never publishes a stale result."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from lsprotocol import types

from mockls.checkpoints import Abandoned, checkpoint
from mockls.lsp.diagnostics import DiagnosticsScheduler, LintOutcome, Verify
from mockls.lsp.documents import DocumentSnapshot
from mockls.lsp.positions import UTF16, ClientColumns

pytestmark = pytest.mark.asyncio

URI = "file:///w/test_x.py"
WAIT = 30.0  # hang guard only


def snapshot(version: int, text: str = "x = 1\n", uri: str = URI) -> DocumentSnapshot:
    return DocumentSnapshot(uri, version, text, "python", None)


def diagnostic(message: str) -> types.Diagnostic:
    return types.Diagnostic(
        range=types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=0, character=1)
        ),
        message=message,
    )


class Harness:
    """A scheduler wired to a fake lint that the test can hold and release."""

    def __init__(self, executor: ThreadPoolExecutor, verify: Verify | None = None) -> None:
        self.current: dict[str, DocumentSnapshot] = {}
        self.generation = 0
        self.linted: list[int] = []
        self.abandoned: list[int] = []
        self.published: list[tuple[str, int | None, list[str]]] = []
        self.problems: list[tuple[str, ...]] = []
        self.hold: threading.Event | None = None
        self.started = threading.Event()
        self.failing_uris: set[str] = set()
        self.finding = ""
        """Added to each diagnostic's message: what the project currently makes the lint find."""
        self.ready = asyncio.Event()
        self._publish_seen = asyncio.Event()
        self.scheduler = DiagnosticsScheduler(
            lint=self.lint,
            is_current=self.is_current,
            publish=self.publish,
            report_problems=self.problems.append,
            executor=executor,
            ready=self.ready,
            change_delay=0.0,
            verify=verify,
        )
        self.scheduler.track(lambda: list(self.current.values()))

    def lint(self, document: DocumentSnapshot) -> LintOutcome:
        self.linted.append(document.version)
        self.started.set()
        if self.hold is not None:  # a long lint, reaching checkpoints as the real one does
            deadline = time.monotonic() + WAIT
            try:
                while not self.hold.wait(0.005) and time.monotonic() < deadline:
                    checkpoint()
            except Abandoned:
                self.abandoned.append(document.version)
                raise
        if document.uri in self.failing_uris:
            raise RuntimeError("rule bug")
        return LintOutcome(
            snapshot=document,
            settings_generation=self.generation,
            findings=(),
            diagnostics=(diagnostic(f"v{document.version} g{self.generation}{self.finding}"),),
            columns=ClientColumns.of(document.text, UTF16),
            problems=("a problem",),
        )

    def is_current(self, outcome: LintOutcome) -> bool:
        return (
            self.current.get(outcome.snapshot.uri) is outcome.snapshot
            and outcome.settings_generation == self.generation
        )

    def publish(self, uri: str, version: int | None, diagnostics: list[types.Diagnostic]) -> None:
        self.published.append((uri, version, [item.message for item in diagnostics]))
        self._publish_seen.set()

    def open(self, version: int, uri: str = URI) -> DocumentSnapshot:
        document = snapshot(version, uri=uri)
        self.current[uri] = document
        return document

    async def next_publish(self) -> tuple[str, int | None, list[str]]:
        await asyncio.wait_for(self._publish_seen.wait(), WAIT)
        self._publish_seen.clear()
        return self.published[-1]


async def test_a_result_for_a_version_changed_during_its_lint_is_dropped(
    executor: ThreadPoolExecutor,
) -> None:
    harness = Harness(executor)
    harness.ready.set()
    harness.hold = threading.Event()
    harness.scheduler.schedule(harness.open(1))
    await asyncio.get_running_loop().run_in_executor(None, harness.started.wait, WAIT)

    harness.scheduler.schedule_change(harness.open(2))  # arrives while version 1 is linting
    harness.hold.set()

    assert await harness.next_publish() == (URI, 2, ["v2 g0"])
    assert harness.linted == [1, 2]
    assert harness.published == [(URI, 2, ["v2 g0"])]


async def test_a_lint_replaced_by_a_newer_version_stops_at_its_next_checkpoint(
    executor: ThreadPoolExecutor,
) -> None:
    harness = Harness(executor)
    harness.ready.set()
    harness.hold = threading.Event()  # never set: version 1's lint ends only by giving up
    harness.scheduler.schedule(harness.open(1))
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, harness.started.wait, WAIT)
    harness.started.clear()

    harness.scheduler.schedule_change(harness.open(2))
    await loop.run_in_executor(None, harness.started.wait, WAIT)  # the lint thread is free
    assert harness.abandoned == [1]
    harness.hold.set()

    assert await harness.next_publish() == (URI, 2, ["v2 g0"])
    assert harness.published == [(URI, 2, ["v2 g0"])]


async def test_a_burst_of_changes_is_linted_once(executor: ThreadPoolExecutor) -> None:
    harness = Harness(executor)
    harness.ready.set()
    for version in (2, 3, 4):
        harness.scheduler.schedule_change(harness.open(version))

    assert await harness.next_publish() == (URI, 4, ["v4 g0"])
    assert harness.linted == [4]


async def test_a_result_from_older_settings_is_dropped(executor: ThreadPoolExecutor) -> None:
    harness = Harness(executor)
    harness.ready.set()
    harness.hold = threading.Event()
    harness.scheduler.schedule(harness.open(1))
    await asyncio.get_running_loop().run_in_executor(None, harness.started.wait, WAIT)

    harness.generation = 1  # settings changed while version 1 was linting
    harness.scheduler.relint_all()
    harness.hold.set()

    assert await harness.next_publish() == (URI, 1, ["v1 g1"])
    assert harness.published == [(URI, 1, ["v1 g1"])]


async def test_nothing_is_linted_before_the_settings_are_ready(
    executor: ThreadPoolExecutor,
) -> None:
    harness = Harness(executor)
    harness.scheduler.schedule(harness.open(1))
    await asyncio.sleep(0)
    assert harness.linted == []

    harness.ready.set()
    assert await harness.next_publish() == (URI, 1, ["v1 g0"])
    assert harness.problems == [("a problem",)]


async def test_closing_cancels_the_pending_lint_and_clears(executor: ThreadPoolExecutor) -> None:
    harness = Harness(executor)
    harness.scheduler.schedule(harness.open(1))
    del harness.current[URI]
    harness.scheduler.clear(URI)
    harness.ready.set()

    assert await harness.next_publish() == (URI, None, [])
    await asyncio.sleep(0)
    assert harness.linted == []


async def test_a_failing_lint_publishes_nothing_and_the_next_one_works(
    executor: ThreadPoolExecutor, caplog: pytest.LogCaptureFixture
) -> None:
    harness = Harness(executor)
    harness.ready.set()
    harness.failing_uris = {URI}
    harness.scheduler.schedule(harness.open(1))
    harness.scheduler.schedule(harness.open(1, uri="file:///w/other.py"))

    assert await harness.next_publish() == ("file:///w/other.py", 1, ["v1 g0"])
    assert harness.published == [("file:///w/other.py", 1, ["v1 g0"])]
    assert "linting file:///w/test_x.py (version 1) failed" in caplog.text


async def test_outcome_reuses_the_published_result_or_lints_afresh(
    executor: ThreadPoolExecutor,
) -> None:
    harness = Harness(executor)
    harness.ready.set()
    first = harness.open(1)
    harness.scheduler.schedule(first)
    await harness.next_publish()

    assert harness.scheduler.latest(first) is not None
    assert (await harness.scheduler.outcome(first)).snapshot is first
    assert harness.linted == [1]

    second = harness.open(2)
    assert harness.scheduler.latest(second) is None
    assert (await harness.scheduler.outcome(second)).snapshot is second
    assert harness.linted == [1, 2]
    assert harness.published == [(URI, 1, ["v1 g0"])]  # a code-action lint is not published


async def test_non_python_documents_are_not_linted(executor: ThreadPoolExecutor) -> None:
    harness = Harness(executor)
    harness.ready.set()
    harness.scheduler.schedule(DocumentSnapshot("file:///w/notes.txt", 1, "", "plaintext", None))
    harness.scheduler.schedule(harness.open(1))
    assert await harness.next_publish() == (URI, 1, ["v1 g0"])
    assert harness.linted == [1]


OTHER = "file:///w/other.py"


async def test_a_quiet_relint_that_finds_the_same_publishes_nothing(
    executor: ThreadPoolExecutor,
) -> None:
    harness = Harness(executor)
    harness.ready.set()
    document = harness.open(1)
    harness.scheduler.schedule(document)
    await harness.next_publish()

    harness.scheduler.relint_all(quiet=True)  # after a project change that changed nothing here
    harness.scheduler.schedule(harness.open(1, uri=OTHER))  # linted after it, on the same thread

    assert await harness.next_publish() == (OTHER, 1, ["v1 g0"])
    assert harness.linted == [1, 1, 1]
    assert harness.published == [(URI, 1, ["v1 g0"]), (OTHER, 1, ["v1 g0"])]
    assert harness.scheduler.latest(document) is not None


async def test_a_quiet_relint_that_finds_something_new_publishes_it(
    executor: ThreadPoolExecutor,
) -> None:
    harness = Harness(executor)
    harness.ready.set()
    harness.scheduler.schedule(harness.open(1))
    await harness.next_publish()

    harness.finding = " ineffective-patch"
    harness.scheduler.schedule_change(harness.current[URI], quiet=True)

    assert await harness.next_publish() == (URI, 1, ["v1 g0 ineffective-patch"])


async def test_a_quiet_relint_replacing_a_pending_lint_publishes(
    executor: ThreadPoolExecutor,
) -> None:
    harness = Harness(executor)
    harness.ready.set()
    document = harness.open(1)
    harness.scheduler.schedule(document)
    await harness.next_publish()
    harness.ready.clear()
    harness.scheduler.relint_all()  # pending: a settings change that must be published

    harness.scheduler.relint_all(quiet=True)
    harness.ready.set()

    assert await harness.next_publish() == (URI, 1, ["v1 g0"])
    assert harness.published == [(URI, 1, ["v1 g0"]), (URI, 1, ["v1 g0"])]

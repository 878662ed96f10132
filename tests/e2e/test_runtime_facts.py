"""The editor shows the last ``pytest --mockls`` run's evidence, through the real server.

The workspace is the planted suite (``tests/fixtures/runtime_suite``), run once with
``pytest --mockls`` before the server reads it: the findings the run made are published, the
static false alarm it contradicts (a patcher stopped through a name, line 52) is not, and an
edit that makes the facts stale brings the static findings back.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

WORKSPACE_FIXTURE = "runtime_suite"
TESTS = "tests/test_planted.py"
WAIT = 60.0


@pytest.fixture(scope="module", autouse=True)
def last_run(workspace: Path) -> None:
    """One ``pytest --mockls`` run in the workspace, as a user makes it."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--mockls"],
        cwd=workspace,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


async def published_with(
    session: Session, uri: str, wanted: str, *, present: bool = True, after: int = 0
) -> list[types.Diagnostic]:
    """The diagnostics of the first publish for the current version (recorded at index
    ``after`` or later) where some message says ``wanted`` (or, with ``present=False``, none
    does)."""
    version = session.versions[uri]

    async def first() -> list[types.Diagnostic]:
        while True:
            for params in session.client.published[after:]:
                said = any(wanted in item.message for item in params.diagnostics)
                if params.uri == uri and params.version == version and said is present:
                    return list(params.diagnostics)
            await session.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(first(), WAIT)


def places(diagnostics: list[types.Diagnostic]) -> list[tuple[int, object]]:
    return [(item.range.start.line + 1, item.code) for item in diagnostics]


async def test_the_editor_shows_the_last_runs_findings_and_not_what_it_contradicts(
    session: Session,
) -> None:
    uri = session.open(TESTS)

    diagnostics = await published_with(session, uri, "(pytest --mockls)")

    assert places(diagnostics) == [
        (9, "ineffective-patch"),  # the run's evidence
        (9, "read-at-import"),  # static, beside it
        (14, "unresolved-patch-target"),  # static, confirmed by the run
        (19, "patcher-not-stopped"),  # static, confirmed by the run
        (32, "async-call-not-awaited"),
    ]  # and not the static false alarm on line 52
    messages = {item.code: item.message for item in diagnostics}
    assert "from notify/sender.py:8" in messages["ineffective-patch"]
    assert "confirmed by pytest --mockls" in messages["patcher-not-stopped"]
    session.close(uri)


async def test_a_new_run_is_shown_in_the_open_editor(session: Session) -> None:
    """A run that wrote its facts (here: one that saw nothing of this file) relints the open
    documents: the static findings the old facts overruled are back."""
    uri = session.open(TESTS)
    await published_with(session, uri, "(pytest --mockls)")
    facts = session.workspace / ".pytest_cache" / "v" / "mockls" / "facts"
    last_run = facts.read_text(encoding="utf-8")
    after = len(session.client.published)
    try:
        facts.write_text('{"version": 1, "patches": [], "digests": {}}', encoding="utf-8")
        session.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=facts.as_uri(), type=types.FileChangeType.Changed)]
            )
        )
        diagnostics = await published_with(
            session, uri, "pytest --mockls", present=False, after=after
        )
        assert (52, "patcher-not-stopped") in places(diagnostics)
    finally:
        facts.write_text(last_run, encoding="utf-8")
        session.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=facts.as_uri(), type=types.FileChangeType.Changed)]
            )
        )
        session.close(uri)


async def test_an_edit_makes_the_runs_facts_stale(session: Session) -> None:
    uri = session.open(TESTS)
    await published_with(session, uri, "(pytest --mockls)")

    session.replace(uri, "def test_after_the_leak_one", "def test_after_the_leak_1")
    diagnostics = await published_with(session, uri, "pytest --mockls", present=False)

    assert (52, "patcher-not-stopped") in places(diagnostics)  # the static claim is back
    assert (9, "ineffective-patch") not in places(diagnostics)
    session.close(uri)

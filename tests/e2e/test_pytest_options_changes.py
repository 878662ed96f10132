"""A project's pytest configuration edited while the server runs, through the real server:
the "Verify patches" lenses and the tests a refactoring is proved by follow a new
``python_classes`` (``pytest.ini`` changed on disk, reported by the client's watcher), and a
module that a new ``testpaths`` leaves out loses its lens (``pytest.ini`` saved in the editor).
The client is asked to request its lenses again when it can.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

from .proof_waits import WAIT, first_answer, proved, refactorings

if TYPE_CHECKING:
    from collections.abc import Iterator

    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

PYTEST_INI = "[pytest]\ntestpaths = tests scripts\n"

CHECKS = """\
from unittest import mock


class Check_cwd:
    def test_cwd_is_patched(self):
        with mock.patch("os.getcwd") as getcwd:
            with mock.patch("os.getpid"):
                getcwd.return_value = "/"


def test_plain():
    with mock.patch("os.getcwd"):
        pass
"""

RELEASE = """\
from unittest import mock


def test_release():
    with mock.patch("os.getcwd"):
        pass
"""

TESTS = "tests/test_checks.py"
SCRIPTS = "scripts/test_release.py"

WORKSPACE = {"pytest.ini": PYTEST_INI, TESTS: CHECKS, SCRIPTS: RELEASE}

INITIALIZATION_OPTIONS = {"mockls": {"trusted": True, "sandbox": {"enabled": True}}}

MERGE = "Merge the nested `with patch` blocks into one `with`"


@pytest.fixture
def pytest_ini(session: Session) -> Iterator[None]:
    """Each test starts from ``PYTEST_INI`` and leaves it so, as the server knows it."""
    yield
    changed_on_disk(session, PYTEST_INI)


def changed_on_disk(session: Session, text: str) -> None:
    """Write ``pytest.ini`` behind the editor's back and report it as a watcher would."""
    path = session.workspace / "pytest.ini"
    path.write_text(text, encoding="utf-8")
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=path.as_uri(), type=types.FileChangeType.Changed)]
        )
    )


def saved(session: Session, text: str) -> None:
    """Write ``pytest.ini`` and report it saved by the editor."""
    path = session.workspace / "pytest.ini"
    path.write_text(text, encoding="utf-8")
    session.client.text_document_did_save(
        types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri())
        )
    )


async def lensed_tests(session: Session, uri: str) -> list[str]:
    lenses = await session.client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    return [str(list(lens.command.arguments or ())[1]) for lens in lenses or () if lens.command]


async def lenses_become(session: Session, uri: str, expected: list[str]) -> None:
    """Wait until the lenses of ``uri`` are on ``expected`` (the change is read off the loop)."""

    async def settled() -> None:
        while await lensed_tests(session, uri) != expected:
            await asyncio.sleep(0.05)

    try:
        await asyncio.wait_for(settled(), WAIT)
    except TimeoutError:
        pytest.fail(f"the lenses stayed on {await lensed_tests(session, uri)}, not {expected}")


def refreshes_lenses(session: Session) -> bool:
    workspace = session.client.capabilities and session.client.capabilities.workspace
    return bool(workspace and workspace.code_lens and workspace.code_lens.refresh_support)


async def test_the_lenses_and_affected_tests_follow_a_changed_python_classes(
    session: Session, pytest_ini: None
) -> None:
    uri = session.open(TESTS)
    await lenses_become(session, uri, ["test_plain"])
    nested = CHECKS.index("with mock.patch(")
    await first_answer(session, uri, nested)  # the project is scanned: its lenses refreshed
    assert await proved(session, TESTS, MERGE) == "not verified: it affects no test to run"
    refreshed = session.client.code_lens_refreshes

    changed_on_disk(session, f"{PYTEST_INI}python_classes = Check_*\n")

    await lenses_become(session, uri, ["Check_cwd.test_cwd_is_patched", "test_plain"])
    session.client.log_messages.clear()
    await refactorings(session, uri, nested)  # the merge affects that test now: proved by it
    assert "`Check_cwd.test_cwd_is_patched`" in await proved(session, TESTS, MERGE)
    if refreshes_lenses(session):
        assert session.client.code_lens_refreshes > refreshed


async def test_a_module_a_changed_testpaths_leaves_out_loses_its_lens(
    session: Session, pytest_ini: None
) -> None:
    inside = session.open(TESTS)
    outside = session.open(SCRIPTS)
    await lenses_become(session, outside, ["test_release"])

    saved(session, "[pytest]\ntestpaths = tests\n")

    await lenses_become(session, outside, [])
    assert await lensed_tests(session, inside) == ["test_plain"]
    session.close(outside)
    session.close(inside)

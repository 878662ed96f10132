"""pyproject.toml saved in the editor, or changed on disk as the client's watcher reports,
re-lints every open document with the new settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

WORKSPACE = {"pyproject.toml": "[tool.mockls]\n"}

TEST_SOURCE = """\
from unittest import mock


def test_pay():
    gateway = mock.Mock()
    gateway.pay.assert_called_once_wtih(10)
    gateway.pay.retrun_value = True
"""


def saved(session: Session, path: Path) -> None:
    session.client.text_document_did_save(
        types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri())
        )
    )


def changed_on_disk(session: Session, path: Path) -> None:
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=path.as_uri(), type=types.FileChangeType.Changed)]
        )
    )


@pytest.mark.parametrize("report", [saved, changed_on_disk])
async def test_a_changed_project_file_relints_open_documents(
    session: Session, report: Callable[[Session, Path], None]
) -> None:
    uri = session.open(f"tests/test_{report.__name__}.py", TEST_SOURCE)
    assert [item.code for item in await session.diagnostics(uri)] == [
        "misspelled-assert",
        "misspelled-mock-attribute",
    ]
    pyproject = session.workspace / "pyproject.toml"
    original = pyproject.read_text(encoding="utf-8")
    try:
        pyproject.write_text("[tool.mockls]\nignore = ['misspelled-assert']\n", encoding="utf-8")
        published = len(session.client.published)
        report(session, pyproject)
        relinted = await session.published(uri, 1, after=published)
        assert [item.code for item in relinted.diagnostics] == ["misspelled-mock-attribute"]
        assert list(relinted.diagnostics) == session.expected(uri)[1:]
    finally:
        pyproject.write_text(original, encoding="utf-8")
        session.close(uri)

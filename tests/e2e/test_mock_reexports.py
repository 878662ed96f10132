"""Mock imported through the project's own modules, through the real server.

The workspace is the ``mock_reexports`` pattern project (``tests/fixtures/patterns``):
``tests/__init__.py`` does ``from unittest import mock``, and its tests import it as
``from tests import mock``. The editor sees their patches as ``mockls check`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

from .conftest import project_files
from .test_navigation import hover
from .test_project_changes import changed_on_disk, settles_at
from .test_where_to_patch import findings_once_indexed

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

_PROJECT = Path(__file__).resolve().parents[1] / "fixtures" / "patterns" / "mock_reexports"

WORKSPACE = project_files(_PROJECT, (".py", ".toml"))


async def test_patches_of_mock_imported_through_the_project_are_checked(session: Session) -> None:
    uri = session.open("tests/test_through_package.py")

    published = await findings_once_indexed(session, uri)

    assert [(item.code, item.range.start.line) for item in published] == [
        ("unresolved-patch-target", 3),
        ("misspelled-assert", 5),
    ]


async def test_hover_answers_on_their_targets(session: Session) -> None:
    uri = session.open("tests/test_through_package.py")
    await findings_once_indexed(session, uri)
    text = (_PROJECT / "tests" / "test_through_package.py").read_text(encoding="utf-8")

    card = await hover(session, uri, text.index('"pkg.core.title"') + 5)

    assert card is not None
    assert "pkg.core.title" in str(card.contents)


NOT_MOCK = "mock = None  # no longer mock's\n"


async def test_editing_the_reexporting_module_relints_its_importers(session: Session) -> None:
    uri = session.open("tests/test_through_package.py")
    await findings_once_indexed(session, uri)
    package = session.open("tests/__init__.py")
    try:
        session.replace(package, "from unittest import mock\n", NOT_MOCK)
        await settles_at(session, uri, [])  # unsaved, not even saved: the buffer counts

        session.replace(package, NOT_MOCK, "from unittest import mock\n")
        await settles_at(session, uri, ["unresolved-patch-target", "misspelled-assert"])
    finally:
        session.close(package)


async def test_saving_the_reexporting_module_relints_its_importers(session: Session) -> None:
    uri = session.open("tests/test_through_package.py")
    await findings_once_indexed(session, uri)
    package = session.open("tests/__init__.py")
    path = session.workspace / "tests" / "__init__.py"
    original = path.read_text(encoding="utf-8")
    try:
        # A client that sends no edits, only the save (a formatter or `:w` of a text set
        # outside the protocol): the file on disk counts.
        path.write_text(NOT_MOCK, encoding="utf-8")
        session.client.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(package))
        )
        await settles_at(session, uri, [])
    finally:
        path.write_text(original, encoding="utf-8")
        session.close(package)
    await settles_at(session, uri, ["unresolved-patch-target", "misspelled-assert"])


async def test_a_reexport_changed_outside_the_editor_relints_its_importers(
    session: Session,
) -> None:
    uri = session.open("tests/test_through_package.py")
    await findings_once_indexed(session, uri)
    original = (session.workspace / "tests" / "__init__.py").read_text(encoding="utf-8")
    try:
        changed_on_disk(session, "tests/__init__.py", NOT_MOCK)
        await settles_at(session, uri, [])
    finally:
        changed_on_disk(session, "tests/__init__.py", original)
    await settles_at(session, uri, ["unresolved-patch-target", "misspelled-assert"])

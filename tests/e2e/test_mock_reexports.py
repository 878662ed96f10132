"""Mock imported through the project's own modules, through the real server.

The workspace is the ``mock_reexports`` pattern project (``tests/fixtures/patterns``):
``tests/__init__.py`` does ``from unittest import mock``, and its tests import it as
``from tests import mock``. The editor sees their patches as ``mockls check`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import project_files
from .test_navigation import hover
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

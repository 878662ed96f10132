"""The ``navigation_project`` fixture project, and cursors written into text with ``|``."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockls.resolve.project import Project
from mockls.spans import Position

PROJECT_ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "navigation_project"


class Cursors:
    """Cursors in text: a ``|`` written where the cursor is."""

    MARK = "|"

    @staticmethod
    def position(text: str, index: int) -> Position:
        """The code-point position of string index ``index``."""
        before = text[:index]
        return Position(before.count("\n"), index - (before.rfind("\n") + 1))

    def find(self, text: str, marked: str) -> Position:
        """The cursor of ``marked``, found (without its ``|``) in ``text``."""
        found = text.index(marked.replace(self.MARK, "", 1))
        return self.position(text, found + marked.index(self.MARK))

    def take(self, marked: str) -> tuple[str, Position]:
        """A text written with one ``|``: the text without it, and the cursor."""
        return marked.replace(self.MARK, "", 1), self.position(marked, marked.index(self.MARK))


@pytest.fixture(scope="session")
def cursors() -> Cursors:
    return Cursors()


@pytest.fixture(scope="module")
def project() -> Project:
    """The fixture project, scanned (shared by a module's tests: they must not change it)."""
    scanned = Project(PROJECT_ROOT)
    scanned.scan()
    return scanned


@pytest.fixture
def fresh_project() -> Project:
    """The fixture project scanned for one test, which may hand it edited texts."""
    scanned = Project(PROJECT_ROOT)
    scanned.scan()
    return scanned

"""What a refactoring is, and the parsed module every refactoring reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mockls.analysis.model import ModuleModel
from mockls.analysis.snapshot import ModuleSnapshot
from mockls.spans import TextEdit
from mockls.syntax.tree import SyntaxTree

if TYPE_CHECKING:
    from mockls.resolve.project import ProjectFile

__all__ = ["ParsedModule", "Refactoring"]


@dataclass(frozen=True, slots=True)
class Refactoring:
    """A change of structure that keeps what the tests do: a title and the edits to the file.

    ``tests`` names the tests whose outcome the change must keep (``'OrderTests.test_pay'``,
    ``'test_pay'``): what a verifier runs before and after it. A ``stricter`` change
    (``autospec=True``) may make a test fail on purpose: a verifier that sees a test end
    differently says so instead of withholding the change.
    """

    title: str
    edits: tuple[TextEdit, ...]
    tests: tuple[str, ...] = ()
    stricter: bool = False


class ParsedModule:
    """A module's text with its syntax tree and model of mock usage, as a refactoring reads it.

    A view on the module's :class:`~mockls.analysis.snapshot.ModuleSnapshot`: the model is
    built on first use (most places a cursor rests need none: each refactoring first checks
    from the tree that it could apply there) and shared with every other reader of that
    snapshot. ``project`` is the workspace as seen from the module, for refactorings that need
    to know what a patch target is (``None``: no workspace, those are not offered).
    """

    __slots__ = ("project", "snapshot", "tree")

    def __init__(
        self, snapshot: ModuleSnapshot, tree: SyntaxTree, project: ProjectFile | None = None
    ) -> None:
        self.snapshot = snapshot
        self.tree = tree
        self.project = project

    @classmethod
    def of(cls, text: str, project: ProjectFile | None = None) -> ParsedModule | None:
        """The parsed module of ``text``, or ``None`` when it does not parse: refactorings need
        the whole tree."""
        return cls.of_snapshot(ModuleSnapshot(text, project), project)

    @classmethod
    def of_snapshot(
        cls, snapshot: ModuleSnapshot, project: ProjectFile | None = None
    ) -> ParsedModule | None:
        """The parsed module of ``snapshot``, or ``None`` when it does not parse."""
        tree = snapshot.tree
        return None if tree is None else cls(snapshot, tree, project)

    @property
    def text(self) -> str:
        """The module's text."""
        return self.snapshot.text

    @property
    def model(self) -> ModuleModel:
        """The model of mock usage (built once per snapshot)."""
        return self.snapshot.model

    def with_project(self, project: ProjectFile | None) -> ParsedModule:
        """The same module seen from ``project``."""
        return ParsedModule(self.snapshot, self.tree, project)

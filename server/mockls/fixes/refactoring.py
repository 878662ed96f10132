"""What a refactoring is, and the parsed module every refactoring reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mockls.analysis.builder import build_model
from mockls.analysis.model import ModuleModel
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
    """A module's text with its syntax tree and, built on first use, its model of mock usage.

    The model costs more than the tree, and most places a cursor rests need none: each
    refactoring first checks from the tree that it could apply there. ``project`` is the
    workspace as seen from the module, for refactorings that need to know what a patch target
    is (``None``: no workspace, those are not offered).
    """

    __slots__ = ("_model", "project", "text", "tree")

    def __init__(self, text: str, tree: SyntaxTree, project: ProjectFile | None = None) -> None:
        self.text = text
        self.tree = tree
        self.project = project
        self._model: list[ModuleModel] = []  # shared by the copies of with_project

    @classmethod
    def of(cls, text: str, project: ProjectFile | None = None) -> ParsedModule | None:
        """The parsed module, or ``None`` when the text does not parse: refactorings need the
        whole tree."""
        tree = SyntaxTree.parse(text)
        if tree is None:
            return None
        return cls(text, tree, project)

    @property
    def model(self) -> ModuleModel:
        """The model of mock usage (:func:`~mockls.analysis.builder.build_model`), once."""
        if not self._model:
            self._model.append(build_model(self.text))
        return self._model[0]

    def with_project(self, project: ProjectFile | None) -> ParsedModule:
        """The same module seen from ``project`` (the model stays shared)."""
        copy = ParsedModule(self.text, self.tree, project)
        copy._model = self._model
        return copy

"""What a refactoring is, and the parsed module every refactoring reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mockls.analysis.builder import build_model
from mockls.analysis.model import ModuleModel
from mockls.fixes.quick_fixes import is_valid_python
from mockls.fixes.syntax import SyntaxTree
from mockls.spans import TextEdit

if TYPE_CHECKING:
    from mockls.resolve.project import ProjectFile

__all__ = ["ParsedModule", "Refactoring"]


@dataclass(frozen=True, slots=True)
class Refactoring:
    """A change of structure that keeps what the tests do: a title and the edits to the file.

    ``tests`` names the tests whose outcome the change must keep (``'OrderTests.test_pay'``,
    ``'test_pay'``): what a verifier runs before and after it.
    """

    title: str
    edits: tuple[TextEdit, ...]
    tests: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedModule:
    """A module's text with its syntax tree and its model of mock usage.

    ``project`` is the workspace as seen from the module, for refactorings that need to know
    what a patch target is (``None``: no workspace, those are not offered).
    """

    text: str
    tree: SyntaxTree
    model: ModuleModel
    project: ProjectFile | None = None

    @classmethod
    def of(cls, text: str, project: ProjectFile | None = None) -> ParsedModule | None:
        """The parsed module, or ``None`` when the text is not valid Python: refactorings
        need the whole tree, and could not tell a good result from a broken one."""
        tree = SyntaxTree.parse(text)
        if tree is None or not is_valid_python(text):
            return None
        return cls(text, tree, build_model(text), project)

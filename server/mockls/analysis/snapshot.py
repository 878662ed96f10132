"""One version of one module's text and every fact read from it, each computed once.

A :class:`ModuleSnapshot` is what every feature reads — the linter, hover, definition,
completion, code actions, code lenses, refactorings and their proofs — so a document version
is parsed, modelled and indexed once, whichever feature asks first. Its facts are computed on
first use and kept for as long as the snapshot lives: whoever owns the text (the server's open
document, the command's file) drops them all by dropping the snapshot. It is safe to share
between threads: each fact is computed by one of them while the others wait for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Protocol, TypeVar, cast

from mockls.analysis.builder import build_model
from mockls.analysis.discovery import TestItem, find_tests
from mockls.analysis.model import ModuleModel
from mockls.analysis.suppressions import suppressions
from mockls.checkpoints import checkpoint
from mockls.pytest_options import TestNaming
from mockls.spans import LineIndex
from mockls.syntax.lines import SourceLines
from mockls.syntax.recovery import RecoveredModule, recover_module
from mockls.syntax.tree import SyntaxTree

__all__ = ["ModuleSnapshot", "ModuleWorkspace"]


class ModuleWorkspace(Protocol):
    """What the workspace says about a module that its text alone cannot: which names it
    imports from the workspace are mock's, and how the project's pytest names tests
    (``resolve.project.ProjectFile`` is one)."""

    def imported_mock(self, module: str, level: int, name: str) -> str | None:
        """See :data:`~mockls.analysis.model.ImportedMock`."""

    @property
    def test_naming(self) -> TestNaming:
        """pytest's ``python_files``, ``python_classes`` and ``python_functions``."""


_Fact = TypeVar("_Fact")


class ModuleSnapshot:
    """A module's text and, computed once on first use, what mockls reads from it."""

    __slots__ = ("_facts", "_lock", "_locks", "text", "workspace")

    def __init__(
        self,
        text: str,
        workspace: ModuleWorkspace | Callable[[], ModuleWorkspace | None] | None = None,
    ) -> None:
        self.text = text
        self.workspace = workspace
        """Where the module lives, or how to find out (an open document's project is known
        once it is scanned): without it only direct imports of mock count and tests are named
        as pytest names them by default. The model and the tests read in the workspace replace
        those read without it as soon as it is known."""
        self._facts: dict[str, object] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    @property
    def lines(self) -> SourceLines:
        """The text's lines and the offsets where they start."""
        return self._fact("lines", lambda: SourceLines(self.text))

    @property
    def line_index(self) -> LineIndex:
        """The conversion of :mod:`ast`'s UTF-8 byte columns into code points."""
        return self._fact("line_index", lambda: LineIndex(self.text))

    @property
    def recovered(self) -> RecoveredModule:
        """The text parsed, around its syntax errors if it has any."""
        # A long parse gives way between pieces, and stops when no longer wanted.
        return self._fact("recovered", lambda: recover_module(self.text, checkpoint))

    @property
    def model(self) -> ModuleModel:
        """The model of its mock usage."""
        workspace = self._workspace()
        if workspace is None:
            return self._fact("model", lambda: build_model(self.recovered))
        return self._fact(
            "model in workspace", lambda: build_model(self.recovered, workspace.imported_mock)
        )

    @property
    def tree(self) -> SyntaxTree | None:
        """Its whole syntax tree, as the refactorings read it; ``None`` when it does not parse."""
        return self._fact("tree", self._tree)

    @property
    def suppressions(self) -> Mapping[int, frozenset[str]]:
        """The codes its ``# mockls: ignore`` comments silence, by 0-based line."""
        return self._fact("suppressions", lambda: suppressions(self.text))

    @property
    def tests(self) -> tuple[TestItem, ...]:
        """Its tests with the patches that may be active in each."""
        workspace = self._workspace()
        if workspace is None:
            return self._fact("tests", lambda: find_tests(self.recovered, self.model))
        naming = workspace.test_naming
        return self._fact(
            "tests in workspace", lambda: find_tests(self.recovered, self.model, naming)
        )

    def _workspace(self) -> ModuleWorkspace | None:
        found = self.workspace
        return found() if callable(found) else found

    def _tree(self) -> SyntaxTree | None:
        recovered = self.recovered
        if recovered.problem is not None:
            return None
        # The recovering parser parsed the whole text in one go: its statements are the tree.
        return SyntaxTree.of_statements(self.text, recovered.statements)

    def _fact(self, name: str, compute: Callable[[], _Fact]) -> _Fact:
        """The fact ``name``, computed by the first thread to ask while the others wait."""
        if name in self._facts:
            return cast("_Fact", self._facts[name])
        with self._lock:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self._facts:
                self._facts[name] = compute()
        return cast("_Fact", self._facts[name])

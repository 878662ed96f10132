"""One version of one module's text and every fact read from it, each computed once.

A :class:`ModuleSnapshot` is what every feature reads — the linter, hover, definition,
completion, code actions, code lenses, refactorings and their proofs — so a document version
is parsed, modelled and indexed once, whichever feature asks first. Its facts are computed on
first use and kept for as long as the snapshot lives: whoever owns the text (the server's open
document, the command's file) drops them all by dropping the snapshot. It is safe to share
between threads: each fact is computed by one of them while the others wait for it.

Two facts also depend on the rest of the workspace: the model reads which names imported from
it are mock's (``from tests import mock``), and the tests read how its pytest names them. When
the workspace changed since they were read (another module edited, saved or changed on disk),
the next reader asks those questions again, and gets a new model only if an answer differs:
an open document's analysis follows the files it depends on without being edited itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar, cast

from mockls.analysis.builder import build_model
from mockls.analysis.discovery import PYTEST_DEFAULTS, TestItem, find_tests
from mockls.analysis.model import ModuleModel
from mockls.analysis.suppressions import suppressions
from mockls.checkpoints import checkpoint
from mockls.pytest_options import TestNaming
from mockls.spans import LineIndex
from mockls.syntax.collector import kept_off
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

    @property
    def state(self) -> Hashable:
        """Changes whenever the workspace's modules change: what :meth:`imported_mock`
        answers may then differ."""


_Fact = TypeVar("_Fact")

_MockQuestion = tuple[str, int, str]


@dataclass(frozen=True, slots=True)
class _WorkspaceReading:
    """The model read in a workspace in ``state``, with the questions about mock it asked."""

    state: Hashable
    answers: Mapping[_MockQuestion, str | None]
    model: ModuleModel


@dataclass(frozen=True, slots=True)
class _TestsReading:
    """The tests of ``model`` as ``naming`` names them."""

    model: ModuleModel
    naming: TestNaming
    tests: tuple[TestItem, ...]


class ModuleSnapshot:
    """A module's text and, computed once on first use, what mockls reads from it."""

    __slots__ = (
        "__weakref__",  # what a big text's facts are kept off the cyclic collector for
        "_facts",
        "_lock",
        "_locks",
        "_tests",
        "_workspace_lock",
        "_workspace_reading",
        "text",
        "workspace",
    )

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
        self._workspace_lock = threading.Lock()
        self._workspace_reading: _WorkspaceReading | None = None
        self._tests: _TestsReading | None = None

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
        return self._read_in(workspace).model

    @property
    def tree(self) -> SyntaxTree | None:
        """Its whole syntax tree, as the refactorings read it; ``None`` when it does not parse."""
        return self._fact("tree", self._tree)

    @property
    def suppressions(self) -> Mapping[int, frozenset[str]]:
        """The codes its ``# mockls: ignore`` comments silence, by 0-based line."""
        return self._fact("suppressions", lambda: suppressions(self.text))

    @property
    def test_naming(self) -> TestNaming:
        """How the project's pytest names tests (pytest's defaults without a workspace)."""
        workspace = self._workspace()
        return PYTEST_DEFAULTS if workspace is None else workspace.test_naming

    @property
    def tests(self) -> tuple[TestItem, ...]:
        """Its tests with the patches that may be active in each."""
        workspace = self._workspace()
        if workspace is None:
            return self._fact("tests", lambda: find_tests(self.recovered, self.model))
        model = self._read_in(workspace).model
        naming = workspace.test_naming
        with self._workspace_lock:
            reading = self._tests
            if reading is None or reading.model is not model or reading.naming != naming:
                with kept_off(self, len(self.text)):
                    tests = find_tests(self.recovered, model, naming)
                reading = _TestsReading(model, naming, tests)
                self._tests = reading
        return reading.tests

    def _read_in(self, workspace: ModuleWorkspace) -> _WorkspaceReading:
        """The model read in ``workspace``: the one read before while every question it asked
        about mock is answered the same, else a new one."""
        state = workspace.state
        with self._workspace_lock:
            reading = self._workspace_reading
            if reading is not None and reading.state != state:
                unchanged = all(
                    workspace.imported_mock(*question) == answer
                    for question, answer in reading.answers.items()
                )
                reading = (
                    _WorkspaceReading(state, reading.answers, reading.model) if unchanged else None
                )
            if reading is None:
                answers: dict[_MockQuestion, str | None] = {}

                def imported_mock(module: str, level: int, name: str) -> str | None:
                    answer = workspace.imported_mock(module, level, name)
                    answers[(module, level, name)] = answer
                    return answer

                with kept_off(self, len(self.text)):
                    model = build_model(self.recovered, imported_mock)
                reading = _WorkspaceReading(state, answers, model)
            self._workspace_reading = reading
        return reading

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
        """The fact ``name``, computed by the first thread to ask while the others wait (a big
        text's facts kept off the cyclic garbage collector)."""
        if name in self._facts:
            return cast("_Fact", self._facts[name])
        with self._lock:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self._facts:
                with kept_off(self, len(self.text)):
                    self._facts[name] = compute()
        return cast("_Fact", self._facts[name])

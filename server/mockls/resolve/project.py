"""One workspace as the rules and the server see it: the facade of ``resolve/``.

A :class:`Project` owns the :class:`~mockls.resolve.index.ImportIndex` of the workspace and
the resolver of the user's environment (jedi), and answers the questions the rest of mockls
asks: what a patch target names, what an expression in a module denotes, who looks a patched
name up, what can be typed next in a target. It is safe to call from several threads: the
index is a series of immutable snapshots, caches sit behind a lock, and jedi work is
serialized by the environment resolver.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Collection, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from mockls.files import SourceError, read_source
from mockls.pytest_options import PytestOptions, TestNaming, read_pytest_options
from mockls.resolve.environment import EnvironmentResolver
from mockls.resolve.index import ImportIndex, IndexSnapshot
from mockls.resolve.lookup_sites import CodeUnderTest, code_under_test, lookup_report
from mockls.resolve.mock_imports import mock_origin
from mockls.resolve.module_summary import ModuleSummary, absolute_module, summarize_module
from mockls.resolve.name_uses import NameUse, name_uses
from mockls.resolve.resolution import (
    Binder,
    Completion,
    LookupReport,
    Origin,
    Resolution,
    Resolved,
    TargetKind,
    Unresolved,
)
from mockls.resolve.workspace_targets import WorkspaceResolver, closest_names, qualify_in

log = logging.getLogger(__name__)

__all__ = ["Binder", "Completion", "LookupReport", "NameUse", "Project", "ProjectFile"]

_CACHE_LIMIT = 20_000
"""Answers kept per index generation before a cache starts over."""

_Answer = TypeVar("_Answer")


class Project:
    """One workspace: its import index and the user's Python environment.

    ``root`` is the workspace folder (``None``: no folder, only the environment);
    ``python`` the interpreter whose site-packages targets may name (``None``: the
    workspace's ``.venv``/``venv``, else the server's own); ``source_roots`` the
    ``source-roots`` setting (see :func:`mockls.layout.source_roots`); ``run_interpreter``
    whether it may be started to read them, else they are read from its files
    (:class:`~mockls.resolve.environment.EnvironmentResolver`).
    """

    def __init__(
        self,
        root: Path | None,
        python: str | None = None,
        source_roots: Sequence[str] = (),
        *,
        run_interpreter: bool = False,
    ) -> None:
        self.root = Path(os.path.abspath(root)) if root is not None else None
        self.python = python
        self.run_interpreter = run_interpreter
        self.configured_source_roots = tuple(source_roots)
        self.pytest = read_pytest_options(self.root)
        self.index = ImportIndex(self.root, self.configured_source_roots)
        self.environment = EnvironmentResolver(self.root, python, run_interpreter=run_interpreter)
        self._lock = threading.Lock()
        self._cache: dict[str, Resolution] = {}
        self._mock_origins: dict[str, str | None] = {}
        self._cache_generation = -1
        self._outside: dict[str, tuple[float, ModuleSummary]] = {}
        self._closures: dict[str, tuple[ModuleSummary, CodeUnderTest]] = {}
        self._closures_generation = -1

    # -- keeping the index current ----------------------------------------------------

    def scan(self) -> None:
        """Index every module under the root (skipping virtual environments and tool dirs)."""
        self.index.scan()

    def update_file(self, path: Path, text: str | None) -> None:
        """The file at ``path`` now holds ``text`` (``None``: it was deleted)."""
        self.index.update_file(path, text)

    def module_name(self, path: Path) -> str | None:
        """The dotted module name of the file at ``path`` in this workspace, if it has one."""
        return self.index.module_name(path)

    def reread_pytest_options(self) -> PytestOptions:
        """Read the pytest configuration again (one of its files changed); the options read
        before. Changing ``pythonpath`` changes the source roots: the index does not follow
        that, the caller makes a new project."""
        before = self.pytest
        self.pytest = read_pytest_options(self.root)
        return before

    # -- questions --------------------------------------------------------------------

    def resolve_target(self, target: str) -> Resolution:
        """What the dotted ``target`` names; cached until the index changes."""
        return self._per_generation(self._cache, target, self._resolve, None)

    def mock_origin(self, dotted: str) -> str | None:
        """What mock name the workspace name ``dotted`` is (``from tests import mock``:
        ``tests.mock`` is ``'unittest.mock'``); ``None`` when it is not mock's."""
        return self._per_generation(self._mock_origins, dotted, mock_origin, None)

    def _per_generation(
        self,
        cache: dict[str, _Answer],
        question: str,
        answer: Callable[[IndexSnapshot, str], _Answer],
        unknown: _Answer,
    ) -> _Answer:
        """``answer(snapshot, question)``, kept in ``cache`` until the index changes;
        ``unknown`` when answering fails: a resolver bug never takes a rule down."""
        snapshot = self.index.snapshot()
        with self._lock:
            if self._cache_generation != snapshot.generation:
                self._cache.clear()
                self._mock_origins.clear()
                self._cache_generation = snapshot.generation
            if question in cache:
                return cache[question]
        try:
            found = answer(snapshot, question)
        except Exception:
            log.exception("answering %r failed", question)
            found = unknown
        with self._lock:
            if self._cache_generation == snapshot.generation:
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                cache[question] = found
        return found

    def _resolve(self, snapshot: IndexSnapshot, target: str) -> Resolution:
        resolution = WorkspaceResolver(snapshot, self.environment.resolve).resolve(target)
        if isinstance(resolution, Unresolved) and resolution.failing_segment == 0:
            # A missing top-level module: workspace modules are candidates too.
            top = target.split(".", maxsplit=1)[0]
            names = [*snapshot.submodules(""), *self.environment.top_level_modules()]
            return Unresolved(target, 0, "", closest_names(top, names))
        return resolution

    def qualify(self, module_path: Path | None, expression: str) -> str | None:
        """The absolute dotted name ``expression`` denotes in the module at ``module_path``.

        ``OrderService`` after ``from shop.orders import OrderService`` is
        ``shop.orders.OrderService``; ``orders.OrderService`` after ``from shop import
        orders`` too. ``None`` when the module or the expression's first name is unknown.
        """
        summary = self._summary_of(module_path)
        if summary is None:
            return None
        try:
            return qualify_in(summary, expression)
        except Exception:
            log.exception("qualifying %r failed", expression)
            return None

    def lookups(self, target: str, importer_closure_of: Path) -> LookupReport:
        """How the code under test of the file at ``importer_closure_of`` sees ``target``."""
        summary = self._summary_of(importer_closure_of)
        if summary is None:
            return LookupReport()
        snapshot = self.index.snapshot()
        try:
            return lookup_report(snapshot, target, self._code_under_test(snapshot, summary))
        except Exception:
            log.exception("computing the lookups of %r failed", target)
            return LookupReport()

    def uses(self, names: Collection[str], importer_closure_of: Path) -> list[NameUse]:
        """Where the code under test of the file at ``importer_closure_of`` reads any of
        ``names`` (or what lies under them), and how."""
        summary = self._summary_of(importer_closure_of)
        if summary is None:
            return []
        snapshot = self.index.snapshot()
        try:
            return name_uses(self._code_under_test(snapshot, summary).modules, names)
        except Exception:
            log.exception("finding the uses of %r failed", names)
            return []

    def complete(self, prefix: str) -> list[Completion]:
        """What can follow the text typed so far in a patch target (``shop.pay``: the names
        of ``shop`` starting with ``pay``), modules and attributes, best first."""
        base, _, partial = prefix.rpartition(".")
        try:
            candidates = WorkspaceResolver(
                self.index.snapshot(), self.environment.resolve
            ).completions(base)
            if candidates is None:
                candidates = self.environment.completions(base)
            elif not candidates and base:
                # a workspace name bound to something outside it: ``shop.environment.ospath.``
                resolved = self.resolve_target(base)
                if (
                    isinstance(resolved, Resolved)
                    and resolved.origin is not Origin.WORKSPACE
                    and resolved.kind in (TargetKind.MODULE, TargetKind.CLASS)
                ):
                    candidates = self.environment.completions(resolved.qualified_name)
            elif not base:
                known = {candidate.label for candidate in candidates}
                candidates.extend(
                    candidate
                    for candidate in self.environment.completions(base)
                    if candidate.label not in known
                )
        except Exception:
            log.exception("completing %r failed", prefix)
            return []
        folded = partial.lower()
        chosen = [
            candidate
            for candidate in candidates
            if candidate.label.lower().startswith(folded)
            and (partial.startswith("_") or not candidate.label.startswith("__"))
        ]
        # Workspace names first, each source in name order; private names last.
        chosen.sort(key=lambda candidate: candidate.label.startswith("_"))
        return chosen

    def _code_under_test(self, snapshot: IndexSnapshot, importer: ModuleSummary) -> CodeUnderTest:
        """The code under test of ``importer``, gathered once per file and index generation."""
        with self._lock:
            if self._closures_generation != snapshot.generation:
                self._closures.clear()
                self._closures_generation = snapshot.generation
            cached = self._closures.get(importer.path)
        if cached is not None and cached[0] is importer:
            return cached[1]
        code = code_under_test(snapshot, importer)
        with self._lock:
            if self._closures_generation == snapshot.generation:
                if len(self._closures) > 256:
                    self._closures.clear()
                self._closures[importer.path] = (importer, code)
        return code

    # -- files ------------------------------------------------------------------------

    def shown_path(self, path: str) -> str:
        """``path`` as messages show it: relative to the root when it lies below it, posix."""
        if self.root is not None:
            try:
                return Path(path).relative_to(self.root).as_posix()
            except ValueError:
                pass
        return Path(os.path.normpath(path)).as_posix()

    def _summary_of(self, path: Path | None) -> ModuleSummary | None:
        """The summary of the file at ``path``: from the index, else read from disk."""
        if path is None:
            return None
        absolute = os.path.abspath(path)
        summary = self.index.snapshot().by_path.get(absolute)
        if summary is not None:
            return summary
        try:
            modified = os.stat(absolute).st_mtime
        except OSError:
            return None
        with self._lock:
            known = self._outside.get(absolute)
        if known is not None and known[0] == modified:
            return known[1]
        try:
            text = read_source(Path(absolute))
        except SourceError:
            return None
        name = self.index.module_name(Path(absolute)) or ""
        summary = summarize_module(name, absolute, text, Path(absolute).name == "__init__.py")
        with self._lock:
            if len(self._outside) > 256:
                self._outside.clear()
            self._outside[absolute] = (modified, summary)
        return summary


@dataclass(frozen=True, slots=True)
class ProjectFile:
    """The project as seen from one file being linted (``path`` ``None``: an unsaved buffer)."""

    project: Project
    path: Path | None

    def resolve_target(self, target: str) -> Resolution:
        """See :meth:`Project.resolve_target`."""
        return self.project.resolve_target(target)

    def qualify(self, expression: str) -> str | None:
        """See :meth:`Project.qualify`, in this file."""
        return self.project.qualify(self.path, expression)

    def lookups(self, target: str) -> LookupReport:
        """See :meth:`Project.lookups`, for the code under test of this file."""
        if self.path is None:
            return LookupReport()
        return self.project.lookups(target, self.path)

    def uses(self, names: Collection[str]) -> list[NameUse]:
        """See :meth:`Project.uses`, for the code under test of this file."""
        if self.path is None:
            return []
        return self.project.uses(names, self.path)

    @property
    def module_name(self) -> str | None:
        """This file's dotted module name, if it has one."""
        return self.project.module_name(self.path) if self.path is not None else None

    @property
    def test_naming(self) -> TestNaming:
        """How the project's pytest configuration names tests."""
        return self.project.pytest.naming

    @property
    def is_test_module(self) -> bool:
        """Whether ``pytest`` run in the project root collects this file's tests (the lens and
        ``--verify`` run them only then)."""
        return self.path is not None and self.project.pytest.collects(self.path)

    @property
    def state(self) -> Hashable:
        """The project and the generation of its index: changes whenever a module changes."""
        return (self.project, self.project.index.snapshot().generation)

    def imported_mock(self, module: str, level: int, name: str) -> str | None:
        """What mock name ``from <level dots><module> import <name>`` binds in this file, if
        any (an :data:`~mockls.analysis.model.ImportedMock` for the analysis)."""
        if not level:
            absolute: str | None = module
        elif self.path is None or self.module_name is None:
            return None  # a relative import in a file that is no workspace module
        else:
            is_package = self.path.name == "__init__.py"
            absolute = absolute_module(module, level, self.module_name, is_package)
            if absolute is None:
                return None
        return self.project.mock_origin(".".join(part for part in (absolute, name) if part))

"""The workspace import index: every module under the project root, summarized once.

Module names follow the import system: paths are taken relative to the first *source root*
that holds them (``<root>/src`` for a ``src/`` layout, then ``<root>``); a directory without
``__init__.py`` is a namespace package. The index is a sequence of immutable
:class:`IndexSnapshot` objects: readers take :meth:`ImportIndex.snapshot` and read it without
locks, :meth:`ImportIndex.update_file` swaps in a new one (copying the maps, not the summaries).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mockls.files import (
    SKIPPED_DIRECTORIES,
    SourceError,
    is_file,
    read_source,
    too_large,
    too_large_file,
    walk_python_files,
)
from mockls.layout import source_roots
from mockls.resolve.module_summary import ModuleSummary, summarize_module
from mockls.syntax.collector import paused

log = logging.getLogger(__name__)

__all__ = ["ImportIndex", "IndexSnapshot"]


def _module_name_in(path: Path, roots: tuple[Path, ...]) -> tuple[str, bool] | None:
    """The dotted module name of the ``.py`` file ``path`` and whether it is a package."""
    if path.suffix != ".py":
        return None
    for source_root in roots:
        try:
            parts = list(path.relative_to(source_root).parts)
        except ValueError:
            continue
        if _in_skipped_directory(source_root, parts[:-1]):
            return None
        is_package = parts[-1] == "__init__.py"
        parts[-1] = parts[-1][: -len(".py")]
        if is_package:
            parts.pop()
        if parts and all(part.isidentifier() for part in parts):
            return ".".join(parts), is_package
        return None
    return None


def _in_skipped_directory(source_root: Path, directories: list[str]) -> bool:
    """Whether a file in ``directories`` below ``source_root`` is one a scan skips: in a tool
    directory, a hidden one, or a virtual environment."""
    here = source_root
    for name in directories:
        here = here / name
        if name in SKIPPED_DIRECTORIES or name.startswith(".") or is_file(here / "pyvenv.cfg"):
            return True
    return False


@dataclass(frozen=True, slots=True)
class IndexSnapshot:
    """The index at one moment; never changes once built.

    ``modules`` maps dotted names to summaries, ``by_path`` absolute paths to summaries (files
    outside the source roots included, with an empty name), ``children`` each package
    (``''`` for the top level) to the names of its submodules and subpackages, namespace
    packages included.
    """

    modules: Mapping[str, ModuleSummary] = field(default_factory=dict)
    by_path: Mapping[str, ModuleSummary] = field(default_factory=dict)
    children: Mapping[str, frozenset[str]] = field(default_factory=dict)
    generation: int = 0

    def is_module(self, name: str) -> bool:
        """Whether ``name`` is a workspace module or package (namespace packages included)."""
        return name in self.modules or name in self.children

    def submodules(self, package: str) -> frozenset[str]:
        """The names of the submodules and subpackages of ``package`` (``''``: top level)."""
        return self.children.get(package, frozenset())


def _add_children(children: dict[str, frozenset[str]], name: str) -> None:
    parts = name.split(".")
    for depth in range(len(parts)):
        parent = ".".join(parts[:depth])
        existing = children.get(parent, frozenset())
        if parts[depth] not in existing:
            children[parent] = existing | {parts[depth]}


def _children_of(modules: Mapping[str, ModuleSummary]) -> dict[str, frozenset[str]]:
    children: dict[str, set[str]] = {}
    for name in modules:
        parts = name.split(".")
        for depth in range(len(parts)):
            children.setdefault(".".join(parts[:depth]), set()).add(parts[depth])
    return {parent: frozenset(names) for parent, names in children.items()}


class ImportIndex:
    """The summaries of every module of one workspace, kept current by :meth:`update_file`."""

    def __init__(self, root: Path | None, configured_roots: Sequence[str] = ()) -> None:
        self.root = _absolute(root) if root is not None else None
        self.roots: tuple[Path, ...] = (
            source_roots(self.root, configured_roots) if self.root is not None else ()
        )
        self._snapshot = IndexSnapshot()
        self._lock = threading.Lock()
        self._updated_during_scan: set[str] | None = None

    def snapshot(self) -> IndexSnapshot:
        """The current state; read it freely, it never changes."""
        return self._snapshot

    def module_name(self, path: Path) -> str | None:
        """The dotted module name of the file at ``path``, when it lies under a source root."""
        named = _module_name_in(_absolute(path), self.roots)
        return named[0] if named is not None else None

    def scan(self) -> None:
        """Index every module under the root, replacing what was indexed before."""
        if self.root is None:
            return
        with self._lock:
            self._updated_during_scan = set()
        modules: dict[str, ModuleSummary] = {}
        by_path: dict[str, ModuleSummary] = {}
        # Summaries are many small objects, none garbage until the scan ends: collecting
        # cycles meanwhile only walks them again and again.
        try:
            with paused():
                for path in _python_files(self.root):
                    summary = self._summarize_file(path, None)
                    if summary is None:
                        continue
                    by_path[summary.path] = summary
                    if summary.name:
                        self._keep_package_over_module(modules, summary)
        finally:
            with self._lock:
                updated = self._updated_during_scan or set()
                self._updated_during_scan = None
                current = self._snapshot
                for path_text in updated:  # the editor's text is newer than the disk's
                    by_path.pop(path_text, None)
                    for name in [n for n, s in modules.items() if s.path == path_text]:
                        del modules[name]
                    summary = current.by_path.get(path_text)
                    if summary is not None:
                        by_path[path_text] = summary
                        if summary.name:
                            self._keep_package_over_module(modules, summary)
                self._snapshot = IndexSnapshot(
                    modules, by_path, _children_of(modules), current.generation + 1
                )

    def update_file(self, path: Path, text: str | None) -> None:
        """Index the new text of the file at ``path`` (``None``: the file is gone)."""
        absolute = _absolute(path)
        summary = self._summarize_file(absolute, text) if text is not None else None
        with self._lock:
            if self._updated_during_scan is not None:
                self._updated_during_scan.add(str(absolute))
            current = self._snapshot
            modules = dict(current.modules)
            by_path = dict(current.by_path)
            old = by_path.pop(str(absolute), None)
            if old is not None and old.name and modules.get(old.name) is old:
                del modules[old.name]
                if summary is None or summary.name != old.name:
                    for other in by_path.values():  # a pkg.py hidden by the pkg/ just removed
                        if other.name == old.name:
                            self._keep_package_over_module(modules, other)
            if summary is not None:
                by_path[summary.path] = summary
                if summary.name:
                    self._keep_package_over_module(modules, summary)
            gone = old is not None and old.name and old.name not in modules
            if gone:  # a namespace package may have gone with it
                children = _children_of(modules)
            else:
                children = dict(current.children)
                if summary is not None and summary.name:
                    _add_children(children, summary.name)
            self._snapshot = IndexSnapshot(modules, by_path, children, current.generation + 1)

    @staticmethod
    def _keep_package_over_module(
        modules: dict[str, ModuleSummary], summary: ModuleSummary
    ) -> None:
        """``pkg/__init__.py`` wins over a ``pkg.py`` next to it, as in the import system."""
        existing = modules.get(summary.name)
        if existing is None or summary.is_package or not existing.is_package:
            modules[summary.name] = summary

    def _summarize_file(self, path: Path, text: str | None) -> ModuleSummary | None:
        named = _module_name_in(path, self.roots)
        name, is_package = named if named is not None else ("", path.name == "__init__.py")
        refusal = too_large_file(path) if text is None else None  # refused unread
        if refusal is None:
            if text is None:
                try:
                    text = read_source(path)
                except SourceError as error:
                    if not path.is_file():
                        return None
                    # The module exists but cannot be read: what it binds cannot be told.
                    log.debug("indexing %s as unreadable: %s", path, error.reason)
                    return ModuleSummary(name, str(path), is_package, {}, partial=True)
            refusal = too_large(text)
            if refusal is None:
                return summarize_module(name, str(path), text, is_package, light=True)
        # It exists, but what it binds is not read: cannot be told.
        log.info("indexing %s as unread: %s", path, refusal)
        return ModuleSummary(name, str(path), is_package, {}, partial=True)


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


def _python_files(root: Path) -> Iterator[Path]:
    """The ``*.py`` files below ``root``, walked as ``mockls check`` does, minus hidden dirs."""

    def hidden_directory(path: Path, is_directory: bool) -> bool:
        return is_directory and path.name.startswith(".")

    def report(path: Path, error: OSError) -> None:
        log.debug("cannot list %s: %s", path, error.strerror)

    return walk_python_files(root, hidden_directory, report)

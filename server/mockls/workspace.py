"""The workspace model both front ends share: roots -> projects -> interpreter -> sandbox pool.

A file belongs to the project of its *root*: the innermost workspace folder holding it (the
editor's folders, kept with their settings; ``mockls check`` has none), else the directory of
the nearest ``pyproject.toml`` (:class:`~mockls.config.ProjectRoots`), else the nearest
directory with a project marker (:func:`~mockls.layout.find_project_root`), else the fallback
root (``mockls check``: the common parent of the paths it was given). Each root has one
:class:`~mockls.resolve.project.Project` at a time, made with the interpreter and source
roots its settings name and with whether that interpreter may run; each project's sandbox
pool comes from the one :class:`~mockls.sandbox.SandboxPools`.

The settings are the front end's (``mockls check``: each root's ``pyproject.toml`` under the
command line; the server: the folder's editor settings over it): the workspace asks for them
by root. When and where a project is scanned is the front end's too (the command scans in
place, the server on a worker thread); :attr:`WorkspaceProject.scanned` says how it went.
Thread-safe.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from mockls.config import ProjectRoots, Settings
from mockls.layout import find_project_root
from mockls.resolve.project import Project, ProjectFile
from mockls.sandbox import SandboxPool, SandboxPools

__all__ = ["ProjectFactory", "Workspace", "WorkspaceProject", "contains", "innermost_folder"]

ProjectFactory = Callable[[Path, str | None, tuple[str, ...], bool], Project]
"""Makes a project from its root, its interpreter, its ``source-roots`` setting and whether
that interpreter may run."""


def _make_project(
    root: Path, python: str | None, source_roots: tuple[str, ...], run_interpreter: bool
) -> Project:
    return Project(root, python, source_roots, run_interpreter=run_interpreter)


@dataclass(eq=False)
class WorkspaceProject:
    """One root's project, with the settings it was made from."""

    root: Path
    interpreter: tuple[str | None, bool]
    """The ``python`` setting and whether that interpreter may run."""
    source_roots: tuple[str, ...]
    project: Project
    is_folder: bool
    """Whether ``root`` is a workspace folder (else the root of a file outside them)."""
    scanned: Future[None] = field(default_factory=Future)
    """Done when the first scan has ended (cancelled: it never will)."""

    def scan(self) -> bool:
        """Index the project, once; whether it was scanned now (not cancelled before). An
        error of the scan is raised, and kept in :attr:`scanned`."""
        scanned = self.scanned
        if scanned.done() or scanned.running() or not scanned.set_running_or_notify_cancel():
            return False
        try:
            self.project.scan()
        except Exception as error:
            self.scanned.set_exception(error)
            raise
        self.scanned.set_result(None)
        return True

    @property
    def ready(self) -> bool:
        """Whether its scan ended well: its index can be read."""
        scanned = self.scanned
        return scanned.done() and not scanned.cancelled() and scanned.exception() is None

    def file(self, path: Path | None) -> ProjectFile | None:
        """The project as seen from the file at ``path``, once scanned; else ``None``."""
        return ProjectFile(self.project, path) if self.ready else None


class Workspace:
    """The roots, projects and sandbox pools of one workspace.

    ``settings_for(root)`` gives the settings of the project at ``root``;
    ``may_run_interpreter(settings)`` whether a project with those settings may start its
    interpreter (to read its environment; else it is read from its files); ``folders()`` the
    workspace folders, the first one first.
    """

    def __init__(
        self,
        settings_for: Callable[[Path], Settings],
        may_run_interpreter: Callable[[Settings], bool],
        *,
        folders: Callable[[], Sequence[Path]] = tuple,
        fallback_root: Path | None = None,
        roots: ProjectRoots | None = None,
        make_project: ProjectFactory | None = None,
    ) -> None:
        self._settings_for = settings_for
        self._may_run_interpreter = may_run_interpreter
        self._fallback_root = fallback_root
        self._roots = roots or ProjectRoots()
        self._make_project = make_project or _make_project
        self._folders = folders
        self._lock = threading.Lock()
        self._projects: dict[Path, WorkspaceProject] = {}
        self.sandboxes = SandboxPools()
        """The projects' sandbox pools, one per root."""

    @property
    def folders(self) -> list[Path]:
        """The workspace folders, the first one first."""
        return list(self._folders())

    def forget_removed_folders(self) -> None:
        """Forget the projects of folders that are no longer workspace folders."""
        folders = set(self._folders())
        with self._lock:
            for root in [root for root, known in self._projects.items() if known.is_folder]:
                if root not in folders:
                    del self._projects[root]

    def folder_of(self, path: Path) -> Path | None:
        """The innermost workspace folder holding ``path``."""
        return innermost_folder(self._folders(), path)

    def root_of(self, path: Path) -> Path | None:
        """The root of the project the file at ``path`` belongs to (``None``: none)."""
        return (
            self.folder_of(path)
            or self._roots.root_of(path.parent)
            or find_project_root(path.parent)
            or self._fallback_root
        )

    def project_at(self, root: Path) -> WorkspaceProject | None:
        """The project at ``root``, if one was made."""
        with self._lock:
            return self._projects.get(root)

    def projects_holding(self, path: Path) -> list[WorkspaceProject]:
        """The projects whose root holds ``path``, the innermost last."""
        with self._lock:
            holding = [known for root, known in self._projects.items() if contains(root, path)]
        return sorted(holding, key=lambda known: len(known.root.parts))

    def new_project(self, root: Path, *, is_folder: bool = False) -> WorkspaceProject:
        """A new, unscanned project for ``root`` under its current settings, replacing the
        one it had."""
        settings = self._settings_for(root)
        interpreter = (settings.python, self._may_run_interpreter(settings))
        project = self._make_project(root, interpreter[0], settings.source_roots, interpreter[1])
        made = WorkspaceProject(root, interpreter, settings.source_roots, project, is_folder)
        with self._lock:
            self._projects[root] = made
        return made

    def stale_projects(self) -> list[WorkspaceProject]:
        """The projects whose settings now name another interpreter or other source roots."""
        with self._lock:
            known = list(self._projects.values())
        stale = []
        for project in known:
            settings = self._settings_for(project.root)
            interpreter = (settings.python, self._may_run_interpreter(settings))
            if (interpreter, settings.source_roots) != (project.interpreter, project.source_roots):
                stale.append(project)
        return stale

    def sandbox_pool(self, project: Project) -> SandboxPool | None:
        """The sandbox pool running ``project``'s interpreter (started now if need be), with
        its source roots on ``sys.path``; ``None`` once the pools are closed for good."""
        return self.sandboxes.pool_for(project.root, project.python, project.index.roots)


def innermost_folder(folders: Iterable[Path], path: Path) -> Path | None:
    """The innermost of ``folders`` holding ``path``."""
    holding = [folder for folder in folders if contains(folder, path)]
    return max(holding, key=lambda folder: len(folder.parts), default=None)


def contains(root: Path, path: Path) -> bool:
    """Whether ``path`` is ``root`` or below it."""
    return path == root or root in path.parents

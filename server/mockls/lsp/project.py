"""The server's projects: one resolve ``Project`` per workspace folder, indexed off the loop.

Each workspace folder gets a :class:`~mockls.resolve.project.Project` with the interpreter its
settings name (``python`` in ``[tool.mockls]``, the editor's ``interpreter``), which jedi
may run only while the workspace is trusted (else its packages are read); a file outside
every folder gets one for its ``pyproject.toml`` directory. Projects are scanned on one
worker thread, started at ``initialized`` with a progress report when the client shows them.
Until its scan ends a project is not handed to the linter: documents are linted without it
and linted again once it is ready.

The index follows the editor: an open document's text replaces its file on ``didOpen`` and
``didChange``; ``didSave`` and ``didClose`` read the file again; files changed outside the
editor arrive as ``workspace/didChangeWatchedFiles`` (registered for ``**/*.py`` when the
client allows, and for directories created or deleted, whose Python files are then read
again). After an update that changed the index, the other open documents of that project
are linted again, and so are all open documents when a ``pytest --mockls`` run wrote its
facts (``.pytest_cache/v/mockls/facts``, watched too): the run has the last word.
Updates run on the same thread as scans, in order, and bursts of updates to one file
collapse into the last.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from mockls.config import PYPROJECT, ProjectRoots
from mockls.files import SKIPPED_DIRECTORIES, SourceError, read_source, walk_python_files
from mockls.layout import find_project_root
from mockls.lsp.documents import PYTHON_SUFFIXES, file_path
from mockls.resolve.project import Project, ProjectFile
from mockls.runtime.store import CACHE_KEY

if TYPE_CHECKING:
    from mockls.lsp.server import MocklsServer
    from mockls.lsp.settings import SettingsProvider

__all__ = ["READ_DISK", "ProjectSet", "setup_projects"]

log = logging.getLogger(__name__)

PYTHON_FILE_GLOBS = ("**/*.py", "**/*.pyi")
RUN_FACTS_GLOB = f"**/.pytest_cache/v/{CACHE_KEY}"
"""Where ``pytest --mockls`` leaves the facts of its run (``runtime.store``)."""
"""The files whose changes outside the editor the server asks to hear about."""


WATCHER_REGISTRATION_ID = "mockls-python-files"
PROGRESS_TOKEN = "mockls-indexing"


class _ReadDisk:
    """Stands for "read the file's text from disk" in an update."""

    def __repr__(self) -> str:
        return "READ_DISK"


READ_DISK = _ReadDisk()

FileText = str | None | _ReadDisk
"""What a file now holds: its text, ``None`` when it is gone, or :data:`READ_DISK`."""

ProjectFactory = Callable[[Path, str | None, tuple[str, ...], bool], Project]
"""Makes a project from its root, its interpreter, its ``source-roots`` setting and whether
that interpreter may run."""


def _make_project(
    root: Path, python: str | None, source_roots: tuple[str, ...], run_interpreter: bool
) -> Project:
    return Project(root, python, source_roots, run_interpreter=run_interpreter)


@dataclass(eq=False)
class _Workspace:
    """One project root and its project; ``scanned`` is done when the first scan has ended."""

    root: Path
    interpreter: tuple[str | None, bool]
    """The ``python`` setting and whether it may run (the workspace is trusted)."""
    source_roots: tuple[str, ...]
    project: Project
    is_folder: bool
    scanned: Future[None] = field(default_factory=Future)


LONG_TEXT_CHARACTERS = 1 << 20
"""A text longer than this (1 Mi characters; a file read again from disk: its bytes) is indexed
on a thread of its own, which requests do not wait for (:meth:`ProjectSet.ready_project_file`):
summarizing megabytes takes seconds, and a hover in another document must not wait for them.
The index has the text moments later, and the documents are linted again then."""


class ProjectSet:
    """The projects of the server's workspace; thread-safe.

    ``notify`` runs a callback on the event loop (it is called from worker threads);
    ``on_scanned`` and ``on_updated`` are called there with the workspace's root when a scan
    has ended, and with the files whose update changed the index.
    """

    def __init__(
        self,
        settings: SettingsProvider,
        *,
        executor: Executor | None = None,
        long_texts: Executor | None = None,
        make_project: ProjectFactory = _make_project,
    ) -> None:
        self._settings = settings
        self._executor = executor or ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="mockls-project"
        )
        self._long_texts = long_texts or ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="mockls-project-long"
        )
        """Where the editor's long texts are indexed (see :data:`LONG_TEXT_CHARACTERS`)."""
        self._make_project = make_project
        self._lock = threading.Lock()
        self._folders: list[Path] = []
        self._workspaces: dict[Path, _Workspace] = {}
        self._outside = ProjectRoots()
        """The pyproject roots of files outside every folder."""
        self._started: Future[None] = Future()
        self._shut_down = False
        self._settings_generation = -1
        self._pending: dict[Path, tuple[FileText, bool]] = {}
        """The newest text reported for each file and not yet taken to be indexed."""
        self._updating: dict[Path, threading.Lock] = {}
        """One update of a file at a time, whichever thread it runs on: the newest text is
        taken under it, so a long text indexed slowly never lands over a newer one."""
        self._given: dict[Path, int] = {}
        """The hash of the text last handed to the index for a file (None hashed when gone)."""
        self._open_texts: Callable[[Path], Iterable[tuple[Path, str]]] = lambda _root: ()
        self._notify: Callable[[Callable[[], None]], None] = lambda callback: callback()
        self.on_scanned: Callable[[Path], None] = lambda _root: None
        self.on_updated: Callable[[tuple[Path, ...]], None] = lambda _paths: None

    def connect(
        self,
        notify: Callable[[Callable[[], None]], None],
        open_texts: Callable[[Path], Iterable[tuple[Path, str]]],
    ) -> None:
        """How to reach the event loop, and the open documents' texts under a root."""
        self._notify = notify
        self._open_texts = open_texts

    @property
    def started(self) -> bool:
        """Whether :meth:`start` has run (the folders' projects exist)."""
        return self._started.done()

    def set_folders(self, folders: Iterable[Path]) -> None:
        """The workspace folders, before :meth:`start` (from ``initialize``)."""
        with self._lock:
            self._folders = _distinct(folders)

    def start(self) -> list[Future[None]]:
        """Create and scan the folders' projects (once the settings are known)."""
        with self._lock:
            self._settings_generation = self._settings.generation
            workspaces = [self._create(root, is_folder=True) for root in self._folders]
        if not self._started.done():
            self._started.set_result(None)
        return [workspace.scanned for workspace in workspaces]

    def change_folders(self, added: Iterable[Path], removed: Iterable[Path]) -> list[Future[None]]:
        """Follow ``workspace/didChangeWorkspaceFolders``."""
        gone = set(removed)
        with self._lock:
            self._folders = _distinct(
                [*(root for root in self._folders if root not in gone), *added]
            )
            for root in gone:
                self._workspaces.pop(root, None)
            if not self.started:
                return []
            return [
                self._create(root, is_folder=True).scanned
                for root in self._folders
                if root not in self._workspaces
            ]

    def project_file(self, path: Path | None) -> ProjectFile | None:
        """The project as seen from the file at ``path``, once scanned; else ``None``.

        ``path`` is ``None`` for an unsaved buffer: it gets the first folder's project.
        """
        workspace = self._workspace_for(path)
        if workspace is None or not _succeeded(workspace.scanned):
            return None
        return ProjectFile(workspace.project, path)

    async def ready_project_file(self, path: Path | None) -> ProjectFile | None:
        """The project as seen from ``path`` once scanned and up to date with every change
        reported so far (updates queued before this call are applied first), but for the long
        texts still being indexed (:data:`LONG_TEXT_CHARACTERS`)."""
        await asyncio.wrap_future(self._started)
        workspace = self._workspace_for(path)
        if workspace is None:
            return None
        try:
            await asyncio.wrap_future(workspace.scanned)
            await asyncio.wrap_future(self._executor.submit(_nothing))
        except Exception:  # the scan failed, or the server is shutting down
            return None
        return ProjectFile(workspace.project, path)

    def file_changed(self, path: Path, text: FileText, *, unless_on_disk: bool = False) -> None:
        """Bring the index up to date with ``path`` now holding ``text`` (off the loop).

        With ``unless_on_disk`` (a document just opened) nothing is done when the text is what
        the file on disk holds, which the index read already.
        """
        if not self.started or not self._roots_of(path):
            return
        with self._lock:
            queued = path in self._pending
            self._pending[path] = (text, unless_on_disk)
        if _is_long(path, text):
            self._long_texts.submit(self._apply_pending, path)
        elif not queued:  # (else the queued update takes the newest text)
            self._executor.submit(self._apply_pending, path)

    def tree_changed(self, path: Path) -> None:
        """A directory was created, deleted or moved outside the editor (clients report a
        folder once, not each file in it): read every Python file under it again."""
        if self.started and self._roots_of(path):
            self._executor.submit(self._refresh_tree, path)

    def shutdown(self) -> None:
        """Drop queued work (at shutdown); projects made afterwards are never scanned."""
        with self._lock:
            self._shut_down = True
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._long_texts.shutdown(wait=False, cancel_futures=True)

    def _workspace_for(self, path: Path | None) -> _Workspace | None:
        self._follow_settings()
        with self._lock:
            if path is None:
                return self._workspaces.get(self._folders[0]) if self._folders else None
            roots = [root for root in self._workspaces if _contains(root, path)]
            if roots:
                return self._workspaces[max(roots, key=lambda root: len(root.parts))]
            if not self.started or any(_contains(root, path) for root in self._folders):
                return None
        return self._outside_workspace(path)

    def _outside_workspace(self, path: Path) -> _Workspace | None:
        """The workspace of a file outside every folder: its project root (the nearest
        ``pyproject.toml``, else :func:`mockls.layout.find_project_root`)."""
        root = self._outside.root_of(path.parent) or find_project_root(path.parent)
        if root is None:
            return None
        with self._lock:
            workspace = self._workspaces.get(root)
            if workspace is None:
                workspace = self._create(root, is_folder=False)
            return workspace

    def _follow_settings(self) -> None:
        """Re-create the projects whose interpreter setting changed."""
        generation = self._settings.generation
        if generation == self._settings_generation or not self.started:
            return
        with self._lock:
            self._settings_generation = generation
            stale = [
                workspace
                for workspace in self._workspaces.values()
                if self._interpreter(workspace.root) != workspace.interpreter
                or self._source_roots(workspace.root) != workspace.source_roots
            ]
            for workspace in stale:
                log.info(
                    "the interpreter or source roots for %s changed: indexing it again",
                    workspace.root,
                )
                self._create(workspace.root, is_folder=workspace.is_folder)

    def _create(self, root: Path, *, is_folder: bool) -> _Workspace:
        """A new project for ``root``, its scan queued. Called with the lock held."""
        interpreter = self._interpreter(root)
        source_roots = self._source_roots(root)
        project = self._make_project(root, interpreter[0], source_roots, interpreter[1])
        workspace = _Workspace(root, interpreter, source_roots, project, is_folder)
        self._workspaces[root] = workspace
        if self._shut_down:  # initialized's settings arrived after shutdown: nothing to scan
            workspace.scanned.cancel()
        else:
            self._executor.submit(self._scan, workspace)
        return workspace

    def _interpreter(self, root: Path) -> tuple[str | None, bool]:
        settings = self._settings.for_path(root / PYPROJECT).settings
        return settings.python, settings.trusted

    def _source_roots(self, root: Path) -> tuple[str, ...]:
        return self._settings.for_path(root / PYPROJECT).settings.source_roots

    def _scan(self, workspace: _Workspace) -> None:
        if not workspace.scanned.set_running_or_notify_cancel():
            return
        try:
            workspace.project.scan()
        except Exception as error:
            log.exception("indexing %s failed", workspace.root)
            workspace.scanned.set_exception(error)
            return
        workspace.scanned.set_result(None)
        self._notify(lambda: self._scanned(workspace))

    def _scanned(self, workspace: _Workspace) -> None:
        """On the loop: bring in the open documents' unsaved texts, then tell the server."""
        with self._lock:
            for path in [path for path in self._given if _contains(workspace.root, path)]:
                del self._given[path]  # the scan read every file from disk
        for path, text in self._open_texts(workspace.root):
            self.file_changed(path, text, unless_on_disk=True)
        self.on_scanned(workspace.root)

    def _apply_pending(self, path: Path) -> None:
        with self._lock:
            updating = self._updating.setdefault(path, threading.Lock())
        with updating:  # a long text's update may still run on its own thread
            self._apply_newest(path)

    def _apply_newest(self, path: Path) -> None:
        with self._lock:
            if path not in self._pending:
                return  # taken by the update that ran before this one
            text, unless_on_disk = self._pending.pop(path)
            workspaces = [
                workspace
                for root, workspace in self._workspaces.items()
                if _contains(root, path) and _succeeded(workspace.scanned)
            ]
            given = self._given.get(path)
        if not workspaces:
            return
        new_text = _read(path) if isinstance(text, _ReadDisk) else text
        if given is None and unless_on_disk:
            given = hash(_read(path))
        if given == hash(new_text):
            return
        with self._lock:
            self._given[path] = hash(new_text)
        for workspace in workspaces:
            try:
                workspace.project.update_file(path, new_text)
            except Exception:
                log.exception("updating the index of %s with %s failed", workspace.root, path)
        self._notify(lambda: self.on_updated((path,)))

    def _refresh_tree(self, path: Path) -> None:
        """The files under ``path`` on disk now, and those the index holds under it."""
        if any(part in SKIPPED_DIRECTORIES for part in path.parts):
            return
        files: set[Path] = set()
        if path.is_dir():
            files.update(walk_python_files(path, lambda _path, _directory: False, _ignore))
        prefix = f"{path}{os.sep}"
        with self._lock:
            projects = [
                workspace.project
                for root, workspace in self._workspaces.items()
                if _contains(root, path) and _succeeded(workspace.scanned)
            ]
        for project in projects:
            files.update(
                Path(file) for file in project.index.snapshot().by_path if file.startswith(prefix)
            )
        for file in sorted(files):
            with self._lock:
                self._pending[file] = (READ_DISK, False)
            self._apply_pending(file)

    def _roots_of(self, path: Path) -> list[Path]:
        with self._lock:
            return [root for root in self._workspaces if _contains(root, path)]


def _ignore(_path: Path, _error: OSError) -> None:
    """A directory that cannot be listed holds nothing to index."""


def _is_long(path: Path, text: FileText) -> bool:
    """Whether ``text`` (or the file it is to be read from) is over :data:`LONG_TEXT_CHARACTERS`
    (a file by its bytes, which are at least as many as its characters)."""
    if isinstance(text, str):
        return len(text) > LONG_TEXT_CHARACTERS
    try:
        return text is READ_DISK and path.stat().st_size > LONG_TEXT_CHARACTERS
    except OSError:
        return False


def _nothing() -> None:
    """A task that marks a point in the project thread's queue."""


def _read(path: Path) -> str | None:
    try:
        return read_source(path)
    except SourceError:
        return None


def _succeeded(future: Future[None]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


def _contains(root: Path, path: Path) -> bool:
    return path == root or root in path.parents


def _distinct(paths: Iterable[Path]) -> list[Path]:
    return list(dict.fromkeys(paths))


def setup_projects(server: MocklsServer) -> None:
    """Give the server its projects: scanned at ``initialized``, kept current after."""
    _follow_workspace(server)
    _follow_files(server)


def _follow_workspace(server: MocklsServer) -> None:
    """Create the projects, scan them (with progress), relint when they are ready or change."""
    projects = server.projects
    documents = server.documents
    scheduler = server.diagnostics
    progress = _IndexingProgress(server)

    def open_texts(root: Path) -> list[tuple[Path, str]]:
        return [
            (snapshot.path, snapshot.text)
            for snapshot in documents.all()
            if snapshot.path is not None and snapshot.is_python and _contains(root, snapshot.path)
        ]

    def relint_others(paths: tuple[Path, ...]) -> None:
        for snapshot in documents.all():
            if snapshot.path not in paths:
                scheduler.schedule_change(snapshot, quiet=True)

    def initialize(params: types.InitializeParams) -> None:
        loop = asyncio.get_running_loop()
        projects.connect(lambda callback: _call_soon(loop, callback), open_texts)
        projects.on_scanned = lambda _root: scheduler.relint_all(quiet=True)
        projects.on_updated = relint_others
        projects.set_folders(_workspace_folders(params))

    async def initialized(_params: types.InitializedParams) -> None:
        await server.settings_ready.wait()
        scans = projects.start()
        if server.client_support.watched_files_registration:
            await _register_watchers(server)
        await progress.follow(scans)

    async def did_change_workspace_folders(params: types.DidChangeWorkspaceFoldersParams) -> None:
        added = _folder_paths(folder.uri for folder in params.event.added)
        removed = _folder_paths(folder.uri for folder in params.event.removed)
        await progress.follow(projects.change_folders(added, removed))

    server.on_initialize(initialize)
    server.on_notification(types.INITIALIZED, initialized)
    server.on_notification(
        types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS, did_change_workspace_folders
    )


def _follow_files(server: MocklsServer) -> None:
    """Hand the index every change to a Python file: open buffers' texts, and the disk's."""
    projects = server.projects
    documents = server.documents

    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        snapshot = documents.get(params.text_document.uri)
        if snapshot is not None and snapshot.path is not None and snapshot.is_python:
            projects.file_changed(snapshot.path, snapshot.text, unless_on_disk=True)

    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        snapshot = documents.get(params.text_document.uri)
        if snapshot is not None and snapshot.path is not None and snapshot.is_python:
            projects.file_changed(snapshot.path, snapshot.text)

    def did_save_or_close(
        params: types.DidSaveTextDocumentParams | types.DidCloseTextDocumentParams,
    ) -> None:
        path = _python_file(params.text_document.uri)
        if path is not None:
            projects.file_changed(path, READ_DISK)

    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            path = file_path(change.uri)
            if path is None:
                continue
            if path.as_posix().endswith(f"/.pytest_cache/v/{CACHE_KEY}"):
                server.diagnostics.relint_all(quiet=True)
            elif path.suffix not in PYTHON_SUFFIXES:
                if change.type is not types.FileChangeType.Changed:
                    projects.tree_changed(path)
            # An open document's text is the editor's: its file on disk does not count.
            elif documents.get(change.uri) is None:
                projects.file_changed(path, READ_DISK)

    server.on_notification(types.TEXT_DOCUMENT_DID_OPEN, did_open)
    server.on_notification(types.TEXT_DOCUMENT_DID_CHANGE, did_change)
    server.on_notification(types.TEXT_DOCUMENT_DID_SAVE, did_save_or_close)
    server.on_notification(types.TEXT_DOCUMENT_DID_CLOSE, did_save_or_close)
    server.on_notification(types.WORKSPACE_DID_CHANGE_WATCHED_FILES, did_change_watched_files)


class _IndexingProgress:
    """Shows scans in the client's progress UI when it has one."""

    def __init__(self, server: MocklsServer) -> None:
        self._server = server
        self._count = 0

    async def follow(self, scans: list[Future[None]]) -> None:
        """Report "indexing" until every scan in ``scans`` has ended."""
        if not scans:
            return
        finished = asyncio.gather(*map(asyncio.wrap_future, scans), return_exceptions=True)
        server = self._server
        if not server.client_support.work_done_progress:
            await finished
            return
        self._count += 1
        token = f"{PROGRESS_TOKEN}-{self._count}"
        try:
            await server.work_done_progress.create_async(token)
        except Exception:
            log.warning("the client did not create a progress report; indexing quietly")
            await finished
            return
        server.work_done_progress.begin(
            token, types.WorkDoneProgressBegin(title="mockls", message="Indexing the workspace")
        )
        await finished
        server.work_done_progress.end(token, types.WorkDoneProgressEnd(message="Workspace indexed"))


async def _register_watchers(server: MocklsServer) -> None:
    directories = types.FileSystemWatcher(
        glob_pattern="**/*", kind=types.WatchKind.Create | types.WatchKind.Delete
    )
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[
            *(types.FileSystemWatcher(glob_pattern=glob) for glob in PYTHON_FILE_GLOBS),
            types.FileSystemWatcher(glob_pattern=RUN_FACTS_GLOB),
            directories,
        ]
    )
    registration = types.Registration(
        id=WATCHER_REGISTRATION_ID,
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=options,
    )
    try:
        await server.client_register_capability_async(
            types.RegistrationParams(registrations=[registration])
        )
    except Exception:
        log.warning("the client refused to watch Python files; changes outside it go unseen")


def _call_soon(loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> None:
    if not loop.is_closed():
        loop.call_soon_threadsafe(callback)


def _workspace_folders(params: types.InitializeParams) -> list[Path]:
    uris = [folder.uri for folder in params.workspace_folders or ()]
    if not uris and params.root_uri:
        uris.append(params.root_uri)
    folders = _folder_paths(uris)
    if not folders and params.root_path:
        folders.append(Path(params.root_path))
    return folders


def _folder_paths(uris: Iterable[str]) -> list[Path]:
    paths = []
    for uri in uris:
        path = file_path(uri)
        if path is not None:
            paths.append(path)
    return paths


def _python_file(uri: str) -> Path | None:
    path = file_path(uri)
    return path if path is not None and path.suffix in PYTHON_SUFFIXES else None

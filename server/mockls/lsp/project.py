"""The server's projects, indexed off the loop and kept up to date with the editor.

The projects themselves are the :class:`~mockls.workspace.Workspace`'s, as for
``mockls check``: one per workspace folder, with the interpreter its settings name
(``python`` in ``[tool.mockls]``, the editor's ``interpreter``), which jedi may run only
while the workspace is trusted (else its packages are read); a file outside every folder
gets one for its ``pyproject.toml`` directory. Projects are scanned on one
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
A project's pytest configuration files (``pytest.ini``, ``pyproject.toml``, ``tox.ini``,
``setup.cfg``, watched too, and on ``didSave``) are read again when they change: new test
naming or ``testpaths`` relint the project's open documents and refresh the code lenses
without a new scan; a new ``pythonpath`` (source roots) makes and scans a new project.
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
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from mockls.config import PYPROJECT
from mockls.files import SKIPPED_DIRECTORIES, SourceError, read_source, walk_python_files
from mockls.lsp.documents import PYTHON_SUFFIXES, file_path
from mockls.pytest_options import PYTEST_CONFIGURATION_FILES
from mockls.resolve.project import ProjectFile
from mockls.runtime.store import CACHE_KEY
from mockls.workspace import ProjectFactory, Workspace, WorkspaceProject, contains

if TYPE_CHECKING:
    from mockls.lsp.client_support import ClientSupport
    from mockls.lsp.diagnostics import DiagnosticsScheduler
    from mockls.lsp.documents import DocumentStore
    from mockls.lsp.feature_host import FeatureHost
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


LONG_TEXT_CHARACTERS = 1 << 20
"""A text longer than this (1 Mi characters; a file read again from disk: its bytes) is indexed
on a thread of its own, which requests do not wait for (:meth:`ProjectSet.ready_project_file`):
summarizing megabytes takes seconds, and a hover in another document must not wait for them.
The index has the text moments later, and the documents are linted again then."""


class ProjectSet:
    """The server's side of the workspace's projects (:class:`~mockls.workspace.Workspace`):
    when they are scanned and kept up to date; thread-safe.

    ``notify`` runs a callback on the event loop (it is called from worker threads);
    ``on_scanned`` and ``on_updated`` are called there with the workspace's root when a scan
    has ended, and with the files whose update changed the index; ``on_pytest_options_changed``
    with the root of a project whose pytest test naming or ``testpaths`` changed.
    """

    def __init__(
        self,
        settings: SettingsProvider,
        *,
        executor: Executor | None = None,
        long_texts: Executor | None = None,
        make_project: ProjectFactory | None = None,
    ) -> None:
        self._settings = settings
        self.workspace = Workspace(
            lambda root: settings.for_path(root / PYPROJECT).settings,
            lambda project_settings: project_settings.trusted,
            folders=lambda: settings.workspace_folders,
            make_project=make_project,
        )
        """The workspace model: folders (the settings' own), roots, projects and their
        sandbox pools."""
        self._workspace = self.workspace
        self._executor = executor or ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="mockls-project"
        )
        self._long_texts = long_texts or ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="mockls-project-long"
        )
        """Where the editor's long texts are indexed (see :data:`LONG_TEXT_CHARACTERS`)."""
        self._lock = threading.Lock()
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
        self.on_pytest_options_changed: Callable[[Path], None] = lambda _root: None

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

    def start(self) -> list[Future[None]]:
        """Create and scan the folders' projects (once the settings are known)."""
        with self._lock:
            self._settings_generation = self._settings.generation
            projects = [self._create(root, is_folder=True) for root in self._workspace.folders]
        if not self._started.done():
            self._started.set_result(None)
        return [project.scanned for project in projects]

    def follow_folders(self) -> list[Future[None]]:
        """Follow the workspace folders (``workspace/didChangeWorkspaceFolders``, which the
        settings heard first): forget the removed ones' projects, make the added ones'."""
        with self._lock:
            self._workspace.forget_removed_folders()
            if not self.started:
                return []
            return [
                self._create(root, is_folder=True).scanned
                for root in self._workspace.folders
                if self._workspace.project_at(root) is None
            ]

    def project_file(self, path: Path | None) -> ProjectFile | None:
        """The project as seen from the file at ``path``, once scanned; else ``None``.

        ``path`` is ``None`` for an unsaved buffer: it gets the first folder's project.
        """
        project = self._project_for(path)
        return None if project is None else project.file(path)

    async def ready_project_file(self, path: Path | None) -> ProjectFile | None:
        """The project as seen from ``path`` once scanned and up to date with every change
        reported so far (updates queued before this call are applied first), but for the long
        texts still being indexed (:data:`LONG_TEXT_CHARACTERS`)."""
        await asyncio.wrap_future(self._started)
        project = self._project_for(path)
        if project is None:
            return None
        try:
            await asyncio.wrap_future(project.scanned)
            await asyncio.wrap_future(self._executor.submit(_nothing))
        except Exception:  # the scan failed, or the server is shutting down
            return None
        return ProjectFile(project.project, path)

    def file_changed(self, path: Path, text: FileText, *, unless_on_disk: bool = False) -> None:
        """Bring the index up to date with ``path`` now holding ``text`` (off the loop).

        With ``unless_on_disk`` (a document just opened) nothing is done when the text is what
        the file on disk holds, which the index read already.
        """
        if not self.started or not self._workspace.projects_holding(path):
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
        if self.started and self._workspace.projects_holding(path):
            self._executor.submit(self._refresh_tree, path)

    def pytest_configuration_changed(self, path: Path) -> None:
        """The file at ``path`` changed; when pytest may read its configuration from it (it
        is in a project's root), read that configuration again (off the loop)."""
        if self.started and path.name in PYTEST_CONFIGURATION_FILES:
            self._executor.submit(self._reread_pytest_options, path.parent)

    def shutdown(self) -> None:
        """Drop queued work (at shutdown); projects made afterwards are never scanned."""
        with self._lock:
            self._shut_down = True
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._long_texts.shutdown(wait=False, cancel_futures=True)

    def _project_for(self, path: Path | None) -> WorkspaceProject | None:
        self._follow_settings()
        workspace = self._workspace
        if path is None:
            folders = workspace.folders
            return workspace.project_at(folders[0]) if folders else None
        holding = workspace.projects_holding(path)
        if holding:
            return holding[-1]
        if not self.started or workspace.folder_of(path) is not None:
            return None
        return self._outside_project(path)

    def _outside_project(self, path: Path) -> WorkspaceProject | None:
        """The project of a file outside every folder, at its root (the nearest
        ``pyproject.toml``, else :func:`mockls.layout.find_project_root`)."""
        root = self._workspace.root_of(path)
        if root is None:
            return None
        with self._lock:
            return self._workspace.project_at(root) or self._create(root, is_folder=False)

    def _follow_settings(self) -> None:
        """Re-create the projects whose interpreter setting changed."""
        generation = self._settings.generation
        if generation == self._settings_generation or not self.started:
            return
        with self._lock:
            self._settings_generation = generation
            for stale in self._workspace.stale_projects():
                log.info(
                    "the interpreter or source roots for %s changed: indexing it again",
                    stale.root,
                )
                self._create(stale.root, is_folder=stale.is_folder)

    def _create(self, root: Path, *, is_folder: bool) -> WorkspaceProject:
        """A new project for ``root``, its scan queued. Called with the lock held."""
        project = self._workspace.new_project(root, is_folder=is_folder)
        if self._shut_down:  # initialized's settings arrived after shutdown: nothing to scan
            project.scanned.cancel()
        else:
            self._executor.submit(self._scan, project)
        return project

    def _scan(self, project: WorkspaceProject) -> None:
        try:
            if not project.scan():
                return
        except Exception:
            log.exception("indexing %s failed", project.root)
            return
        self._notify(lambda: self._scanned(project))

    def _scanned(self, project: WorkspaceProject) -> None:
        """On the loop: bring in the open documents' unsaved texts, then tell the server."""
        with self._lock:
            for path in [path for path in self._given if contains(project.root, path)]:
                del self._given[path]  # the scan read every file from disk
        for path, text in self._open_texts(project.root):
            self.file_changed(path, text, unless_on_disk=True)
        self.on_scanned(project.root)

    def _reread_pytest_options(self, root: Path) -> None:
        """Only what changed is redone: new test naming or ``testpaths`` are taken as they
        are (each document's tests are found again when next asked for); a new
        ``pythonpath`` moves the source roots, so the project is made and scanned again."""
        with self._lock:
            project = self._workspace.project_at(root)
        if project is None:
            return
        before = project.project.reread_pytest_options()
        after = project.project.pytest
        if after.pythonpath != before.pythonpath:
            with self._lock:
                if self._workspace.project_at(root) is project and not self._shut_down:
                    log.info("pytest's pythonpath for %s changed: indexing it again", root)
                    self._create(root, is_folder=project.is_folder)
        elif after != before:
            self._notify(lambda: self.on_pytest_options_changed(root))

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
            given = self._given.get(path)
        projects = [project for project in self._workspace.projects_holding(path) if project.ready]
        if not projects:
            return
        new_text = _read(path) if isinstance(text, _ReadDisk) else text
        if given is None and unless_on_disk:
            given = hash(_read(path))
        if given == hash(new_text):
            return
        with self._lock:
            self._given[path] = hash(new_text)
        for project in projects:
            try:
                project.project.update_file(path, new_text)
            except Exception:
                log.exception("updating the index of %s with %s failed", project.root, path)
        self._notify(lambda: self.on_updated((path,)))

    def _refresh_tree(self, path: Path) -> None:
        """The files under ``path`` on disk now, and those the index holds under it."""
        if any(part in SKIPPED_DIRECTORIES for part in path.parts):
            return
        files: set[Path] = set()
        if path.is_dir():
            files.update(walk_python_files(path, lambda _path, _directory: False, _ignore))
        prefix = f"{path}{os.sep}"
        for project in self._workspace.projects_holding(path):
            if project.ready:
                files.update(
                    Path(file)
                    for file in project.project.index.snapshot().by_path
                    if file.startswith(prefix)
                )
        for file in sorted(files):
            with self._lock:
                self._pending[file] = (READ_DISK, False)
            self._apply_pending(file)


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


def setup_projects(
    host: FeatureHost,
    *,
    projects: ProjectSet,
    documents: DocumentStore,
    scheduler: DiagnosticsScheduler,
    settings_ready: asyncio.Event,
    client_support: Callable[[], ClientSupport],
) -> None:
    """Scan ``projects`` at ``initialized`` (once ``settings_ready``, with progress) and
    keep them current; lint the open documents again when they are ready or change."""
    progress = _IndexingProgress(host, client_support)

    def open_texts(root: Path) -> list[tuple[Path, str]]:
        return [
            (snapshot.path, snapshot.text)
            for snapshot in documents.all()
            if snapshot.path is not None and snapshot.is_python and contains(root, snapshot.path)
        ]

    def relint_others(paths: tuple[Path, ...]) -> None:
        for snapshot in documents.all():
            if snapshot.path not in paths:
                scheduler.schedule_change(snapshot, quiet=True)

    def scanned(_root: Path) -> None:
        scheduler.relint_all(quiet=True)
        host.refresh_code_lenses()

    def tests_renamed(root: Path) -> None:
        """The project's pytest names or finds its tests differently: its open documents'
        tests, and so their lenses, refactorings and diagnostics, are read again."""
        for snapshot in documents.all():
            if snapshot.path is not None and contains(root, snapshot.path):
                scheduler.schedule(snapshot, quiet=True)
        host.refresh_code_lenses()

    def initialize(params: types.InitializeParams) -> None:
        loop = asyncio.get_running_loop()
        projects.connect(lambda callback: _call_soon(loop, callback), open_texts)
        projects.on_scanned = scanned
        projects.on_updated = relint_others
        projects.on_pytest_options_changed = tests_renamed

    async def initialized(_params: types.InitializedParams) -> None:
        await settings_ready.wait()
        scans = projects.start()
        if client_support().watched_files_registration:
            await _register_watchers(host)
        await progress.follow(scans)

    async def did_change_workspace_folders(_params: types.DidChangeWorkspaceFoldersParams) -> None:
        await progress.follow(projects.follow_folders())

    host.on_initialize(initialize)
    host.on_notification(types.INITIALIZED, initialized)
    host.on_notification(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS, did_change_workspace_folders)
    _follow_files(host, projects=projects, documents=documents, scheduler=scheduler)


def _follow_files(
    host: FeatureHost,
    *,
    projects: ProjectSet,
    documents: DocumentStore,
    scheduler: DiagnosticsScheduler,
) -> None:
    """Hand the index every change to a Python file: open buffers' texts, and the disk's."""

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

    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        did_save_or_close(params)
        path = file_path(params.text_document.uri)
        if path is not None:
            projects.pytest_configuration_changed(path)

    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            path = file_path(change.uri)
            if path is None:
                continue
            if path.as_posix().endswith(f"/.pytest_cache/v/{CACHE_KEY}"):
                scheduler.relint_all(quiet=True)
            elif path.name in PYTEST_CONFIGURATION_FILES:
                projects.pytest_configuration_changed(path)
            elif path.suffix not in PYTHON_SUFFIXES:
                if change.type is not types.FileChangeType.Changed:
                    projects.tree_changed(path)
            # An open document's text is the editor's: its file on disk does not count.
            elif documents.get(change.uri) is None:
                projects.file_changed(path, READ_DISK)

    host.on_notification(types.TEXT_DOCUMENT_DID_OPEN, did_open)
    host.on_notification(types.TEXT_DOCUMENT_DID_CHANGE, did_change)
    host.on_notification(types.TEXT_DOCUMENT_DID_SAVE, did_save)
    host.on_notification(types.TEXT_DOCUMENT_DID_CLOSE, did_save_or_close)
    host.on_notification(types.WORKSPACE_DID_CHANGE_WATCHED_FILES, did_change_watched_files)


class _IndexingProgress:
    """Shows scans in the client's progress UI when it has one."""

    def __init__(self, host: FeatureHost, client_support: Callable[[], ClientSupport]) -> None:
        self._host = host
        self._client_support = client_support
        self._count = 0

    async def follow(self, scans: list[Future[None]]) -> None:
        """Report "indexing" until every scan in ``scans`` has ended."""
        if not scans:
            return
        finished = asyncio.gather(*map(asyncio.wrap_future, scans), return_exceptions=True)
        host = self._host
        if not self._client_support().work_done_progress:
            await finished
            return
        self._count += 1
        token = f"{PROGRESS_TOKEN}-{self._count}"
        try:
            await host.work_done_progress.create_async(token)
        except Exception:
            log.warning("the client did not create a progress report; indexing quietly")
            await finished
            return
        host.work_done_progress.begin(
            token, types.WorkDoneProgressBegin(title="mockls", message="Indexing the workspace")
        )
        await finished
        host.work_done_progress.end(token, types.WorkDoneProgressEnd(message="Workspace indexed"))


async def _register_watchers(host: FeatureHost) -> None:
    directories = types.FileSystemWatcher(
        glob_pattern="**/*", kind=types.WatchKind.Create | types.WatchKind.Delete
    )
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[
            *(types.FileSystemWatcher(glob_pattern=glob) for glob in PYTHON_FILE_GLOBS),
            types.FileSystemWatcher(glob_pattern=RUN_FACTS_GLOB),
            *(
                types.FileSystemWatcher(glob_pattern=f"**/{name}")
                for name in PYTEST_CONFIGURATION_FILES
            ),
            directories,
        ]
    )
    registration = types.Registration(
        id=WATCHER_REGISTRATION_ID,
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=options,
    )
    try:
        await host.client_register_capability_async(
            types.RegistrationParams(registrations=[registration])
        )
    except Exception:
        log.warning("the client refused to watch Python files; changes outside it go unseen")


def _call_soon(loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> None:
    if not loop.is_closed():
        loop.call_soon_threadsafe(callback)


def _python_file(uri: str) -> Path | None:
    path = file_path(uri)
    return path if path is not None and path.suffix in PYTHON_SUFFIXES else None

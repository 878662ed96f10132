"""Settings for each open document: the project's ``pyproject.toml`` <- the editor's ``mockls``.

The editor's section comes from ``initializationOptions``, then from ``workspace/configuration``
(pulled at ``initialized`` and on every ``didChangeConfiguration`` when the client supports it,
once per workspace folder: each folder's files get that folder's section, files outside every
folder the first folder's), or else from the settings a ``didChangeConfiguration`` carries; an
answer without a ``mockls`` section keeps the settings there were. The workspace folders are
kept here (the projects' folders too): ``didChangeWorkspaceFolders`` changes them before any
other feature hears of it, then the sections are pulled again. Untrusted is sticky: once
any of them said ``"trusted": false``, the workspace stays untrusted for the life of the
server, whatever later sections leave out, until one says ``"trusted": true``. Project files
are read from worker threads and cached per directory until the configuration or a
``pyproject.toml`` changes (one saved, or reported changed by the client's file watcher,
re-lints every open document; one changed unseen is noticed at the next lint of a file it
governs).
Each distinct problem in either is shown to the user once, as a warning.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import to_fs_path

from mockls.config import (
    PYPROJECT,
    LoadedSettings,
    Settings,
    apply_editor_settings,
    editor_trust,
    load_project_settings,
)
from mockls.lsp.phases import Phase
from mockls.workspace import innermost_folder

if TYPE_CHECKING:
    from mockls.lsp.client_support import ClientSupport
    from mockls.lsp.feature_host import FeatureHost

__all__ = ["SECTION", "FileSettings", "SettingsProvider", "editor_section", "setup_settings"]

log = logging.getLogger(__name__)

SECTION = "mockls"
"""The editor settings section (``workspace/configuration`` section, ``settings`` key)."""

CONFIGURATION_PULL_TIMEOUT = 10.0
"""Seconds to wait for the client's answer to ``workspace/configuration`` before going on."""


_NO_PROJECT = LoadedSettings(Settings(), None)


@dataclass(frozen=True, slots=True)
class FileSettings:
    """The settings that apply to one file, and the path ``per-file-ignores`` match against."""

    settings: Settings
    relative_path: str
    """Posix path relative to the config root (else the workspace root); '' when unknown."""
    root: Path | None
    """The directory relative paths are taken from, when there is one."""
    problems: tuple[str, ...] = ()


def editor_section(value: object) -> object:
    """The ``mockls`` section of editor settings sent bare or wrapped as ``{"mockls": ...}``."""
    if isinstance(value, Mapping) and SECTION in value:
        return value[SECTION]
    return value


class SettingsProvider:
    """Works out :class:`FileSettings` per document; safe to use from worker threads."""

    def __init__(self, load_project: Callable[[Path], LoadedSettings] = load_project_settings):
        self._load_project = load_project
        self._lock = threading.Lock()
        self._folders: tuple[Path, ...] = ()
        self._editor: object = None
        """The editor's section for files outside every folder (and folders without their own)."""
        self._folder_editor: dict[Path, object] = {}
        self._untrusted = False
        self._projects: dict[Path, tuple[LoadedSettings, _FileStamp]] = {}
        self._generation = 0

    @property
    def generation(self) -> int:
        """Grows whenever settings may have changed; results of older ones are stale."""
        return self._generation

    @property
    def workspace_root(self) -> Path | None:
        """The (first) folder the client opened, if any."""
        return self._folders[0] if self._folders else None

    @property
    def workspace_folders(self) -> tuple[Path, ...]:
        """The folders the client opened, the first one first."""
        return self._folders

    def change_workspace_folders(self, added: Iterable[Path], removed: Iterable[Path]) -> None:
        """Follow ``workspace/didChangeWorkspaceFolders``."""
        gone = set(removed)
        kept = [folder for folder in self._folders if folder not in gone]
        self.set_workspace_folders([*kept, *added])

    def set_workspace_folders(self, folders: Iterable[Path]) -> None:
        """The folders the client opened; documents outside all of them use the first."""
        with self._lock:
            self._folders = tuple(dict.fromkeys(folders))
            self._folder_editor = {
                folder: editor
                for folder, editor in self._folder_editor.items()
                if folder in self._folders
            }
            self._forget()

    @property
    def untrusted(self) -> bool:
        """Whether the editor said the workspace is not trusted (and has not said since that
        it is)."""
        return self._untrusted

    def set_editor_settings(self, editor: object, folder: Path | None = None) -> None:
        """Lay the editor's ``mockls`` section over the settings of ``folder``'s files (by
        default: of every file without a folder's own section). Only an explicit
        ``"trusted"`` in it changes the workspace's trust, for every folder."""
        with self._lock:
            trusted = editor_trust(editor)
            if trusted is not None:
                self._untrusted = not trusted
            if folder is None:
                self._editor = editor
            else:
                self._folder_editor[folder] = editor
            self._forget()

    def folder_of(self, path: Path | None) -> Path | None:
        """The innermost workspace folder holding ``path``, if any."""
        return None if path is None else innermost_folder(self._folders, path)

    def reload_projects(self) -> None:
        """Read the ``pyproject.toml`` files again when next needed."""
        with self._lock:
            self._forget()

    def for_path(self, path: Path | None) -> FileSettings:
        """The settings for the file at ``path`` (``None`` for an unsaved buffer)."""
        folder = self.folder_of(path) or self.workspace_root
        directory = path.parent if path is not None else folder
        loaded = self._project(directory) if directory is not None else _NO_PROJECT
        with self._lock:
            editor = self._folder_editor.get(folder, self._editor) if folder else self._editor
        settings, editor_problems = apply_editor_settings(loaded.settings, editor)
        if self._untrusted:
            settings = settings.untrusted()
        root = loaded.root or folder
        return FileSettings(
            settings=settings,
            relative_path=_relative_path(path, (loaded.root, folder)),
            root=root,
            problems=(*loaded.problems, *editor_problems),
        )

    def _project(self, directory: Path) -> LoadedSettings:
        """The directory's project settings, read again when its ``pyproject.toml`` changed.

        Editors rarely tell a server about files it does not lint, so each lookup compares
        the file's size and modification time with those it had when it was read.
        """
        with self._lock:
            cached = self._projects.get(directory)
        if cached is not None and _stamp(cached[0].root) == cached[1]:
            return cached[0]
        try:
            loaded = self._load_project(directory)
        except Exception:
            # Loading is documented never to raise; a bug there must not stop the linting.
            log.exception("loading the settings for %s failed; using the defaults", directory)
            loaded = _NO_PROJECT
        with self._lock:
            self._projects[directory] = (loaded, _stamp(loaded.root))
        return loaded

    def _forget(self) -> None:
        self._projects.clear()
        self._generation += 1


_FileStamp = tuple[int, int] | None


def _stamp(root: Path | None) -> _FileStamp:
    """The modification time and size of the ``pyproject.toml`` in ``root``, if any."""
    if root is None:
        return None
    try:
        status = (root / PYPROJECT).stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


class ProblemReporter:
    """Shows each distinct settings problem to the user once."""

    def __init__(self, show: Callable[[str], None]) -> None:
        self._show = show
        self._shown: set[str] = set()

    def report(self, problems: Iterable[str]) -> None:
        """Show the problems not shown before."""
        for problem in problems:
            if problem not in self._shown:
                self._shown.add(problem)
                self._show(problem)


def setup_settings(
    host: FeatureHost,
    *,
    settings: SettingsProvider,
    ready: asyncio.Event,
    relint_all: Callable[[], None],
    client_support: Callable[[], ClientSupport],
) -> None:
    """Wire ``settings`` to the client's configuration: ``ready`` is set once the editor's
    settings are known (or cannot be had); every open document is linted again
    (``relint_all``) when they change."""

    def initialize(params: types.InitializeParams) -> None:
        settings.set_workspace_folders(_workspace_folders(params))
        if params.initialization_options is not None:
            settings.set_editor_settings(editor_section(params.initialization_options))

    async def initialized(_params: types.InitializedParams) -> None:
        try:
            if client_support().configuration_pull:
                await _pull_configuration(host, settings)
        finally:
            ready.set()

    async def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        if client_support().configuration_pull:
            await _pull_configuration(host, settings)
        elif isinstance(params.settings, Mapping) and params.settings.get(SECTION) is not None:
            settings.set_editor_settings(params.settings[SECTION])
        else:
            return
        relint_all()

    def project_files_changed(uris: Iterable[str]) -> None:
        if any(uri.rsplit("/", 1)[-1] == PYPROJECT for uri in uris):
            settings.reload_projects()
            relint_all()

    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        project_files_changed([params.text_document.uri])

    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        project_files_changed(change.uri for change in params.changes)

    def change_folders(params: types.DidChangeWorkspaceFoldersParams) -> None:
        settings.change_workspace_folders(
            _folder_paths(folder.uri for folder in params.event.added),
            _folder_paths(folder.uri for folder in params.event.removed),
        )

    async def pull_new_folders(_params: types.DidChangeWorkspaceFoldersParams) -> None:
        if client_support().configuration_pull:
            await _pull_configuration(host, settings)
        relint_all()

    host.on_initialize(initialize)
    host.on_notification(types.INITIALIZED, initialized)
    # The folders are state every feature reads: changed before the others hear of it.
    host.on_notification(
        types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS, change_folders, phase=Phase.STATE
    )
    host.on_notification(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS, pull_new_folders)
    host.on_notification(types.WORKSPACE_DID_CHANGE_CONFIGURATION, did_change_configuration)
    host.on_notification(types.TEXT_DOCUMENT_DID_SAVE, did_save)
    host.on_notification(types.WORKSPACE_DID_CHANGE_WATCHED_FILES, did_change_watched_files)


async def _pull_configuration(host: FeatureHost, settings: SettingsProvider) -> None:
    """Ask for the ``mockls`` section of each workspace folder (one unscoped when none)."""
    folders: tuple[Path | None, ...] = settings.workspace_folders or (None,)
    items = [
        types.ConfigurationItem(
            section=SECTION, scope_uri=folder.as_uri() if folder is not None else None
        )
        for folder in folders
    ]
    try:
        answer = await asyncio.wait_for(
            host.workspace_configuration_async(types.ConfigurationParams(items=items)),
            CONFIGURATION_PULL_TIMEOUT,
        )
    except asyncio.CancelledError:
        raise
    except Exception:
        log.warning("the client did not give its %r settings; keeping the current ones", SECTION)
        return
    # One answer per item; pygls hands the JSON array over as a tuple.
    if not isinstance(answer, (list, tuple)):
        return
    for index, (folder, section) in enumerate(zip(folders, answer, strict=False)):
        if section is None:
            continue
        if index == 0:
            settings.set_editor_settings(section)  # files outside every folder too
        if folder is not None:
            settings.set_editor_settings(section, folder)


def _workspace_folders(params: types.InitializeParams) -> list[Path]:
    """The folders of the workspace, the root (``rootUri``, else the first folder) first."""
    uris = [folder.uri for folder in params.workspace_folders or ()]
    if params.root_uri:
        uris.insert(0, params.root_uri)
    folders = _folder_paths(uris)
    if not folders and params.root_path:
        folders.append(Path(params.root_path))
    return folders


def _folder_paths(uris: Iterable[str]) -> list[Path]:
    return [Path(path) for path in (_fs_path(uri) for uri in uris) if path]


def _fs_path(uri: str) -> str | None:
    return to_fs_path(uri) if uri.startswith("file:") else None


def _relative_path(path: Path | None, roots: tuple[Path | None, ...]) -> str:
    if path is None:
        return ""
    for root in roots:
        if root is None:
            continue
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            continue
    return path.name

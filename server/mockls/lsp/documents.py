"""The documents the client has open: their text and version, kept in sync with its edits.

The server keeps its own copy rather than pygls's so that lines break exactly where the
protocol and Python's tokenizer break them (``\\r\\n``, ``\\r``, ``\\n``), and so that every
reader gets an immutable :class:`DocumentSnapshot` it can hand to a worker thread. Each
version owns its :class:`~mockls.analysis.snapshot.ModuleSnapshot`: every feature reads the
same parse, model and line index of it, and they go with the version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pygls.uris import to_fs_path

from mockls.analysis.snapshot import ModuleSnapshot, ModuleWorkspace
from mockls.lsp.positions import ClientColumns

__all__ = [
    "PYTHON_SUFFIXES",
    "ContentChange",
    "DocumentSnapshot",
    "DocumentStore",
    "apply_content_changes",
    "file_path",
]

PYTHON_SUFFIXES = (".py", ".pyi")


@dataclass(frozen=True, slots=True)
class DocumentSnapshot:
    """One version of an open document."""

    uri: str
    version: int
    text: str
    language_id: str
    path: Path | None
    """The file behind the document, or ``None`` for an unsaved buffer or a non-file URI."""
    find_workspace: Callable[[], ModuleWorkspace | None] | None = field(
        default=None, compare=False, repr=False
    )
    """The document's project as its analysis reads it, once that is scanned."""
    module: ModuleSnapshot = field(init=False, compare=False, repr=False)
    """The text's analysis, computed once per version for every feature."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "module", ModuleSnapshot(self.text, self.find_workspace))

    def columns(self, encoding: str) -> ClientColumns:
        """The conversion of this version's columns to and from the client's ``encoding``."""
        return ClientColumns(self.module.lines, encoding)

    @property
    def is_python(self) -> bool:
        """Whether mockls should lint this document."""
        if self.language_id == "python":
            return True
        return self.path is not None and self.path.suffix in PYTHON_SUFFIXES


@dataclass(frozen=True, slots=True)
class ContentChange:
    """One edit from ``didChange``: replace a client range, or (``start`` None) the whole text.

    ``start`` and ``end`` are ``(line, character)`` in the client's code units.
    """

    text: str
    start: tuple[int, int] | None = None
    end: tuple[int, int] | None = None


def apply_content_changes(text: str, changes: Iterable[ContentChange], encoding: str) -> str:
    """``text`` after each change in turn (each one's range refers to the text before it)."""
    for change in changes:
        if change.start is None or change.end is None:
            text = change.text
            continue
        columns = ClientColumns.of(text, encoding)
        start = columns.lines.offset(columns.from_client(*change.start))
        end = columns.lines.offset(columns.from_client(*change.end))
        if end < start:
            start, end = end, start
        text = text[:start] + change.text + text[end:]
    return text


class DocumentStore:
    """The open documents by URI. Used from the event loop only."""

    def __init__(
        self, workspace_of: Callable[[Path | None], ModuleWorkspace | None] | None = None
    ) -> None:
        self._documents: dict[str, DocumentSnapshot] = {}
        self._workspace_of = workspace_of or (lambda _path: None)
        """The project a document's analysis reads, once it is scanned."""

    def open(self, uri: str, version: int, text: str, language_id: str) -> DocumentSnapshot:
        """Record a document the client opened (or re-opened)."""
        path = file_path(uri)
        snapshot = DocumentSnapshot(
            uri, version, text, language_id, path, lambda: self._workspace_of(path)
        )
        self._documents[uri] = snapshot
        return snapshot

    def change(
        self, uri: str, version: int, changes: Iterable[ContentChange], encoding: str
    ) -> DocumentSnapshot | None:
        """Apply the client's edits; ``None`` when the document is not open."""
        current = self._documents.get(uri)
        if current is None:
            return None
        text = apply_content_changes(current.text, changes, encoding)
        snapshot = replace(current, version=version, text=text)
        self._documents[uri] = snapshot
        return snapshot

    def close(self, uri: str) -> DocumentSnapshot | None:
        """Forget a document; the snapshot it had, or ``None`` when it was not open."""
        return self._documents.pop(uri, None)

    def get(self, uri: str) -> DocumentSnapshot | None:
        """The current snapshot of an open document."""
        return self._documents.get(uri)

    def all(self) -> list[DocumentSnapshot]:
        """Every open document."""
        return list(self._documents.values())


def file_path(uri: str) -> Path | None:
    """The filesystem path of a ``file:`` URI; ``None`` for other schemes or a malformed URI."""
    if not uri.startswith("file:"):
        return None
    try:
        path = to_fs_path(uri)
    except (ValueError, IndexError):
        return None
    return Path(path) if path else None

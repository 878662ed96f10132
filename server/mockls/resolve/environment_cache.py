"""What jedi said about the user's environment, kept on disk between runs and processes.

Resolving a target outside the workspace costs jedi tens to hundreds of milliseconds (and
reading the file that defines it, more); the same targets come back in every run of
``mockls check``, every start of the server and every process of a parallel check. The
:class:`EnvironmentCache` of one (interpreter, workspace) keeps each answer in an append-only
file under ``$MOCKLS_CACHE_DIR`` (default ``$XDG_CACHE_HOME/mockls/environments``, that is
``~/.cache/mockls/environments``), which may be deleted at any time.

An answer is used again only while what it was read from is unchanged: the file starts with
jedi's version, the modification times of mockls's own sources, of the interpreter and of
every ``sys.path`` directory (installing or removing a package changes its directory), and
each answer carries those of the files it was read from (the definition's source). Anything
else — another mockls or jedi, an unreadable or truncated file — starts the file over.
Several processes may append at once: each record is one ``write`` to a file opened for
appending, and a process reads the file once, when it first needs it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import struct
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO, cast

__all__ = ["EnvironmentCache", "cache_directory"]

log = logging.getLogger(__name__)

_FORMAT = 1
_LENGTH = struct.Struct(">I")

Key = tuple[str, str]
"""(what was asked, of what): ``("resolve", "os.getcwd")``, ``("complete", "os")``."""
Stamps = tuple[tuple[str, int], ...]
"""Paths with their modification time in nanoseconds (-1: missing)."""


def cache_directory() -> Path:
    """Where the caches of every environment are kept."""
    configured = os.environ.get("MOCKLS_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mockls" / "environments"


def stamps(paths: Iterable[str]) -> Stamps:
    """The modification times of ``paths`` (sorted, without duplicates)."""
    found = []
    for path in sorted(set(paths)):
        try:
            found.append((path, os.stat(path).st_mtime_ns))
        except OSError:
            found.append((path, -1))
    return tuple(found)


def _valid(recorded: Stamps) -> bool:
    return stamps(path for path, _ in recorded) == recorded


def _current(header: object) -> bool:
    """Whether a file's header was written by this code for the environment as it is now."""
    if not (isinstance(header, tuple) and len(header) == 2):
        return False
    code, environment = header
    return code == _code_identity() and _valid(environment)


@functools.cache
def _code_identity() -> tuple[str, Stamps]:
    """The code that makes the answers: jedi's version and mockls's own source files (an
    answer of another mockls, even one edited in a checkout, is not used)."""
    from importlib import metadata  # noqa: PLC0415 (slow to import; needed once per process)

    try:
        jedi = metadata.version("jedi")
    except metadata.PackageNotFoundError:
        jedi = ""
    package = Path(__file__).resolve().parent.parent
    return jedi, stamps(str(source) for source in package.rglob("*.py"))


class EnvironmentCache:
    """The answers kept for one interpreter and workspace root; not thread-safe (the
    environment resolver holds its lock around every use)."""

    def __init__(
        self,
        interpreter: str,
        root: Path | None,
        directory: Path | None = None,
        *,
        runs_interpreter: bool = True,
    ):
        self._interpreter = interpreter
        self._root = root
        self._directory = directory
        self._runs_interpreter = runs_interpreter
        """Whether jedi runs the interpreter or only reads its packages: the answers differ."""
        self._answers: dict[Key, tuple[object, Stamps]] | None = None
        self._started = False
        """Whether this process's records may be appended (the file's header is current)."""
        self._damaged = False
        """Whether the file ended in the middle of a record: appending after it would be lost."""

    @functools.cached_property
    def path(self) -> Path:
        """The file of this interpreter, root and way of reading the environment (worked out
        when first needed: constructing a cache costs nothing)."""
        identity = (
            _FORMAT,
            os.path.realpath(self._interpreter),
            str(self._root),
            self._runs_interpreter,
        )
        name = hashlib.sha256(repr(identity).encode()).hexdigest()[:32]
        return (self._directory or cache_directory()) / f"{name}.cache"

    def get(self, key: Key) -> tuple[bool, object]:
        """``(True, answer)`` when an answer is kept and still valid, else ``(False, None)``."""
        if self._answers is None:
            self._answers = self._load()
        kept = self._answers.get(key)
        if kept is None:
            return False, None
        answer, files = kept
        if not _valid(files):
            del self._answers[key]
            return False, None
        return True, answer

    def put(self, key: Key, answer: object, files: Iterable[str], sys_path: list[str]) -> None:
        """Keep ``answer``, valid while ``files`` and the directories of ``sys_path`` stay."""
        if self._answers is None:
            self._answers = self._load()
        recorded = stamps(files)
        self._answers[key] = (answer, recorded)
        try:
            if not self._started:
                self._start(sys_path)
            record = pickle.dumps((key, answer, recorded), protocol=pickle.HIGHEST_PROTOCOL)
            with self.path.open("ab") as stream:
                stream.write(_LENGTH.pack(len(record)) + record)
        except (OSError, pickle.PicklingError) as error:
            log.debug("cannot keep %r in %s: %s", key, self.path, error)

    def _header(self, sys_path: list[str]) -> tuple[tuple[str, Stamps], Stamps]:
        return _code_identity(), stamps([self._interpreter, *sys_path])

    def _start(self, sys_path: list[str]) -> None:
        """Starts the file over unless it was written for the same environment."""
        header = self._header(sys_path)
        if self._damaged or not (self.path.is_file() and self._read_header() == header):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            scratch = self.path.with_suffix(f".{os.getpid()}.tmp")
            record = pickle.dumps(header, protocol=pickle.HIGHEST_PROTOCOL)
            scratch.write_bytes(_LENGTH.pack(len(record)) + record)
            os.replace(scratch, self.path)
            self._damaged = False
        self._started = True

    def _read_header(self) -> object:
        try:
            with self.path.open("rb") as stream:
                return _read_record(stream.read(_LENGTH.size), stream)
        except (OSError, ValueError):
            return None

    def _load(self) -> dict[Key, tuple[object, Stamps]]:
        """The answers in the file, when its environment has not changed since."""
        answers: dict[Key, tuple[object, Stamps]] = {}
        try:
            with self.path.open("rb") as stream:
                header = _read_record(stream.read(_LENGTH.size), stream)
                if not _current(header):
                    return answers
                while prefix := stream.read(_LENGTH.size):
                    key, answer, files = cast(
                        tuple[Key, object, Stamps], _read_record(prefix, stream)
                    )
                    answers[key] = (answer, files)
        except FileNotFoundError:
            pass
        except Exception as error:  # a truncated or foreign file: what was read stands
            log.debug("reading %s stopped: %s", self.path, error)
            self._damaged = True
        self._started = bool(answers) and not self._damaged
        return answers


def _read_record(prefix: bytes, stream: BinaryIO) -> object:
    if len(prefix) != _LENGTH.size:
        raise ValueError("truncated record")
    (length,) = _LENGTH.unpack(prefix)
    data = stream.read(length)
    if len(data) != length:
        raise ValueError("truncated record")
    return pickle.loads(data)  # the user's own cache directory, written by mockls

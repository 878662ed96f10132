"""Finding the Python files ``mockls check`` reads, and reading them as text.

Directories are walked in sorted order without following symbolic links, skipping
:data:`SKIPPED_DIRECTORIES` and the paths matched by the ``exclude`` patterns of the config.
Those patterns use the ``.gitignore`` syntax; what is supported is listed on
:class:`ExcludePattern`.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import stat
import tokenize
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MAX_SOURCE_CHARACTERS",
    "SKIPPED_DIRECTORIES",
    "ExcludePattern",
    "PathExcluder",
    "SourceError",
    "decode_source",
    "is_dir",
    "is_file",
    "read_source",
    "read_source_bytes",
    "source_encoding",
    "too_large",
    "too_large_file",
    "walk_python_files",
]

SKIPPED_DIRECTORIES: frozenset[str] = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".eggs",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "__pycache__",
        "node_modules",
    }
)
"""Directory names never walked into (a directory given explicitly is still walked).

Virtual environments under any other name are recognised by their ``pyvenv.cfg`` and skipped too.
"""


@dataclass(frozen=True, slots=True)
class ExcludePattern:
    """One ``.gitignore``-style pattern, matched against paths relative to the project root.

    Supported, as in git:

    - ``*`` matches anything but ``/``, ``?`` one character but ``/``, ``[abc]``/``[!a-z]`` a
      character class; a backslash makes the next character literal;
    - a pattern with no ``/`` but a trailing one matches a name at any depth (``*.py``,
      ``build``); one with a ``/`` at the start or in the middle is anchored at the root
      (``/build``, ``docs/*.py``);
    - a trailing ``/`` matches directories only (``fixtures/``);
    - ``**/`` at the start matches in every directory, ``/**`` at the end everything inside,
      ``/**/`` zero or more directories; ``**`` elsewhere acts like ``*``;
    - ``!`` at the start re-includes what an earlier pattern excluded; as in git, a file inside
      an excluded directory cannot be re-included;
    - blank patterns and patterns starting with ``#`` are ignored; trailing spaces are dropped.
    """

    text: str
    regex: re.Pattern[str]
    negated: bool
    directories_only: bool

    @classmethod
    def parse(cls, text: str) -> ExcludePattern | None:
        """The compiled pattern, or ``None`` for a blank line or a comment."""
        line = text.rstrip(" ")
        if line.endswith("\\"):  # "foo\ " keeps its escaped trailing space
            line += " "
        if not line or line.startswith("#"):
            return None
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        directories_only = line.endswith("/")
        line = line.rstrip("/")
        anchored = "/" in line
        line = line.lstrip("/")
        if not line:
            return None
        prefix = "" if anchored else "(?:.*/)?"
        try:
            regex = re.compile(prefix + _translate_path(line.split("/")), re.DOTALL)
        except re.error:  # e.g. a reversed range "[z-a]": take the pattern literally
            regex = re.compile(prefix + re.escape(line), re.DOTALL)
        return cls(text, regex, negated, directories_only)

    def matches(self, relative_path: str, is_directory: bool) -> bool:
        """Whether the pattern matches ``relative_path`` (posix, relative to the root) itself."""
        if self.directories_only and not is_directory:
            return False
        return self.regex.fullmatch(relative_path) is not None


class PathExcluder:
    """Decides which paths the ``exclude`` patterns of one project leave out of a walk."""

    def __init__(self, patterns: Iterable[str], root: Path | None) -> None:
        self._patterns = tuple(
            pattern for pattern in map(ExcludePattern.parse, patterns) if pattern is not None
        )
        self._root = root

    def excludes(self, path: Path, is_directory: bool) -> bool:
        """Whether ``path`` (absolute) or one of its directories below the root is excluded.

        Paths outside the root are never excluded.
        """
        relative = self._relative(path)
        if relative is None:
            return False
        parts = relative.split("/")
        for depth in range(1, len(parts)):
            if self._matches("/".join(parts[:depth]), is_directory=True):
                return True
        return self._matches(relative, is_directory)

    def excludes_entry(self, path: Path, is_directory: bool) -> bool:
        """Like :meth:`excludes` for a walk that already pruned the excluded directories."""
        relative = self._relative(path)
        return relative is not None and self._matches(relative, is_directory)

    def _relative(self, path: Path) -> str | None:
        if not self._patterns or self._root is None:
            return None
        try:
            relative = path.relative_to(self._root).as_posix()
        except ValueError:
            return None
        return None if relative == "." else relative

    def _matches(self, relative: str, is_directory: bool) -> bool:
        excluded = False
        for pattern in self._patterns:
            if pattern.negated == excluded and pattern.matches(relative, is_directory):
                excluded = not pattern.negated
        return excluded


MAX_SOURCE_CHARACTERS = 4 << 20
"""The largest text analysed (4 Mi characters, about 100,000 lines): a larger one (generated
code, a data dump) gets a message instead of findings, so that it cannot hold up the rest.
The linter's front ends, the navigation and the workspace index all refuse it."""


def too_large(text: str) -> str | None:
    """Why ``text`` is not analysed, or ``None`` when it is."""
    if len(text) <= MAX_SOURCE_CHARACTERS:
        return None
    return f"{len(text):,} characters, over the limit of {MAX_SOURCE_CHARACTERS:,}: not analysed"


def too_large_file(path: Path) -> str | None:
    """Why the file at ``path`` is not even read, or ``None`` (also when it cannot be told).

    A character takes at most four bytes in any source encoding Python reads, so a file of
    more than four bytes per character of the limit holds a text over it: refused by its size,
    without reading megabytes only to throw them away. (A smaller file over the limit is read,
    then refused by :func:`too_large`.)
    """
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size <= 4 * MAX_SOURCE_CHARACTERS:
        return None
    return f"{size:,} bytes, over the limit of {MAX_SOURCE_CHARACTERS:,} characters: not analysed"


def is_file(path: Path) -> bool:
    """Whether ``path`` is a regular file; ``False`` when it cannot be told (a directory on
    the way without search permission), where :meth:`Path.is_file` raises."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def is_dir(path: Path) -> bool:
    """Whether ``path`` is a directory; ``False`` when it cannot be told (see :func:`is_file`)."""
    try:
        return stat.S_ISDIR(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def walk_python_files(
    top: Path,
    excluded: Callable[[Path, bool], bool],
    on_error: Callable[[Path, OSError], None],
) -> Iterator[Path]:
    """The ``*.py`` files below the directory ``top``, in sorted order.

    ``excluded(path, is_directory)`` is asked about every entry below ``top`` (not ``top``
    itself); an excluded directory is not entered. Symbolic links to directories are not
    followed. A directory that cannot be listed is passed to ``on_error``.
    """

    def report(error: OSError) -> None:
        on_error(Path(error.filename) if error.filename else top, error)

    for directory, subdirectories, files in os.walk(top, onerror=report):
        here = Path(directory)
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if name not in SKIPPED_DIRECTORIES
            and not excluded(here / name, True)
            and not is_file(here / name / "pyvenv.cfg")
        )
        for name in sorted(files):
            if name.endswith(".py") and not excluded(here / name, False):
                yield here / name


class SourceError(Exception):
    """A file that cannot be read, or whose bytes are not Python source text."""

    def __init__(self, reason: str, *, decoding: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.decoding = decoding

    def describe(self, display_path: str) -> str:
        """A one-line message about the file shown as ``display_path``."""
        if self.decoding:
            return f"cannot decode {display_path}: not a Python source file ({self.reason})"
        return f"cannot read {display_path}: {self.reason}"


def read_source(path: Path) -> str:
    """The text of the Python file at ``path``, decoded as Python does it.

    Honours a UTF-8 byte order mark and a PEP 263 coding cookie (default UTF-8). Raises
    :class:`SourceError` when the file is not a regular file or cannot be read, holds NUL
    bytes, or does not decode.
    """
    return decode_source(read_source_bytes(path))


def read_source_bytes(path: Path) -> bytes:
    """The bytes of the regular file at ``path``; :class:`SourceError` when it cannot be read."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO or a device would block or never end
            raise SourceError("not a regular file", decoding=False)
        return path.read_bytes()
    except OSError as error:
        reason = _os_reason(error)
        if isinstance(error, FileNotFoundError) and path.is_symlink():
            reason = "a broken symbolic link"
        raise SourceError(reason, decoding=False) from error


def decode_source(data: bytes) -> str:
    """The text of Python source ``data`` (:func:`read_source`'s decoding)."""
    if b"\0" in data:
        raise SourceError("it contains NUL bytes", decoding=True)
    encoding = source_encoding(data)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceError(f"invalid {encoding} bytes on line {line}", decoding=True) from error
    except LookupError as error:  # a cookie naming a codec this Python lacks
        raise SourceError(f"unknown encoding {encoding!r}", decoding=True) from error


def source_encoding(data: bytes) -> str:
    """The codec Python reads ``data`` with: ``utf-8-sig`` after a byte order mark (encoding
    with it writes the mark back), the coding cookie's, else ``utf-8``."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        if "invalid or missing encoding declaration" not in str(error.msg):
            # An unknown codec in the cookie, or a BOM with a cookie that is not UTF-8.
            raise SourceError(str(error.msg), decoding=True) from error
        encoding = "utf-8"  # the first lines are not UTF-8: decoding says where
    return encoding


def _os_reason(error: OSError) -> str:
    reasons = {
        FileNotFoundError: "no such file",
        IsADirectoryError: "it is a directory",
        PermissionError: "permission denied",
    }
    return reasons.get(type(error)) or error.strerror or type(error).__name__


def _translate_path(segments: list[str]) -> str:
    """The regex for a pattern's ``/``-separated segments (the ``**`` rules of git)."""
    regex = ""
    last = len(segments) - 1
    after_double_star = False
    groups = itertools.count()
    for index, segment in enumerate(segments):
        if segment == "**":
            if index == last:
                regex += ".*" if index == 0 else "/.+"
            else:
                regex += "(?:.*/)?" if index == 0 else "/(?:.*/)?"
            after_double_star = True
            continue
        if index > 0 and not after_double_star:
            regex += "/"
        regex += _translate_segment(segment, groups)
        after_double_star = False
    return regex


def _translate_segment(segment: str, groups: Iterator[int]) -> str:
    """The regex for one path segment: ``*``, ``?``, ``[...]`` and ``\\`` escapes.

    As in :func:`fnmatch.translate`, the text between two ``*`` is matched at its first
    place, never tried again (an atomic group, made of a lookahead and a backreference):
    ``*a*a*a*a*b`` on a long name takes linear time, not exponential.
    """
    pieces: list[list[str]] = [[]]
    index = 0
    while index < len(segment):
        char = segment[index]
        index += 1
        if char == "*":
            while index < len(segment) and segment[index] == "*":
                index += 1
            pieces.append([])
        elif char == "?":
            pieces[-1].append("[^/]")
        elif char == "\\" and index < len(segment):
            pieces[-1].append(re.escape(segment[index]))
            index += 1
        elif char == "[":
            end = _class_end(segment, index)
            if end is None:
                pieces[-1].append(re.escape(char))
            else:
                pieces[-1].append(_translate_class(segment[index:end]))
                index = end + 1
        else:
            pieces[-1].append(re.escape(char))
    regex = "".join(pieces[0])
    for middle in pieces[1:-1]:
        group = f"star{next(groups)}"
        regex += f"(?=(?P<{group}>[^/]*?{''.join(middle)}))(?P={group})"
    if len(pieces) > 1:
        regex += "[^/]*" + "".join(pieces[-1])
    return regex


def _class_end(segment: str, start: int) -> int | None:
    """The index of the ``]`` closing a class whose contents begin at ``start``."""
    index = start
    if index < len(segment) and segment[index] in "!^":
        index += 1
    if index < len(segment) and segment[index] == "]":
        index += 1  # a leading ']' is a member, not the end
    while index < len(segment):
        if segment[index] == "\\":
            index += 2
            continue
        if segment[index] == "]":
            return index
        index += 1
    return None


def _translate_class(contents: str) -> str:
    negated = contents[:1] in ("!", "^")
    if negated:
        contents = contents[1:]
    members: list[str] = []
    index = 0
    while index < len(contents):
        char = contents[index]
        if char == "\\" and index + 1 < len(contents):
            members.append(re.escape(contents[index + 1]))
            index += 2
        elif char == "-" and members and index + 1 < len(contents):
            members.append("-")
            index += 1
        else:
            members.append(re.escape(char))
            index += 1
    body = "".join(members)
    # A class never matches '/', as in git.
    return f"[^/{body}]" if negated else f"(?!/)[{body}]"

"""Settings: one typed, defaulted tree, from defaults <- pyproject ``[tool.mockls]`` <- editor.

Loading never raises: every invalid value becomes one message in ``problems`` (naming the file
and the key) and the default is used for that key; a file that is not valid TOML gives one
message and the default settings. docs/configuration.md documents every key.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from mockls.files import is_dir, is_file
from mockls.findings import Severity
from mockls.rules import RULES_BY_CODE

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "PYPROJECT",
    "LoadedSettings",
    "ProjectRoots",
    "ProjectSettingsFinder",
    "Settings",
    "apply_editor_settings",
    "editor_trust",
    "load_project_settings",
    "load_settings_file",
    "parse_override",
    "with_overrides",
]

PYPROJECT = "pyproject.toml"
"""The file whose ``[tool.mockls]`` table configures a project."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What the user configured; every field has a working default."""

    select: frozenset[str] | None = None
    """Rule codes to run; ``None`` runs every rule."""

    ignore: frozenset[str] = frozenset()
    """Rule codes never to run (applied after ``select``)."""

    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    """``(glob, codes)`` pairs: codes ignored in files whose workspace-relative path matches."""

    exclude: tuple[str, ...] = ()
    """``.gitignore``-style patterns of paths ``mockls check`` does not walk into."""

    severity: Mapping[str, Severity] = field(default_factory=dict)
    """Per-code severity overrides."""

    sandbox: bool = True
    """Whether the sandbox may run user code (only ever in a trusted workspace)."""

    python: str | None = None
    """The interpreter for the sandbox and for resolving targets; ``None`` finds one."""

    trusted: bool = True
    """``False`` once the editor said the workspace is not trusted: nothing of it runs, not
    the sandbox, not its interpreter. Only the editor sets it; a project file cannot."""

    def untrusted(self) -> Settings:
        """These settings in a workspace the editor does not trust."""
        return replace(self, sandbox=False, trusted=False)

    source_roots: tuple[str, ...] = ()
    """Directories (relative to the project root) holding top-level modules, searched before
    the ones the project's packaging and pytest settings declare, ``src`` and the root."""

    def enabled_codes(self, all_codes: frozenset[str], relative_path: str) -> frozenset[str]:
        """The codes to run on the file at ``relative_path`` (posix, relative to the root)."""
        codes = all_codes if self.select is None else all_codes & self.select
        codes -= self.ignore
        path = PurePosixPath(relative_path)
        for pattern, ignored in self.per_file_ignores:
            if path.match(pattern) or fnmatch.fnmatch(relative_path, pattern):
                codes -= ignored
        return codes

    def severity_for(self, code: str, default: Severity) -> Severity:
        """The severity to report ``code`` with."""
        return self.severity.get(code, default)


@dataclass(frozen=True, slots=True)
class LoadedSettings:
    """Settings read from a project, with where they came from and what was wrong in them.

    ``root`` is the directory of the ``pyproject.toml`` that was read (``None`` when there was
    none); relative paths in the settings (``per-file-ignores``, ``exclude``) are relative to
    it. ``problems`` holds one readable message per invalid value; the settings then hold the
    default for that key.
    """

    settings: Settings
    root: Path | None
    problems: tuple[str, ...] = ()


_DEFAULTS = Settings()

_KNOWN_KEYS = (
    "select",
    "ignore",
    "per-file-ignores",
    "exclude",
    "severity",
    "sandbox",
    "python",
    "source-roots",
)

_SEVERITY_NAMES = tuple(severity.value for severity in Severity)


def load_project_settings(start: Path) -> LoadedSettings:
    """The settings of the project that ``start`` (a file or a directory) belongs to.

    Walks up from ``start`` to the nearest ``pyproject.toml`` and stops at the first one found,
    whether or not it has a ``[tool.mockls]`` table; its directory is the root. Without one,
    the defaults apply and ``root`` is ``None``.
    """
    directory = _absolute(start)
    if not is_dir(directory):
        directory = directory.parent
    root = ProjectRoots().root_of(directory)
    return LoadedSettings(_DEFAULTS, None) if root is None else load_settings_file(root / PYPROJECT)


class ProjectRoots:
    """The project root governing each directory: that of the nearest ``pyproject.toml`` at
    or above it (``None``: there is none). Each directory is walked once; thread-safe.

    The one place mockls looks for a project's root: the settings, ``mockls check``'s
    projects and the server's projects for files outside every folder all read it.
    """

    def __init__(self) -> None:
        self._known: dict[Path, Path | None] = {}
        self._lock = threading.Lock()

    def root_of(self, directory: Path) -> Path | None:
        """The root governing the (absolute) ``directory``."""
        walked: list[Path] = []
        root: Path | None = None
        with self._lock:
            known = dict(self._known)
        for candidate in (directory, *directory.parents):
            if candidate in known:
                root = known[candidate]
                break
            walked.append(candidate)
            if is_file(candidate / PYPROJECT):
                root = candidate
                break
        with self._lock:
            self._known.update(dict.fromkeys(walked, root))
        return root


def load_settings_file(path: Path) -> LoadedSettings:
    """The settings in the ``[tool.mockls]`` table of the TOML file at ``path``.

    The root is the file's directory. A missing table gives the defaults; a file that cannot be
    read or parsed gives the defaults and one problem.
    """
    root = _absolute(path).parent
    try:
        with path.open("rb") as stream:
            document: object = tomllib.load(stream)
    except OSError as error:
        return LoadedSettings(
            _DEFAULTS, root, (f"{path}: cannot read: {error.strerror}; using the default settings",)
        )
    except UnicodeDecodeError:
        return LoadedSettings(
            _DEFAULTS, root, (f"{path}: invalid TOML: not UTF-8 text; using the default settings",)
        )
    except tomllib.TOMLDecodeError as error:
        return LoadedSettings(
            _DEFAULTS, root, (f"{path}: invalid TOML: {error}; using the default settings",)
        )
    except RecursionError:  # tomllib reads nested tables and arrays recursively
        return LoadedSettings(
            _DEFAULTS,
            root,
            (f"{path}: invalid TOML: nested too deeply to read; using the default settings",),
        )
    tool = document.get("tool") if isinstance(document, dict) else None
    table = tool.get("mockls") if isinstance(tool, dict) else None
    if table is None:
        return LoadedSettings(_DEFAULTS, root)
    if not isinstance(table, dict):
        problem = (
            f"{path}: [tool.mockls] must be a table, got {_type_name(table)}; "
            "using the default settings"
        )
        return LoadedSettings(_DEFAULTS, root, (problem,))
    settings, problems = _settings_from_table(table, f"{path}: [tool.mockls]", root)
    return LoadedSettings(settings, root, problems)


class ProjectSettingsFinder:
    """The settings governing each directory of a walk, each ``pyproject.toml`` read once.

    A directory is governed by the nearest ``pyproject.toml`` at or above it, as in
    :func:`load_project_settings`. ``problems`` collects the problems of every file read,
    in the order they were read, each file's once.
    """

    def __init__(self, roots: ProjectRoots | None = None) -> None:
        self.roots = roots or ProjectRoots()
        self._by_root: dict[Path, LoadedSettings] = {}
        self.problems: list[str] = []

    def for_directory(self, directory: Path) -> LoadedSettings:
        """The settings for files in ``directory``."""
        root = self.roots.root_of(_absolute(directory))
        if root is None:
            return LoadedSettings(_DEFAULTS, None)
        found = self._by_root.get(root)
        if found is None:
            found = self._by_root[root] = load_settings_file(root / PYPROJECT)
            self.problems.extend(found.problems)
        return found


def apply_editor_settings(base: Settings, editor: object) -> tuple[Settings, tuple[str, ...]]:
    """``base`` with the editor's ``mockls`` settings section laid over it.

    ``editor`` is what the client sends: ``{"select": [...], "ignore": [...], "severity":
    {code: level}, "sandbox": {"enabled": bool}, "interpreter": "path", "trusted": bool}``.
    A missing or null key keeps the base value, and so does an empty ``select`` or
    ``interpreter`` (editors send their defaults, and empty there means "not set").
    ``select`` replaces the project's, ``ignore`` adds to the project's, ``severity`` entries
    override the project's per code, and the sandbox runs only if neither the project nor the
    editor turns it off. ``"trusted": false`` (an editor's word that the workspace is not
    trusted; a project file cannot say it) gives :meth:`Settings.untrusted`: no sandbox, and
    the interpreter's packages are read, never run. Unknown keys are left alone (they belong
    to the client); invalid values are reported and keep the base value.
    """
    if editor is None:
        return base, ()
    where = "editor settings: mockls"
    if not isinstance(editor, Mapping):
        return base, (f"{where}: expected an object, got {_describe(editor)}; ignored",)
    problems: list[str] = []

    select = base.select
    if editor.get("select") is not None:
        select = _codes(editor["select"], f"{where}.select", problems, "ignored") or select

    ignore = base.ignore
    if editor.get("ignore") is not None:
        ignore |= _codes(editor["ignore"], f"{where}.ignore", problems, "ignored") or frozenset()

    severity = base.severity
    if editor.get("severity") is not None:
        overrides = _severities(editor["severity"], f"{where}.severity", problems)
        if overrides:
            severity = {**base.severity, **overrides}

    sandbox = base.sandbox
    section = editor.get("sandbox")
    enabled = section.get("enabled") if isinstance(section, Mapping) else section
    if isinstance(enabled, bool):
        sandbox = base.sandbox and enabled
    elif enabled is not None:
        label = f"{where}.sandbox" + (".enabled" if isinstance(section, Mapping) else "")
        problems.append(f"{label}: expected true or false, got {_describe(enabled)}; ignored")

    python = base.python
    interpreter = editor.get("interpreter")
    if isinstance(interpreter, str):
        python = interpreter.strip() or python
    elif interpreter is not None:
        problems.append(
            f"{where}.interpreter: expected a path, got {_describe(interpreter)}; ignored"
        )

    trusted = editor_trust(editor)
    if trusted is None and editor.get("trusted") is not None:
        problems.append(
            f"{where}.trusted: expected true or false, got {_describe(editor['trusted'])}; ignored"
        )

    settings = replace(
        base, select=select, ignore=ignore, severity=severity, sandbox=sandbox, python=python
    )
    # An untrusted workspace's interpreters (its venv, or one its pyproject names) are its
    # code too: run none of them, and no sandbox.
    return (settings.untrusted() if trusted is False else settings), tuple(problems)


def editor_trust(editor: object) -> bool | None:
    """What the editor's ``mockls`` section says of the workspace's trust: ``True`` or
    ``False`` only when it says so with a boolean, else ``None`` (it said nothing)."""
    if isinstance(editor, Mapping):
        trusted = editor.get("trusted")
        if isinstance(trusted, bool):
            return trusted
    return None


def parse_override(assignment: str, root: Path) -> tuple[Mapping[str, object], tuple[str, ...]]:
    """One ``KEY = VALUE`` line of ``[tool.mockls]`` given on the command line (``--config``),
    as a table of that one key; or an empty table and the problems that make it invalid (a line
    that is not TOML, an unknown key, a value the key does not take).

    ``root`` is the directory a relative ``python`` path is relative to.
    """
    where = "--config"
    try:
        table: Mapping[str, object] = tomllib.loads(assignment)
    except tomllib.TOMLDecodeError as error:
        return {}, (
            f"{where}: not a TOML `KEY = VALUE` line ({error}); keys: {', '.join(_KNOWN_KEYS)}",
        )
    if len(table) != 1:
        return {}, (f"{where}: expected one `KEY = VALUE`; keys: {', '.join(_KNOWN_KEYS)}",)
    _, problems = _settings_from_table(table, where, root)
    # A command line is not loaded leniently: say what is wrong, not what would be used instead.
    return (
        ({}, tuple(_FALLBACK.sub("", problem) for problem in problems))
        if problems
        else (
            table,
            (),
        )
    )


_FALLBACK = re.compile(r"; (using the default|ignored)(?= \(|$)")


def with_overrides(
    base: Settings, overrides: Iterable[Mapping[str, object]], root: Path
) -> Settings:
    """``base`` with each table of :func:`parse_override` laid over it, in order (a key given
    replaces the project's value)."""
    settings = base
    for table in overrides:
        settings, _ = _settings_from_table(table, "--config", root, settings)
    return settings


def _settings_from_table(
    table: Mapping[str, object], where: str, root: Path, base: Settings = _DEFAULTS
) -> tuple[Settings, tuple[str, ...]]:
    problems: list[str] = []
    settings = base
    for key, value in table.items():
        label = f"{where} {key}"
        if key == "select":
            # An empty list means "not set", as in the editor settings: every rule runs.
            settings = replace(settings, select=_codes(value, label, problems) or None)
        elif key == "ignore":
            settings = replace(settings, ignore=_codes(value, label, problems) or frozenset())
        elif key == "per-file-ignores":
            settings = replace(settings, per_file_ignores=_per_file_ignores(value, label, problems))
        elif key == "exclude":
            exclude = _strings(value, label, "a list of patterns", problems)
            settings = replace(settings, exclude=exclude or ())
        elif key == "severity":
            settings = replace(settings, severity=_severities(value, label, problems))
        elif key == "sandbox":
            if isinstance(value, bool):
                settings = replace(settings, sandbox=value)
            else:
                problems.append(
                    f"{label}: expected true or false, got {_describe(value)}; using the default"
                )
        elif key == "source-roots":
            roots = _strings(value, label, "a list of directories", problems)
            settings = replace(settings, source_roots=roots or ())
        elif key == "python":
            if isinstance(value, str) and value.strip():
                settings = replace(settings, python=_interpreter_path(value.strip(), root))
            else:
                problems.append(
                    f"{label}: expected the path of a Python interpreter, got {_describe(value)}; "
                    "using the default"
                )
        else:
            problems.append(
                f"{where}: unknown key {key!r}{_suggestion(key, _KNOWN_KEYS)}; ignored "
                f"(known keys: {', '.join(_KNOWN_KEYS)})"
            )
    return settings, tuple(problems)


def _codes(
    value: object, label: str, problems: list[str], fallback: str = "using the default"
) -> frozenset[str] | None:
    """A list of known rule codes, or ``None`` (and a problem) when it is not one."""
    codes = _strings(value, label, "a list of rule codes", problems, fallback)
    if codes is None:
        return None
    unknown = [code for code in codes if code not in RULES_BY_CODE]
    if unknown:
        problems.append(f"{label}: {_unknown_codes(unknown)}; {fallback}")
        return None
    return frozenset(codes)


def _strings(
    value: object,
    label: str,
    expected: str,
    problems: list[str],
    fallback: str = "using the default",
) -> tuple[str, ...] | None:
    """A list of strings, or ``None`` (and a problem) when ``value`` is not one."""
    if not isinstance(value, (list, tuple)):
        problems.append(f"{label}: expected {expected}, got {_describe(value)}; {fallback}")
        return None
    strings: list[str] = []
    for item in value:
        if not isinstance(item, str):
            problems.append(
                f"{label}: expected {expected}, got {_describe(item)} in the list; {fallback}"
            )
            return None
        strings.append(item)
    return tuple(strings)


def _per_file_ignores(
    value: object, label: str, problems: list[str]
) -> tuple[tuple[str, frozenset[str]], ...]:
    if not isinstance(value, dict):
        problems.append(
            f"{label}: expected a table of glob = [rule codes], got {_describe(value)}; "
            "using the default"
        )
        return ()
    entries: list[tuple[str, frozenset[str]]] = []
    for pattern, codes in value.items():
        checked = _codes(codes, f"{label}.{_toml_key(pattern)}", problems, "ignored")
        if checked is not None:
            entries.append((pattern, checked))
    return tuple(entries)


def _severities(value: object, label: str, problems: list[str]) -> dict[str, Severity]:
    if not isinstance(value, Mapping):
        problems.append(
            f"{label}: expected a table of rule code = level, got {_describe(value)}; "
            "using the default"
        )
        return {}
    levels: dict[str, Severity] = {}
    for code, level in value.items():
        entry = f"{label}.{_toml_key(str(code))}"
        if code not in RULES_BY_CODE:
            problems.append(f"{entry}: {_unknown_codes([str(code)])}; ignored")
        elif isinstance(level, str) and level in _SEVERITY_NAMES:
            levels[code] = Severity(level)
        else:
            problems.append(
                f"{entry}: expected one of {', '.join(_SEVERITY_NAMES)}, got {_describe(level)}; "
                "ignored"
            )
    return levels


def _unknown_codes(unknown: Iterable[str]) -> str:
    listed = list(unknown)
    if len(listed) == 1:
        return f"unknown rule code {listed[0]!r}{_suggestion(listed[0], sorted(RULES_BY_CODE))}"
    return "unknown rule codes " + ", ".join(repr(code) for code in listed)


def _suggestion(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _interpreter_path(value: str, root: Path) -> str:
    """A relative path is relative to the project root; a bare name is looked up on PATH."""
    expanded = os.path.expanduser(value)
    if ("/" in expanded or os.sep in expanded) and not os.path.isabs(expanded):
        return str(root / expanded)
    return expanded


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _toml_key(key: str) -> str:
    """``key`` as it is written in TOML: bare when it can be, quoted otherwise."""
    if _BARE_KEY.fullmatch(key):
        return key
    escaped = key.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _describe(value: object) -> str:
    """A short description of a wrong value for a message: the value when short, else its type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)) and len(repr(value)) <= 40:
        return repr(value)
    return _type_name(value)


def _type_name(value: object) -> str:
    names = {
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a float",
        list: "an array",
        dict: "a table",
    }
    return names.get(type(value), f"a {type(value).__name__}")


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))

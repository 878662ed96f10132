"""Where a workspace's modules live, which Python runs them, and what that Python would import.

Shared by ``resolve/`` (the import index, jedi's environment) and ``sandbox/`` (the workers'
interpreter and ``sys.path``), so that both see the workspace the same way. The source roots
are read from what the project declares, never by running anything: the ``source-roots``
setting, the packaging tool's package directories (setuptools, hatch, poetry, pdm), pytest's
``pythonpath``, the editable installs (``.pth`` files) of the workspace's virtual
environment, then ``<root>/src`` and ``<root>``. :func:`site_directories` reads a virtual
environment's packages from its files alone, for when its interpreter may not run
(``mockls check`` without ``--verify``, an untrusted workspace).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from mockls.files import is_dir, is_file
from mockls.project_files import read_ini_section, read_toml, toml_value
from mockls.pytest_options import read_pytest_options

__all__ = [
    "PROJECT_MARKERS",
    "InterpreterChoice",
    "choose_interpreter",
    "find_interpreter",
    "find_project_root",
    "site_directories",
    "source_roots",
]

_VIRTUAL_ENVIRONMENTS = (".venv", "venv")

PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", "tox.ini", "pytest.ini", ".git")
"""What makes a directory a project root, with or without a ``pyproject.toml``."""


def source_roots(root: Path, configured: Sequence[str] = ()) -> tuple[Path, ...]:
    """Where top-level modules live, most specific first: the ``configured`` directories
    (relative to ``root``), the ones the project declares, ``<root>/src`` (when it is not a
    package) and ``<root>``. Only existing directories inside ``root`` count."""
    candidates = [
        *(root / entry for entry in configured),
        *_declared_roots(root),
        *_editable_roots(root),
    ]
    source = root / "src"
    if not (source / "__init__.py").exists():
        candidates.append(source)
    roots: dict[Path, None] = {}
    resolved_root = root.resolve()
    for candidate in candidates:
        directory = candidate.resolve()
        if (
            directory != resolved_root
            and directory.is_relative_to(resolved_root)
            and directory.is_dir()
        ):
            roots.setdefault(root / directory.relative_to(resolved_root))
    return (*roots, root)


def _declared_roots(root: Path) -> Iterator[Path]:
    """The package directories of the packaging tools' settings, and pytest's ``pythonpath``."""
    pyproject = read_toml(root / "pyproject.toml")
    setuptools_dir = toml_value(pyproject, "tool", "setuptools", "package-dir")
    yield from (root / directory for directory in _package_dirs(setuptools_dir))
    where = toml_value(pyproject, "tool", "setuptools", "packages", "find", "where")
    yield from (root / directory for directory in _strings(where))
    hatch = toml_value(pyproject, "tool", "hatch", "build", "targets", "wheel", "packages")
    yield from ((root / package).parent for package in _strings(hatch))
    poetry = toml_value(pyproject, "tool", "poetry", "packages")
    for package in poetry if isinstance(poetry, list) else ():
        if isinstance(package, dict) and isinstance(package.get("from"), str):
            yield root / package["from"]
    pdm_dir = toml_value(pyproject, "tool", "pdm", "build", "package-dir")
    yield from (root / directory for directory in _package_dirs(pdm_dir))
    yield from _setup_cfg_roots(root)
    yield from read_pytest_options(root).pythonpath


def _setup_cfg_roots(root: Path) -> Iterator[Path]:
    options = read_ini_section(root / "setup.cfg", "options") or {}
    # ``package_dir = =lib`` or one ``name = dir`` per line; only the root package's counts.
    for line in options.get("package_dir", "").splitlines():
        name, _, directory = line.partition("=")
        if not name.strip() and directory.strip():
            yield root / directory.strip()
    found = read_ini_section(root / "setup.cfg", "options.packages.find") or {}
    yield from (root / directory for directory in found.get("where", "").split())


def _package_dirs(value: object) -> Iterator[str]:
    """``package-dir = {"" = "lib"}`` (setuptools) or ``"lib"`` (pdm): the root package's."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict) and isinstance(value.get(""), str):
        yield value[""]


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return ()


def _editable_roots(root: Path) -> Iterator[Path]:
    """The directories that the workspace venv's ``.pth`` files add (editable installs);
    ``import`` lines are code and are not run."""
    for environment in _VIRTUAL_ENVIRONMENTS:
        for pth in sorted((root / environment).glob("lib/python3*/site-packages/*.pth")):
            try:
                lines = pth.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            for line in lines:
                entry = line.strip()
                if entry and not entry.startswith(("#", "import ", "import\t")):
                    yield Path(entry) if Path(entry).is_absolute() else pth.parent / entry


@dataclass(frozen=True, slots=True)
class InterpreterChoice:
    """The interpreter picked for a workspace, and why: ``reason`` completes "chosen as ..."."""

    path: str
    reason: str
    is_fallback: bool = False


def choose_interpreter(root: Path | None, python: str | None) -> InterpreterChoice:
    """The user's interpreter: the configured ``python``, else the workspace's
    ``.venv``/``venv``, else the server's own (a fallback)."""
    if python:
        return InterpreterChoice(python, "the python setting")
    if root is not None:
        for directory in _VIRTUAL_ENVIRONMENTS:
            for executable in ("bin/python", "Scripts/python.exe"):
                candidate = root / directory / executable
                if candidate.exists():
                    return InterpreterChoice(str(candidate), f"the project's {directory}")
    return InterpreterChoice(sys.executable, "mockls's own", is_fallback=True)


def find_interpreter(root: Path | None, python: str | None) -> str:
    """The path of :func:`choose_interpreter`'s choice."""
    return choose_interpreter(root, python).path


def find_project_root(directory: Path) -> Path | None:
    """The nearest directory at or above ``directory`` that holds a project marker
    (``pyproject.toml``, ``setup.cfg``, ``setup.py``, ``tox.ini``, ``pytest.ini``, ``.git``)."""
    for candidate in (directory, *directory.parents):
        if any((candidate / marker).exists() for marker in PROJECT_MARKERS):
            return candidate
    return None


def site_directories(interpreter: str) -> tuple[Path, ...]:
    """The directories ``interpreter``'s ``site`` would add to ``sys.path``, found without
    running it: when it belongs to a virtual environment (a ``pyvenv.cfg`` one level above
    its directory), that environment's ``site-packages`` and the directories its ``.pth``
    files name (their ``import`` lines are code, and skipped). Empty for any other program.
    """
    executable = Path(interpreter)
    environment = executable.parent.parent
    if not is_file(environment / "pyvenv.cfg"):
        return ()
    candidates = [environment / "Lib" / "site-packages"]
    with contextlib.suppress(OSError):  # an unreadable lib/ adds nothing
        candidates += sorted((environment / "lib").glob("python3*/site-packages"))
    directories: list[Path] = []
    for site in candidates:
        if is_dir(site) and site not in directories:
            directories.append(site)
            directories.extend(
                extra for extra in _pth_directories(site) if extra not in directories
            )
    return tuple(directories)


def _pth_directories(site: Path) -> list[Path]:
    """The existing directories the ``.pth`` files of ``site`` name, as ``site.addpackage``
    reads them."""
    found: list[Path] = []
    try:
        pth_files = sorted(site.glob("*.pth"))
    except OSError:
        return found
    for pth in pth_files:
        try:
            lines = pth.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            entry = line.rstrip()
            if not entry or entry.startswith(("#", "import ", "import\t")):
                continue
            directory = site / entry
            if is_dir(directory):
                found.append(directory)
    return found

"""Where a workspace's modules live, which Python runs them, and what that Python would import.

Shared by ``resolve/`` (the import index, jedi's environment) and ``sandbox/`` (the workers'
interpreter and ``sys.path``), so that both see the workspace the same way.
:func:`site_directories` reads a virtual environment's packages from its files alone, for
when its interpreter may not run (``mockls check`` without ``--verify``, an untrusted
workspace).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from mockls.files import is_dir, is_file

__all__ = ["find_interpreter", "site_directories", "source_roots"]


def source_roots(root: Path) -> tuple[Path, ...]:
    """Where top-level modules live: ``<root>/src`` (when it is not a package) and ``<root>``."""
    source = root / "src"
    if source.is_dir() and not (source / "__init__.py").exists():
        return (source, root)
    return (root,)


def find_interpreter(root: Path | None, python: str | None) -> str:
    """The user's interpreter: the configured ``python``, else the workspace's
    ``.venv``/``venv``, else the server's own."""
    if python:
        return python
    if root is not None:
        for directory in (".venv", "venv"):
            for executable in ("bin/python", "Scripts/python.exe"):
                candidate = root / directory / executable
                if candidate.exists():
                    return str(candidate)
    return sys.executable


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

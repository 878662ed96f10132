"""Where a workspace's modules live and which Python runs them.

Shared by ``resolve/`` (the import index, jedi's environment) and ``sandbox/`` (the workers'
interpreter and ``sys.path``), so that both see the workspace the same way.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["find_interpreter", "source_roots"]


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

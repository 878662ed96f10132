"""Targets outside the workspace: the standard library and the site-packages of the user's
interpreter, read by jedi.

This is the only module that imports jedi, lazily, and all jedi work is serialized by one lock
(jedi is not thread-safe).
"""

from __future__ import annotations

import threading
from pathlib import Path

from mockls.resolve.resolution import Completion, Resolution

__all__ = ["EnvironmentResolver"]


class EnvironmentResolver:
    """Resolves dotted targets in the user's Python environment."""

    def __init__(self, root: Path | None, python: str | None) -> None:
        self.root = root
        self.python = python
        self._lock = threading.Lock()

    def resolve(self, target: str) -> Resolution:
        """What ``target`` names in the environment; ``None`` when it cannot be told."""
        return None

    def top_level_modules(self) -> list[str]:
        """The names of the environment's top-level modules."""
        return []

    def completions(self, base: str) -> list[Completion]:
        """The names that can follow ``base.`` (``''``: top-level modules)."""
        return []

"""Fixtures of the engine's tests: small real modules on disk, for patch targets."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Callable

import pytest

WriteModules = Callable[..., ModuleType]


@pytest.fixture
def write_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WriteModules]:
    """``write_modules(shop=SOURCE, checkout=SOURCE)`` writes the modules to a directory on
    ``sys.path``, imports them in that order and returns the first; they are forgotten again
    (``sys.modules``) after the test."""
    monkeypatch.syspath_prepend(str(tmp_path))
    written: list[str] = []

    def write(**sources: str) -> ModuleType:
        for name, source in sources.items():
            (tmp_path / f"{name}.py").write_text(textwrap.dedent(source))
            written.append(name)
        importlib.invalidate_caches()
        modules = [importlib.import_module(name) for name in sources]
        return modules[0]

    yield write
    for name in written:
        sys.modules.pop(name, None)

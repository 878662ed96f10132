"""``install()`` and ``uninstall()``: make ``unittest.mock`` and ``mock`` resolve to mockengine."""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["install", "uninstall"]

_MODULE_NAMES = ("unittest.mock", "mock")
"""The names code imports ``unittest.mock`` by (``mock`` is its backport on PyPI)."""

_MISSING = object()

_saved: dict[str, Any] | None = None
"""What ``install()`` replaced: the ``sys.modules`` entries and, under ``"unittest"``, the
``mock`` attribute of the ``unittest`` package (``_MISSING`` where there was none)."""


def install() -> None:
    """Make ``import unittest.mock``, ``from unittest import mock`` and ``import mock`` give
    mockengine, for code that imports them from now on.

    Modules that already imported the real ``unittest.mock`` keep it. Installing again while
    installed changes nothing; ``uninstall()`` puts everything back.
    """
    global _saved  # noqa: PLW0603  (the one record of what was replaced)
    if _saved is not None:
        return
    import unittest  # noqa: PLC0415  (only installing needs the package, to set its attribute)

    engine = sys.modules["mockengine"]
    saved = {name: sys.modules.get(name, _MISSING) for name in _MODULE_NAMES}
    saved["unittest"] = unittest.__dict__.get("mock", _MISSING)
    for name in _MODULE_NAMES:
        sys.modules[name] = engine
    unittest.mock = engine  # type: ignore[attr-defined]
    _saved = saved


def uninstall() -> None:
    """Put back what ``install()`` replaced, exactly; nothing happens when not installed."""
    global _saved
    if _saved is None:
        return
    saved, _saved = _saved, None
    for name in _MODULE_NAMES:
        _restore(sys.modules, name, saved[name])
    unittest = sys.modules.get("unittest")
    if unittest is not None:
        _restore(unittest.__dict__, "mock", saved["unittest"])


def _restore(namespace: dict[str, Any], name: str, value: Any) -> None:
    if value is _MISSING:
        namespace.pop(name, None)
    else:
        namespace[name] = value

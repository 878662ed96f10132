"""Sentinels: unique named objects (``sentinel.name``) and the engine's markers (``DEFAULT``)."""

from __future__ import annotations

__all__ = ["DEFAULT", "DELETED", "MISSING", "sentinel"]


class _SentinelObject:
    """One named sentinel; copies and pickles of it are the very same object."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"sentinel.{self.name}"

    def __reduce__(self) -> str:
        # A string tells pickle (and copy) to look the object up by this dotted name in its
        # module, which gives back the one instance.
        return f"sentinel.{self.name}"


class _Sentinel:
    """``sentinel``: any attribute is a sentinel of that name, created once and kept."""

    def __init__(self) -> None:
        self._sentinels: dict[str, _SentinelObject] = {}

    def __getattr__(self, name: str) -> _SentinelObject:
        if name == "__bases__":
            # pydoc and help() treat anything with __bases__ as a class.
            raise AttributeError(name)
        return self._sentinels.setdefault(name, _SentinelObject(name))

    def __reduce__(self) -> str:
        return "sentinel"


sentinel = _Sentinel()

DEFAULT = sentinel.DEFAULT
"""Returned by a side effect to say "carry on and use the return value"; the unset marker."""

MISSING = sentinel.MISSING
"""Internal: no value at all (distinct from ``None``)."""

DELETED = sentinel.DELETED
"""Internal: the child attribute was deleted with ``del mock.name``."""

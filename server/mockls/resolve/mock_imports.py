"""Which workspace names are the mock library: ``from tests import mock`` and its kin.

A test suite often imports mock through its own modules (``tests/__init__.py`` doing
``from unittest import mock``, a ``compat`` module choosing between ``mock`` and
``unittest.mock``, a helpers module star-importing it). :func:`mock_origin` follows such a
name through the index (re-exports, aliases, star imports, ``__init__`` files) to what it is
outside the workspace, and answers only when that is ``unittest.mock``, the ``mock``
backport, or one of their members; the analysis then reads the name as mock's.
"""

from __future__ import annotations

from mockls.resolve.index import IndexSnapshot
from mockls.resolve.resolution import Origin, Resolution, Resolved, TargetKind, Unresolved
from mockls.resolve.workspace_targets import WorkspaceResolver

__all__ = ["mock_origin"]

_MOCK_LIBRARIES = ("unittest.mock", "mock")


def _is_mock(qualified: str) -> bool:
    return any(
        qualified == library or qualified.startswith(library + ".") for library in _MOCK_LIBRARIES
    )


def _only_mock(qualified: str) -> Resolution:
    """An external resolver that knows mock's names and nothing else (never asks jedi)."""
    if _is_mock(qualified):
        return Resolved(qualified, TargetKind.UNKNOWN, qualified, Origin.ENVIRONMENT)
    return Unresolved(qualified, 0, "")


def mock_origin(snapshot: IndexSnapshot, dotted: str) -> str | None:
    """The mock name (``'unittest.mock'``, ``'mock.patch'``) the workspace name ``dotted``
    is bound to, or ``None`` when it is not mock's (or cannot be told)."""
    if not snapshot.is_module(dotted.split(".", maxsplit=1)[0]):
        return None  # not a workspace name: direct imports of mock are the analysis's own
    resolution = WorkspaceResolver(snapshot, _only_mock).resolve(dotted)
    if isinstance(resolution, Resolved) and resolution.origin is not Origin.WORKSPACE:
        return resolution.qualified_name if _is_mock(resolution.qualified_name) else None
    return None

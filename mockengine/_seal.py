"""``seal``: stop a mock (and its children) from growing new attributes."""

from __future__ import annotations

from typing import Any

from mockengine._mock import SpecState, is_mock

__all__ = ["seal"]


def seal(mock: Any) -> None:
    """Make reading or setting an attribute the mock does not have yet raise ``AttributeError``.

    Children that exist already are sealed too (recursively); mocks assigned from elsewhere are
    left alone, and so are autospecced attributes not yet read.
    """
    mock._mock_sealed = True
    for name in dir(mock):
        try:
            child = getattr(mock, name)
        except AttributeError:
            continue
        if not is_mock(child):
            continue
        if isinstance(child._mock_children.get(name), SpecState):
            continue
        if child._mock_new_parent is mock:
            seal(child)

"""``PropertyMock``: a mock to use as a property (reading calls it, setting calls it too)."""

from __future__ import annotations

from typing import Any

from mockengine._magic import MagicMock
from mockengine._mock import Mock

__all__ = ["PropertyMock"]


class PropertyMock(Mock):
    """Set on a class as a property: ``obj.attr`` calls it, ``obj.attr = v`` calls it with ``v``."""

    def _child_mock_class(self, new_name: str | None) -> type:
        return MagicMock

    def __get__(self, obj: Any, obj_type: Any = None) -> Any:
        return self()

    def __set__(self, obj: Any, value: Any) -> None:
        self(value)

"""Magic methods: ``MagicMixin``, ``MagicMock`` and ``NonCallableMagicMock``.

A magic mock has every supported magic method (except the few left unset until assigned) as a
child mock created on first use, with a default behaviour: ``len()`` is 0, ``iter()`` is empty,
``bool()`` is true, ``int()`` is 1, comparisons are by identity, and so on.
"""

from __future__ import annotations

from typing import Any, Callable

from mockengine._mock import CallableMixin, Mock, NonCallableMock, is_mock
from mockengine._sentinels import DEFAULT
from mockengine.vocabulary import (
    ASYNC_MAGIC_METHODS,
    MAGIC_METHODS,
    MAGIC_METHODS_WITHOUT_DEFAULTS,
    SYNC_MAGIC_METHODS,
)

__all__ = [
    "ASYNC_METHOD_MAGICS",
    "PRECONFIGURED_MAGICS",
    "MagicMixin",
    "MagicMock",
    "MagicProxy",
    "NonCallableMagicMock",
    "set_default_behaviour",
]

ASYNC_METHOD_MAGICS = ASYNC_MAGIC_METHODS - {"__aiter__"}
"""Async magic methods that are coroutine functions (``__aiter__`` returns an iterator)."""

PRECONFIGURED_MAGICS = (SYNC_MAGIC_METHODS - MAGIC_METHODS_WITHOUT_DEFAULTS) | {"__aiter__"}
"""The magic methods a ``MagicMock`` has from the start."""

_FIXED_RETURN_VALUES: dict[str, Any] = {
    "__lt__": NotImplemented,
    "__gt__": NotImplemented,
    "__le__": NotImplemented,
    "__ge__": NotImplemented,
    "__int__": 1,
    "__contains__": False,
    "__len__": 0,
    "__exit__": False,
    "__complex__": 1j,
    "__float__": 1.0,
    "__bool__": True,
    "__index__": 1,
    "__aexit__": False,
}


def _object_defaults(name: str) -> Callable[[Any], Any] | None:
    """Return values computed from the mock itself: what ``object`` would give."""
    calculators: dict[str, Callable[[Any], Any]] = {
        "__hash__": object.__hash__,
        "__str__": object.__str__,
        "__sizeof__": object.__sizeof__,
        "__fspath__": lambda mock: f"{type(mock).__name__}/{mock._extract_mock_name()}/{id(mock)}",
    }
    return calculators.get(name)


def _compared_by_identity(name: str, when_same: bool) -> Callable[[Any], Callable[[Any], Any]]:
    """``__eq__``/``__ne__``: by identity, unless a return value is configured."""

    def side_effect_for(mock: Any) -> Callable[[Any], Any]:
        def compare(other: Any) -> Any:
            configured = getattr(mock, name)._mock_return_value
            if configured is not DEFAULT:
                return configured
            return when_same if mock is other else NotImplemented

        return compare

    return side_effect_for


def _fresh_iterator(mock: Any) -> Callable[[], Any]:
    # A new iterator over the configured values on each iter(), so a mock iterates many times.
    def __iter__() -> Any:
        configured = mock.__iter__._mock_return_value
        return iter([]) if configured is DEFAULT else iter(configured)

    return __iter__


def _fresh_async_iterator(mock: Any) -> Callable[[], Any]:
    # import cycle: async builds on magic mocks
    from mockengine._async import AsyncIterator  # noqa: PLC0415

    def __aiter__() -> Any:
        configured = mock.__aiter__._mock_return_value
        return AsyncIterator(iter([]) if configured is DEFAULT else iter(configured))

    return __aiter__


_SIDE_EFFECTS: dict[str, Callable[[Any], Callable[..., Any]]] = {
    "__eq__": _compared_by_identity("__eq__", when_same=True),
    "__ne__": _compared_by_identity("__ne__", when_same=False),
    "__iter__": _fresh_iterator,
    "__aiter__": _fresh_async_iterator,
}


def set_default_behaviour(mock: Any, method: Any, name: str) -> None:
    """Give the magic method ``method`` of ``mock`` its default result."""
    fixed = _FIXED_RETURN_VALUES.get(name, DEFAULT)
    if fixed is not DEFAULT:
        method.return_value = fixed
        return
    calculator = _object_defaults(name)
    if calculator is not None:
        method.return_value = calculator(mock)
        return
    side_effect = _SIDE_EFFECTS.get(name)
    if side_effect is not None:
        method.side_effect = side_effect(mock)


class MagicProxy:
    """Stands on a magic mock's class for a magic method until it is first used."""

    def __init__(self, name: str, parent: Any) -> None:
        self.name = name
        self.parent = parent

    def create_mock(self) -> Any:
        name = self.name
        parent = self.parent
        method = parent._get_child_mock(name=name, _new_name=name, _new_parent=parent)
        setattr(parent, name, method)
        set_default_behaviour(parent, method, name)
        return method

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        return self.create_mock()


class MagicMixin:
    """Puts the preconfigured magic methods on each mock's own class."""

    _mock_preconfigured_magics: frozenset[str] = (
        frozenset(PRECONFIGURED_MAGICS) | ASYNC_METHOD_MAGICS
    )

    def __init__(self, /, *args: Any, **kwargs: Any) -> None:
        self._mock_set_magics()  # so that keyword arguments can configure magic methods
        super().__init__(*args, **kwargs)
        self._mock_set_magics()  # a spec given to __init__ removes the ones it lacks

    def _mock_set_magics(self) -> None:
        magics = self._mock_preconfigured_magics
        own_class = type(self)
        allowed = self.__dict__.get("_mock_methods")
        if allowed is not None:
            kept = magics.intersection(allowed)
            for name in magics - kept:
                if name in own_class.__dict__:
                    delattr(self, name)
            magics = kept
        for name in magics - set(own_class.__dict__):
            setattr(own_class, name, MagicProxy(name, self))

    def mock_add_spec(self, spec: Any, spec_set: bool = False) -> None:
        """Restrict the mock to ``spec``'s attributes; magic methods it lacks go too."""
        self._mock_add_spec(spec, spec_set)
        self._mock_set_magics()

    def reset_mock(self, /, *args: Any, **kwargs: Any) -> None:
        """Forget calls (see ``Mock.reset_mock``); magic methods keep their default results."""
        super().reset_mock(*args, **kwargs)
        if not (kwargs.get("return_value") or kwargs.get("side_effect")):
            return
        for name, child in self._mock_children.items():
            if (
                name in MAGIC_METHODS
                and is_mock(child)
                and child._mock_return_value is DEFAULT
                and child._mock_side_effect is None
            ):
                set_default_behaviour(self, child, name)

    def _child_mock_class(self, new_name: str | None) -> type:
        if new_name in ASYNC_METHOD_MAGICS:
            # import cycle: async builds on magic mocks
            from mockengine._async import AsyncMock  # noqa: PLC0415

            return AsyncMock
        if not issubclass(type(self), CallableMixin):
            return MagicMock
        return super()._child_mock_class(new_name)


class NonCallableMagicMock(MagicMixin, NonCallableMock):
    """A ``MagicMock`` that cannot be called."""


class MagicMock(MagicMixin, Mock):
    """A ``Mock`` with the magic methods configured: ``len(m)``, ``with m:``, ``m[0]``, ..."""

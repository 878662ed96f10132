"""Magic methods: ``MagicMixin``, ``MagicMock`` and ``NonCallableMagicMock``.

A magic mock has every supported magic method (except the few left unset until assigned) as a
child mock created on first use, with a default behaviour: ``len()`` is 0, ``iter()`` is empty,
``bool()`` is true, ``int()`` is 1, comparisons are by identity, and so on.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable

from mockengine._introspection import is_name_list, spec_names
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
    """Stands on a magic mock's class for a magic method until it is first used.

    One proxy per name serves every mock: it makes the method for the mock it is read from
    (or, read from the class, for the mock the class was made for).
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        parent = owner._mock_instance if obj is None else obj
        name = self.name
        method = parent._get_child_mock(name=name, _new_name=name, _new_parent=parent)
        setattr(parent, name, method)
        set_default_behaviour(parent, method, name)
        return method


_PROXIES = {name: MagicProxy(name) for name in sorted(PRECONFIGURED_MAGICS | ASYNC_METHOD_MAGICS)}
_MAGIC_NAMES = frozenset(_PROXIES)
"""The magic methods a magic mock has from the start (its spec permitting)."""


class MagicMixin:
    """Puts the preconfigured magic methods on each mock's own class."""

    def __new__(cls, /, *args: Any, **kwargs: Any) -> Any:
        instance = super().__new__(cls, *args, **kwargs)
        type(instance)._mock_instance = instance
        return instance

    @classmethod
    def _mock_class_namespace(cls, spec: Any) -> dict[str, Any]:
        # The magic methods are there from the start, so that keyword arguments can configure
        # them; those a spec lacks are left out already when the constructor's arguments show
        # the spec (__init__ checks that guess against the spec it settles on).
        namespace = dict(_PROXIES)
        if spec is not None and not is_mock(spec):
            # Something dir() fails on may be a subclass's own argument: __init__ decides then.
            with contextlib.suppress(Exception):
                names = spec if is_name_list(spec) else spec_names(spec)
                namespace = {name: _PROXIES[name] for name in _MAGIC_NAMES.intersection(names)}
                namespace["_mock_magics_guessed"] = True
        return namespace

    def __init__(self, /, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self._mock_methods is not None or "_mock_magics_guessed" in type(self).__dict__:
            self._mock_set_magics()

    def _mock_set_magics(self) -> None:
        """Give the mock's class exactly the preconfigured magic methods its spec allows."""
        magics = _MAGIC_NAMES
        own_class = type(self)
        allowed = self.__dict__.get("_mock_methods")
        kept = magics if allowed is None else magics.intersection(allowed)
        present = magics.intersection(own_class.__dict__)
        for name in present - kept:
            delattr(self, name)
        for name in kept - present:
            setattr(own_class, name, _PROXIES[name])

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

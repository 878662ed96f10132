"""Recorded and expected calls: ``call``, ``_Call``, ``_CallList``, ``ANY``.

A ``_Call`` is a tuple ``(name, args, kwargs)`` (or ``(args, kwargs)`` for ``call_args``), which
compares equal to calls and to plain 2- and 3-tuples written in the same shorthand.
"""

from __future__ import annotations

import pprint
from typing import Any

__all__ = [
    "ANY",
    "AnyComparer",
    "_Call",
    "_CallList",
    "call",
    "format_call_signature",
    "named_call",
    "recorded_call",
    "safe_repr",
]


class _AnyValue:
    """Equal to everything; ``ANY`` in expected calls."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = None

    def __repr__(self) -> str:
        return "<ANY>"


ANY = _AnyValue()


def safe_repr(value: object) -> str:
    """``repr(value)``, or ``object``'s when the value's own ``__repr__`` fails."""
    try:
        return repr(value)
    except Exception:  # a broken __repr__ must not hide the assertion's message
        return object.__repr__(value)


def format_call_signature(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """``name(1, 'a', key=2)``: how a call is shown in reprs and assertion messages."""
    parts = [repr(arg) for arg in args]
    parts += [f"{key}={value!r}" for key, value in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def _split_call_value(value: tuple[Any, ...]) -> tuple[str | None, tuple[Any, ...], dict[str, Any]]:
    """(name or None, args, kwargs) of a call written as a 0- to 3-tuple shorthand."""
    size = len(value)
    if size == 3:
        return value[0], value[1], value[2]
    if size == 2:
        first, second = value
        if isinstance(first, str):
            if isinstance(second, tuple):
                return first, second, {}
            return first, (), second
        return None, first, second
    if size == 1:
        (only,) = value
        if isinstance(only, str):
            return only, (), {}
        if isinstance(only, tuple):
            return None, only, {}
        return None, (), only
    return None, (), {}


class _Call(tuple):
    """One call: a tuple that also builds calls by attribute access and calling.

    ``call.method(1).attribute(x=2)`` describes chained calls; ``call_list()`` lists each step.
    Attributes of its own are kept under ``_mock_`` names so that ``call.name`` and
    ``call.parent`` stay call builders. Their defaults live on the class, so that the calls a
    mock records need no instance dict.
    """

    _mock_name: str | None = None
    _mock_parent: _Call | None = None
    _mock_from_kall = True

    def __new__(
        cls,
        value: tuple[Any, ...] = (),
        name: str | None = "",
        parent: _Call | None = None,
        two: bool = False,
        from_kall: bool = True,
    ) -> _Call:
        given_name, args, kwargs = _split_call_value(value)
        call_name = given_name if given_name is not None else (name or "")
        if two:
            return tuple.__new__(cls, (args, kwargs))
        return tuple.__new__(cls, (call_name, args, kwargs))

    def __init__(
        self,
        value: tuple[Any, ...] = (),
        name: str | None = None,
        parent: _Call | None = None,
        two: bool = False,
        from_kall: bool = True,
    ) -> None:
        if name is not None:
            self._mock_name = name
        if parent is not None:
            self._mock_parent = parent
        if not from_kall:
            self._mock_from_kall = False

    def _parts(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        if len(self) == 2:
            args, kwargs = self
            return "", args, kwargs
        return tuple(self)

    def __eq__(self, other: object) -> bool:
        # Attributes are read with _read (tuple's own lookup), never through the slow
        # __getattribute__ below.
        if type(other) is _Call:
            self_parent = _read(self, "_mock_parent")
            if self_parent is not None:
                other_parent = _read(other, "_mock_parent")
                if other_parent is not None and self_parent != other_parent:
                    return False
            if len(other) == 3:
                other_name, other_args, other_kwargs = other
            else:  # a call_args pair: its first item is the args, never a name
                other_name = None
                other_args, other_kwargs = other
        else:
            try:
                other_size = len(other)
            except TypeError:
                return NotImplemented
            if not isinstance(other, (tuple, list)) or other_size > 3:
                return False
            if type(other) not in (tuple, list):
                other_parent = getattr(other, "__dict__", {}).get("_mock_parent")
                if other_parent is not None:
                    self_parent = _read(self, "_mock_parent")
                    if self_parent is not None and self_parent != other_parent:
                        return False
            other_name, other_args, other_kwargs = _split_call_value(other)
        if len(self) == 2:
            self_name = ""
            self_args, self_kwargs = self
        else:
            self_name, self_args, self_kwargs = self
        if self_name and (other_name or "") != self_name:
            return False
        # The expected side (other) compares first, so that its ANY matches anything.
        return (other_args, other_kwargs) == (self_args, self_kwargs)

    __ne__ = object.__ne__
    __hash__ = None

    def __call__(self, /, *args: Any, **kwargs: Any) -> _Call:
        if self._mock_name is None:
            return _Call(("", args, kwargs), name="()")
        return _Call((self._mock_name, args, kwargs), name=f"{self._mock_name}()", parent=self)

    def __getattr__(self, attribute: str) -> _Call:
        if self._mock_name is None:
            return _Call(name=attribute, from_kall=False)
        return _Call(name=f"{self._mock_name}.{attribute}", parent=self, from_kall=False)

    def __getattribute__(self, attribute: str) -> Any:
        # The tuple's own attributes (count, index, __getitem__, ...) are call builders too:
        # call.count(1), call().__getitem__("key").
        if attribute in _TUPLE_ATTRIBUTES:
            raise AttributeError(attribute)
        return tuple.__getattribute__(self, attribute)

    @property
    def args(self) -> tuple[Any, ...]:
        return self._parts()[1]

    @property
    def kwargs(self) -> dict[str, Any]:
        return self._parts()[2]

    def __repr__(self) -> str:
        if not self._mock_from_kall:
            name = self._mock_name or "call"
            return f"call{name}" if name.startswith("()") else name
        name, args, kwargs = self._parts()
        if not name:
            name = "call"
        elif name.startswith("()"):
            name = f"call{name}"
        else:
            name = f"call.{name}"
        return format_call_signature(name, args, kwargs)

    def call_list(self) -> _CallList:
        """Every call in a chain, in order: ``call(1).method(2).call_list()``."""
        steps = []
        step: _Call | None = self
        while step is not None:
            if step._mock_from_kall:
                steps.append(step)
            step = step._mock_parent
        return _CallList(reversed(steps))


_TUPLE_ATTRIBUTES = frozenset(tuple.__dict__)
_read = tuple.__getattribute__
_new_tuple = tuple.__new__

call = _Call(from_kall=False)


def recorded_call(args: tuple[Any, ...], kwargs: dict[str, Any]) -> _Call:
    """``_Call((args, kwargs), two=True)``, made faster: a mock's ``call_args``."""
    return _new_tuple(_Call, (args, kwargs))


def named_call(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> _Call:
    """``_Call((name, args, kwargs))``, made faster: an entry of ``mock_calls``."""
    return _new_tuple(_Call, (name, args, kwargs))


class _CallList(list):
    """A list of calls in which ``in`` also finds a contiguous run of calls."""

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, list):
            return list.__contains__(self, value)
        run = len(value)
        return any(self[start : start + run] == value for start in range(len(self) - run + 1))

    def __repr__(self) -> str:
        return pprint.pformat(list(self))


class AnyComparer(list):
    """A list whose ``in`` compares the expected call's parts first, so ``ANY`` inside matches."""

    def __contains__(self, item: object) -> bool:
        return any(
            all(expected == actual for expected, actual in zip(item, recorded)) for recorded in self
        )

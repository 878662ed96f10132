"""Reading the objects a mock imitates: callability, signatures, async-ness, descriptors.

Nothing here knows about mock classes; the mock layers above ask these questions of their specs.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import types
from typing import Any

__all__ = [
    "FUNCTION_TYPES",
    "copy_function_details",
    "is_async_function",
    "is_callable",
    "is_exception",
    "is_instance_callable",
    "is_magic_name",
    "is_name_list",
    "iscoroutinefunction",
    "method_skips_first_argument",
    "signature_of",
    "static_attributes",
]

FUNCTION_TYPES = (types.FunctionType, types.MethodType)
"""Plain Python functions and bound methods: what autospec replaces with a real function."""

_NOT_FOUND = object()


def iscoroutinefunction(obj: Any) -> bool:
    """``async def`` functions, and callables marked as coroutine functions for asyncio."""
    if inspect.iscoroutinefunction(obj):
        return True
    import asyncio  # noqa: PLC0415  (slow to import; only async specs need it)

    return getattr(obj, "_is_coroutine", None) is getattr(
        asyncio.coroutines, "_is_coroutine", _NOT_FOUND
    )


def is_name_list(obj: object) -> bool:
    """A spec given as a plain list or tuple of attribute names (not a subclass of one)."""
    return type(obj) in (list, tuple)


def is_magic_name(name: str) -> bool:
    """``__x__``-shaped names."""
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def is_exception(obj: object) -> bool:
    """An exception instance or class: a side effect that is raised."""
    return isinstance(obj, BaseException) or (
        isinstance(obj, type) and issubclass(obj, BaseException)
    )


def is_callable(obj: object) -> bool:
    """Whether calling ``obj`` makes sense, looking through static and class methods."""
    if isinstance(obj, type):
        return True
    if isinstance(obj, (staticmethod, classmethod, types.MethodType)):
        return is_callable(obj.__func__)
    return getattr(obj, "__call__", None) is not None  # noqa: B004  (a mock's __call__ may be None)


def is_instance_callable(klass: object) -> bool:
    """Whether instances of ``klass`` (or ``klass`` itself, if not a class) can be called."""
    if not isinstance(klass, type):
        return getattr(klass, "__call__", None) is not None  # noqa: B004
    return any(base.__dict__.get("__call__") is not None for base in klass.__mro__)


def is_async_function(obj: object) -> bool:
    """An ``async def`` function (or a callable with code marked as one)."""
    if getattr(obj, "__code__", None) is None:
        return False
    return iscoroutinefunction(obj)


def static_attributes(spec: object) -> dict[str, Any]:
    """Every name ``dir(spec)`` lists, with its value read without running descriptors."""
    attributes = {}
    for name in dir(spec):
        value = inspect.getattr_static(spec, name, None)
        with contextlib.suppress(ValueError, TypeError):
            value = inspect.unwrap(value)
        attributes[name] = value
    return attributes


def signature_of(
    spec: Any, *, as_instance: bool = False, skip_first: bool = False
) -> tuple[Any, inspect.Signature] | None:
    """The callable a mock of ``spec`` stands for, and the signature its calls must bind to.

    A class is called to construct it (its constructor signature, without ``self``) unless it
    stands for an instance, which is called through ``__call__``. ``None`` when the signature
    cannot be read (many builtins).
    """
    if isinstance(spec, type) and not as_instance:
        # Constructed through __init__; a class that only has object's takes anything.
        spec = spec.__init__
        skip_first = True
    elif isinstance(spec, (classmethod, staticmethod)):
        skip_first = isinstance(spec, classmethod)
        spec = spec.__func__
    elif not isinstance(spec, FUNCTION_TYPES):
        try:
            spec = spec.__call__
        except AttributeError:
            return None
    target = functools.partial(spec, None) if skip_first else spec
    try:
        return spec, inspect.signature(target)
    except (ValueError, TypeError):
        return None


def method_skips_first_argument(spec: object, name: str, is_type: bool) -> bool:
    """Whether the attribute ``name`` of ``spec`` is called without its first (self) argument.

    Methods found on a class spec are modelled as called on an instance; static and class
    methods, and attributes of the instance itself, take their arguments as declared.
    """
    if not isinstance(spec, type):
        if name in getattr(spec, "__dict__", {}):
            return False
        spec = type(spec)
    for klass in spec.__mro__:
        found = klass.__dict__.get(name, _NOT_FOUND)
        if found is _NOT_FOUND:
            continue
        if isinstance(found, (staticmethod, classmethod)):
            return False
        if isinstance(found, FUNCTION_TYPES):
            return is_type
        return False
    return is_type


def copy_function_details(source: Any, target: Any) -> None:
    """Give ``target`` the name, docs and defaults of ``source`` (what introspection shows)."""
    for attribute in (
        "__name__",
        "__doc__",
        "__text_signature__",
        "__module__",
        "__defaults__",
        "__kwdefaults__",
    ):
        with contextlib.suppress(AttributeError, TypeError):
            setattr(target, attribute, getattr(source, attribute))

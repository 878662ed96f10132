"""Reading the objects a mock imitates: callability, signatures, async-ness, descriptors.

Nothing here knows about mock classes; the mock layers above ask these questions of their specs.
"""

from __future__ import annotations

import contextlib
import inspect
import threading
import types
from collections.abc import Callable, Iterator
from typing import Any

__all__ = [
    "FUNCTION_TYPES",
    "StaticLookup",
    "async_attributes",
    "binding_check",
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
    "signatures_remembered",
    "spec_names",
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


_NEVER_COROUTINE_FUNCTIONS = frozenset({
    types.WrapperDescriptorType,
    types.MethodDescriptorType,
    types.ClassMethodDescriptorType,
    types.GetSetDescriptorType,
    types.MemberDescriptorType,
    types.MethodWrapperType,
    types.BuiltinFunctionType,
    type(None),
    bool,
    int,
    float,
    str,
    bytes,
    tuple,
    frozenset,
    dict,
    list,
    set,
})  # fmt: skip
"""Exact types whose instances carry no attributes: never wrappers, never coroutine functions."""

_CO_COROUTINE = inspect.CO_COROUTINE


def _plain_function() -> None:
    pass


_PLAIN_FUNCTION_NAMES = tuple(dir(_plain_function))
"""``dir()`` of any function without attributes of its own (the function type is fixed)."""


def spec_names(spec: object) -> list[str]:
    """``dir(spec)``: the attributes a mock of ``spec`` has."""
    if type(spec) is types.FunctionType and not spec.__dict__:
        return list(_PLAIN_FUNCTION_NAMES)
    return dir(spec)


def async_attributes(spec: object, names: list[str]) -> set[str]:
    """Those of ``names`` whose value on ``spec``, read without running descriptors (as
    ``inspect.getattr_static`` reads it) and unwrapped, is a coroutine function."""
    if type(spec) is types.FunctionType and not spec.__dict__:
        return set()  # its attributes are the function type's: slots and descriptors
    lookup = StaticLookup(spec)
    found = set()
    for name in names:
        value = lookup.get(name)
        kind = type(value)
        if kind in _NEVER_COROUTINE_FUNCTIONS:
            continue
        if kind is types.FunctionType and not value.__dict__:
            # No __wrapped__, no coroutine markers: only the code says.
            if value.__code__.co_flags & _CO_COROUTINE:
                found.add(name)
            continue
        with contextlib.suppress(ValueError, TypeError):
            value = inspect.unwrap(value)
        if iscoroutinefunction(value):
            found.add(name)
    return found


_class_mro = type.__dict__["__mro__"].__get__
_class_dict = type.__dict__["__dict__"].__get__
_MISSING = object()


class StaticLookup:
    """``inspect.getattr_static(obj, name, None)`` for many names of one object, faster.

    The classes to search, and whether the instance's own dict counts, are worked out once;
    each lookup then reads a merged view of the class dicts.
    """

    def __init__(self, obj: object) -> None:
        self._shadowed: dict[int, Any] = {}
        objtype = type(obj)
        self._instance_dict: Any = None
        if type in _class_mro(objtype):
            klass: Any = obj
            self._metaclass_attributes = self._merged(_class_mro(type(obj)))
        else:
            klass = objtype
            self._metaclass_attributes = {}
            dict_attribute = self._shadowed_dict(klass)
            if dict_attribute is _MISSING or type(dict_attribute) is types.MemberDescriptorType:
                try:
                    self._instance_dict = object.__getattribute__(obj, "__dict__")
                except AttributeError:
                    self._instance_dict = {}
        self._class_attributes = self._merged(_class_mro(klass))

    def get(self, name: str) -> Any:
        class_result = self._class_attributes.get(name, _MISSING)
        if self._instance_dict is not None:
            instance_result = dict.get(self._instance_dict, name, _MISSING)
            if instance_result is not _MISSING:
                if class_result is not _MISSING and self._is_data_descriptor(class_result):
                    return class_result
                return instance_result
        if class_result is not _MISSING:
            return class_result
        return self._metaclass_attributes.get(name)

    def _merged(self, mro: tuple[type, ...]) -> dict[str, Any]:
        """The dicts of ``mro``'s classes as one, the first class's values winning."""
        merged: dict[str, Any] = {}
        for entry in reversed(mro):
            if self._shadowed_dict(type(entry)) is _MISSING:
                merged.update(entry.__dict__)
        return merged

    def _shadowed_dict(self, klass: type) -> Any:
        """A ``__dict__`` attribute some class of ``klass``'s MRO replaces, if any."""
        known = self._shadowed.get(id(klass), _MISSING)
        if known is not _MISSING:
            return known[0]
        found: Any = _MISSING
        for entry in _class_mro(klass):
            class_dict = _class_dict(entry).get("__dict__", _MISSING)
            if class_dict is not _MISSING and not (
                type(class_dict) is types.GetSetDescriptorType
                and class_dict.__name__ == "__dict__"
                and class_dict.__objclass__ is entry
            ):
                found = class_dict
                break
        self._shadowed[id(klass)] = (found, klass)
        return found

    def _is_data_descriptor(self, value: Any) -> bool:
        methods = StaticLookup(type(value))._class_attributes
        return "__get__" in methods and ("__set__" in methods or "__delete__" in methods)


_remembered = threading.local()


@contextlib.contextmanager
def signatures_remembered() -> Iterator[None]:
    """Within the block, ``signature_of`` reads each callable's signature once.

    ``create_autospec`` of a class reads each method's signature for the class's mock and for
    its instance's; nothing can change a signature in between.
    """
    if getattr(_remembered, "signatures", None) is not None:
        yield
        return
    _remembered.signatures = {}
    try:
        yield
    finally:
        _remembered.signatures = None


def signature_of(
    spec: Any, *, as_instance: bool = False, skip_first: bool = False
) -> tuple[Any, inspect.Signature] | None:
    """The callable a mock of ``spec`` stands for, and the signature its calls must bind to.

    A class is called to construct it (its constructor signature, without ``self``) unless it
    stands for an instance, which is called through ``__call__``. ``None`` when the signature
    cannot be read (many builtins).
    """
    memo = getattr(_remembered, "signatures", None)
    if memo is None:
        return _read_signature(spec, as_instance, skip_first)
    key = (id(spec), as_instance, skip_first)
    if key not in memo:
        memo[key] = (spec, _read_signature(spec, as_instance, skip_first))
    return memo[key][1]


def _read_signature(
    spec: Any, as_instance: bool, skip_first: bool
) -> tuple[Any, inspect.Signature] | None:
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
    try:
        signature = inspect.signature(spec)
    except (ValueError, TypeError):
        return None
    if skip_first:
        signature = _without_first_argument(signature)
    return None if signature is None else (spec, signature)


def _without_first_argument(signature: inspect.Signature) -> inspect.Signature | None:
    """The signature of ``functools.partial(f, None)`` from that of ``f`` (without building it).

    ``None`` when ``f`` takes no positional argument, as the partial could not be called.
    """
    parameters = list(signature.parameters.values())
    if not parameters:
        return None
    kind = parameters[0].kind
    if kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD):
        return signature.replace(parameters=parameters[1:])
    if kind is inspect.Parameter.VAR_POSITIONAL:
        return signature
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


_Shape = tuple[tuple[Any, str, bool], ...]
_stubs: dict[_Shape, Any] = {}
_NO_DEFAULT = inspect.Parameter.empty


def binding_check(signature: inspect.Signature) -> Callable[..., None]:
    """A function that raises the ``TypeError`` ``signature.bind`` raises for arguments that
    cannot bind to ``signature``, and does nothing for those that can.

    Arguments are first passed to a function with the same parameters (the interpreter binds
    them much faster than ``bind``); only when that fails does ``bind`` run, for its message.
    """
    stub = _stub_with_parameters_of(signature)
    bind = signature.bind
    if stub is None:
        return bind

    def check(*args: Any, **kwargs: Any) -> None:
        try:
            stub(*args, **kwargs)
        except TypeError:
            pass
        else:
            return
        bind(*args, **kwargs)

    return check


def _stub_with_parameters_of(signature: inspect.Signature) -> Any:
    """A do-nothing function whose parameters are ``signature``'s (one per shape, kept)."""
    shape = tuple(
        (parameter.kind, parameter.name, parameter.default is not _NO_DEFAULT)
        for parameter in signature.parameters.values()
    )
    if shape not in _stubs:
        _stubs[shape] = _compile_stub(shape)
    return _stubs[shape]


def _compile_stub(shape: _Shape) -> Any:
    kinds = inspect.Parameter
    written = []
    keyword_only_marked = False
    for index, (kind, name, has_default) in enumerate(shape):
        if kind is kinds.KEYWORD_ONLY and not keyword_only_marked:
            written.append("*")
            keyword_only_marked = True
        if kind is kinds.VAR_POSITIONAL:
            written.append(f"*{name}")
            keyword_only_marked = True
        elif kind is kinds.VAR_KEYWORD:
            written.append(f"**{name}")
        else:
            written.append(f"{name}=_default" if has_default else name)
        last_positional_only = kind is kinds.POSITIONAL_ONLY and (
            index + 1 == len(shape) or shape[index + 1][0] is not kinds.POSITIONAL_ONLY
        )
        if last_positional_only:
            written.append("/")
    namespace: dict[str, Any] = {"_default": None}
    try:
        exec(f"def stub({', '.join(written)}): pass", namespace)  # names are identifiers
    except SyntaxError:  # a hand-made signature no def can have: bind() does it all
        return None
    return namespace["stub"]


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

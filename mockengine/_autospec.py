"""``create_autospec``: mocks that have exactly the attributes and signatures of their spec.

Functions become real functions with the original signature, recording into a mock; classes and
instances become mocks whose methods check their call arguments; other attributes are specced
lazily, when first read.
"""

from __future__ import annotations

import dataclasses
import inspect
import typing
from typing import Any

from mockengine import _versions
from mockengine._async import AsyncMock
from mockengine._calls import _CallList
from mockengine._introspection import (
    FUNCTION_TYPES,
    binding_check,
    copy_function_details,
    is_async_function,
    is_callable,
    is_instance_callable,
    is_magic_name,
    is_name_list,
    iscoroutinefunction,
    method_skips_first_argument,
    signature_of,
    signatures_remembered,
)
from mockengine._magic import MagicMock, NonCallableMagicMock
from mockengine._mock import (
    InvalidSpecError,
    ReturnValueToMake,
    SpecState,
    extract_mock,
    is_mock,
)
from mockengine.vocabulary import ASYNC_ASSERT_METHODS, SPEC_ARGUMENT_TYPOS, SYNC_ASSERT_METHODS

__all__ = [
    "check_signature",
    "check_spec_argument_typos",
    "create_autospec",
    "set_rejection_observer",
]

RejectionObserver = typing.Callable[[Any, TypeError], None]

_rejection_observer: RejectionObserver | None = None


def set_rejection_observer(observer: RejectionObserver | None) -> None:
    """Tell ``observer(mock, error)`` about every call an autospecced mock refuses because its
    arguments cannot bind to the real signature, before the ``TypeError`` propagates
    (``None``: stop). ``mock`` is the mock that was called (the one behind an autospecced
    function)."""
    global _rejection_observer  # noqa: PLW0603  (the switch it turns)
    _rejection_observer = observer


def _rejected(mock: Any, error: TypeError) -> None:
    observer = _rejection_observer
    if observer is not None:
        observer(mock, error)


def check_spec_argument_typos(kwargs: dict[str, Any]) -> None:
    """Refuse ``autospect=``/``auto_spec=``/``set_spec=``: typos that would configure the mock."""
    for name in kwargs:
        if name in SPEC_ARGUMENT_TYPOS:
            raise RuntimeError(f"{name!r} might be a typo; use unsafe=True if this is intended")


def check_signature(spec: Any, mock: Any, skip_first: bool, instance: bool = False) -> None:
    """Make calls to ``mock`` raise ``TypeError`` unless they bind to ``spec``'s signature."""
    found = signature_of(spec, as_instance=instance, skip_first=skip_first)
    if found is not None:
        _check_calls_against(mock, *found)


def _check_calls_against(mock: Any, function: Any, signature: inspect.Signature) -> None:
    check = binding_check(signature)

    def checksig(self: Any, /, *args: Any, **kwargs: Any) -> None:
        try:
            check(*args, **kwargs)
        except TypeError as error:
            _rejected(self, error)
            raise

    copy_function_details(function, checksig)
    type(mock)._mock_check_sig = checksig
    type(mock).__signature__ = signature


def _function_standing_for(mock: Any, original: Any, is_async: bool) -> Any:
    """A real function with ``original``'s name and signature that checks and forwards calls.

    For an async function it is an ``async def``: the call is checked and recorded when the
    coroutine is awaited, and ``inspect.iscoroutinefunction`` is true on every Python.
    """
    found = signature_of(original, skip_first=isinstance(original, type))
    if found is None:
        return mock
    function, signature = found

    check = binding_check(signature)

    def checksig(*args: Any, **kwargs: Any) -> None:
        try:
            check(*args, **kwargs)
        except TypeError as error:
            _rejected(mock, error)
            raise

    copy_function_details(function, checksig)

    if is_async:

        async def funcopy(*args: Any, **kwargs: Any) -> Any:
            checksig(*args, **kwargs)
            return await mock(*args, **kwargs)

    else:

        def funcopy(*args: Any, **kwargs: Any) -> Any:
            checksig(*args, **kwargs)
            return mock(*args, **kwargs)

    name = original.__name__
    if not name.isidentifier():
        name = "funcopy"
    funcopy.__code__ = funcopy.__code__.replace(co_name=name)
    funcopy.__name__ = funcopy.__qualname__ = name
    funcopy.__module__ = None
    _give_mock_interface(funcopy, mock, signature)
    if is_async:
        _give_await_interface(funcopy)
    return funcopy


def _give_mock_interface(funcopy: Any, mock: Any, signature: inspect.Signature) -> None:
    """The function answers like its mock: recording attributes, assertions, ``reset_mock``."""
    funcopy.mock = mock
    funcopy.called = False
    funcopy.call_count = 0
    funcopy.call_args = None
    funcopy.call_args_list = _CallList()
    funcopy.method_calls = _CallList()
    funcopy.mock_calls = _CallList()
    funcopy.return_value = mock.return_value
    funcopy.side_effect = mock.side_effect
    funcopy._mock_children = mock._mock_children
    for name in sorted(SYNC_ASSERT_METHODS):
        setattr(funcopy, name, getattr(mock, name))

    def reset_mock(*args: Any, **kwargs: Any) -> None:
        funcopy.method_calls = _CallList()
        funcopy.mock_calls = _CallList()
        mock.reset_mock(*args, **kwargs)
        returned = funcopy.return_value
        if is_mock(returned) and returned is not mock:
            returned.reset_mock()

    funcopy.reset_mock = reset_mock
    funcopy.__signature__ = signature
    mock._mock_delegate = funcopy


def _give_await_interface(funcopy: Any) -> None:
    """An autospecced async function also has its mock's await records and assertions."""
    funcopy.await_count = 0
    funcopy.await_args = None
    funcopy.await_args_list = _CallList()
    inner = funcopy.mock
    for name in sorted(ASYNC_ASSERT_METHODS):
        setattr(funcopy, name, getattr(inner, name))


def _dataclass_fields(spec: type) -> dict[str, Any]:
    """An instance of a dataclass has its fields, typed, even where the class has no value.

    A type written as a string is resolved; one that cannot be leaves its field unspecced.
    """
    if not dataclasses.is_dataclass(spec):
        return {}
    try:
        hints = typing.get_type_hints(spec)
    except Exception:  # any error in user annotations means "type unknown"
        hints = {}
    fields = {}
    for field in dataclasses.fields(spec):
        field_type = hints.get(field.name, field.type)
        fields[field.name] = None if isinstance(field_type, str) else field_type
    return fields


def _spec_attributes(mock: Any, spec: Any, spec_set: Any, instance: bool, wrapped: Any) -> None:
    """Give the autospec its spec's attributes: methods now, everything else lazily."""
    is_type = isinstance(spec, type)
    owner = extract_mock(mock)
    extra_fields = _dataclass_fields(spec) if is_type and instance else {}
    if extra_fields and owner._mock_methods is not None:
        owner.__dict__["_mock_methods"] = [*owner._mock_methods, *extra_fields]
    names = dir(spec)
    for entry in [*names, *(name for name in extra_fields if name not in names)]:
        if is_magic_name(entry):
            # MagicMock already gives the useful magic methods.
            continue
        try:
            original = getattr(spec, entry)
        except AttributeError:
            if entry in extra_fields:
                owner._mock_children[entry] = SpecState(
                    extra_fields[entry], spec_set, owner, entry, instance=True
                )
            continue
        if not isinstance(original, FUNCTION_TYPES):
            # An attribute is what it is, on an instance too: a nested class stays a class.
            owner._mock_children[entry] = SpecState(original, spec_set, owner, entry)
            continue
        child_kwargs: dict[str, Any] = {"spec_set" if spec_set else "spec": original}
        if not spec_set and wrapped is not None and hasattr(wrapped, entry):
            child_kwargs["wraps"] = getattr(wrapped, entry)
        skip_first = method_skips_first_argument(spec, entry, is_type)
        child_class = AsyncMock if iscoroutinefunction(original) else MagicMock
        child = child_class(
            parent=owner,
            name=entry,
            _new_name=entry,
            _new_parent=owner,
            _eat_self=skip_first,
            **child_kwargs,
        )
        owner._mock_children[entry] = child
        child.__dict__["_mock_return_value"] = ReturnValueToMake(child_class)
        if child._spec_signature is not None:
            # The child read the very signature check_signature would read again.
            _check_calls_against(child, original, child._spec_signature)


def create_autospec(
    spec: Any,
    spec_set: Any = False,
    instance: bool = False,
    _parent: Any = None,
    _name: str | None = None,
    *,
    unsafe: bool = False,
    **kwargs: Any,
) -> Any:
    """A mock with ``spec``'s attributes, whose calls must match the real signatures.

    ``spec_set`` also refuses setting attributes the spec lacks; ``instance`` mocks an instance
    of the class ``spec`` (called only if instances are callable). Other keywords configure the
    mock. Attributes are specced lazily, on first access.
    """
    with signatures_remembered():
        if is_name_list(spec):
            spec = type(spec)
        is_type = isinstance(spec, type)
        if _versions.current.mocks_refused_as_autospec and is_mock(spec):
            raise InvalidSpecError(f"Cannot autospec a Mock object. [object={spec!r}]")
        is_async = is_async_function(spec)
        mock_kwargs: dict[str, Any] = {"spec": spec}
        if spec_set:
            mock_kwargs = {"spec_set": spec}
        elif spec is None:
            mock_kwargs = {}
        if mock_kwargs and instance:
            mock_kwargs["_spec_as_instance"] = True
        if not unsafe:
            check_spec_argument_typos(kwargs)
        name = kwargs.pop("name", _name)
        new_name = "" if _parent is None else name
        mock_kwargs.update(kwargs)

        mock_class: type = MagicMock
        if is_async:
            if instance:
                raise RuntimeError(
                    "Instance can not be True when create_autospec is mocking an async function"
                )
            mock_class = AsyncMock
        elif inspect.isdatadescriptor(spec):
            # What a descriptor returns is unknown, so its mock has no spec.
            mock_kwargs = {}
        elif (is_type and instance and not is_instance_callable(spec)) or not is_callable(spec):
            mock_class = NonCallableMagicMock
        mock = mock_class(
            parent=_parent, _new_parent=_parent, _new_name=new_name, name=name, **mock_kwargs
        )

        if isinstance(spec, FUNCTION_TYPES):
            # Only at the top level: functions' attributes are not specced further.
            mock = _function_standing_for(mock, spec, is_async)
        else:
            check_signature(spec, mock, is_type, instance)

        if _parent is not None and not instance:
            _parent._mock_children[name] = mock

        wrapped = kwargs.pop("wraps", None)
        if is_type and not instance and "return_value" not in kwargs:
            mock.return_value = create_autospec(
                spec, spec_set, instance=True, _name="()", _parent=mock, wraps=wrapped
            )

        _spec_attributes(mock, spec, spec_set, instance, wrapped)
        if not is_mock(mock):
            # A function's own attributes live on the function that stands for it.
            for entry in list(mock.mock._mock_children):
                if not is_magic_name(entry) and not hasattr(mock, entry):
                    setattr(mock, entry, getattr(mock.mock, entry))
        if is_type and not instance:
            # Dotted keywords reaching into the instance configure the autospecced one.
            mock.configure_mock(
                **{key: value for key, value in kwargs.items() if key.startswith("return_value.")}
            )
        return mock

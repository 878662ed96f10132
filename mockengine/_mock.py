"""The core mock: ``NonCallableMock``, ``CallableMixin`` and ``Mock``.

Children made on attribute access, return values, side effects, wrapping, specs, the recording
of calls up the parent chain, and every ``assert_*`` method with ``unittest.mock``'s messages.
"""

from __future__ import annotations

import inspect
import threading
from typing import Any, Callable

from mockengine import _versions
from mockengine._calls import (
    AnyComparer,
    _Call,
    _CallList,
    call,
    format_call_signature,
    named_call,
    recorded_call,
    safe_repr,
)
from mockengine._introspection import (
    FUNCTION_TYPES,
    async_attributes,
    is_callable,
    is_exception,
    is_name_list,
    iscoroutinefunction,
    signature_of,
    spec_names,
)
from mockengine._sentinels import DEFAULT, DELETED, MISSING
from mockengine.vocabulary import (
    MAGIC_METHODS,
    PREFIXLESS_ASSERTIONS,
    UNSUPPORTED_MAGIC_METHODS,
)

__all__ = [
    "CallableMixin",
    "InvalidSpecError",
    "Mock",
    "NonCallableMock",
    "ReturnValueToMake",
    "SpecState",
    "call_list_problem",
    "check_and_set_parent",
    "delegating_property",
    "extract_mock",
    "is_async_object",
    "is_mock",
    "set_call_observer",
    "unmatched_calls",
]

_ALWAYS_SETTABLE = frozenset({"return_value", "side_effect"})
"""Names set on a mock without any spec check (they configure it)."""

_LOOKED_UP_BEFORE_INIT = frozenset({"_mock_methods", "_mock_unsafe", "_mock_check_sig"})
"""Internal attributes read before ``__init__`` sets them: missing, never child mocks.

``__init__`` sets every other internal attribute before ``_mock_unsafe``, and
``__getattr__`` reads ``_mock_unsafe`` before them, so a half-built mock never recurses."""


_NO_CHILDREN: dict[str, Any] = {}


class InvalidSpecError(Exception):
    """A spec (or autospec) was asked of an object that cannot be one, such as a mock."""


class SpecState:
    """An attribute of an autospec, specced lazily: turned into a mock when first read."""

    def __init__(
        self,
        spec: Any,
        spec_set: Any = False,
        parent: Any = None,
        name: str | None = None,
        instance: bool = False,
    ) -> None:
        self.spec = spec
        self.spec_set = spec_set
        self.parent = parent
        self.instance = instance
        self.name = name


class ReturnValueToMake:
    """A return value that is a new ``mock_class()``, made when first read.

    Autospecced methods each have one; most are never read, and making a mock costs.
    """

    __slots__ = ("mock_class",)

    def __init__(self, mock_class: type) -> None:
        self.mock_class = mock_class


def is_mock(obj: object) -> bool:
    """A mock of ours, whatever ``__class__`` it claims (specs may change it)."""
    return issubclass(type(obj), NonCallableMock)


def extract_mock(obj: Any) -> Any:
    """The mock behind an autospecced function (which is a real function holding it)."""
    if isinstance(obj, FUNCTION_TYPES) and hasattr(obj, "mock"):
        return obj.mock
    return obj


def check_and_set_parent(parent: Any, value: Any, name: str | None, new_name: str | None) -> bool:
    """Adopt ``value`` as a child of ``parent`` if it is a mock that belongs to no one yet.

    An adopted mock reports its calls to its new parent. A named mock, one that already has a
    parent, or one of ``parent``'s own ancestors (a loop) is left alone.
    """
    value = extract_mock(value)
    if not is_mock(value):
        return False
    if (
        value._mock_name
        or value._mock_new_name
        or value._mock_parent is not None
        or value._mock_new_parent is not None
    ):
        return False
    ancestor = parent
    while ancestor is not None:
        if ancestor is value:
            return False
        ancestor = ancestor._mock_new_parent
    if new_name:
        value._mock_new_parent = parent
        value._mock_new_name = new_name
    if name:
        value._mock_parent = parent
        value._mock_name = name
    return True


def delegating_property(name: str) -> property:
    """A recording attribute, read from and written to the autospec function when there is one."""
    private = f"_mock_{name}"

    def get(self: NonCallableMock) -> Any:
        delegate = self._mock_delegate
        if delegate is None:
            return self.__dict__[private]
        return getattr(delegate, name)

    def set_(self: NonCallableMock, value: Any) -> None:
        delegate = self._mock_delegate
        if delegate is None:
            self.__dict__[private] = value
        else:
            setattr(delegate, name, value)

    return property(get, set_)


def _try_iter(value: Any) -> Any:
    """A side effect that is neither raised nor called is iterated, one value per call."""
    if value is None or is_exception(value) or is_callable(value):
        return value
    try:
        return iter(value)
    except TypeError:
        return value


class NonCallableMock:
    """A mock that cannot be called: attributes are child mocks, calls on them are recorded."""

    _lock = threading.RLock()
    _mock_is_async = False
    """Whether calling the mock gives an awaitable (``AsyncMock`` and its kin)."""

    def __new__(cls, /, *args: Any, **kwargs: Any) -> Any:
        # Each mock gets a class of its own, so that magic methods (looked up on the type) and
        # signature checks can be set per mock.
        bases: tuple[type, ...] = (cls,)
        spec = kwargs.get("spec_set", kwargs.get("spec"))
        if spec is None and args:
            spec = args[0]
        if spec is not None and is_async_object(spec) and not cls._mock_is_async:
            # import cycle: async builds on us
            from mockengine._async import AsyncMockMixin  # noqa: PLC0415

            bases = (AsyncMockMixin, cls)
        namespace = cls._mock_class_namespace(spec)
        namespace["__doc__"] = cls.__doc__
        return object.__new__(type(cls.__name__, bases, namespace))

    @classmethod
    def _mock_class_namespace(cls, spec: Any) -> dict[str, Any]:
        """What a new mock's own class starts with (magic mocks put their methods there)."""
        return {}

    def __init__(
        self,
        /,
        spec: Any = None,
        wraps: Any = None,
        name: str | None = None,
        spec_set: Any = None,
        parent: Any = None,
        _new_name: str = "",
        _new_parent: Any = None,
        _spec_as_instance: bool = False,
        _eat_self: bool | None = None,
        unsafe: bool = False,
        **kwargs: Any,
    ) -> None:
        if _new_parent is None:
            # An explicit parent records this mock's calls under no name of their own.
            _new_parent = parent
        state = self.__dict__
        state["_mock_parent"] = parent
        state["_mock_name"] = name
        state["_mock_new_name"] = _new_name
        state["_mock_new_parent"] = _new_parent
        state["_mock_sealed"] = False
        # A non-callable mock still has return_value and side_effect (CallableMixin set them).
        state.setdefault("_mock_return_value", DEFAULT)
        state.setdefault("_mock_side_effect", None)
        if spec_set is not None:
            spec = spec_set
            spec_set = True
        if _eat_self is None:
            _eat_self = parent is not None
        self._mock_add_spec(spec, spec_set, _spec_as_instance, _eat_self)
        state["_mock_children"] = {}
        state["_mock_wraps"] = wraps
        state["_mock_delegate"] = None
        state["_mock_called"] = False
        state["_mock_call_args"] = None
        state["_mock_call_count"] = 0
        state["_mock_call_args_list"] = _CallList()
        state["_mock_mock_calls"] = _CallList()
        state["method_calls"] = _CallList()
        state["_mock_unsafe"] = unsafe
        if kwargs:
            self.configure_mock(**kwargs)

    # -- configuration -------------------------------------------------------------------

    def attach_mock(self, mock: Any, attribute: str) -> None:
        """Make ``mock`` the child ``attribute``, recording its calls here from now on."""
        inner = extract_mock(mock)
        inner._mock_parent = None
        inner._mock_new_parent = None
        inner._mock_name = ""
        inner._mock_new_name = None
        if _class_attribute(type(self), attribute) is mock:
            # Already there as a descriptor (a PropertyMock on the class): setting it again
            # would call it.
            check_and_set_parent(self, mock, attribute, attribute)
            self._mock_children[attribute] = mock
            return
        setattr(self, attribute, mock)

    def mock_add_spec(self, spec: Any, spec_set: bool = False) -> None:
        """Restrict the mock to the attributes of ``spec`` (only those can be read, or set)."""
        self._mock_add_spec(spec, spec_set)

    def _mock_add_spec(
        self, spec: Any, spec_set: Any, _spec_as_instance: bool = False, _eat_self: bool = False
    ) -> None:
        if _versions.current.mocks_refused_as_spec and is_mock(spec):
            raise InvalidSpecError(f"Cannot spec a Mock object. [object={spec!r}]")
        spec_class = None
        signature = None
        async_names: set[str] = set()
        if spec is not None and not is_name_list(spec):
            spec_class = spec if isinstance(spec, type) else type(spec)
            found = signature_of(spec, as_instance=_spec_as_instance, skip_first=_eat_self)
            signature = found[1] if found else None
            names = spec_names(spec)
            async_names = async_attributes(spec, names)
            spec = names
        state = self.__dict__
        state["_spec_class"] = spec_class
        state["_spec_set"] = spec_set
        state["_spec_signature"] = signature
        state["_mock_methods"] = spec
        state["_spec_asyncs"] = async_names

    def configure_mock(self, /, **kwargs: Any) -> None:
        """Set attributes, dotted names reaching children: ``configure_mock(**{"a.b": 1})``."""
        for dotted, value in sorted(kwargs.items(), key=lambda item: item[0].count(".")):
            *path, final = dotted.split(".")
            target = self
            for part in path:
                target = getattr(target, part)
            setattr(target, final, value)

    def reset_mock(
        self, visited: Any = None, *, return_value: bool = False, side_effect: bool = False
    ) -> None:
        """Forget every recorded call, here and in children (optionally the configuration too)."""
        if visited is None:
            visited = []
        if id(self) in visited:
            return
        visited.append(id(self))
        self.called = False
        self.call_args = None
        self.call_count = 0
        self.mock_calls = _CallList()
        self.call_args_list = _CallList()
        self.method_calls = _CallList()
        if return_value:
            self._mock_return_value = DEFAULT
        if side_effect:
            self._mock_side_effect = None
        for child in self._mock_children.values():
            if isinstance(child, SpecState) or child is DELETED:
                continue
            child.reset_mock(visited, return_value=return_value, side_effect=side_effect)
        returned = self.__dict__.get("_mock_return_value")
        if is_mock(returned) and returned is not self:
            returned.reset_mock(visited)

    # -- recording attributes ------------------------------------------------------------

    called = delegating_property("called")
    call_count = delegating_property("call_count")
    call_args = delegating_property("call_args")
    call_args_list = delegating_property("call_args_list")
    mock_calls = delegating_property("mock_calls")

    def _get_return_value(self) -> Any:
        value = self._mock_return_value
        if self._mock_delegate is not None:
            value = self._mock_delegate.return_value
        if type(value) is ReturnValueToMake:
            if self._mock_sealed and not _versions.current.sealed_autospec_makes_return_value:
                raise AttributeError(self._extract_mock_name() + "()")
            with NonCallableMock._lock:
                value = self._mock_return_value
                if type(value) is ReturnValueToMake:
                    value = value.mock_class()
                    self.return_value = value
        elif value is DEFAULT and self._mock_wraps is None:
            value = self._get_child_mock(_new_parent=self, _new_name="()")
            self.return_value = value
        return value

    def _set_return_value(self, value: Any) -> None:
        if self._mock_delegate is not None:
            self._mock_delegate.return_value = value
        else:
            self.__dict__["_mock_return_value"] = value
            check_and_set_parent(self, value, None, "()")

    return_value = property(
        _get_return_value, _set_return_value, doc="What calling the mock returns."
    )

    def _get_side_effect(self) -> Any:
        delegate = self._mock_delegate
        if delegate is None:
            return self._mock_side_effect
        effect = delegate.side_effect
        if (
            effect is not None
            and not is_callable(effect)
            and not is_exception(effect)
            and not hasattr(effect, "__next__")
        ):
            # Set on the function as a plain attribute: iterate it from now on.
            effect = iter(effect)
            delegate.side_effect = effect
        return effect

    def _set_side_effect(self, value: Any) -> None:
        value = _try_iter(value)
        delegate = self._mock_delegate
        if delegate is None:
            self.__dict__["_mock_side_effect"] = value
        else:
            delegate.side_effect = value

    side_effect = property(
        _get_side_effect, _set_side_effect, doc="Raised, iterated or called on each call."
    )

    def _get_class(self) -> type:
        spec_class = self.__dict__.get("_spec_class")
        return type(self) if spec_class is None else spec_class

    __class__ = property(_get_class)

    # -- attributes ----------------------------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        if name in _LOOKED_UP_BEFORE_INIT:
            raise AttributeError(name)
        allowed = self._mock_methods
        if allowed is None:
            # A child already made passed the checks below when it was made.
            child = self.__dict__.get("_mock_children", _NO_CHILDREN).get(name)
            if child is not None and child is not DELETED and type(child) is not SpecState:
                return child
        elif name not in allowed or name in MAGIC_METHODS:
            raise AttributeError(f"Mock object has no attribute {name!r}")
        if allowed is None and _is_dunder(name):
            raise AttributeError(name)
        if (
            not self._mock_unsafe
            and (not allowed or name not in allowed)
            and (
                name.startswith(_versions.current.refused_assert_prefixes)
                or (
                    _versions.current.prefixless_assertions_refused
                    and name in PREFIXLESS_ASSERTIONS
                )
            )
        ):
            raise AttributeError(_versions.current.unsafe_attribute_message(name))
        with NonCallableMock._lock:
            child = self._mock_children.get(name)
            if child is DELETED:
                raise AttributeError(name)
            if child is None:
                wraps = None
                if self._mock_wraps is not None:
                    # A wrapped object's missing attribute raises here, as it would unwrapped.
                    wraps = getattr(self._mock_wraps, name)
                child = self._get_child_mock(
                    parent=self, name=name, wraps=wraps, _new_name=name, _new_parent=self
                )
                self._mock_children[name] = child
            elif isinstance(child, SpecState):
                child = self._autospec_child(name, child)
        return child

    def _autospec_child(self, name: str, state: SpecState) -> Any:
        # import cycle: autospec builds mocks
        from mockengine._autospec import create_autospec  # noqa: PLC0415

        try:
            child = create_autospec(
                state.spec, state.spec_set, state.instance, state.parent, state.name
            )
        except InvalidSpecError:
            target = self._mock_name or self
            raise InvalidSpecError(
                f"Cannot autospec attr {state.name!r} from target {target!r} as it has "
                f"already been mocked out. [target={self!r}, attr={state.spec!r}]"
            ) from None
        self._mock_children[name] = child
        return child

    def __setattr__(self, name: str, value: Any) -> None:
        state = self.__dict__
        if name in _ALWAYS_SETTABLE or name.startswith("_mock_"):
            object.__setattr__(self, name, value)
            return
        if (
            self._spec_set
            and self._mock_methods is not None
            and name not in self._mock_methods
            and name not in state
            and f"_mock_{name}" not in state
        ):
            raise AttributeError(f"Mock object has no attribute '{name}'")
        if name in UNSUPPORTED_MAGIC_METHODS:
            raise AttributeError(f"Attempting to set unsupported magic method {name!r}.")
        if name in MAGIC_METHODS:
            if self._mock_methods is not None and name not in self._mock_methods:
                raise AttributeError(f"Mock object has no attribute '{name}'")
            if not is_mock(value):
                setattr(type(self), name, _as_method(name, value))
                original = value

                def value(*args: Any, **kwargs: Any) -> Any:
                    return original(self, *args, **kwargs)

            else:
                # A magic method is recorded in mock_calls, never in method_calls.
                check_and_set_parent(self, value, None, name)
                setattr(type(self), name, value)
                self._mock_children[name] = value
        elif name == "__class__":
            state["_spec_class"] = value
            return
        elif check_and_set_parent(self, value, name, name):
            self._mock_children[name] = value
        if self._mock_sealed and not hasattr(self, name):
            raise AttributeError(f"Cannot set {self._extract_mock_name()}.{name}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if name in MAGIC_METHODS and name in type(self).__dict__:
            delattr(type(self), name)
            if name not in self.__dict__:
                # A magic method never set on the instance (still the class's default).
                return
        child = self._mock_children.get(name, MISSING)
        if name in self.__dict__:
            object.__delattr__(self, name)
        elif child is DELETED:
            raise AttributeError(name)
        if child is not MISSING:
            del self._mock_children[name]
        self._mock_children[name] = DELETED

    def __dir__(self) -> list[str]:
        # import cycle: FILTER_DIR is the public switch users set on the package
        import mockengine  # noqa: PLC0415

        if not mockengine.FILTER_DIR:
            return object.__dir__(self)
        extras = self._mock_methods or []
        from_type = [name for name in dir(type(self)) if not name.startswith("_")]
        from_dict = [name for name in self.__dict__ if not name.startswith("_") or _is_dunder(name)]
        from_children = [
            name for name, child in self._mock_children.items() if child is not DELETED
        ]
        return sorted(set(list(extras) + from_type + from_dict + from_children))

    # -- naming --------------------------------------------------------------------------

    def _extract_mock_name(self) -> str:
        """The dotted path from the root mock, e.g. ``mock.client().get``."""
        names = [self._mock_new_name]
        parent = self._mock_new_parent
        root = self
        dot = "" if names == ["()"] else "."
        while parent is not None:
            root = parent
            names.append(parent._mock_new_name + dot)
            dot = "" if parent._mock_new_name == "()" else "."
            parent = parent._mock_new_parent
        names.reverse()
        first = root._mock_name or "mock"
        if len(names) > 1 and names[1] not in ("()", "()."):
            first += "."
        names[0] = first
        return "".join(names)

    def __repr__(self) -> str:
        name = self._extract_mock_name()
        name_part = "" if name in ("mock", "mock.") else f" name={name!r}"
        spec_part = ""
        if self._spec_class is not None:
            keyword = "spec_set" if self._spec_set else "spec"
            spec_part = f" {keyword}={self._spec_class.__name__!r}"
        return f"<{type(self).__name__}{name_part}{spec_part} id='{id(self)}'>"

    # -- children ------------------------------------------------------------------------

    def _get_child_mock(self, /, **kwargs: Any) -> Any:
        """Create a child mock (attribute or return value); subclasses override to choose it."""
        if self._mock_sealed:
            attribute = f".{kwargs['name']}" if "name" in kwargs else "()"
            raise AttributeError(self._extract_mock_name() + attribute)
        return self._child_mock_class(kwargs.get("_new_name"))(**kwargs)

    def _child_mock_class(self, new_name: str | None) -> type:
        if new_name in self.__dict__["_spec_asyncs"]:
            # import cycle: async builds on us
            from mockengine._async import AsyncMock  # noqa: PLC0415

            return AsyncMock
        if not issubclass(type(self), CallableMixin):
            return Mock
        # type(self) is this mock's own class; the one it was made from comes next.
        return type(self).__mro__[1]

    # -- assertions ----------------------------------------------------------------------

    def _display_name(self) -> str:
        return self._mock_name or "mock"

    def _format_mock_call_signature(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
        return format_call_signature(self._display_name(), args, kwargs)

    def _format_mock_failure_message(
        self, args: tuple[Any, ...], kwargs: dict[str, Any], action: str = "call"
    ) -> str:
        expected = self._format_mock_call_signature(args, kwargs)
        recorded = self.call_args if action == "call" else self.await_args
        actual = self._format_mock_call_signature(*recorded)
        actual_line = _versions.current.actual_line_prefix + actual
        return f"expected {action} not found.\nExpected: {expected}\n{actual_line}"

    def _calls_repr(self, prefix: str = "Calls") -> str:
        if not self.mock_calls:
            return ""
        return f"\n{prefix}: {safe_repr(self.mock_calls)}."

    def _get_call_signature_from_name(self, name: str) -> Any:
        """The spec signature of the child a dotted ``mock_calls`` name leads to."""
        if not name:
            return self._spec_signature
        signature = None
        children = self._mock_children
        for part in name.replace("()", "").split("."):
            child = children.get(part)
            if child is None or isinstance(child, SpecState) or child is DELETED:
                break
            child = extract_mock(child)
            children = child._mock_children
            signature = child._spec_signature
        return signature

    def _call_matcher(self, recorded: Any) -> Any:
        """A call in a comparable form: bound to the spec's signature when there is one.

        Binding makes ``f(1, b=2)`` and ``f(a=1, b=2)`` equal for ``def f(a, b)``. A call that
        cannot bind becomes the ``TypeError`` explaining why.
        """
        if isinstance(recorded, tuple) and len(recorded) > 2:
            name = recorded[0]
            signature = self._get_call_signature_from_name(name)
        else:
            name = ""
            signature = self._spec_signature
        if signature is None:
            return recorded
        if len(recorded) == 2:
            args, kwargs = recorded
        else:
            name, args, kwargs = recorded
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as error:
            return error.with_traceback(None)
        return call(name, bound.args, bound.kwargs)

    def assert_not_called(self) -> None:
        """Assert the mock was never called."""
        if self.call_count != 0:
            raise AssertionError(
                f"Expected '{self._display_name()}' to not have been called. "
                f"Called {self.call_count} times.{self._calls_repr()}"
            )

    def assert_called(self) -> None:
        """Assert the mock was called at least once."""
        if self.call_count == 0:
            raise AssertionError(f"Expected '{self._display_name()}' to have been called.")

    def assert_called_once(self) -> None:
        """Assert the mock was called exactly once."""
        if self.call_count != 1:
            raise AssertionError(
                f"Expected '{self._display_name()}' to have been called once. "
                f"Called {self.call_count} times.{self._calls_repr()}"
            )

    def assert_called_with(self, /, *args: Any, **kwargs: Any) -> None:
        """Assert the last call had these arguments."""
        recorded = self.call_args
        if recorded is None:
            expected = self._format_mock_call_signature(args, kwargs)
            actual_line = _versions.current.actual_line_prefix + "not called."
            raise AssertionError(f"expected call not found.\nExpected: {expected}\n{actual_line}")
        self._check_last_call(recorded, args, kwargs, "call")

    def assert_called_once_with(self, /, *args: Any, **kwargs: Any) -> None:
        """Assert the mock was called exactly once, with these arguments."""
        if self.call_count != 1:
            raise AssertionError(
                f"Expected '{self._display_name()}' to be called once. "
                f"Called {self.call_count} times.{self._calls_repr()}"
            )
        return self.assert_called_with(*args, **kwargs)

    def assert_has_calls(self, calls: Any, any_order: bool = False) -> None:
        """Assert ``calls`` are in ``mock_calls``: in a row, or anywhere with ``any_order``."""
        expected, cause, recorded = self._match_call_list(calls, self.mock_calls)
        if not any_order:
            if expected not in recorded:
                problem = call_list_problem("calls", expected, cause)
                actual = safe_repr(self.mock_calls)
                actual_line = _versions.current.actual_line_prefix + actual
                raise AssertionError(
                    f"{problem}\nExpected: {_CallList(calls)}\n{actual_line}"
                ) from cause
            return
        not_found, remaining = unmatched_calls(expected, recorded)
        if not_found:
            raise AssertionError(
                f"{self._display_name()!r} does not contain all of {tuple(not_found)!r} in its "
                f"call list, found {remaining!r} instead"
            ) from cause

    def assert_any_call(self, /, *args: Any, **kwargs: Any) -> None:
        """Assert the mock was called with these arguments at some point."""
        self._check_any_call(self.call_args_list, args, kwargs, "call")

    # -- matching, shared with the await assertions ----------------------------------

    def _check_last_call(
        self, recorded: Any, args: tuple[Any, ...], kwargs: dict[str, Any], action: str
    ) -> None:
        """Raise unless the recorded call (or await) matches these arguments."""
        expected = recorded_call(args, kwargs)
        unnamed = type(recorded) is _Call and len(recorded) == 2
        if not unnamed or self.__dict__["_spec_signature"] is not None:
            # (Without a signature, _call_matcher keeps unnamed calls as they are.)
            expected = self._call_matcher(expected)
            recorded = self._call_matcher(recorded)
        if recorded != expected:
            cause = expected if isinstance(expected, Exception) else None
            message = self._format_mock_failure_message(args, kwargs, action)
            raise AssertionError(message) from cause

    def _check_any_call(
        self, recorded: Any, args: tuple[Any, ...], kwargs: dict[str, Any], action: str
    ) -> None:
        """Raise unless one of the recorded calls (or awaits) matches these arguments."""
        expected = self._call_matcher(recorded_call(args, kwargs))
        cause = expected if isinstance(expected, Exception) else None
        actual = [self._call_matcher(one) for one in recorded]
        if cause or expected not in AnyComparer(actual):
            expected_string = self._format_mock_call_signature(args, kwargs)
            raise AssertionError(f"{expected_string} {action} not found") from cause

    def _match_call_list(self, calls: Any, recorded: Any) -> tuple[list[Any], Any, _CallList]:
        """Expected and recorded calls in comparable form, and the first binding error."""
        expected = [self._call_matcher(expected_call) for expected_call in calls]
        cause = next((item for item in expected if isinstance(item, Exception)), None)
        return expected, cause, _CallList(self._call_matcher(one) for one in recorded)


def call_list_problem(kind: str, expected: list[Any], cause: Any) -> str:
    """The first line(s) of a failed ``assert_has_calls``/``assert_has_awaits``."""
    if cause is None:
        return f"{kind.capitalize()} not found."
    errors = [item if isinstance(item, Exception) else None for item in expected]
    return f"Error processing expected {kind}.\nErrors: {errors}"


def unmatched_calls(expected: list[Any], recorded: list[Any]) -> tuple[list[Any], list[Any]]:
    """The expected calls missing from ``recorded`` (in any order), and the calls left over."""
    remaining = list(recorded)
    not_found = []
    for expected_call in expected:
        try:
            remaining.remove(expected_call)
        except ValueError:
            not_found.append(expected_call)
    return not_found, remaining


def _class_attribute(klass: type, name: str) -> Any:
    """``name`` as found on the class itself, without running descriptors."""
    for base in klass.__mro__:
        if name in base.__dict__:
            return base.__dict__[name]
    return None


def _is_dunder(name: str) -> bool:
    return f"__{name[2:-2]}__" == name


def _as_method(name: str, function: Any) -> Any:
    """A plain function set as a magic method receives the mock as ``self``."""

    def method(self: Any, /, *args: Any, **kwargs: Any) -> Any:
        return function(self, *args, **kwargs)

    method.__name__ = name
    return method


def is_async_object(obj: Any) -> bool:
    """Whether a mock of ``obj`` must be awaitable: a coroutine function (static and class
    methods included), an awaitable, or an async mock."""
    if is_mock(obj) and not type(obj)._mock_is_async:
        return False
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    return iscoroutinefunction(obj) or inspect.isawaitable(obj)


class CallableMixin:
    """What makes a mock callable: return value, side effect, wrapping, call recording."""

    def __init__(
        self,
        /,
        spec: Any = None,
        side_effect: Any = None,
        return_value: Any = DEFAULT,
        wraps: Any = None,
        name: str | None = None,
        spec_set: Any = None,
        parent: Any = None,
        _new_name: str = "",
        _new_parent: Any = None,
        **kwargs: Any,
    ) -> None:
        self.__dict__["_mock_return_value"] = return_value
        super().__init__(
            spec,
            wraps,
            name,
            spec_set,
            parent,
            _new_name,
            _new_parent,
            **kwargs,
        )
        self.side_effect = side_effect

    def _mock_check_sig(self, /, *args: Any, **kwargs: Any) -> None:
        """Replaced per mock by autospec to check calls against the real signature."""

    def __call__(self, /, *args: Any, **kwargs: Any) -> Any:
        self._mock_check_sig(*args, **kwargs)
        self._increment_mock_call(*args, **kwargs)
        return self._mock_call(*args, **kwargs)

    def _mock_call(self, /, *args: Any, **kwargs: Any) -> Any:
        return self._execute_mock_call(*args, **kwargs)

    def _increment_mock_call(self, /, *args: Any, **kwargs: Any) -> None:
        """Record the call here and in every ancestor's ``mock_calls`` / ``method_calls``."""
        this_call = recorded_call(args, kwargs)
        state = self.__dict__
        if state["_mock_delegate"] is None:
            # What the recording properties would do, without going through them.
            state["_mock_called"] = True
            state["_mock_call_count"] += 1
            state["_mock_call_args"] = this_call
            state["_mock_call_args_list"].append(this_call)
            state["_mock_mock_calls"].append(named_call("", args, kwargs))
        else:
            self.called = True
            self.call_count += 1
            self.call_args = this_call
            self.call_args_list.append(this_call)
            self.mock_calls.append(named_call("", args, kwargs))

        # method_calls follow real parents (attributes), mock_calls every parent (return values
        # too); each ancestor sees the call under the dotted name it would be written as.
        records_method_call = self._mock_parent is not None
        method_name = self._mock_name
        call_name = self._mock_new_name
        is_a_call = call_name == "()"
        ancestor = self._mock_new_parent
        while ancestor is not None:
            if records_method_call:
                ancestor.method_calls.append(named_call(method_name, args, kwargs))
                records_method_call = ancestor._mock_parent is not None
                if records_method_call:
                    method_name = f"{ancestor._mock_name}.{method_name}"
            ancestor_state = ancestor.__dict__
            if ancestor_state["_mock_delegate"] is None:
                ancestor_state["_mock_mock_calls"].append(named_call(call_name, args, kwargs))
            else:
                ancestor.mock_calls.append(named_call(call_name, args, kwargs))
            if ancestor._mock_new_name:
                dot = "" if is_a_call else "."
                is_a_call = ancestor._mock_new_name == "()"
                call_name = f"{ancestor._mock_new_name}{dot}{call_name}"
            ancestor = ancestor._mock_new_parent

    def _execute_mock_call(self, /, *args: Any, **kwargs: Any) -> Any:
        effect = self.side_effect
        if effect is not None:
            if is_exception(effect):
                raise effect
            if not is_callable(effect):
                result = next(effect)
                if is_exception(result):
                    raise result
            else:
                result = effect(*args, **kwargs)
            if result is not DEFAULT:
                return result
        if self._mock_return_value is not DEFAULT:
            return self.return_value
        if self._mock_delegate is not None and self._mock_delegate.return_value is not DEFAULT:
            return self.return_value
        if self._mock_wraps is not None:
            return self._mock_wraps(*args, **kwargs)
        return self.return_value


class Mock(CallableMixin, NonCallableMock):
    """A callable mock: every attribute is a ``Mock``, calls return ``return_value``.

    Options: ``spec``/``spec_set`` (restrict attributes to an object's), ``side_effect``
    (raise, iterate or call on each call), ``return_value``, ``wraps`` (pass calls through),
    ``name`` (in its repr), ``unsafe`` (allow ``assert``-like attribute names); other keywords
    configure attributes, as ``configure_mock`` does.
    """


_RECORD_CALL = CallableMixin._increment_mock_call
"""How a call is recorded when no one observes calls."""


def set_call_observer(
    observer: Callable[[Any, tuple[Any, ...], dict[str, Any]], None] | None,
) -> None:
    """Pass every call any mock records to ``observer(mock, args, kwargs)`` too; ``None`` stops.

    The observer runs after the call is recorded and before its side effect. The observing
    version replaces the recording method only while an observer is set, so that mocks pay
    nothing for observation when no one observes.
    """
    if observer is None:
        CallableMixin._increment_mock_call = _RECORD_CALL  # type: ignore[method-assign]
        return

    def _increment_mock_call(self: Any, /, *args: Any, **kwargs: Any) -> None:
        _RECORD_CALL(self, *args, **kwargs)
        observer(self, args, kwargs)

    CallableMixin._increment_mock_call = _increment_mock_call  # type: ignore[method-assign]

"""Patching: ``patch``, ``patch.object``, ``patch.multiple``, ``patch.dict``, ``patch.stopall``.

A patcher replaces an attribute (or dict items) for the duration of a ``with`` block, a
decorated function or class, or between ``start()`` and ``stop()``, and puts the original back.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import inspect
import os
import pkgutil
import sys
from types import ModuleType
from typing import Any, Callable

from mockengine import _versions
from mockengine._async import AsyncMock
from mockengine._autospec import check_spec_argument_typos, create_autospec
from mockengine._introspection import is_instance_callable, is_name_list
from mockengine._magic import MagicMock, NonCallableMagicMock
from mockengine._mock import InvalidSpecError, NonCallableMock, is_async_object, is_mock
from mockengine._sentinels import DEFAULT

__all__ = ["_get_target", "_patch", "_patch_dict", "patch", "set_patch_observer"]

_BUILTIN_NAMES = frozenset(name for name in dir(builtins) if not name.startswith("_"))
"""Patching one of these on a module creates it (modules find them in builtins otherwise)."""

_RESTORE_EVEN_IF_INHERITED = (
    "__doc__",
    "__module__",
    "__defaults__",
    "__annotations__",
    "__kwdefaults__",
)


def _get_target(target: Any) -> tuple[Callable[[], Any], str]:
    """Split ``"package.module.attribute"`` into an importer of the owner and the attribute."""
    try:
        owner, attribute = target.rsplit(".", 1)
    except (TypeError, ValueError, AttributeError):
        raise TypeError(f"Need a valid target to patch. You supplied: {target!r}") from None
    return functools.partial(pkgutil.resolve_name, owner), attribute


_ACTIVE_PATCHES: list[Any] = []
"""Patches started with ``start()`` and not stopped yet, for ``patch.stopall()``."""

PatchObserver = Callable[["_patch", Any, str, Any, Any], Callable[[], None]]
"""Called as ``observer(patcher, owner, attribute, original, new)`` once a patch has replaced
the attribute; it returns what to call once the patch has put the original back."""

PatchFailureObserver = Callable[["_patch", BaseException], None]
"""Called as ``observer(patcher, error)`` when starting a patch raised ``error`` because its
target could not be imported or lacks the attribute."""

_patch_observer: PatchObserver | None = None
_patch_failure_observer: PatchFailureObserver | None = None

_ENGINE_DIRECTORY = os.path.dirname(os.path.abspath(__file__))
_MADE_AT_DEPTH = 8
"""Frames outside the engine kept of where an observed patch was made."""


def set_patch_observer(
    observer: PatchObserver | None, failure_observer: PatchFailureObserver | None = None
) -> None:
    """Tell ``observer`` about every attribute patch that starts from now on, and
    ``failure_observer`` about every one that fails to (``None``: stop).

    ``original`` is ``DEFAULT`` when the attribute did not exist (``create=True``). While an
    observer is set, each patcher made keeps ``made_at``: the ``(file, line)`` of the frames
    outside the engine that made it, innermost first.
    """
    global _patch_observer, _patch_failure_observer  # noqa: PLW0603  (the switches it turns)
    _patch_observer = observer
    _patch_failure_observer = failure_observer


def _frames_outside_engine() -> tuple[tuple[str, int], ...]:
    """Where the code that is making a patcher runs: ``(file, line)``, innermost first."""
    frame = sys._getframe(1)
    sites: list[tuple[str, int]] = []
    while frame is not None and len(sites) < _MADE_AT_DEPTH:
        filename = frame.f_code.co_filename
        if not filename.startswith(_ENGINE_DIRECTORY):
            sites.append((filename, frame.f_lineno))
        frame = frame.f_back  # type: ignore[assignment]
    return tuple(sites)


class _Patcher:
    """What every patcher shares: decorating functions and classes, ``start()``/``stop()``."""

    def copy(self) -> Any:
        raise NotImplementedError

    def decorate_callable(self, func: Any) -> Any:
        raise NotImplementedError

    def decorate_async_callable(self, func: Any) -> Any:
        raise NotImplementedError

    def __call__(self, func: Any) -> Any:
        if isinstance(func, type):
            return self.decorate_class(func)
        if inspect.iscoroutinefunction(func):
            return self.decorate_async_callable(func)
        return self.decorate_callable(func)

    def decorate_class(self, klass: type) -> type:
        """Patch each method whose name starts with ``patch.TEST_PREFIX``, with its own copy."""
        for name in dir(klass):
            if not name.startswith(patch.TEST_PREFIX):
                continue
            value = getattr(klass, name)
            if not hasattr(value, "__call__"):  # noqa: B004  (unittest.mock's test)
                continue
            setattr(klass, name, self.copy()(value))
        return klass

    def start(self) -> Any:
        """Activate the patch; ``stop()`` (or ``patch.stopall()``) undoes it."""
        result = self.__enter__()
        _ACTIVE_PATCHES.append(self)
        return result

    def stop(self) -> Any:
        """Undo a started patch (nothing happens for one not started)."""
        try:
            _ACTIVE_PATCHES.remove(self)
        except ValueError:
            return None
        return self.__exit__(None, None, None)


class _patch(_Patcher):
    """One patch of one attribute (``patch.multiple`` chains more in ``additional_patchers``)."""

    attribute_name: str | None = None
    owner_path: str | None = None
    """The dotted name of the patched object, when the target was given as a string."""
    made_at: tuple[tuple[str, int], ...] = ()
    """Where it was made, while instrumentation observes patches (``set_patch_observer``)."""

    def __init__(
        self,
        getter: Callable[[], Any],
        attribute: str,
        new: Any,
        spec: Any,
        create: bool,
        spec_set: Any,
        autospec: Any,
        new_callable: Any,
        kwargs: dict[str, Any],
        *,
        unsafe: bool = False,
    ) -> None:
        if new_callable is not None:
            if new is not DEFAULT:
                raise ValueError("Cannot use 'new' and 'new_callable' together")
            if autospec is not None:
                raise ValueError("Cannot use 'autospec' and 'new_callable' together")
        if not unsafe:
            check_spec_argument_typos(kwargs)
        if _versions.current.mocks_refused_as_autospec and is_mock(spec):
            raise InvalidSpecError(
                f"Cannot spec attr {attribute!r} as the spec has already been mocked out. "
                f"[spec={spec!r}]"
            )
        if _versions.current.mocks_refused_as_autospec and is_mock(spec_set):
            raise InvalidSpecError(
                f"Cannot spec attr {attribute!r} as the spec_set target has already been "
                f"mocked out. [spec_set={spec_set!r}]"
            )
        self.getter = getter
        self.attribute = attribute
        self.new = new
        self.new_callable = new_callable
        self.spec = spec
        self.create = create
        self.spec_set = spec_set
        self.autospec = autospec
        self.kwargs = kwargs
        self.additional_patchers: list[_patch] = []
        self.made_at = _frames_outside_engine() if _patch_observer is not None else ()
        self.unsafe = unsafe

    def copy(self) -> _patch:
        patcher = _patch(
            self.getter,
            self.attribute,
            self.new,
            self.spec,
            self.create,
            self.spec_set,
            self.autospec,
            self.new_callable,
            self.kwargs,
            unsafe=self.unsafe,
        )
        patcher.made_at = self.made_at
        patcher.attribute_name = self.attribute_name
        patcher.owner_path = self.owner_path
        patcher.additional_patchers = [p.copy() for p in self.additional_patchers]
        return patcher

    # -- decorating ----------------------------------------------------------------------

    @contextlib.contextmanager
    def decoration_helper(
        self, patched: Any, args: tuple[Any, ...], keywargs: dict[str, Any]
    ) -> Any:
        extra_args = []
        with contextlib.ExitStack() as exit_stack:
            for patching in patched.patchings:
                arg = exit_stack.enter_context(patching)
                if patching.attribute_name is not None:
                    keywargs.update(arg)
                elif patching.new is DEFAULT:
                    extra_args.append(arg)
            yield (args + tuple(extra_args), keywargs)

    def decorate_callable(self, func: Any) -> Any:
        if hasattr(func, "patchings"):
            func.patchings.append(self)
            return func

        @functools.wraps(func)
        def patched(*args: Any, **keywargs: Any) -> Any:
            with self.decoration_helper(patched, args, keywargs) as (new_args, new_keywargs):
                return func(*new_args, **new_keywargs)

        patched.patchings = [self]
        return patched

    def decorate_async_callable(self, func: Any) -> Any:
        if hasattr(func, "patchings"):
            func.patchings.append(self)
            return func

        @functools.wraps(func)
        async def patched(*args: Any, **keywargs: Any) -> Any:
            with self.decoration_helper(patched, args, keywargs) as (new_args, new_keywargs):
                return await func(*new_args, **new_keywargs)

        patched.patchings = [self]
        return patched

    # -- patching ------------------------------------------------------------------------

    def get_original(self) -> tuple[Any, bool]:
        target = self.getter()
        name = self.attribute
        local = False
        try:
            original = target.__dict__[name]
        except (AttributeError, KeyError):
            original = getattr(target, name, DEFAULT)
        else:
            local = True
        if name in _BUILTIN_NAMES and isinstance(target, ModuleType):
            self.create = True
        if not self.create and original is DEFAULT:
            raise AttributeError(f"{target} does not have the attribute {name!r}")
        return original, local

    def _new_mock(self, original: Any, spec: Any, spec_set: Any) -> Any:
        """The mock ``patch`` creates when not given ``new`` or ``autospec``."""
        inherit = False
        if spec is True:
            spec = original
            if spec_set is True:
                spec_set, spec = original, None
        elif spec is not None:
            if spec_set is True:
                spec_set, spec = spec, None
        elif spec_set is True:
            spec_set = original
        if spec is not None or spec_set is not None:
            if original is DEFAULT:
                raise TypeError("Can't use 'spec' with create=True")
            # A patched class gives instances that follow the spec too.
            inherit = isinstance(original, type)

        kwargs: dict[str, Any] = {}
        this_spec = spec_set if spec_set is not None else spec
        mock_class: Any = MagicMock
        if self.new_callable is not None:
            mock_class = self.new_callable
        elif this_spec is not None:
            if is_name_list(this_spec):
                not_callable = "__call__" not in this_spec
            else:
                not_callable = not callable(this_spec)
            if is_async_object(this_spec):
                mock_class = AsyncMock
            elif not_callable:
                mock_class = NonCallableMagicMock
        elif is_async_object(original):
            mock_class = AsyncMock
        if spec is not None:
            kwargs["spec"] = spec
        if spec_set is not None:
            kwargs["spec_set"] = spec_set
        if (
            isinstance(mock_class, type)
            and issubclass(mock_class, NonCallableMock)
            and self.attribute
        ):
            kwargs["name"] = self.attribute
        kwargs.update(self.kwargs)
        new = mock_class(**kwargs)

        if inherit and is_mock(new):
            instance_class: Any = mock_class
            if not is_name_list(this_spec) and not is_instance_callable(this_spec):
                instance_class = NonCallableMagicMock
            kwargs.pop("name")
            new.return_value = instance_class(_new_parent=new, _new_name="()", **kwargs)
        return new

    def _telling_failure(self, step: Callable[[], Any]) -> Any:
        """``step()``; a failure to import the target or find the attribute is told to the
        failure observer first."""
        try:
            return step()
        except (ImportError, AttributeError) as error:
            if _patch_failure_observer is not None:
                _patch_failure_observer(self, error)
            raise

    def __enter__(self) -> Any:
        new, spec, spec_set = self.new, self.spec, self.spec_set
        autospec, kwargs = self.autospec, self.kwargs
        if getattr(self, "is_started", False):
            raise RuntimeError("Patch is already started")
        self.target = self._telling_failure(self.getter)
        spec = None if spec is False else spec
        spec_set = None if spec_set is False else spec_set
        autospec = None if autospec is False else autospec
        if spec is not None and autospec is not None:
            raise TypeError("Can't specify spec and autospec")
        if (spec is not None or autospec is not None) and spec_set not in (True, None):
            raise TypeError("Can't provide explicit spec_set *and* spec or autospec")

        original, local = self._telling_failure(self.get_original)
        if new is DEFAULT and autospec is None:
            new = self._new_mock(original, spec, spec_set)
        elif autospec is not None:
            if new is not DEFAULT:
                raise TypeError(
                    "autospec creates the mock for you. Can't specify autospec and new."
                )
            if original is DEFAULT:
                raise TypeError("Can't use 'autospec' with create=True")
            spec_set = bool(spec_set)
            if autospec is True:
                autospec = original
            if _versions.current.mocks_refused_as_autospec and is_mock(self.target):
                raise InvalidSpecError(
                    f"Cannot autospec attr {self.attribute!r} as the patch target has already "
                    f"been mocked out. [target={self.target!r}, attr={autospec!r}]"
                )
            if _versions.current.mocks_refused_as_autospec and is_mock(autospec):
                target_name = getattr(self.target, "__name__", self.target)
                raise InvalidSpecError(
                    f"Cannot autospec attr {self.attribute!r} from target {target_name!r} as it "
                    f"has already been mocked out. [target={self.target!r}, attr={autospec!r}]"
                )
            new = create_autospec(autospec, spec_set=spec_set, _name=self.attribute, **kwargs)
        elif kwargs:
            raise TypeError("Can't pass kwargs to a mock we aren't creating")

        self.temp_original = original
        self.is_local = local
        self._exit_stack = contextlib.ExitStack()
        self.is_started = True
        try:
            setattr(self.target, self.attribute, new)
            if _patch_observer is not None:
                self._exit_stack.callback(
                    _patch_observer(self, self.target, self.attribute, original, new)
                )
            if self.attribute_name is None:
                return new
            extra_args = {}
            if self.new is DEFAULT:
                extra_args[self.attribute_name] = new
            for patching in self.additional_patchers:
                arg = self._exit_stack.enter_context(patching)
                if patching.new is DEFAULT:
                    extra_args.update(arg)
            return extra_args
        except BaseException:
            if not self.__exit__(*sys.exc_info()):
                raise
            return None

    def __exit__(self, *exc_info: Any) -> Any:
        if not getattr(self, "is_started", False):
            return None
        if self.is_local and self.temp_original is not DEFAULT:
            setattr(self.target, self.attribute, self.temp_original)
        else:
            delattr(self.target, self.attribute)
            if not self.create and (
                not hasattr(self.target, self.attribute)
                or self.attribute in _RESTORE_EVEN_IF_INHERITED
            ):
                # Proxy objects (such as Django's settings) need the value set back.
                setattr(self.target, self.attribute, self.temp_original)
        del self.temp_original
        del self.is_local
        del self.target
        self.is_started = False
        exit_stack = self._exit_stack
        del self._exit_stack
        return exit_stack.__exit__(*exc_info)


def _patch_object(
    target: Any,
    attribute: str,
    new: Any = DEFAULT,
    spec: Any = None,
    create: bool = False,
    spec_set: Any = None,
    autospec: Any = None,
    new_callable: Any = None,
    *,
    unsafe: bool = False,
    **kwargs: Any,
) -> _patch:
    """Patch the attribute ``attribute`` of the object ``target``."""
    if type(target) is str:
        raise TypeError(f"{target!r} must be the actual object to be patched, not a str")
    return _patch(
        lambda: target,
        attribute,
        new,
        spec,
        create,
        spec_set,
        autospec,
        new_callable,
        kwargs,
        unsafe=unsafe,
    )


def _patch_multiple(
    target: Any,
    spec: Any = None,
    create: bool = False,
    spec_set: Any = None,
    autospec: Any = None,
    new_callable: Any = None,
    **kwargs: Any,
) -> _patch:
    """Patch several attributes of ``target`` at once: ``patch.multiple(obj, a=1, b=DEFAULT)``.

    The mocks made for ``DEFAULT`` values are passed to a decorated function by keyword, or
    returned as a dict by the context manager. Every keyword names an attribute (even
    ``unsafe``), so none is checked for ``autospec`` typos.
    """
    owner_path = None
    if type(target) is str:
        getter: Callable[[], Any] = functools.partial(pkgutil.resolve_name, target)
        owner_path = target
    else:

        def getter() -> Any:
            return target

    if not kwargs:
        raise ValueError("Must supply at least one keyword argument with patch.multiple")
    patchers = []
    for attribute, new in kwargs.items():
        patcher = _patch(
            getter,
            attribute,
            new,
            spec,
            create,
            spec_set,
            autospec,
            new_callable,
            {},
        )
        patcher.attribute_name = attribute
        patcher.owner_path = owner_path
        patchers.append(patcher)
    first, *others = patchers
    first.additional_patchers.extend(others)
    return first


def patch(
    target: Any,
    new: Any = DEFAULT,
    spec: Any = None,
    create: bool = False,
    spec_set: Any = None,
    autospec: Any = None,
    new_callable: Any = None,
    *,
    unsafe: bool = False,
    **kwargs: Any,
) -> _patch:
    """Replace the object named ``target`` ("package.module.name") with ``new`` or a mock.

    Works as a decorator (the created mock is passed as an extra argument), a class decorator
    (for each method starting with ``patch.TEST_PREFIX``), a context manager, or with
    ``start()``/``stop()``. ``spec``, ``spec_set``, ``autospec`` and ``new_callable`` choose the
    mock; ``create`` allows a target that does not exist yet; other keywords configure the mock.
    """
    getter, attribute = _get_target(target)
    patcher = _patch(
        getter,
        attribute,
        new,
        spec,
        create,
        spec_set,
        autospec,
        new_callable,
        kwargs,
        unsafe=unsafe,
    )
    patcher.owner_path = target.rsplit(".", 1)[0]
    return patcher


class _patch_dict(_Patcher):
    """``patch.dict(in_dict, values=(), clear=False, **kwargs)``: set items, then restore."""

    _original: Any = None
    """The dict's contents before the patch, while it is active."""

    def __init__(self, in_dict: Any, values: Any = (), clear: bool = False, **kwargs: Any) -> None:
        self.in_dict = in_dict
        self.values = dict(values)
        if kwargs:
            self.values.update(kwargs)
        self.clear = clear

    def copy(self) -> _patch_dict:
        return _patch_dict(self.in_dict, self.values, self.clear)

    def decorate_callable(self, f: Any) -> Any:
        @functools.wraps(f)
        def _inner(*args: Any, **kwargs: Any) -> Any:
            self._patch_dict()
            try:
                return f(*args, **kwargs)
            finally:
                self._unpatch_dict()

        return _inner

    def decorate_async_callable(self, f: Any) -> Any:
        @functools.wraps(f)
        async def _inner(*args: Any, **kwargs: Any) -> Any:
            self._patch_dict()
            try:
                return await f(*args, **kwargs)
            finally:
                self._unpatch_dict()

        return _inner

    def _patch_dict(self) -> Any:
        """Set the items (after saving the dict's contents); the dict, for ``with ... as``."""
        in_dict = self.in_dict
        if isinstance(in_dict, str):
            in_dict = self.in_dict = pkgutil.resolve_name(in_dict)
        try:
            original = in_dict.copy()
        except AttributeError:
            # A dict-like object without copy(): it must at least iterate over its keys.
            original = {key: in_dict[key] for key in in_dict}
        self._original = original
        values = self.values
        try:  # what _fill does for a dict, without the call: this runs for every test
            if self.clear:
                in_dict.clear()
            in_dict.update(values)
        except AttributeError:
            _fill(in_dict, values, self.clear)
        return in_dict

    __enter__ = _patch_dict

    def _unpatch_dict(self) -> None:
        _fill(self.in_dict, self._original, True)

    def __exit__(self, exc_type: Any = None, exc: Any = None, traceback: Any = None) -> bool:
        original = self._original
        if original is not None:
            in_dict = self.in_dict
            try:  # what _fill does for a dict, without the call: this runs for every test
                in_dict.clear()
                in_dict.update(original)
            except AttributeError:
                _fill(in_dict, original, True)
            self._original = None
        return False


def _fill(in_dict: Any, values: Any, clear: bool) -> None:
    """Put ``values`` into ``in_dict`` (emptied first with ``clear``); dict-likes that lack
    ``clear()`` or ``update()`` get item by item."""
    if clear:
        try:
            in_dict.clear()
        except AttributeError:
            for key in list(in_dict):
                del in_dict[key]
    try:
        in_dict.update(values)
    except AttributeError:
        for key in values:
            in_dict[key] = values[key]


def _patch_stopall() -> None:
    """Stop every patch started with ``start()``, the last started first."""
    for active in reversed(_ACTIVE_PATCHES):
        active.stop()


patch.object = _patch_object
patch.dict = _patch_dict
patch.multiple = _patch_multiple
patch.stopall = _patch_stopall
patch.TEST_PREFIX = "test"

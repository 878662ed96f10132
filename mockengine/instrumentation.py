"""Instrumentation: watch patches start and stop, and the calls made to their mocks.

Register an :class:`Observer` (or use a :class:`Recorder`) and mockengine tells it about every
attribute patch (``patch``, ``patch.object``, ``patch.multiple``) that starts and stops or
fails to start, where it was made, and about every call made to a patch's mock or to any mock
below it (``mock.get()``, ``mock().read()``). A :class:`Recorder` keeps that, and can also
tell whether the *original* object was called while it was patched out, and from where: the
sign of a patch applied where the code under test does not look (``_trampolines.py`` is how,
before Python 3.12).

Nothing here costs anything until the first observer is registered: the engine's patch and
call paths only reach this module while an observer is registered.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import sys
import threading
import types
from collections.abc import Iterator
from typing import Any, Callable

from mockengine._autospec import set_rejection_observer
from mockengine._mock import extract_mock, is_mock, set_call_observer
from mockengine._patching import _patch, set_patch_observer
from mockengine._sentinels import DEFAULT
from mockengine._trampolines import Trampoline

__all__ = [
    "Observer",
    "PatchFailure",
    "PatchInfo",
    "PatchUsage",
    "Recorder",
    "add_observer",
    "remove_observer",
]


@dataclasses.dataclass(frozen=True, eq=False)
class PatchInfo:
    """One started patch of one attribute (each start of a patcher gives a new one)."""

    kind: str
    """``"patch"``, ``"patch.object"`` or ``"patch.multiple"``."""
    target: str | None
    """The dotted name of the patched attribute (``"app.service.requests"``), when the owner
    has one: given as a string, a module, a class or a function."""
    owner: Any
    """The object whose attribute is replaced: a module, a class, an instance..."""
    module: str | None
    """The module whose namespace is patched (the owner, if a module) or that defines the
    owner (a class or function); ``None`` for other owners."""
    attribute: str
    """The name of the replaced attribute."""
    new: Any
    """What the attribute holds while the patch is active."""
    original: Any
    """What it held before (``None`` when it did not exist, see ``existed``)."""
    existed: bool
    """Whether the attribute existed before the patch (false with ``create=True``)."""
    mock: Any
    """The mock whose calls are reported: ``new`` itself, the mock behind an autospecced
    function, or ``None`` when ``new`` is not a mockengine mock (``new=42``)."""
    made_at: tuple[tuple[str, int], ...] = ()
    """``(file, line)`` of the frames outside mockengine that made the patcher (the
    ``patch(...)`` call, decorator or ``with``), innermost first; empty for a patcher made
    while no observer was registered."""


@dataclasses.dataclass(frozen=True, eq=False)
class PatchFailure:
    """A patch that raised when it started: its target could not be imported, or it lacks
    the attribute (without ``create=True``)."""

    kind: str
    """``"patch"``, ``"patch.object"`` or ``"patch.multiple"``."""
    target: str | None
    """The dotted name of the attribute it meant to patch, when known."""
    attribute: str
    error: BaseException
    """What starting it raised (``AttributeError``, ``ModuleNotFoundError``...)."""
    made_at: tuple[tuple[str, int], ...]
    """As :attr:`PatchInfo.made_at`."""


class Observer:
    """Receives instrumentation events; override the methods you need (they do nothing).

    Events arrive in the thread that starts or stops the patch or calls the mock. An exception
    raised by an observer propagates to that code; one raised when a patch starts undoes the
    patch.
    """

    def patch_started(self, patch: PatchInfo) -> None:
        """The attribute has just been replaced by ``patch.new``."""

    def mock_called(self, patch: PatchInfo, mock: Any, call: Any) -> None:
        """``patch.mock`` or one of its children (``mock``) was called.

        ``call`` is the call as ``patch.mock.mock_calls`` records it: ``call(1)`` for the mock
        itself, ``call.get("x")`` or ``call().read()`` for those below it. It arrives once the
        call is recorded, before its side effect runs (an ``AsyncMock`` is reported when
        called, not when awaited).
        """

    def mock_rejected(self, patch: PatchInfo, mock: Any, error: TypeError) -> None:
        """``patch.mock`` or one below it (``mock``), autospecced, refused a call whose
        arguments cannot bind to the real signature; ``error`` propagates after this returns."""

    def patch_stopped(self, patch: PatchInfo) -> None:
        """The original has just been put back."""

    def patch_failed(self, failure: PatchFailure) -> None:
        """Starting a patch raised ``failure.error``, which propagates after this returns."""


_observers: list[Observer] = []
_observers_lock = threading.Lock()
_patched_mocks: dict[int, list[PatchInfo]] = {}
"""``id()`` of each active patch's mock -> the active patches whose mock it is."""


def add_observer(observer: Observer) -> None:
    """Send events to ``observer`` from now on (adding it twice changes nothing)."""
    with _observers_lock:
        if any(existing is observer for existing in _observers):
            return
        _observers.append(observer)
        if len(_observers) == 1:
            set_patch_observer(_patch_started, _patch_failed)
            set_call_observer(_mock_called)
            set_rejection_observer(_mock_rejected)


def remove_observer(observer: Observer) -> None:
    """Stop sending events to ``observer`` (one never added is ignored).

    Once the last observer is removed, patches and calls no longer reach this module.
    """
    with _observers_lock:
        _observers[:] = [existing for existing in _observers if existing is not observer]
        if not _observers:
            set_patch_observer(None)
            set_call_observer(None)
            set_rejection_observer(None)


def _patch_started(
    patcher: _patch, owner: Any, attribute: str, original: Any, new: Any
) -> Callable[[], None]:
    """What the engine calls once a patch has replaced the attribute."""
    info = _describe(patcher, owner, attribute, original, new)
    for observer in tuple(_observers):
        observer.patch_started(info)
    if info.mock is not None:
        _patched_mocks.setdefault(id(info.mock), []).append(info)

    def patch_stopped() -> None:
        if info.mock is not None:
            _forget_mock(info)
        for observer in tuple(_observers):
            observer.patch_stopped(info)

    return patch_stopped


def _patch_failed(patcher: _patch, error: BaseException) -> None:
    """What the engine calls when starting a patch raised ``error``."""
    failure = PatchFailure(
        kind=_kind(patcher),
        target=None if patcher.owner_path is None else f"{patcher.owner_path}.{patcher.attribute}",
        attribute=patcher.attribute,
        error=error,
        made_at=patcher.made_at,
    )
    for observer in tuple(_observers):
        observer.patch_failed(failure)


def _kind(patcher: _patch) -> str:
    if patcher.attribute_name is not None:
        return "patch.multiple"
    return "patch" if patcher.owner_path is not None else "patch.object"


def _forget_mock(info: PatchInfo) -> None:
    infos = _patched_mocks.get(id(info.mock), [])
    infos[:] = [other for other in infos if other is not info]
    if not infos:
        _patched_mocks.pop(id(info.mock), None)


def _describe(patcher: _patch, owner: Any, attribute: str, original: Any, new: Any) -> PatchInfo:
    owner_name = patcher.owner_path or _dotted_name(owner)
    inner = extract_mock(new)
    return PatchInfo(
        kind=_kind(patcher),
        target=None if owner_name is None else f"{owner_name}.{attribute}",
        owner=owner,
        module=_module_of(owner),
        attribute=attribute,
        new=new,
        original=None if original is DEFAULT else original,
        existed=original is not DEFAULT,
        mock=inner if is_mock(inner) else None,
        made_at=patcher.made_at,
    )


def _module_of(owner: Any) -> str | None:
    if isinstance(owner, types.ModuleType):
        return owner.__name__
    if isinstance(owner, (type, types.FunctionType)) and not is_mock(owner):
        module = owner.__module__
        return module if isinstance(module, str) else None
    return None


def _dotted_name(owner: Any) -> str | None:
    if isinstance(owner, types.ModuleType):
        return owner.__name__
    module = _module_of(owner)
    if module is None:
        return None
    return f"{module}.{owner.__qualname__}"


def _mock_called(mock: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """What the engine calls for every recorded call while an observer is registered."""
    for node, info in _patches_above(mock):
        recorded = node.mock_calls[-1]
        for observer in tuple(_observers):
            observer.mock_called(info, mock, recorded)


def _mock_rejected(mock: Any, error: TypeError) -> None:
    """What the engine calls when an autospecced mock refuses a call's arguments."""
    for _, info in _patches_above(mock):
        for observer in tuple(_observers):
            observer.mock_rejected(info, mock, error)


def _patches_above(mock: Any) -> Iterator[tuple[Any, PatchInfo]]:
    """The active patches whose mock is ``mock`` or one above it, with that mock."""
    node = mock
    while node is not None:
        for info in tuple(_patched_mocks.get(id(node), ())):
            yield node, info
        node = node._mock_new_parent


@dataclasses.dataclass(eq=False)
class PatchUsage:
    """What a :class:`Recorder` saw of one started patch."""

    patch: PatchInfo
    calls: list[Any] = dataclasses.field(default_factory=list)
    """The calls made to the patch's mock (and below it) while the patch was active."""
    original_called: bool | None = None
    """Whether the original ran while patched out; ``None`` unless the recorder traces
    originals and the original is something whose running can be seen (see
    :class:`Recorder`)."""
    active: bool = True
    """Whether the patch has not been stopped yet."""
    original_callers: list[tuple[str, int]] = dataclasses.field(default_factory=list)
    """``(file, line)`` of the Python code that called the original while it was patched out
    (the first few places; through ``functools.wraps`` wrappers to who called them)."""

    @property
    def call_count(self) -> int:
        return len(self.calls)

    @property
    def used(self) -> bool:
        """Whether the patch's mock (or a mock below it) was called."""
        return bool(self.calls)


class Recorder(Observer):
    """An observer that keeps a :class:`PatchUsage` for every patch started while it records.

    Use it as a context manager (``with Recorder() as recorder:``); ``recorder.patches`` lists
    the patches in the order they started, ``recorder.failures`` those that failed to.

    With ``trace_originals=True`` it also watches, while each patch is active, whether the
    original object runs anyway (code that imported it before the patch, under another name).
    The original's own code is watched: a function's (unwrapped through ``functools.wraps``), a
    method's, a partial's, a property's accessors, the functions defined in a class's body
    (``__init__`` included), or, for a builtin function, its calls. Other originals (a
    constant, a class implemented in C, a callable instance) give ``original_called=None``.
    Watching uses ``sys.monitoring`` on Python 3.12+ (only the watched functions' starts are
    seen, in every thread); before 3.12, a trampoline swapped into each watched function's
    ``__code__`` while it is watched (the same function object, signature and kind; only its
    own calls cost anything, in every thread). Builtin originals (and async generator
    functions) are watched with ``sys.setprofile`` in the thread that starts the patch and in
    threads started while it is active, which replaces any profiler set there meanwhile and
    slows calls down until the last such patch stops.
    """

    def __init__(self, *, trace_originals: bool = False) -> None:
        self.patches: list[PatchUsage] = []
        self.failures: list[PatchFailure] = []
        self.trace_originals = trace_originals
        self._usages: dict[int, PatchUsage] = {}

    def __enter__(self) -> Recorder:
        add_observer(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        remove_observer(self)
        for usage in self._usages.values():
            _ORIGINAL_CALLS.unwatch(usage)
        self._usages.clear()

    def patch_started(self, patch: PatchInfo) -> None:
        usage = PatchUsage(patch)
        self.patches.append(usage)
        self._usages[id(patch)] = usage
        if self.trace_originals:
            _ORIGINAL_CALLS.watch(usage)

    def mock_called(self, patch: PatchInfo, mock: Any, call: Any) -> None:
        usage = self._usages.get(id(patch))
        if usage is not None:
            usage.calls.append(call)

    def patch_stopped(self, patch: PatchInfo) -> None:
        usage = self._usages.pop(id(patch), None)
        if usage is not None:
            usage.active = False
            _ORIGINAL_CALLS.unwatch(usage)

    def patch_failed(self, failure: PatchFailure) -> None:
        self.failures.append(failure)


ProfileFunction = Callable[[types.FrameType, str, Any], object]


class _OriginalCalls:
    """Notices when the code of watched originals runs: through ``sys.monitoring`` where the
    interpreter has it (3.12+: only the watched functions' starts cost anything), else through
    trampolines swapped into the watched functions' code (only their own calls cost anything),
    and for builtin originals (and the rare function no trampoline can stand in for) through
    ``sys.setprofile``."""

    CALLERS_KEPT = 3
    """Places kept per patch that called its original."""

    def __init__(self) -> None:
        self._by_code: dict[types.CodeType, list[PatchUsage]] = {}
        self._by_builtin: dict[int, list[PatchUsage]] = {}
        self._by_function: dict[int, tuple[Trampoline, list[PatchUsage]]] = {}
        """``id()`` of a function running a trampoline -> it, and the usages watching it."""
        self._watched: dict[
            int, tuple[set[types.CodeType], list[Any], list[types.FunctionType]]
        ] = {}
        self._profiled: set[int] = set()
        """The usages watched through the profile hook."""
        self._wrappers: set[types.CodeType] = set()
        """The code of ``functools.wraps`` wrappers around watched originals: their callers
        are the ones reported."""
        self._previous: tuple[Any, Any] | None = None
        self._monitoring_tool: int | None = None
        self._lock = threading.Lock()

    def watch(self, usage: PatchUsage) -> None:
        functions: list[types.FunctionType] = []
        builtins: list[Any] = []
        wrappers: set[types.CodeType] = set()
        if usage.patch.existed:
            _collect_running_parts(usage.patch.original, functions, builtins, wrappers)
        if not functions and not builtins:
            return
        usage.original_called = False
        with self._lock:
            self._wrappers |= wrappers
            tool = self._monitoring()
            trampolined = [] if tool is not None else self._trampoline(functions, usage)
            codes = {function.__code__ for function in functions if function not in trampolined}
            self._watched[id(usage)] = (codes, builtins, trampolined)
            for code in codes:
                self._by_code.setdefault(code, []).append(usage)
                if tool is not None:
                    _MONITORING.set_local_events(tool, code, _MONITORING.events.PY_START)
            for builtin in builtins:
                self._by_builtin.setdefault(id(builtin), []).append(usage)
            if builtins or (codes and tool is None):
                self._profiled.add(id(usage))
                if self._previous is None:
                    self._previous = (sys.getprofile(), _threading_profile())
                    sys.setprofile(self._profile)
                    threading.setprofile(self._profile)

    def _trampoline(
        self, functions: list[types.FunctionType], usage: PatchUsage
    ) -> list[types.FunctionType]:
        """Watch ``functions`` through trampolines; the ones that got one (or had one)."""
        trampolined: list[types.FunctionType] = []
        for function in dict.fromkeys(functions):
            entry = self._by_function.get(id(function))
            if entry is None:
                usages: list[PatchUsage] = []
                trampoline = Trampoline.install(function, functools.partial(self._called, usages))
                if trampoline is None:
                    continue
                entry = self._by_function[id(function)] = (trampoline, usages)
            entry[1].append(usage)
            trampolined.append(function)
        return trampolined

    def unwatch(self, usage: PatchUsage) -> None:
        with self._lock:
            watched = self._watched.pop(id(usage), None)
            if watched is None:
                return
            codes, builtins, trampolined = watched
            for code in codes:
                _drop(self._by_code, code, usage)
                if self._monitoring_tool is not None and code not in self._by_code:
                    _MONITORING.set_local_events(self._monitoring_tool, code, 0)
            for builtin in builtins:
                _drop(self._by_builtin, id(builtin), usage)
            for function in trampolined:
                trampoline, usages = self._by_function[id(function)]
                usages[:] = [other for other in usages if other is not usage]
                if not usages:
                    trampoline.remove()
                    del self._by_function[id(function)]
            if not self._watched:
                self._wrappers.clear()
            self._profiled.discard(id(usage))
            if not self._profiled and self._previous is not None:
                previous, previous_threading = self._previous
                self._previous = None
                sys.setprofile(previous)
                threading.setprofile(previous_threading)

    def _monitoring(self) -> int | None:
        """Our ``sys.monitoring`` tool id (taken on first use); ``None`` without one."""
        if self._monitoring_tool is None and _MONITORING is not None:
            for tool in _MONITORING_TOOLS:
                if _MONITORING.get_tool(tool) is None:
                    _MONITORING.use_tool_id(tool, "mockengine")
                    _MONITORING.register_callback(tool, _MONITORING.events.PY_START, self._started)
                    self._monitoring_tool = tool
                    break
        return self._monitoring_tool

    def _started(self, code: types.CodeType, instruction_offset: int) -> None:
        usages = self._by_code.get(code)
        if usages:
            self._seen(usages, sys._getframe(1).f_back)

    def _called(self, usages: list[PatchUsage], caller: types.FrameType | None) -> None:
        """A trampolined original ran, called from ``caller``."""
        if usages:
            self._seen(usages, caller)

    def _profile(self, frame: types.FrameType, event: str, arg: Any) -> None:
        caller: types.FrameType | None
        if event == "call":
            usages = self._by_code.get(frame.f_code)
            caller = frame.f_back
        elif event == "c_call":
            usages = self._by_builtin.get(id(arg))
            caller = frame
        else:
            return
        if usages:
            self._seen(usages, caller)
        elif self._previous is None:
            # A thread started while watching keeps this function after the watch ends.
            sys.setprofile(None)

    def _seen(self, usages: list[PatchUsage], caller: types.FrameType | None) -> None:
        """The originals of ``usages`` ran, called from ``caller`` (wrappers skipped)."""
        while caller is not None and caller.f_code in self._wrappers:
            caller = caller.f_back
        site = None if caller is None else (caller.f_code.co_filename, caller.f_lineno)
        for usage in usages:
            usage.original_called = True
            callers = usage.original_callers
            if site is not None and site not in callers and len(callers) < self.CALLERS_KEPT:
                callers.append(site)


_MONITORING: Any = getattr(sys, "monitoring", None)
"""``sys.monitoring`` (Python 3.12+), or ``None``."""

_MONITORING_TOOLS = (4, 3)
"""The tool ids no standard tool claims (debugger 0, coverage 1, profiler 2, optimizer 5)."""


def _drop(index: dict[Any, list[PatchUsage]], key: Any, usage: PatchUsage) -> None:
    usages = [other for other in index.get(key, []) if other is not usage]
    if usages:
        index[key] = usages
    else:
        index.pop(key, None)


def _threading_profile() -> ProfileFunction | None:
    getprofile = getattr(threading, "getprofile", None)  # Python 3.10+
    if getprofile is not None:
        return getprofile()  # type: ignore[no-any-return]
    return getattr(threading, "_profile_hook", None)


def _collect_running_parts(
    obj: Any,
    functions: list[types.FunctionType],
    builtins: list[Any],
    wrappers: set[types.CodeType],
) -> None:
    """The functions (and builtin functions) that run when ``obj`` is called or used, and the
    code of the ``functools.wraps`` wrappers that lead to them."""
    if is_mock(extract_mock(obj)):
        return
    if isinstance(obj, types.FunctionType):
        unwrapped = _unwrap(obj)
        if unwrapped is not obj:
            wrappers.add(obj.__code__)
            _collect_running_parts(unwrapped, functions, builtins, wrappers)
        else:
            functions.append(obj)
    elif isinstance(obj, (types.MethodType, staticmethod, classmethod)):
        _collect_running_parts(obj.__func__, functions, builtins, wrappers)
    elif isinstance(obj, functools.partial):
        _collect_running_parts(obj.func, functions, builtins, wrappers)
    elif isinstance(obj, property):
        for accessor in (obj.fget, obj.fset, obj.fdel):
            if accessor is not None:
                _collect_running_parts(accessor, functions, builtins, wrappers)
    elif isinstance(obj, types.BuiltinFunctionType):
        builtins.append(obj)
    elif isinstance(obj, type):
        for member in vars(obj).values():
            if not isinstance(member, type):
                _collect_running_parts(member, functions, builtins, wrappers)


def _unwrap(function: types.FunctionType) -> Any:
    """The function ``functools.wraps`` wrappers lead to (their own code is shared)."""
    try:
        return inspect.unwrap(function)
    except ValueError:  # a cycle of __wrapped__
        return function


_ORIGINAL_CALLS = _OriginalCalls()

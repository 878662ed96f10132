"""Trampolines: a function's ``__code__`` swapped, for a while, for code that reports each call
and then runs the original code.

This is how the instrumentation sees a patched-out original run before Python 3.12 (which has
``sys.monitoring``) without a profile hook that slows every call. The function object stays the
same (``is``, pickling by reference, its ``__dict__``), and the trampoline keeps what
``inspect`` reads from the code: the parameters (with the function's own defaults), the kind
(coroutine or generator function), the name, the file and the first line. While the original
code runs, one frame more is on the stack: the trampoline's, with the function's globals,
file and name, and ``__tracebackhide__`` so that pytest's tracebacks look as without it.
"""

from __future__ import annotations

import functools
import inspect
import sys
import types
from typing import Any, Callable

__all__ = ["Trampoline"]

_HOOK = "__mockengine_trampoline_hook__"
"""The placeholder constant replaced by the hook in the trampoline's code (also its local)."""

_RUNNER = "__mockengine_trampoline_runner__"
"""The placeholder replaced by the function that runs the original code."""

_RESERVED = frozenset((_HOOK, _RUNNER, "__tracebackhide__"))

_UNSUPPORTED_FLAGS = inspect.CO_ASYNC_GENERATOR | inspect.CO_ITERABLE_COROUTINE
"""Kinds of code a trampoline cannot stand in for without changing what callers get."""


class Trampoline:
    """Makes ``function`` call ``on_call(caller_frame)`` each time it runs, until :meth:`remove`.

    ``on_call`` runs when the original code would start (for a generator or coroutine
    function: at its first step, as the original's own frame would), with the frame of the
    code that called the function. Build it with :meth:`install`, which gives ``None`` for a
    function a trampoline cannot stand in for (an async generator, a ``types.coroutine``
    generator, a function whose parameter names clash with the trampoline's own).
    """

    def __init__(self, function: types.FunctionType, original: types.CodeType) -> None:
        self.function = function
        self.original = original
        self._code: types.CodeType | None = None

    @classmethod
    def install(
        cls, function: types.FunctionType, on_call: Callable[[types.FrameType | None], None]
    ) -> Trampoline | None:
        original = function.__code__
        runner = types.FunctionType(
            original, function.__globals__, None, None, function.__closure__
        )

        def hook() -> None:
            on_call(sys._getframe(2))  # hook <- trampoline <- the caller

        code = _trampoline_code(original, hook, runner)
        if code is None:
            return None
        trampoline = cls(function, original)
        function.__code__ = code
        trampoline._code = code
        return trampoline

    def remove(self) -> None:
        """Put the original code back (unless something else replaced the code since)."""
        if self._code is not None and self.function.__code__ is self._code:
            self.function.__code__ = self.original
        self._code = None


def _trampoline_code(
    code: types.CodeType, hook: Callable[[], None], runner: Callable[..., Any]
) -> types.CodeType | None:
    """Code with ``code``'s parameters, kind and place that calls ``hook()``, then returns
    what ``runner`` (a function running ``code`` itself) gives for its arguments: one frame
    between the caller and the original code, and that frame has the function's globals."""
    if code.co_flags & _UNSUPPORTED_FLAGS:
        return None
    if _RESERVED & set(code.co_varnames[: _parameter_count(code)]):
        return None
    kind = code.co_flags & (inspect.CO_COROUTINE | inspect.CO_GENERATOR)
    template = _template(*_parameters(code), kind, len(code.co_freevars))
    placeholders = {_HOOK: hook, _RUNNER: runner}
    replaced: dict[str, Any] = {
        "co_consts": tuple(
            placeholders.get(const, const) if isinstance(const, str) else const
            for const in template.co_consts
        ),
        "co_name": code.co_name,
        "co_filename": code.co_filename,
        "co_firstlineno": code.co_firstlineno,
    }
    if hasattr(code, "co_qualname"):  # Python 3.11+
        replaced["co_qualname"] = code.co_qualname
    return template.replace(**replaced)


@functools.lru_cache(maxsize=256)
def _template(parameters: str, forwarded: str, kind: int, free_count: int) -> types.CodeType:
    """The trampoline's code for one shape of function (compiled once per shape: suites patch
    many functions of few shapes), calling the placeholders ``_HOOK`` and ``_RUNNER``."""
    if kind & inspect.CO_COROUTINE:
        header, result = "async def", f"await {_RUNNER}({forwarded})"
    elif kind & inspect.CO_GENERATOR:
        header, result = "def", f"(yield from {_RUNNER}({forwarded}))"
    else:
        header, result = "def", f"{_RUNNER}({forwarded})"
    # The closure must have as many cells as the function's; the trampoline never reads them.
    free = [f"__mockengine_free_{index}" for index in range(free_count)]
    cells = f"    {' = '.join(free)} = None\n" if free else ""
    keep_free = f"({', '.join(free)},) if False else None; " if free else ""
    source = (
        "def __mockengine_outer():\n"
        f"{cells}"
        f"    {header} __mockengine_trampoline({parameters}): __tracebackhide__ = True; "
        f'{_HOOK} = "{_HOOK}"; {_RUNNER} = "{_RUNNER}"; {keep_free}{_HOOK}(); '
        f"return {result}\n"
        "    return __mockengine_trampoline\n"
    )
    outer = next(
        const
        for const in compile(source, "<mockengine trampoline>", "exec").co_consts
        if isinstance(const, types.CodeType)
    )
    return next(
        const
        for const in outer.co_consts
        if isinstance(const, types.CodeType) and const.co_name == "__mockengine_trampoline"
    )


def _parameter_count(code: types.CodeType) -> int:
    count = code.co_argcount + code.co_kwonlyargcount
    return (
        count
        + bool(code.co_flags & inspect.CO_VARARGS)
        + bool(code.co_flags & inspect.CO_VARKEYWORDS)
    )


def _parameters(code: types.CodeType) -> tuple[str, str]:
    """``code``'s parameter list as source, and the arguments that pass each on as given."""
    names = code.co_varnames
    positional = list(names[: code.co_argcount])
    keyword_only = list(names[code.co_argcount : code.co_argcount + code.co_kwonlyargcount])
    index = code.co_argcount + code.co_kwonlyargcount
    variadic = None
    if code.co_flags & inspect.CO_VARARGS:
        variadic = names[index]
        index += 1
    variadic_keywords = names[index] if code.co_flags & inspect.CO_VARKEYWORDS else None
    parameters = list(positional)
    if code.co_posonlyargcount:
        parameters.insert(code.co_posonlyargcount, "/")
    if variadic is not None:
        parameters.append(f"*{variadic}")
    elif keyword_only:
        parameters.append("*")
    parameters.extend(keyword_only)
    forwarded = list(positional)
    if variadic is not None:
        forwarded.append(f"*{variadic}")
    forwarded.extend(f"{name}={name}" for name in keyword_only)
    if variadic_keywords is not None:
        parameters.append(f"**{variadic_keywords}")
        forwarded.append(f"**{variadic_keywords}")
    return ", ".join(parameters), ", ".join(forwarded)

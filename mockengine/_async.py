"""Asynchronous mocks: ``AsyncMock`` and the mixin that makes any mock awaitable.

Calling an async mock records the call and returns a coroutine; awaiting it records the await
and runs the side effect (awaited when it is a coroutine function) or returns the return value.
"""

from __future__ import annotations

import inspect
from types import CodeType
from typing import Any

from mockengine._calls import _CallList, recorded_call
from mockengine._introspection import is_callable, is_exception, iscoroutinefunction
from mockengine._magic import ASYNC_METHOD_MAGICS, MagicMixin, MagicMock
from mockengine._mock import (
    Mock,
    NonCallableMock,
    call_list_problem,
    delegating_property,
    unmatched_calls,
)
from mockengine._sentinels import DEFAULT
from mockengine.vocabulary import MAGIC_METHODS

__all__ = ["AsyncIterator", "AsyncMock", "AsyncMockMixin"]

_SYNC_MAGICS = MAGIC_METHODS - ASYNC_METHOD_MAGICS


def _coroutine_code() -> Any:
    """A stand-in code object flagged as a coroutine function's, taking ``*args, **kwargs``."""
    code = NonCallableMock(spec_set=CodeType)
    code.co_flags = inspect.CO_COROUTINE | inspect.CO_VARARGS | inspect.CO_VARKEYWORDS
    code.co_argcount = 0
    code.co_varnames = ("args", "kwargs")
    code.co_posonlyargcount = 0
    code.co_kwonlyargcount = 0
    return code


def _asyncio_marker() -> Any:
    import asyncio  # noqa: PLC0415  (slow to import; only async mocks need it)

    return getattr(asyncio.coroutines, "_is_coroutine", None)


class AsyncMockMixin:
    """Makes a mock's calls return coroutines, and adds the ``await`` records and assertions."""

    _mock_is_async = True

    await_count = delegating_property("await_count")
    await_args = delegating_property("await_args")
    await_args_list = delegating_property("await_args_list")

    def __init__(self, /, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        state = self.__dict__
        # What inspect.iscoroutinefunction and asyncio.iscoroutinefunction look at.
        marker = _asyncio_marker()
        if marker is not None:
            state["_is_coroutine"] = marker
        state["_mock_await_count"] = 0
        state["_mock_await_args"] = None
        state["_mock_await_args_list"] = _CallList()
        state["__code__"] = _coroutine_code()
        state["__name__"] = "AsyncMock"
        state["__defaults__"] = ()
        state["__kwdefaults__"] = {}
        state["__annotations__"] = None

    def _child_mock_class(self, new_name: str | None) -> type:
        if new_name in self.__dict__["_spec_asyncs"]:
            return AsyncMock
        methods = self._mock_methods
        if new_name in _SYNC_MAGICS or (methods and new_name in methods):
            return MagicMock
        return AsyncMock

    async def _execute_mock_call(self, /, *args: Any, **kwargs: Any) -> Any:
        this_call = recorded_call(args, kwargs)
        state = self.__dict__
        if state["_mock_delegate"] is None:
            # What the await properties would do, without going through them.
            state["_mock_await_count"] += 1
            state["_mock_await_args"] = this_call
            state["_mock_await_args_list"].append(this_call)
        else:
            self.await_count += 1
            self.await_args = this_call
            self.await_args_list.append(this_call)

        effect = self.side_effect
        if effect is not None:
            if is_exception(effect):
                raise effect
            if not is_callable(effect):
                try:
                    result = next(effect)
                except StopIteration:
                    # A StopIteration cannot leave a coroutine (PEP 479).
                    raise StopAsyncIteration from None
                if is_exception(result):
                    raise result
            elif iscoroutinefunction(effect):
                result = await effect(*args, **kwargs)
            else:
                result = effect(*args, **kwargs)
            if result is not DEFAULT:
                return result
        if self._mock_return_value is not DEFAULT:
            return self.return_value
        wrapped = self._mock_wraps
        if wrapped is not None:
            if iscoroutinefunction(wrapped):
                return await wrapped(*args, **kwargs)
            return wrapped(*args, **kwargs)
        return self.return_value

    def assert_awaited(self) -> None:
        """Assert the mock was awaited at least once."""
        if self.await_count == 0:
            raise AssertionError(f"Expected {self._display_name()} to have been awaited.")

    def assert_awaited_once(self) -> None:
        """Assert the mock was awaited exactly once."""
        if self.await_count != 1:
            raise AssertionError(
                f"Expected {self._display_name()} to have been awaited once. "
                f"Awaited {self.await_count} times."
            )

    def assert_awaited_with(self, /, *args: Any, **kwargs: Any) -> None:
        """Assert the last await had these arguments."""
        if self.await_args is None:
            expected = self._format_mock_call_signature(args, kwargs)
            raise AssertionError(f"Expected await: {expected}\nNot awaited")
        self._check_last_call(self.await_args, args, kwargs, "await")

    def assert_awaited_once_with(self, /, *args: Any, **kwargs: Any) -> None:
        """Assert the mock was awaited exactly once, with these arguments."""
        if self.await_count != 1:
            raise AssertionError(
                f"Expected {self._display_name()} to have been awaited once. "
                f"Awaited {self.await_count} times."
            )
        return self.assert_awaited_with(*args, **kwargs)

    def assert_any_await(self, /, *args: Any, **kwargs: Any) -> None:
        """Assert the mock was awaited with these arguments at some point."""
        self._check_any_call(self.await_args_list, args, kwargs, "await")

    def assert_has_awaits(self, calls: Any, any_order: bool = False) -> None:
        """Assert ``calls`` were awaited: in a row, or anywhere with ``any_order``."""
        expected, cause, recorded = self._match_call_list(calls, self.await_args_list)
        if not any_order:
            if expected not in recorded:
                problem = call_list_problem("awaits", expected, cause)
                raise AssertionError(
                    f"{problem}\nExpected: {_CallList(calls)}\nActual: {self.await_args_list}"
                ) from cause
            return
        not_found, _ = unmatched_calls(expected, recorded)
        if not_found:
            raise AssertionError(f"{tuple(not_found)!r} not all found in await list") from cause

    def assert_not_awaited(self) -> None:
        """Assert the mock was never awaited."""
        if self.await_count != 0:
            raise AssertionError(
                f"Expected {self._display_name()} to not have been awaited. "
                f"Awaited {self.await_count} times."
            )

    def reset_mock(self, /, *args: Any, **kwargs: Any) -> None:
        """Forget calls and awaits (see ``Mock.reset_mock``)."""
        super().reset_mock(*args, **kwargs)
        self.await_count = 0
        self.await_args = None
        self.await_args_list = _CallList()


class AsyncMock(AsyncMockMixin, MagicMixin, Mock):
    """A ``MagicMock`` whose calls are awaitable; its attributes are ``AsyncMock`` too.

    ``await mock(1)`` returns ``return_value`` (or the side effect's result, awaited if it is a
    coroutine function), and records the await in ``await_count``, ``await_args`` and
    ``await_args_list``, checked by the ``assert_awaited*`` methods.
    """


class AsyncIterator:
    """What an async mock's ``__aiter__`` returns: iterates the configured values."""

    def __init__(self, iterator: Any) -> None:
        self.iterator = iterator
        code = NonCallableMock(spec_set=CodeType)
        code.co_flags = inspect.CO_ITERABLE_COROUTINE
        self.__dict__["__code__"] = code

    def __aiter__(self) -> AsyncIterator:
        return self

    async def __anext__(self) -> Any:
        try:
            return next(self.iterator)
        except StopIteration:
            pass
        raise StopAsyncIteration

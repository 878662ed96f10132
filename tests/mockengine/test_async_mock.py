"""``AsyncMock``: awaitable calls, await records and the ``assert_awaited*`` methods."""

from __future__ import annotations

import asyncio
import inspect
import sys

import pytest

from mockengine import AsyncMock, MagicMock, Mock, call


def is_coroutine_function(obj: object) -> bool:
    """inspect's answer; on 3.9 asyncio's, as inspect there accepts only real functions."""
    if sys.version_info < (3, 10):
        return asyncio.iscoroutinefunction(obj)
    return inspect.iscoroutinefunction(obj)


def test_calling_returns_a_coroutine_and_awaiting_records_it() -> None:
    mock = AsyncMock(return_value=3)
    assert is_coroutine_function(mock)
    coroutine = mock(1)
    assert mock.call_count == 1
    assert mock.await_count == 0
    assert asyncio.run(coroutine) == 3
    assert mock.await_args == call(1)
    mock.assert_awaited_once_with(1)


def test_side_effects_are_raised_iterated_or_awaited() -> None:
    async def double(x: int) -> int:
        return 2 * x

    assert asyncio.run(AsyncMock(side_effect=double)(4)) == 8
    with pytest.raises(KeyError):
        asyncio.run(AsyncMock(side_effect=KeyError)())
    mock = AsyncMock(side_effect=[1])
    assert asyncio.run(mock()) == 1
    with pytest.raises(StopAsyncIteration):
        asyncio.run(mock())


def test_await_assertion_messages() -> None:
    mock = AsyncMock()
    with pytest.raises(AssertionError, match=r"^Expected mock to have been awaited\.$"):
        mock.assert_awaited()
    asyncio.run(mock(1))
    with pytest.raises(AssertionError, match=r"^mock\(2\) await not found$"):
        mock.assert_any_await(2)
    with pytest.raises(AssertionError, match=r"Expected mock to not have been awaited\. Awaited 1"):
        mock.assert_not_awaited()
    mock.assert_has_awaits([call(1)])
    mock.reset_mock()
    mock.assert_not_awaited()


def test_a_mock_specced_on_an_async_function_is_async() -> None:
    async def fetch() -> None: ...

    mock = Mock(spec=fetch)
    assert is_coroutine_function(mock)
    asyncio.run(mock())
    mock.assert_awaited_once()


def test_magic_mock_supports_async_with_and_async_for() -> None:
    mock = MagicMock()
    mock.__aiter__.return_value = [1, 2]

    async def use() -> list[int]:
        async with mock as entered:
            assert entered is mock.__aenter__.return_value
        return [item async for item in mock]

    assert asyncio.run(use()) == [1, 2]

"""``AsyncMock``: awaitable calls, await records and the ``assert_awaited*`` methods."""

from __future__ import annotations

import asyncio
import inspect
import sys
from typing import Any

import pytest

from mockengine import DEFAULT, AsyncMock, MagicMock, Mock, call, create_autospec


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


# -- awaits, recorded and asserted -----------------------------------------------------------


def _run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def test_calls_and_awaits_are_recorded_apart() -> None:
    mock = AsyncMock()
    pending = mock("never awaited")

    async def main() -> None:
        await mock(1)
        await mock(2, key=3)

    _run(main())
    pending.close()
    assert mock.call_count == 3
    assert mock.await_count == 2
    assert mock.await_args == call(2, key=3)
    assert mock.await_args_list == [call(1), call(2, key=3)]
    assert mock.call_args_list == [call("never awaited"), call(1), call(2, key=3)]


def test_the_await_assertions_pass_and_fail_as_documented() -> None:
    mock = AsyncMock()

    async def main() -> None:
        await mock(1)
        await mock(2)

    _run(main())
    mock.assert_awaited()
    mock.assert_awaited_with(2)
    mock.assert_any_await(1)
    mock.assert_has_awaits([call(1), call(2)])
    mock.assert_has_awaits([call(2), call(1)], any_order=True)
    with pytest.raises(AssertionError, match=r"^Expected mock to have been awaited once\. "):
        mock.assert_awaited_once()
    with pytest.raises(AssertionError, match=r"^expected await not found\."):
        mock.assert_awaited_with(1)
    with pytest.raises(AssertionError, match=r"^Expected mock to have been awaited once\."):
        mock.assert_awaited_once_with(2)
    with pytest.raises(AssertionError, match=r"^Awaits not found\."):
        mock.assert_has_awaits([call(2), call(1)])
    with pytest.raises(AssertionError, match=r"not all found in await list"):
        mock.assert_has_awaits([call(3)], any_order=True)


def test_assert_awaited_with_when_never_awaited() -> None:
    with pytest.raises(AssertionError, match=r"^Expected await: mock\(1\)\nNot awaited$"):
        AsyncMock().assert_awaited_with(1)


def test_a_named_async_mock_names_itself_in_messages() -> None:
    mock = AsyncMock(name="fetch")
    with pytest.raises(AssertionError, match=r"^Expected fetch to have been awaited\.$"):
        mock.assert_awaited()


@pytest.mark.parametrize(
    ("side_effect", "expected"),
    [
        (lambda value: value * 2, 8),
        (lambda value: DEFAULT, "configured"),
    ],
)
def test_a_plain_function_side_effect_gives_its_result(side_effect: Any, expected: Any) -> None:
    mock = AsyncMock(side_effect=side_effect, return_value="configured")
    assert _run(mock(4)) == expected


def test_a_coroutine_function_side_effect_is_awaited() -> None:
    seen = []

    async def effect(value: int) -> int:
        seen.append(value)
        await asyncio.sleep(0)
        return value + 1

    mock = AsyncMock(side_effect=effect)
    assert _run(mock(1)) == 2
    assert seen == [1]


def test_an_iterable_side_effect_gives_or_raises_one_item_per_await() -> None:
    mock = AsyncMock(side_effect=[1, ValueError("second"), 3])
    assert _run(mock()) == 1
    with pytest.raises(ValueError, match="second"):
        _run(mock())
    assert _run(mock()) == 3
    with pytest.raises(StopAsyncIteration):
        _run(mock())
    assert mock.await_count == 4


def test_an_exception_side_effect_is_raised_when_awaited_not_when_called() -> None:
    mock = AsyncMock(side_effect=KeyError("k"))
    pending = mock()
    assert mock.await_count == 0
    with pytest.raises(KeyError):
        _run(pending)
    assert mock.await_count == 1


def test_wrapping_a_coroutine_function_awaits_it() -> None:
    async def real(value: int) -> str:
        return f"real {value}"

    mock = AsyncMock(wraps=real)
    assert _run(mock(1)) == "real 1"
    mock.assert_awaited_once_with(1)


def test_reset_mock_forgets_awaits_and_on_request_the_configuration() -> None:
    mock = AsyncMock(return_value=5)
    _run(mock(1))
    mock.reset_mock()
    assert (mock.await_count, mock.await_args, mock.await_args_list) == (0, None, [])
    assert _run(mock()) == 5
    mock.reset_mock(return_value=True)
    returned = _run(mock())
    assert returned is mock.return_value
    assert isinstance(returned, AsyncMock)  # a child, no longer the configured 5


def test_children_of_an_async_mock_are_async_except_sync_magic_methods() -> None:
    mock = AsyncMock()
    assert isinstance(mock.child, AsyncMock)
    assert not isinstance(mock.__str__, AsyncMock)
    assert isinstance(mock.__aenter__, AsyncMock)


def test_a_magic_mock_has_async_context_and_iteration_methods() -> None:
    mock = MagicMock()
    mock.__aiter__.return_value = ["a", "b"]
    mock.__aexit__.return_value = True  # swallows the exception

    async def main() -> list[str]:
        async with mock as entered:
            assert entered is mock.__aenter__.return_value
            raise KeyError("swallowed")
        return [item async for item in mock]

    assert _run(main()) == ["a", "b"]
    mock.__aenter__.assert_awaited_once()
    mock.__aexit__.assert_awaited_once()
    assert isinstance(mock.__anext__, AsyncMock)


def test_async_iteration_starts_again_each_time() -> None:
    mock = MagicMock()
    mock.__aiter__.return_value = [1, 2]

    async def both() -> tuple[list[int], list[int]]:
        return [x async for x in mock], [x async for x in mock]

    assert _run(both()) == ([1, 2], [1, 2])


def test_create_autospec_of_an_async_function_checks_and_records_awaits() -> None:
    async def fetch(url: str, *, retries: int = 0) -> str:
        raise AssertionError("never runs")

    mocked = create_autospec(fetch, return_value="page")
    assert inspect.iscoroutinefunction(mocked)
    assert _run(mocked("u", retries=2)) == "page"
    mocked.assert_awaited_once_with("u", retries=2)
    with pytest.raises(TypeError):
        _run(mocked())


def test_create_autospec_of_a_class_makes_its_async_methods_async() -> None:
    class Client:
        async def get(self, url: str) -> str:
            raise AssertionError("never runs")

        def close(self) -> None:
            raise AssertionError("never runs")

    client = create_autospec(Client, instance=True)
    assert isinstance(client.get, AsyncMock)
    assert not isinstance(client.close, AsyncMock)
    _run(client.get("u"))
    client.get.assert_awaited_once_with("u")
    with pytest.raises(TypeError):
        client.get()

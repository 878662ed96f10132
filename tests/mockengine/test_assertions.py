"""Every ``assert_*`` method: when it passes, and its message (the same as unittest.mock's)."""

from __future__ import annotations

import sys

import pytest

from mockengine import Mock, call

ACTUAL = "  Actual: " if sys.version_info >= (3, 11) else "Actual: "
"""How unittest.mock of the running Python starts the "Actual:" line (indented from 3.11)."""


def called(*calls: tuple[tuple[object, ...], dict[str, object]], name: str | None = None) -> Mock:
    mock = Mock(name=name)
    for args, kwargs in calls:
        mock(*args, **kwargs)
    return mock


def message_of(assertion: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(AssertionError) as raised:
        assertion(*args, **kwargs)  # type: ignore[operator]
    return str(raised.value)


def test_assert_called_and_assert_not_called() -> None:
    Mock().assert_not_called()
    assert message_of(Mock().assert_called) == "Expected 'mock' to have been called."
    mock = called(((1,), {}), name="send")
    mock.assert_called()
    assert message_of(mock.assert_not_called) == (
        "Expected 'send' to not have been called. Called 1 times.\nCalls: [call(1)]."
    )


def test_assert_called_once() -> None:
    called(((), {})).assert_called_once()
    mock = called(((1,), {}), ((2,), {}))
    assert message_of(mock.assert_called_once) == (
        "Expected 'mock' to have been called once. Called 2 times.\nCalls: [call(1), call(2)]."
    )
    assert message_of(Mock().assert_called_once) == (
        "Expected 'mock' to have been called once. Called 0 times."
    )


def test_assert_called_with_checks_the_last_call() -> None:
    mock = called(((1,), {}), ((2,), {"b": 3}))
    mock.assert_called_with(2, b=3)
    assert message_of(mock.assert_called_with, 1) == (
        f"expected call not found.\nExpected: mock(1)\n{ACTUAL}mock(2, b=3)"
    )
    assert message_of(Mock().assert_called_with, 1) == (
        f"expected call not found.\nExpected: mock(1)\n{ACTUAL}not called."
    )


def test_assert_called_once_with() -> None:
    called(((1,), {})).assert_called_once_with(1)
    mock = called(((1,), {}), ((1,), {}))
    assert message_of(mock.assert_called_once_with, 1) == (
        "Expected 'mock' to be called once. Called 2 times.\nCalls: [call(1), call(1)]."
    )


def test_assert_any_call() -> None:
    mock = called(((1,), {}), ((2,), {}))
    mock.assert_any_call(1)
    assert message_of(mock.assert_any_call, 3) == "mock(3) call not found"


def test_assert_has_calls_in_order_or_any_order() -> None:
    mock = Mock()
    mock(1)
    mock.child(2)
    mock(3)
    mock.assert_has_calls([call.child(2), call(3)])
    mock.assert_has_calls([call(3), call(1)], any_order=True)
    assert message_of(mock.assert_has_calls, [call(3), call(1)]) == (
        f"Calls not found.\nExpected: [call(3), call(1)]\n{ACTUAL}[call(1), call.child(2), call(3)]"
    )
    assert message_of(mock.assert_has_calls, [call(4)], any_order=True) == (
        "'mock' does not contain all of (call(4),) in its call list, "
        "found [call(1), call.child(2), call(3)] instead"
    )


def test_assertions_of_a_child_name_it() -> None:
    mock = Mock()
    assert message_of(mock.client.get.assert_called) == "Expected 'get' to have been called."

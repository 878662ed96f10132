"""``ThreadingMock``: waiting until another thread calls the mock."""

from __future__ import annotations

import threading

import pytest

from mockengine import ThreadingMock, call


def test_waits_until_called_from_another_thread() -> None:
    mock = ThreadingMock()
    worker = threading.Thread(target=mock.job, args=(1,))
    worker.start()
    mock.job.wait_until_called(timeout=10)
    mock.job.wait_until_any_call_with(1)
    worker.join()


def test_times_out_with_a_clear_message() -> None:
    mock = ThreadingMock(timeout=0.01)
    with pytest.raises(AssertionError, match=r"mock was not called before timeout\(0.01\)"):
        mock.wait_until_called()
    with pytest.raises(AssertionError, match=r"mock\(2\) call not found"):
        mock.wait_until_any_call_with(2)


def test_returns_at_once_when_already_called() -> None:
    mock = ThreadingMock(timeout=0)
    mock(1)
    mock.wait_until_called()
    mock.wait_until_any_call_with(1)


def test_waits_for_a_call_with_the_given_arguments() -> None:
    mock = ThreadingMock()
    started = threading.Event()

    def work() -> None:
        mock("first")
        started.set()
        mock("second", key=1)

    worker = threading.Thread(target=work)
    worker.start()
    mock.wait_until_any_call_with("second", key=1)
    assert started.is_set()
    worker.join()
    assert mock.call_args_list == [call("first"), call("second", key=1)]


def test_children_wait_with_their_parents_timeout() -> None:
    mock = ThreadingMock(timeout=0.01)
    assert isinstance(mock.child, ThreadingMock)
    with pytest.raises(AssertionError, match=r"^child was not called before timeout\(0\.01\)"):
        mock.child.wait_until_called()


def test_an_explicit_timeout_wins_over_the_mocks() -> None:
    mock = ThreadingMock(timeout=60)
    with pytest.raises(AssertionError, match=r"timeout\(0\.01\)"):
        mock.wait_until_called(timeout=0.01)


def test_the_default_timeout_is_a_class_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ThreadingMock.DEFAULT_TIMEOUT is None
    monkeypatch.setattr(ThreadingMock, "DEFAULT_TIMEOUT", 0.01)
    with pytest.raises(AssertionError, match=r"timeout\(0\.01\)"):
        ThreadingMock().wait_until_called()


def test_reset_mock_makes_it_wait_again() -> None:
    mock = ThreadingMock(timeout=0.01)
    mock()
    mock.wait_until_called()
    mock.reset_mock()
    with pytest.raises(AssertionError, match="was not called before timeout"):
        mock.wait_until_called()


def test_it_is_a_magic_mock_otherwise() -> None:
    mock = ThreadingMock(return_value=3)
    assert mock() == 3
    assert len(mock) == 0
    mock.assert_called_once_with()

"""``ThreadingMock``: waiting until another thread calls the mock."""

from __future__ import annotations

import threading

import pytest

from mockengine import ThreadingMock


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

"""``ThreadingMock``: a ``MagicMock`` that other threads can wait on until it is called."""

from __future__ import annotations

import threading
from typing import Any

from mockengine._magic import MagicMixin
from mockengine._mock import Mock

__all__ = ["ThreadingMock"]

_UNSET = object()


class ThreadingMixin:
    """Adds ``wait_until_called`` and ``wait_until_any_call_with``, with a per-mock timeout."""

    DEFAULT_TIMEOUT: float | None = None

    def __init__(self, /, *args: Any, timeout: Any = _UNSET, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        state = self.__dict__
        state["_mock_wait_timeout"] = self.DEFAULT_TIMEOUT if timeout is _UNSET else timeout
        state["_mock_event"] = threading.Event()
        state["_mock_calls_events"] = []
        state["_mock_calls_events_lock"] = threading.Lock()

    def _get_child_mock(self, /, **kwargs: Any) -> Any:
        for key in ("parent", "_new_parent"):
            parent = kwargs.get(key)
            if isinstance(parent, ThreadingMixin):
                kwargs["timeout"] = parent._mock_wait_timeout
                break
        return super()._get_child_mock(**kwargs)

    def reset_mock(self, /, *args: Any, **kwargs: Any) -> None:
        """Forget calls (see ``Mock.reset_mock``), and the events waited on."""
        super().reset_mock(*args, **kwargs)
        self.__dict__["_mock_event"] = threading.Event()
        self.__dict__["_mock_calls_events"] = []

    def _event_for(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> threading.Event:
        with self._mock_calls_events_lock:
            for event_args, event_kwargs, event in self._mock_calls_events:
                if (event_args, event_kwargs) == (args, kwargs):
                    return event
            event = threading.Event()
            self._mock_calls_events.append((args, kwargs, event))
        return event

    def _mock_call(self, /, *args: Any, **kwargs: Any) -> Any:
        result = super()._mock_call(*args, **kwargs)
        self._event_for(args, kwargs).set()
        self._mock_event.set()
        return result

    def wait_until_called(self, *, timeout: Any = _UNSET) -> None:
        """Wait until the mock is called (``AssertionError`` after ``timeout`` seconds)."""
        if timeout is _UNSET:
            timeout = self._mock_wait_timeout
        if not self._mock_event.wait(timeout=timeout):
            name = self._mock_name or "mock"
            raise AssertionError(f"{name} was not called before timeout({timeout}).")

    def wait_until_any_call_with(self, *args: Any, **kwargs: Any) -> None:
        """Wait until the mock is called with these arguments (``AssertionError`` on timeout)."""
        event = self._event_for(args, kwargs)
        if not event.wait(timeout=self._mock_wait_timeout):
            expected = self._format_mock_call_signature(args, kwargs)
            raise AssertionError(f"{expected} call not found")


class ThreadingMock(ThreadingMixin, MagicMixin, Mock):
    """A ``MagicMock`` for code that calls it from other threads: ``wait_until_called()``."""

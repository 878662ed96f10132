"""Checkpoints in long analysis work: where it gives way to requests, or stops when unwanted.

The server runs a document's lint on a worker thread. A thread of Python holds the
interpreter's lock while it computes, so a long lint slows every other thread down, the
event loop's included; and a lint of a version the editor has already replaced is work
thrown away. The analysis and the linter therefore call :func:`checkpoint` often (per
statement, per rule, per finding). On a thread running a :class:`Work` (see :func:`working`),
a checkpoint

- raises :class:`Abandoned` once the work was cancelled (a newer version came, the request
  was cancelled), and
- for *background* work (a lint), waits while :class:`Requests` has a request in flight for
  another document, releasing the lock so that the request is answered at once.

Anywhere else (``mockls check``, a test, a request's own work) a checkpoint costs a lookup
and does nothing. This module knows nothing of LSP: the server says what a request is.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Abandoned", "Requests", "Work", "checkpoint", "working"]

LONGEST_PAUSE = 1.0
"""Seconds a background checkpoint waits for requests at most before it goes on all the
same: a request that waits for this very work cannot stall it for long."""


class Abandoned(BaseException):
    """The work running on this thread was cancelled: unwind without a result.

    A ``BaseException``, as :class:`asyncio.CancelledError` is, so that the ``except
    Exception`` that keeps one failing rule or statement from taking the others down lets it
    through.
    """


class Requests:
    """The requests in flight, by document, for background work to give way to. Thread-safe."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._serving: Counter[str] = Counter()

    @contextmanager
    def serving(self, document: str) -> Iterator[None]:
        """Count a request about ``document`` as in flight while the block runs."""
        with self._condition:
            self._serving[document] += 1
        try:
            yield
        finally:
            with self._condition:
                self._serving[document] -= 1
                if self._serving[document] <= 0:
                    del self._serving[document]
                self._condition.notify_all()

    def give_way(self, work: Work, timeout: float = LONGEST_PAUSE) -> None:
        """Wait while a request about a document other than ``work``'s is in flight (at most
        ``timeout`` seconds), or until ``work`` is cancelled."""
        if not self._serving:  # the common case, read without the lock: nothing to wait for
            return
        with self._condition:
            self._condition.wait_for(
                lambda: work.cancelled or not self._others_served(work.document), timeout
            )

    def wake(self) -> None:
        """Wake the waiting work (one of them was cancelled)."""
        with self._condition:
            self._condition.notify_all()

    def _others_served(self, document: str) -> bool:
        return any(served != document for served in self._serving)


class Work:
    """One piece of work about one document, which may be cancelled from any thread.

    ``requests`` makes it background work, giving way to the requests about other documents.
    """

    def __init__(self, document: str, requests: Requests | None = None) -> None:
        self.document = document
        self._requests = requests
        self._cancelled = False

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        """Stop the work at its next checkpoint."""
        self._cancelled = True
        if self._requests is not None:
            self._requests.wake()

    def checkpoint(self) -> None:
        """Raise :class:`Abandoned` when cancelled; give way to requests when in the background."""
        if self._cancelled:
            raise Abandoned
        if self._requests is not None:
            self._requests.give_way(self)
            if self._cancelled:
                raise Abandoned


_running = threading.local()


@contextmanager
def working(work: Work) -> Iterator[Work]:
    """Run the block as ``work``: the checkpoints it reaches on this thread are ``work``'s."""
    outer: Work | None = getattr(_running, "work", None)
    _running.work = work
    try:
        yield work
    finally:
        _running.work = outer


def checkpoint() -> None:
    """Give way or stop here, as the work running on this thread says (nothing outside one)."""
    work: Work | None = getattr(_running, "work", None)
    if work is not None:
        work.checkpoint()

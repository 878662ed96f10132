"""Runs ``mockls check``'s per-file work in parallel processes, results in the given order.

The workers are forked from the process that built the projects, so each inherits the scanned
import indexes instead of building its own (the pages are shared until written). Items are
handed out one at a time, since one file may take a hundred times longer than another. What
a worker writes to stderr for an item (errors about that file, log records) is captured and
written by the parent when that item's turn comes, so stdout and stderr are the same as when
the files are checked one after the other. Where processes cannot be forked, or when one
dies, the items without a result are done in this process.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

__all__ = ["available_cores", "map_in_processes"]

log = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")


def available_cores() -> int:
    """The number of CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class _Work(Generic[Item, Result]):
    """What the forked workers inherit: the function and the items, addressed by index."""

    def __init__(self, function: Callable[[Item], Result], items: Sequence[Item]) -> None:
        self.function = function
        self.items = items


_inherited: _Work[Any, Any] | None = None
"""Set in the parent just before the workers are forked; read only in the workers."""


def map_in_processes(
    function: Callable[[Item], Result], items: Sequence[Item], processes: int
) -> list[Result]:
    """``[function(item) for item in items]``, computed in up to ``processes`` processes.

    ``function`` and ``items`` reach the workers by fork, so they need not be picklable;
    the results must be.
    """
    global _inherited  # noqa: PLW0603 (the one way to hand unpicklable work to forked children)
    # Imported here: they take longer to import than the rest of this module, and the
    # language server, which imports the command's module, never forks.
    import multiprocessing  # noqa: PLC0415
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415
    from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415

    workers = min(processes, len(items))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    log.info("working on %d items in %d processes", len(items), workers)
    results: list[Result] = []
    _inherited = _Work(function, items)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for result, stderr in pool.map(_run_captured, range(len(items))):
                sys.stderr.write(stderr)
                results.append(result)
    except BrokenProcessPool:
        log.warning("a worker process died; checking the remaining files in this process")
    finally:
        _inherited = None
    results.extend(function(item) for item in items[len(results) :])
    return results


def _run_captured(index: int) -> tuple[Any, str]:
    """In a worker: the result for item ``index`` and what computing it wrote to stderr."""
    work = _inherited
    assert work is not None, "only called in workers forked by map_in_processes"
    with _stderr_captured() as captured:
        result = work.function(work.items[index])
    return result, captured.getvalue()


@contextmanager
def _stderr_captured() -> Iterator[io.StringIO]:
    """Sends ``sys.stderr`` and the log handlers writing to it into a buffer meanwhile."""
    buffer = io.StringIO()
    original = sys.stderr
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler, logging.StreamHandler) and handler.stream is original
    ]
    sys.stderr = buffer
    for handler in handlers:
        handler.setStream(buffer)
    try:
        yield buffer
    finally:
        sys.stderr = original
        for handler in handlers:
            handler.setStream(original)

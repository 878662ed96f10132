"""Keeping the cyclic garbage collector off big syntax trees and what is built from them.

A 4 MB module's analysis is about two million objects. Each full collection walks every one
of them holding the interpreter's lock — seconds in which no other thread runs, the server's
event loop included — and finds nothing: the analysis leaves no reference cycles (a test
keeps it so), so reference counting alone frees it when it is dropped. So:

- :func:`paused` turns the collector off while many objects that are not garbage are made (a
  tree, a model, a workspace index). Threads may pause at once: the collector is back on when
  the last of them is done, if it was on when the first began.
- :func:`kept_off` is for the facts of a big text (over :data:`BIG_TEXT_CHARACTERS`): they are
  built with the collector paused, then every object the collector tracks is moved to its
  permanent generation (:func:`gc.freeze`), which it never walks; and when the last owner of
  such facts is freed, everything is handed back (:func:`gc.unfreeze`).

What is frozen is not leaked: an object of the permanent generation is still freed when its
last reference goes. Only cyclic garbage is not collected there, and :func:`gc.freeze`
freezes every thread's objects, not just the text's: a cycle another thread made while the
collector was paused, or an object of another thread that was alive at a freeze and dies later
in a cycle, waits for the thaw. That is bounded by the life of the big texts' facts: when the
last of them goes, the permanent generation is emptied and the next full collection frees such
cycles.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["BIG_TEXT_CHARACTERS", "kept_off", "paused"]

BIG_TEXT_CHARACTERS = 1 << 20
"""Texts longer than this (in characters) have their facts kept off the collector."""

_lock = threading.RLock()
"""Reentrant: an owner may be freed, and thawed, by a collection that an allocation under the
lock set off on the same thread."""
_pausing = 0
"""How many threads are in :func:`paused` now."""
_resume = False
"""Whether the collector was on when the first of them began."""
_frozen: set[int] = set()
"""The ids of the live owners of frozen facts (an id is unique while its object lives)."""


@contextmanager
def paused() -> Iterator[None]:
    """Turn the cyclic collector off while the block runs (see the module's docstring)."""
    global _pausing, _resume  # noqa: PLW0603  (one collector per process: its state is global)
    with _lock:
        if _pausing == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pausing += 1
    try:
        yield
    finally:
        with _lock:
            _pausing -= 1
            if _pausing == 0 and _resume:
                gc.enable()


@contextmanager
def kept_off(owner: object, characters: int) -> Iterator[None]:
    """Build facts of ``owner``, a text of ``characters``, in the block: for a big text, with
    the collector paused, then frozen until ``owner`` is freed (see the module's docstring).

    ``owner`` must be weakly referenceable. What is built must leave no cyclic garbage.
    """
    if characters <= BIG_TEXT_CHARACTERS:
        yield
        return
    with paused():
        yield
        with _lock:
            # Before the pause ends: a collection in between would walk all that was built.
            gc.freeze()
            if id(owner) not in _frozen:
                _frozen.add(id(owner))
                weakref.finalize(owner, _thaw, id(owner))


def _thaw(owner: int) -> None:
    """``owner`` was freed: when it was the last, give the collector its objects back."""
    with _lock:
        _frozen.discard(owner)
        if not _frozen:
            gc.unfreeze()

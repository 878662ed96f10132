"""The declared order in which the callbacks of one notification run."""

from __future__ import annotations

import enum

__all__ = ["Phase"]


class Phase(enum.IntEnum):
    """When a notification's callback runs, relative to the others of the same notification
    (within one phase: in the order the features were set up)."""

    STATE = 0
    """Updates the state every feature reads (the open documents)."""
    FEATURES = 1
    """A feature reacting to the change: the state is already updated."""
    RELEASE = 2
    """Drops state after every feature has heard of the change (a closed document)."""

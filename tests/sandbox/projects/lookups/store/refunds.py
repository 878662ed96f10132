"""Looks ``charge`` up through its module: a patch of ``store.payments.charge`` reaches it."""

from store import payments


def undo(card):
    return payments.charge(card, -100)

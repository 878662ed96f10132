"""Binds ``charge`` with ``from ... import``: a patch of ``store.payments.charge`` misses it."""

from store.payments import charge


def place(card):
    return charge(card, 100)

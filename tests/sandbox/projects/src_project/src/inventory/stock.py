"""A module below ``src/``."""


def reserve(item, quantity=1):
    return item, quantity

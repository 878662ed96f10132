"""A module at the root of a ``src/`` layout project."""


def rebuild(force=False):
    return force

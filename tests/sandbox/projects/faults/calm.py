"""A well-behaved module."""


def answer():
    return 42

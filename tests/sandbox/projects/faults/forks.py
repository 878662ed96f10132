"""Forks while it is imported; the child carries on as if nothing happened."""

import os

CHILD = os.fork()


def after_fork():
    return CHILD

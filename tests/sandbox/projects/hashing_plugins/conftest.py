"""Keeps every pytest plugin registered in a set, as pytest 9.0's fixture manager does (pluggy
says plugins must be hashable): one that cannot be hashed ends the run with an INTERNALERROR."""

REGISTERED = set()


def pytest_plugin_registered(plugin):
    REGISTERED.add(plugin)

"""Keeps every pytest plugin registered in a set, as pytest 9.0's fixture manager and pluggy
before 1.1 do: a plugin that cannot be hashed ends the run with an INTERNALERROR."""

REGISTERED = set()


def pytest_plugin_registered(plugin):
    REGISTERED.add(plugin)

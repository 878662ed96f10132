"""Tests that use pytest-mock's ``mocker`` fixture are skipped when pytest-mock is missing."""

import importlib.util

import pytest


def pytest_collection_modifyitems(config, items):
    if importlib.util.find_spec("pytest_mock") is not None:
        return
    needs_pytest_mock = pytest.mark.skip(reason="uses mocker: pip install pytest-mock")
    for item in items:
        if "mocker" in getattr(item, "fixturenames", ()):
            item.add_marker(needs_pytest_mock)

"""The whole test session: a cache directory of its own.

mockls keeps what jedi said about an environment on disk (``MOCKLS_CACHE_DIR``); the tests,
and the servers and commands they start, use a fresh directory, removed at the end, so that
no run depends on what an earlier one left in ``~/.cache``.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_CACHE_VARIABLE = "MOCKLS_CACHE_DIR"


def pytest_configure(config: pytest.Config) -> None:
    os.environ[_CACHE_VARIABLE] = tempfile.mkdtemp(prefix="mockls-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.pop(_CACHE_VARIABLE), ignore_errors=True)

"""Added to the copy of examples/shop the end-to-end test opens: a patch of a standard-library
target, which the server resolves in the workspace's environment (its .venv) when trusted."""

import time
from unittest import mock


def test_sleep_is_not_called():
    with mock.patch("time.sleep") as mock_sleep:
        time.monotonic()
    mock_sleep.assert_not_called()

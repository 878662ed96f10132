"""A test that patches, run under a plugin that hashes every other plugin."""

import os
from unittest import mock


def test_patches():
    with mock.patch("os.getcwd", return_value="/srv"):
        assert os.getcwd() == "/srv"

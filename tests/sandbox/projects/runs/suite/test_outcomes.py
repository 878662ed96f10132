"""Tests that end every way a test can end, as unittest and as pytest see them."""

import time
import unittest
import unittest.mock
from unittest import mock

from suite import prices


class Outcomes(unittest.TestCase):
    def test_passes(self):
        with mock.patch("suite.prices.price", return_value=1):
            assert prices.price("mug") == 1

    def test_fails(self):
        assert prices.price("mug") == 13, "the mug costs 12"

    def test_raises(self):
        raise KeyError("no such item")

    @unittest.skip("not today")
    def test_is_skipped(self):
        pass

    def test_never_ends(self):
        while True:
            time.sleep(0.01)

    def test_runs_with_mockengine(self):
        # unittest.mock, and what "from unittest import mock" gave, are mockengine here
        assert unittest.mock.__name__ == "mockengine"
        assert mock.__name__ == "mockengine"


def test_a_pytest_function():
    with mock.patch("suite.prices.price", return_value=2) as mock_price:
        assert prices.price("mug") == 2
        assert prices.price("tea") == 2
    assert mock_price.call_count == 2

"""``sentinel`` and ``DEFAULT``: unique named objects that survive copying and pickling."""

from __future__ import annotations

import copy
import pickle

import pytest

from mockengine import DEFAULT, Mock, sentinel


def test_a_sentinel_is_created_once_per_name() -> None:
    assert sentinel.order is sentinel.order
    assert sentinel.order is not sentinel.other
    assert repr(sentinel.order) == "sentinel.order"


def test_default_is_the_sentinel_named_default() -> None:
    assert DEFAULT is sentinel.DEFAULT


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_a_pickled_sentinel_comes_back_as_itself(protocol: int) -> None:
    assert pickle.loads(pickle.dumps(sentinel.token, protocol)) is sentinel.token


def test_copies_of_a_sentinel_are_the_sentinel() -> None:
    assert copy.copy(sentinel.token) is sentinel.token
    assert copy.deepcopy([sentinel.token])[0] is sentinel.token


def test_sentinel_is_not_mistaken_for_a_class() -> None:
    with pytest.raises(AttributeError):
        sentinel.__bases__  # noqa: B018


def test_a_side_effect_returning_default_falls_through_to_the_return_value() -> None:
    mock = Mock(return_value=sentinel.result, side_effect=lambda: DEFAULT)
    assert mock() is sentinel.result

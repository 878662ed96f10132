"""``MagicMock``'s magic methods: their defaults, configuring them, and the unsupported ones."""

from __future__ import annotations

import math
import os

import pytest

from mockengine import MagicMock, Mock, NonCallableMagicMock, call
from mockengine.vocabulary import (
    MAGIC_METHODS,
    MAGIC_METHODS_WITHOUT_DEFAULTS,
    UNSUPPORTED_MAGIC_METHODS,
)


def test_the_default_results() -> None:
    mock = MagicMock()
    assert len(mock) == 0
    assert list(mock) == []
    assert bool(mock) is True
    assert int(mock) == 1
    assert float(mock) == 1.0
    assert complex(mock) == 1j
    assert math.trunc(mock) is mock.__trunc__.return_value  # no fixed default: a child mock
    assert (1 in mock) is False
    assert isinstance(hash(mock), int)
    assert str(mock).startswith("<MagicMock id=")
    assert isinstance(mock.__sizeof__(), int)
    assert os.fspath(mock).startswith("MagicMock/mock/")


def test_comparisons_default_to_identity() -> None:
    mock = MagicMock()
    same = mock
    assert mock == same
    assert mock != MagicMock()
    with pytest.raises(TypeError):
        mock < 1  # noqa: B015


def test_context_manager_protocol() -> None:
    mock = MagicMock()
    with mock as entered:
        assert entered is mock.__enter__.return_value
    assert mock.mock_calls == [call.__enter__(), call.__exit__(None, None, None)]


def test_magic_methods_are_configurable_per_instance() -> None:
    first, second = MagicMock(), MagicMock()
    first.__len__.return_value = 3
    first.__iter__.return_value = [1, 2]
    first.__getitem__.side_effect = lambda key: key * 2
    assert (len(first), len(second)) == (3, 0)
    assert list(first) == [1, 2]
    assert list(first) == [1, 2]  # a list return value iterates every time
    assert first[4] == 8


def test_a_function_set_as_magic_method_gets_the_mock_as_self() -> None:
    mock = MagicMock()
    mock.__str__ = lambda self: f"mock {self is mock}"
    assert str(mock) == "mock True"


def test_plain_mock_supports_magic_methods_once_assigned() -> None:
    mock = Mock()
    with pytest.raises(TypeError):
        len(mock)
    mock.__len__ = Mock(return_value=5)
    assert len(mock) == 5
    del mock.__len__
    with pytest.raises(TypeError):
        len(mock)


def test_magic_methods_without_defaults_exist_only_when_assigned() -> None:
    mock = MagicMock()
    for name in MAGIC_METHODS_WITHOUT_DEFAULTS:
        assert name not in type(mock).__dict__
    mock.__reversed__ = Mock(return_value=iter([2, 1]))
    assert list(reversed(mock)) == [2, 1]


@pytest.mark.parametrize("name", sorted(UNSUPPORTED_MAGIC_METHODS))
def test_unsupported_magic_methods_cannot_be_set(name: str) -> None:
    with pytest.raises(
        AttributeError, match=f"Attempting to set unsupported magic method '{name}'"
    ):
        setattr(MagicMock(), name, Mock())


def test_an_unknown_dunder_is_not_created() -> None:
    with pytest.raises(AttributeError):
        MagicMock().__imaginary__  # noqa: B018
    assert "__imaginary__" not in MAGIC_METHODS


def test_a_spec_limits_the_magic_methods() -> None:
    mock = MagicMock(spec=int)
    assert int(mock) == 1
    with pytest.raises(TypeError):
        len(mock)
    mock = NonCallableMagicMock(spec=[])
    with pytest.raises(TypeError):
        iter(mock)


def test_reset_mock_keeps_the_default_results() -> None:
    mock = MagicMock()
    str(mock)
    mock.reset_mock(return_value=True)
    assert isinstance(str(mock), str)
    assert mock.__str__.call_count == 1

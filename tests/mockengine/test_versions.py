"""mockengine follows the running interpreter's unittest.mock where versions differ.

Each behaviour that changed between Python 3.9 and 3.13 is observed on both implementations
and must agree; ``make engine-pythons`` runs this under every version (with each version's
own ``testmock`` suite).
"""

from __future__ import annotations

import types
import unittest.mock
from typing import Any

import mockengine
from mockengine.vocabulary import ASSERT_TYPO_PREFIXES


def raises(action: Any) -> str | None:
    """The name and message of what ``action()`` raises, ``None`` when it returns."""
    try:
        action()
    except Exception as error:  # the behaviour compared
        return f"{type(error).__name__}: {error}".split(" [object=")[0]
    return None


def observed(mock: types.ModuleType) -> dict[str, Any]:
    """What ``mock`` does in each case where unittest.mock changed between versions."""

    class Service:
        def fetch(self) -> int:
            return 1

    def opened_and_left() -> list[Any]:
        opener = mock.mock_open(read_data="x")
        with opener("f") as handle:
            handle.read()
        return list(opener.mock_calls)

    def sealed_autospec_call() -> Any:
        service = mock.create_autospec(Service)
        mock.seal(service)
        return service.fetch()

    return {
        "failed assertion": raises(lambda: mock.Mock().assert_called_with(1)),
        "mock as spec": raises(lambda: mock.Mock(spec=mock.Mock())),
        "mock as autospec": raises(lambda: mock.create_autospec(mock.Mock())) is not None,
        "refused prefixes": [
            p for p in ASSERT_TYPO_PREFIXES if raises(lambda p=p: getattr(mock.Mock(), f"{p}_x"))
        ],
        "refusal message": raises(lambda: mock.Mock().assert_x),
        "prefix-less assertion": raises(lambda: mock.Mock().called_once_with) is not None,
        "sealed autospec call": raises(sealed_autospec_call),
        "mock_open calls": [str(recorded) for recorded in opened_and_left()],
    }


def test_the_engine_behaves_as_the_running_interpreters_unittest_mock() -> None:
    assert observed(mockengine) == observed(unittest.mock)

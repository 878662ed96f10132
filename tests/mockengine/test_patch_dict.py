"""``patch.dict``: items set for a while on dicts, dict-likes and dicts named by a string, and
the dict's whole contents put back after (even after an exception)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from mockengine import patch
from tests.mockengine.conftest import WriteModules


class Registry:
    """A dict-like with only item access and iteration: no copy(), clear() or update()."""

    def __init__(self, **items: Any) -> None:
        self._items = dict(items)

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._items[key] = value

    def __delitem__(self, key: str) -> None:
        del self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._items))

    def snapshot(self) -> dict[str, Any]:
        return dict(self._items)


def test_items_are_set_and_the_contents_put_back() -> None:
    settings = {"mode": "real", "level": 1}
    with patch.dict(settings, {"mode": "test"}, extra=True) as patched:
        assert patched is settings
        assert settings == {"mode": "test", "level": 1, "extra": True}
        settings["added_inside"] = 1
        del settings["level"]
    assert settings == {"mode": "real", "level": 1}


def test_clear_empties_the_dict_first() -> None:
    settings = {"mode": "real", "level": 1}
    with patch.dict(settings, {"mode": "test"}, clear=True):
        assert settings == {"mode": "test"}
    assert settings == {"mode": "real", "level": 1}


def test_values_may_be_pairs() -> None:
    settings = {"a": 1}
    with patch.dict(settings, [("b", 2), ("c", 3)]):
        assert settings == {"a": 1, "b": 2, "c": 3}


def test_the_contents_are_put_back_after_an_exception() -> None:
    settings = {"mode": "real"}

    @patch.dict(settings, mode="test")
    def fail() -> None:
        settings["more"] = 1
        raise KeyError("inside")

    with pytest.raises(KeyError, match="inside"):
        fail()
    assert settings == {"mode": "real"}
    with pytest.raises(KeyError, match="inside"), patch.dict(settings, clear=True):
        fail()
    assert settings == {"mode": "real"}


def test_a_dotted_name_is_imported_when_the_patch_starts(write_modules: WriteModules) -> None:
    config = write_modules(config="SETTINGS = {'mode': 'real'}\n")
    patcher = patch.dict("config.SETTINGS", mode="test")
    with patcher as patched:
        assert patched is config.SETTINGS
        assert config.SETTINGS == {"mode": "test"}
    assert config.SETTINGS == {"mode": "real"}


def test_os_environ_by_name() -> None:
    with patch.dict("os.environ", {"MOCKENGINE_TEST": "1"}):
        assert os.environ["MOCKENGINE_TEST"] == "1"
        assert os.getenv("MOCKENGINE_TEST") == "1"
    assert "MOCKENGINE_TEST" not in os.environ


def test_sys_modules_by_name_hides_and_adds_modules() -> None:
    fake = object()
    with patch.dict("sys.modules", {"mockengine_fake_module": fake}):
        import mockengine_fake_module  # type: ignore[import-not-found]  # noqa: PLC0415  (the import is the point)

        assert mockengine_fake_module is fake
    assert "mockengine_fake_module" not in sys.modules


def test_a_dict_like_without_dict_methods_is_patched_item_by_item() -> None:
    registry = Registry(a=1, b=2)
    with patch.dict(registry, {"b": 20, "c": 30}):
        assert registry.snapshot() == {"a": 1, "b": 20, "c": 30}
    assert registry.snapshot() == {"a": 1, "b": 2}
    with patch.dict(registry, {"z": 0}, clear=True):
        assert registry.snapshot() == {"z": 0}
    assert registry.snapshot() == {"a": 1, "b": 2}


def test_start_and_stop() -> None:
    settings = {"mode": "real"}
    patcher = patch.dict(settings, mode="test")
    assert patcher.start() is settings
    assert settings == {"mode": "test"}
    patcher.stop()
    assert settings == {"mode": "real"}
    patcher.stop()
    assert settings == {"mode": "real"}


def test_the_same_patcher_can_be_entered_again() -> None:
    settings = {"count": 0}
    patcher = patch.dict(settings, count=1)
    for _ in range(2):
        with patcher:
            assert settings == {"count": 1}
        assert settings == {"count": 0}

"""The private names of unittest.mock that third-party code imports: mockengine keeps them, out
of ``__all__``, and they do what that code does with them as unittest.mock's do; with
mockengine installed, hypothesis's and pytest-mock's pytest plugins load and work."""

from __future__ import annotations

import importlib.util
import inspect
import os
import re
import subprocess
import sys
import textwrap
import types
import unittest.mock
from pathlib import Path
from typing import Any, Callable

import pytest

import mockengine

ROOT = Path(mockengine.__file__).resolve().parent.parent
DOC = ROOT / "docs" / "mockengine.md"

KEPT_CLASSES = ["_patch", "_patch_dict", "_Call", "_CallList", "_Sentinel", "_SentinelObject"]
KEPT_FUNCTIONS = ["_get_target", "_callable"]
KEPT_SETS = ["_all_magics", "_magics", "_non_defaults", "_async_magics", "_async_method_magics"]
KEPT = KEPT_CLASSES + KEPT_FUNCTIONS + KEPT_SETS


def private_attributes(module: types.ModuleType) -> set[str]:
    """The module's private names, not counting dunders and submodules."""
    return {
        name
        for name, value in vars(module).items()
        if name.startswith("_")
        and not name.startswith("__")
        and not isinstance(value, types.ModuleType)
    }


def test_the_engine_keeps_exactly_these_private_names_out_of_all() -> None:
    assert private_attributes(mockengine) == set(KEPT)
    assert not set(KEPT) & set(mockengine.__all__)


def test_the_docs_list_exactly_the_kept_names() -> None:
    section = DOC.read_text().split("## Private names kept for compatibility", 1)[1]
    section = section.split("\n## ", 1)[0]
    listed = set(re.findall(r"^- `(_\w+)`", section, re.MULTILINE))
    assert listed == set(KEPT)


@pytest.mark.parametrize("name", KEPT)
def test_unittest_mock_has_a_name_of_the_same_spelling_and_kind(name: str) -> None:
    ours, theirs = getattr(mockengine, name), getattr(unittest.mock, name)
    if name in KEPT_CLASSES:
        assert inspect.isclass(ours)
        assert inspect.isclass(theirs)
    elif name in KEPT_FUNCTIONS:
        assert inspect.isfunction(ours)
        assert inspect.isfunction(theirs)
        assert inspect.signature(ours).parameters.keys() == (
            inspect.signature(theirs).parameters.keys()
        )
    else:
        assert type(ours) is type(theirs) is set


OLD_MAGIC_NAMES = {"__div__", "__rdiv__", "__idiv__", "__setformat__"}
"""Names Python 3.9 and 3.10 list in the magic sets though no Python 3 calls them (3.11 dropped
them); mockengine lists what Python 3.13 does."""


@pytest.mark.parametrize("name", KEPT_SETS)
def test_the_magic_sets_hold_unittest_mocks_names(name: str) -> None:
    assert getattr(mockengine, name) == getattr(unittest.mock, name) - OLD_MAGIC_NAMES


# What third-party code does with the kept names, each run with unittest.mock and mockengine.


def patchings_are_patch_objects(mock: Any) -> bool:
    # hypothesis: a function whose patchings are all _patch takes (*args, **keywargs)
    @mock.patch("os.getcwd")
    @mock.patch.object(os, "getpid")
    def patched(getpid: Any, getcwd: Any) -> None:
        pass

    return all(isinstance(patcher, mock._patch) for patcher in patched.patchings)


def patch_multiple_is_a_patch(mock: Any) -> bool:
    return isinstance(mock.patch.multiple(os, getcwd=mock.DEFAULT), mock._patch)


def a_kept_patch_starts_and_stops(mock: Any) -> bool:
    # responses: keeps the started patcher (typed _patch) and stops it later
    original = os.getcwd
    patcher = mock.patch("os.getcwd")
    patcher.start()
    patched = os.getcwd is not original
    patcher.stop()
    return isinstance(patcher, mock._patch) and patched and os.getcwd is original


def patch_dict_is_a_patch_dict_not_a_patch(mock: Any) -> bool:
    patcher = mock.patch.dict(os.environ, {})
    return isinstance(patcher, mock._patch_dict) and not isinstance(patcher, mock._patch)


def recorded_calls_are_calls_that_unpack(mock: Any) -> bool:
    # devtools, pytest-mock 1: isinstance of _Call and _CallList, then unpacked
    recorded = mock.Mock()
    recorded(1, b=2)
    recorded.child(3)
    args, kwargs = recorded.call_args
    name, child_args, _ = recorded.mock_calls[1]
    return (
        isinstance(recorded.call_args, mock._Call)
        and isinstance(recorded.call_args_list, mock._CallList)
        and isinstance(recorded.mock_calls, mock._CallList)
        and isinstance(recorded.method_calls, mock._CallList)
        and (args, kwargs, name, child_args) == ((1,), {"b": 2}, "child", (3,))
    )


def calls_made_of_parts_equal_call(mock: Any) -> bool:
    return mock._Call(("f", (1,), {"a": 2})) == mock.call.f(1, a=2) and (
        mock._Call(((1,), {}), two=True) == mock.call(1)
    )


def a_call_list_finds_a_run_of_calls(mock: Any) -> bool:
    calls = mock._CallList([mock.call(1), mock.call(2), mock.call(3)])
    return [mock.call(2), mock.call(3)] in calls and [mock.call(3), mock.call(2)] not in calls


def sentinels_are_sentinel_objects(mock: Any) -> bool:
    return (
        isinstance(mock.sentinel.thing, mock._SentinelObject)
        and isinstance(mock.DEFAULT, mock._SentinelObject)
        and isinstance(mock.sentinel, mock._Sentinel)
    )


def a_sentinel_factory_of_ones_own(mock: Any) -> bool:
    own = mock._Sentinel()
    return repr(own.marker) == "sentinel.marker" and own.marker is not mock.sentinel.marker


def get_target_splits_a_dotted_name(mock: Any) -> bool:
    # torch's testing utilities, spy helpers: the owner's importer and the attribute's name
    getter, name = mock._get_target("os.path.join")
    return getter() is os.path and name == "join"


def get_target_refuses_a_name_without_a_dot(mock: Any) -> bool:
    try:
        mock._get_target("join")
    except TypeError:
        return True
    return False


def adding_round_to_the_magics_changes_nothing(mock: Any) -> bool:
    # test helpers from before Python 3.8 add __round__, supported anyway
    before = set(mock._magics)
    mock._magics.add("__round__")
    try:
        magic = mock.MagicMock()
        magic.__round__.return_value = 3
        return round(magic) == 3 and "__round__" in before
    finally:
        mock._magics.intersection_update(before)


def magic_names_are_looked_up(mock: Any) -> bool:
    return "__aenter__" in mock._async_magics and "__len__" in mock._magics - mock._non_defaults


USES: list[Callable[[Any], bool]] = [
    patchings_are_patch_objects,
    patch_multiple_is_a_patch,
    a_kept_patch_starts_and_stops,
    patch_dict_is_a_patch_dict_not_a_patch,
    recorded_calls_are_calls_that_unpack,
    calls_made_of_parts_equal_call,
    a_call_list_finds_a_run_of_calls,
    sentinels_are_sentinel_objects,
    a_sentinel_factory_of_ones_own,
    get_target_splits_a_dotted_name,
    get_target_refuses_a_name_without_a_dot,
    adding_round_to_the_magics_changes_nothing,
    magic_names_are_looked_up,
]


@pytest.mark.parametrize("mock", [unittest.mock, mockengine], ids=["unittest.mock", "mockengine"])
@pytest.mark.parametrize("use", USES, ids=[use.__name__ for use in USES])
def test_what_third_party_code_does_with_them(
    mock: types.ModuleType, use: Callable[[Any], bool]
) -> None:
    assert use(mock) is True


THIRD_PARTY_TESTS = """
    import os
    from unittest.mock import patch

    import pytest
    from hypothesis import given, strategies
    from hypothesis.internal.reflection import get_signature

    import mockengine


    def test_mocker_patches_with_the_engine(mocker):
        getcwd = mocker.patch("os.getcwd", return_value="/srv")
        assert os.getcwd() == "/srv" and isinstance(getcwd, mockengine.MagicMock)
        getcwd.assert_called_once_with()


    def test_mocker_wraps_the_engine_s_assertions(mocker):
        getcwd = mocker.patch("os.getcwd")
        os.getcwd()
        with pytest.raises(AssertionError, match="pytest introspection follows"):
            getcwd.assert_called_with("elsewhere")


    def test_mocker_spies(mocker):
        join = mocker.spy(os.path, "join")
        assert os.path.join("a", "b") == "a/b"
        join.assert_called_once_with("a", "b")
        assert join.spy_return == "a/b"


    @patch("os.getcwd")
    def patched(getcwd):
        pass


    def test_hypothesis_reads_a_patched_function_as_it_reads_unittest_mock_s():
        assert str(get_signature(patched)) == "(*args, **keywargs)"


    @given(strategies.integers())
    def test_hypothesis_runs_a_test_that_patches(number):
        with patch("os.getpid", return_value=number) as getpid:
            assert os.getpid() == number
        assert isinstance(getpid, mockengine.MagicMock)
"""

RUN_WITH_THE_ENGINE = """
import sys
import mockengine
mockengine.install()  # before pytest loads the plugins, as the mockls sandbox does
import pytest
# pytest-asyncio, where installed, warns that its settings are unset: not what is tested here
plugins = ["-p", "no:cacheprovider", "-p", "no:asyncio"]
sys.exit(pytest.main(["-q", *plugins, "-W", "error", sys.argv[1]]))
"""


@pytest.mark.skipif(
    not (importlib.util.find_spec("hypothesis") and importlib.util.find_spec("pytest_mock")),
    reason="hypothesis and pytest-mock are in the project's venv, not in make engine-pythons'",
)
def test_hypothesis_and_pytest_mock_plugins_work_with_the_engine_installed(
    tmp_path: Path,
) -> None:
    tests = tmp_path / "test_third_party.py"
    tests.write_text(textwrap.dedent(THIRD_PARTY_TESTS))
    completed = subprocess.run(
        [sys.executable, "-c", RUN_WITH_THE_ENGINE, str(tests)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "5 passed" in completed.stdout

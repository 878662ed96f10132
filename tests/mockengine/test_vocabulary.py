"""The vocabulary's facts agree with what mocks really have: mockengine's, and unittest.mock's.

mockengine behaves as unittest.mock of Python 3.13 on every version; a fact that older versions
of unittest.mock lack is checked against them only from the version that has it.
"""

from __future__ import annotations

import asyncio
import inspect
import sys
import types
import unittest.mock

import pytest

import mockengine
from mockengine import vocabulary

BOTH = pytest.mark.parametrize(
    "mock", [unittest.mock, mockengine], ids=["unittest.mock", "mockengine"]
)


def both_from(version: tuple[int, int]) -> pytest.MarkDecorator:
    """Both implementations, from ``version`` on: unittest.mock lacked the fact before, and
    mockengine follows the running interpreter's unittest.mock."""
    skip_before = pytest.mark.skipif(
        sys.version_info < version,
        reason=f"unittest.mock has this behaviour from Python {version[0]}.{version[1]}",
    )
    return pytest.mark.parametrize(
        "mock",
        [
            pytest.param(unittest.mock, id="unittest.mock", marks=skip_before),
            pytest.param(mockengine, id="mockengine", marks=skip_before),
        ],
    )


def public_attributes(mock: object) -> set[str]:
    return {name for name in dir(mock) if not name.startswith("_")}


@BOTH
@pytest.mark.parametrize(
    ("class_name", "is_async"),
    [("Mock", False), ("MagicMock", False), ("NonCallableMock", False), ("AsyncMock", True)],
)
def test_mock_attribute_names_are_exactly_a_mocks_public_attributes(
    mock: types.ModuleType, class_name: str, is_async: bool
) -> None:
    created = getattr(mock, class_name)()
    assert vocabulary.mock_attribute_names(is_async=is_async) == public_attributes(created)


@BOTH
def test_assert_methods_are_the_public_assert_methods_of_async_mock(mock: types.ModuleType) -> None:
    names = {n for n in public_attributes(mock.AsyncMock()) if n.startswith("assert_")}
    assert names == vocabulary.ASSERT_METHODS


@BOTH
def test_sync_assert_methods_are_those_of_a_plain_mock(mock: types.ModuleType) -> None:
    names = {n for n in public_attributes(mock.Mock()) if n.startswith("assert_")}
    assert names == vocabulary.SYNC_ASSERT_METHODS


def called_and_awaited_once(mock: types.ModuleType, *args: object, **kwargs: object) -> object:
    created = mock.AsyncMock()
    asyncio.run(created(*args, **kwargs))
    return created


@BOTH
@pytest.mark.parametrize("name", sorted(vocabulary.CALL_ASSERTIONS))
def test_call_assertions_take_the_arguments_of_one_call(mock: types.ModuleType, name: str) -> None:
    created = called_and_awaited_once(mock, 1, b=2)
    getattr(created, name)(1, b=2)
    with pytest.raises(AssertionError):
        getattr(created, name)(1)


@BOTH
@pytest.mark.parametrize("name", sorted(vocabulary.CALL_LIST_ASSERTIONS))
def test_call_list_assertions_take_a_list_of_calls(mock: types.ModuleType, name: str) -> None:
    created = called_and_awaited_once(mock, 1, b=2)
    getattr(created, name)(calls=[mock.call(1, b=2)])
    with pytest.raises(AssertionError):
        getattr(created, name)([mock.call(1)])


@BOTH
def test_magic_methods_are_all_configurable_on_magic_mock(mock: types.ModuleType) -> None:
    created = mock.MagicMock()
    for name in sorted(vocabulary.MAGIC_METHODS):
        setattr(created, name, mock.MagicMock())
    assert vocabulary.SYNC_MAGIC_METHODS.isdisjoint(vocabulary.ASYNC_MAGIC_METHODS)


@BOTH
def test_an_unsupported_dunder_is_not_a_magic_method(mock: types.ModuleType) -> None:
    with pytest.raises(AttributeError):
        mock.MagicMock().__not_a_magic__  # noqa: B018
    assert "__not_a_magic__" not in vocabulary.MAGIC_METHODS


@both_from((3, 10))
@pytest.mark.parametrize("prefix", vocabulary.ASSERT_TYPO_PREFIXES)
def test_typo_prefixes_are_refused_by_a_safe_mock(mock: types.ModuleType, prefix: str) -> None:
    with pytest.raises(AttributeError):
        getattr(mock.Mock(), f"{prefix}_something")


@both_from((3, 12))
@pytest.mark.parametrize("name", sorted(vocabulary.PREFIXLESS_ASSERTIONS))
def test_prefixless_assertions_are_refused_by_a_safe_mock(
    mock: types.ModuleType, name: str
) -> None:
    with pytest.raises(AttributeError, match="is not a valid assertion"):
        getattr(mock.Mock(), name)


@BOTH
@pytest.mark.parametrize("name", sorted(vocabulary.PREFIXLESS_ASSERTIONS))
def test_prefixless_assertions_are_truthy_when_unsafe(mock: types.ModuleType, name: str) -> None:
    assert getattr(mock.Mock(unsafe=True), name)(1)


@both_from((3, 10))
@pytest.mark.parametrize(
    ("facts", "patcher"),
    [
        (vocabulary.PATCH_PARAMETERS, "patch"),
        (vocabulary.PATCH_OBJECT_PARAMETERS, "object"),
        (vocabulary.PATCH_MULTIPLE_PARAMETERS, "multiple"),
    ],
)
def test_patch_parameters_match_the_signatures(
    mock: types.ModuleType, facts: tuple[str, ...], patcher: str
) -> None:
    function = mock.patch if patcher == "patch" else getattr(mock.patch, patcher)
    parameters = inspect.signature(function).parameters
    assert facts == tuple(name for name, p in parameters.items() if p.kind is not p.VAR_KEYWORD)


@BOTH
def test_patch_dict_parameters_match_the_signature(mock: types.ModuleType) -> None:
    parameters = inspect.signature(mock.patch.dict).parameters
    assert (
        tuple(name for name, p in parameters.items() if p.kind is not p.VAR_KEYWORD)
        == vocabulary.PATCH_DICT_PARAMETERS
    )


@BOTH
def test_mock_classes_are_exported(mock: types.ModuleType) -> None:
    for name in vocabulary.MOCK_CLASSES:
        assert isinstance(getattr(mock, name), type)


def test_public_surface_is_what_we_mean() -> None:
    facts = {name for name in vars(vocabulary) if name.isupper() and not name.startswith("_")}
    assert set(vocabulary.__all__) == facts | {"mock_attribute_names"}


@BOTH
def test_mock_constructor_options_are_the_public_parameters_that_are_not_attributes(
    mock: types.ModuleType,
) -> None:
    # NonCallableMock.__init__ takes them all; Mock adds only return_value and side_effect,
    # which configure the mock (its own signature is `*args, **kw` before Python 3.11).
    parameters = inspect.signature(mock.NonCallableMock.__init__).parameters
    public = {name for name in parameters if not name.startswith("_")}
    assert public - {"self", "kwargs"} == vocabulary.MOCK_CONSTRUCTOR_OPTIONS


@BOTH
def test_create_autospec_options_cover_its_own_keyword_parameters(mock: types.ModuleType) -> None:
    parameters = inspect.signature(mock.create_autospec).parameters
    own = {
        n for n, p in parameters.items() if not n.startswith("_") and p.kind is not p.VAR_KEYWORD
    }
    assert own <= vocabulary.CREATE_AUTOSPEC_OPTIONS
    assert vocabulary.CREATE_AUTOSPEC_OPTIONS - own <= vocabulary.MOCK_CONSTRUCTOR_OPTIONS


@BOTH
def test_magic_methods_without_defaults_are_absent_until_assigned(mock: types.ModuleType) -> None:
    created = mock.MagicMock()
    present = {name for name in vocabulary.MAGIC_METHODS if name in type(created).__dict__}
    assert present == vocabulary.MAGIC_METHODS - vocabulary.MAGIC_METHODS_WITHOUT_DEFAULTS
    assert vocabulary.MAGIC_METHODS_WITHOUT_DEFAULTS <= vocabulary.SYNC_MAGIC_METHODS


@BOTH
@pytest.mark.parametrize("name", sorted(vocabulary.UNSUPPORTED_MAGIC_METHODS))
def test_unsupported_magic_methods_are_refused(mock: types.ModuleType, name: str) -> None:
    with pytest.raises(AttributeError, match="unsupported magic method"):
        setattr(mock.MagicMock(), name, lambda *args: None)

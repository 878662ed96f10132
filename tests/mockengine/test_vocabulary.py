"""The vocabulary's facts agree with what ``unittest.mock`` objects really have."""

from __future__ import annotations

import asyncio
import inspect
import unittest.mock

import pytest

from mockengine import vocabulary


def public_attributes(mock: object) -> set[str]:
    return {name for name in dir(mock) if not name.startswith("_")}


@pytest.mark.parametrize(
    ("mock_class", "is_async"),
    [
        (unittest.mock.Mock, False),
        (unittest.mock.MagicMock, False),
        (unittest.mock.NonCallableMock, False),
        (unittest.mock.AsyncMock, True),
    ],
)
def test_mock_attribute_names_are_exactly_a_mocks_public_attributes(
    mock_class: type, is_async: bool
) -> None:
    assert vocabulary.mock_attribute_names(is_async=is_async) == public_attributes(mock_class())


def test_assert_methods_are_the_public_assert_methods_of_async_mock() -> None:
    names = {n for n in public_attributes(unittest.mock.AsyncMock()) if n.startswith("assert_")}
    assert names == vocabulary.ASSERT_METHODS


def test_sync_assert_methods_are_those_of_a_plain_mock() -> None:
    names = {n for n in public_attributes(unittest.mock.Mock()) if n.startswith("assert_")}
    assert names == vocabulary.SYNC_ASSERT_METHODS


def called_and_awaited_once(*args: object, **kwargs: object) -> unittest.mock.AsyncMock:
    mock = unittest.mock.AsyncMock()
    asyncio.run(mock(*args, **kwargs))
    return mock


@pytest.mark.parametrize("name", sorted(vocabulary.CALL_ASSERTIONS))
def test_call_assertions_take_the_arguments_of_one_call(name: str) -> None:
    mock = called_and_awaited_once(1, b=2)
    getattr(mock, name)(1, b=2)
    with pytest.raises(AssertionError):
        getattr(mock, name)(1)


@pytest.mark.parametrize("name", sorted(vocabulary.CALL_LIST_ASSERTIONS))
def test_call_list_assertions_take_a_list_of_calls(name: str) -> None:
    mock = called_and_awaited_once(1, b=2)
    getattr(mock, name)(calls=[unittest.mock.call(1, b=2)])
    with pytest.raises(AssertionError):
        getattr(mock, name)([unittest.mock.call(1)])


def test_magic_methods_are_all_configurable_on_magic_mock() -> None:
    mock = unittest.mock.MagicMock()
    for name in sorted(vocabulary.MAGIC_METHODS):
        setattr(mock, name, unittest.mock.MagicMock())
    assert vocabulary.SYNC_MAGIC_METHODS.isdisjoint(vocabulary.ASYNC_MAGIC_METHODS)


def test_an_unsupported_dunder_is_not_a_magic_method() -> None:
    with pytest.raises(AttributeError):
        unittest.mock.MagicMock().__not_a_magic__  # noqa: B018
    assert "__not_a_magic__" not in vocabulary.MAGIC_METHODS


@pytest.mark.parametrize("prefix", vocabulary.ASSERT_TYPO_PREFIXES)
def test_typo_prefixes_are_refused_by_a_safe_mock(prefix: str) -> None:
    with pytest.raises(AttributeError):
        getattr(unittest.mock.Mock(), f"{prefix}_something")


@pytest.mark.parametrize("name", sorted(vocabulary.PREFIXLESS_ASSERTIONS))
def test_prefixless_assertions_are_truthy_when_unsafe(name: str) -> None:
    assert getattr(unittest.mock.Mock(unsafe=True), name)(1)


@pytest.mark.parametrize(
    ("facts", "patcher"),
    [
        (vocabulary.PATCH_PARAMETERS, unittest.mock.patch),
        (vocabulary.PATCH_OBJECT_PARAMETERS, unittest.mock.patch.object),
        (vocabulary.PATCH_MULTIPLE_PARAMETERS, unittest.mock.patch.multiple),
    ],
)
def test_patch_parameters_match_the_signatures(facts: tuple[str, ...], patcher: object) -> None:
    parameters = inspect.signature(patcher).parameters  # type: ignore[arg-type]
    assert facts == tuple(name for name, p in parameters.items() if p.kind is not p.VAR_KEYWORD)


def test_patch_dict_parameters_match_the_signature() -> None:
    parameters = inspect.signature(unittest.mock.patch.dict).parameters
    assert (
        tuple(name for name, p in parameters.items() if p.kind is not p.VAR_KEYWORD)
        == vocabulary.PATCH_DICT_PARAMETERS
    )


def test_mock_classes_are_exported_by_unittest_mock() -> None:
    for name in vocabulary.MOCK_CLASSES:
        assert isinstance(getattr(unittest.mock, name), type)


def test_public_surface_is_what_we_mean() -> None:
    facts = {name for name in vars(vocabulary) if name.isupper() and not name.startswith("_")}
    assert set(vocabulary.__all__) == facts | {"mock_attribute_names"}


def test_mock_constructor_options_are_the_public_parameters_that_are_not_attributes() -> None:
    # NonCallableMock.__init__ takes them all; Mock adds only return_value and side_effect,
    # which configure the mock (its own signature is `*args, **kw` before Python 3.11).
    parameters = inspect.signature(unittest.mock.NonCallableMock.__init__).parameters
    public = {name for name in parameters if not name.startswith("_")}
    assert public - {"self", "kwargs"} == vocabulary.MOCK_CONSTRUCTOR_OPTIONS


def test_create_autospec_options_cover_its_own_keyword_parameters() -> None:
    parameters = inspect.signature(unittest.mock.create_autospec).parameters
    own = {
        n for n, p in parameters.items() if not n.startswith("_") and p.kind is not p.VAR_KEYWORD
    }
    assert own <= vocabulary.CREATE_AUTOSPEC_OPTIONS
    assert vocabulary.CREATE_AUTOSPEC_OPTIONS - own <= vocabulary.MOCK_CONSTRUCTOR_OPTIONS


def test_magic_methods_without_defaults_are_absent_until_assigned() -> None:
    mock = unittest.mock.MagicMock()
    present = {name for name in vocabulary.MAGIC_METHODS if name in type(mock).__dict__}
    assert present == vocabulary.MAGIC_METHODS - vocabulary.MAGIC_METHODS_WITHOUT_DEFAULTS
    assert vocabulary.MAGIC_METHODS_WITHOUT_DEFAULTS <= vocabulary.SYNC_MAGIC_METHODS


@pytest.mark.parametrize("name", sorted(vocabulary.UNSUPPORTED_MAGIC_METHODS))
def test_unsupported_magic_methods_are_refused(name: str) -> None:
    with pytest.raises(AttributeError, match="unsupported magic method"):
        setattr(unittest.mock.MagicMock(), name, lambda *args: None)

"""``spec``, ``spec_set``, ``mock_add_spec``, ``unsafe``: mocks shaped like a real object."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import sys
from typing import Any

import pytest

from mockengine import AsyncMock, MagicMock, Mock, NonCallableMagicMock, create_autospec
from mockengine.vocabulary import ASSERT_TYPO_PREFIXES, PREFIXLESS_ASSERTIONS


class Account:
    rate = 0.1

    def __init__(self, owner: str) -> None:
        self.owner = owner

    def deposit(self, amount: int, *, note: str = "") -> None:
        raise NotImplementedError

    @property
    def balance(self) -> int:
        raise AssertionError("a spec must not run properties")


def test_a_spec_allows_only_the_specs_attributes() -> None:
    mock = Mock(spec=Account)
    mock.deposit(1)
    assert isinstance(mock.rate, Mock)
    with pytest.raises(AttributeError, match="Mock object has no attribute 'withdraw'"):
        mock.withdraw  # noqa: B018
    mock.withdraw = 1  # spec, unlike spec_set, allows setting
    assert mock.withdraw == 1


def test_a_list_of_names_is_a_spec_too() -> None:
    mock = Mock(spec=["save"])
    mock.save()
    with pytest.raises(AttributeError):
        mock.load  # noqa: B018


def test_spec_set_also_refuses_setting_unknown_attributes() -> None:
    mock = Mock(spec_set=Account)
    mock.rate = 0.2
    with pytest.raises(AttributeError, match="Mock object has no attribute 'withdraw'"):
        mock.withdraw = 1


def test_a_specced_mock_passes_isinstance_and_shows_its_spec() -> None:
    mock = Mock(spec=Account)
    assert isinstance(mock, Account)
    assert mock.__class__ is Account
    assert " spec='Account' " in repr(mock)
    assert " spec_set='Account' " in repr(Mock(spec_set=Account))


def test_a_spec_reads_attributes_without_running_properties() -> None:
    mock = Mock(spec=Account)
    assert "balance" in dir(mock)


def test_assertions_on_a_specced_mock_match_by_signature() -> None:
    mock = Mock(spec=Account.deposit)
    mock(None, 5, note="x")
    mock.assert_called_with(None, amount=5, note="x")
    with pytest.raises(AssertionError) as raised:
        mock.assert_called_with(None, 6)
    assert raised.value.__cause__ is None


def test_a_call_that_cannot_bind_to_the_spec_explains_why() -> None:
    mock = Mock(spec=Account.deposit)
    mock(None, 5)
    with pytest.raises(AssertionError) as raised:
        mock.assert_called_with(1, 2, 3)
    assert isinstance(raised.value.__cause__, TypeError)


def test_mock_add_spec_restricts_afterwards_and_drops_missing_magic_methods() -> None:
    mock = MagicMock()
    assert len(mock) == 0
    mock.mock_add_spec(["save"])
    mock.save()
    with pytest.raises(AttributeError):
        mock.load  # noqa: B018
    with pytest.raises(TypeError):
        len(mock)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="unittest.mock refuses it from 3.11")
def test_a_mock_cannot_be_a_spec() -> None:
    with pytest.raises(Exception, match=r"Cannot spec a Mock object\. \[object=<Mock"):
        Mock(spec=Mock())
    with pytest.raises(Exception, match=r"Cannot autospec a Mock object\."):
        create_autospec(Mock())


@pytest.mark.skipif(
    sys.version_info < (3, 10), reason="unittest.mock refuses these (so named) from 3.10"
)
@pytest.mark.parametrize("prefix", ASSERT_TYPO_PREFIXES)
def test_attributes_with_assert_like_prefixes_are_refused(prefix: str) -> None:
    name = f"{prefix}_called_once_wtih"
    with pytest.raises(AttributeError, match=f"'{name}' is not a valid assertion. Use a spec"):
        getattr(Mock(), name)
    assert isinstance(getattr(Mock(unsafe=True), name), Mock)


@pytest.mark.skipif(
    sys.version_info < (3, 12), reason="unittest.mock refuses them from Python 3.12"
)
@pytest.mark.parametrize("name", sorted(PREFIXLESS_ASSERTIONS))
def test_assertion_names_without_assert_are_refused(name: str) -> None:
    with pytest.raises(AttributeError, match="is not a valid assertion"):
        getattr(Mock(), name)


def test_a_spec_that_has_the_name_allows_it() -> None:
    class Job:
        def assert_done(self) -> None: ...

        def called_once(self) -> None: ...

    mock = Mock(spec=Job)
    mock.assert_done()
    mock.called_once()


def test_a_non_callable_spec_instance_gives_a_non_callable_mock() -> None:
    mock = NonCallableMagicMock(spec=Account("x"))
    with pytest.raises(TypeError):
        mock()
    assert isinstance(mock, Account)


# -- which attributes of a spec make AsyncMock children ----------------------------------------


async def _coroutine_function() -> None:
    pass


def _plain_function() -> None:
    pass


def _wrapping(function: Any) -> Any:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    return wrapper


class _Meta(type):
    async def on_the_metaclass(cls) -> None:
        pass


class _Base(metaclass=_Meta):
    async def inherited(self) -> None:
        pass

    def overridden(self) -> None:
        pass


class _Zoo(_Base):
    async def method(self) -> None:
        pass

    def sync_method(self) -> None:
        pass

    async def overridden(self) -> None:  # type: ignore[override]
        pass

    static_async = staticmethod(_coroutine_function)
    class_async = classmethod(_coroutine_function)
    wrapped_async = _wrapping(_coroutine_function)
    wrapped_sync = _wrapping(_plain_function)
    partial_async = functools.partial(_coroutine_function)
    async_mock = AsyncMock()
    value = 3
    nested = _Base

    @property
    def prop(self) -> Any:
        raise AssertionError("a spec is read without running properties")

    def __init__(self) -> None:
        self.instance_async = _coroutine_function
        self.method = _plain_function  # the instance's own value hides the class's method


class _Shadowing:
    """A data descriptor on the class wins over the instance dict."""

    @property
    def shadowed(self) -> Any:
        return None

    def __init__(self) -> None:
        self.__dict__["shadowed"] = _coroutine_function


class _Slots:
    __slots__ = ("slot",)

    async def method(self) -> None:
        pass


class _DynamicDir:
    def __dir__(self) -> list[str]:
        return ["listed_only", "method"]

    async def method(self) -> None:
        pass


def _function_with_attributes() -> None:
    pass


_function_with_attributes.helper = _coroutine_function  # type: ignore[attr-defined]
_function_with_attributes.other = _plain_function  # type: ignore[attr-defined]
_marked = functools.partial(_plain_function)


SPECS = {
    "class": _Zoo,
    "instance": _Zoo.__new__(_Zoo),
    "initialised instance": None,  # made in the test: __init__ runs there
    "data descriptor over the instance dict": _Shadowing(),
    "slots": _Slots(),
    "custom __dir__": _DynamicDir(),
    "function with attributes": _function_with_attributes,
    "module": asyncio,
}


def _expected_async(spec: Any, name: str) -> bool:
    """What unittest.mock documents: the attribute read statically, unwrapped, is async."""
    value = inspect.getattr_static(spec, name, None)
    with contextlib.suppress(ValueError, TypeError):
        value = inspect.unwrap(value)
    return inspect.iscoroutinefunction(value) or asyncio.iscoroutinefunction(value)


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_children_are_async_exactly_where_the_spec_has_coroutine_functions(kind: str) -> None:
    spec = SPECS[kind] if kind != "initialised instance" else _Zoo()
    mock = Mock(spec=spec)
    names = [name for name in dir(spec) if not name.startswith("__")]
    assert names
    expected = {name for name in names if _expected_async(spec, name)}
    actual = {name for name in names if isinstance(getattr(mock, name), AsyncMock)}
    assert actual == expected
    if kind == "class":
        assert {"method", "inherited", "overridden", "wrapped_async", "partial_async"} <= expected
        assert {"sync_method", "wrapped_sync", "prop", "value", "nested"}.isdisjoint(expected)

"""``create_autospec``: mocks with a spec's attributes, whose calls must fit the real signatures."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import inspect
from collections.abc import Callable
from typing import Any

import pytest

from mockengine import AsyncMock, MagicMock, NonCallableMagicMock, call, create_autospec


def transfer(source: str, target: str, amount: int = 0, *, memo: str = "") -> bool:
    raise AssertionError("an autospec never calls the real function")


class Bank:
    fee = 2

    def __init__(self, name: str) -> None:
        self.name = name

    def open_account(self, owner: str) -> str:
        raise NotImplementedError

    @staticmethod
    def validate(number: str) -> bool:
        raise NotImplementedError

    @classmethod
    def create(cls, name: str) -> Bank:
        raise NotImplementedError

    @property
    def size(self) -> int:
        raise AssertionError("autospec must not run properties")

    async def fetch(self, key: str) -> str:
        raise NotImplementedError


def test_a_function_autospec_is_a_function_with_the_same_signature() -> None:
    mock = create_autospec(transfer, return_value=True)
    assert inspect.isfunction(mock)
    assert inspect.signature(mock) == inspect.signature(transfer)
    assert mock.__name__ == "transfer"
    assert mock("a", "b", 3) is True
    mock.assert_called_once_with(source="a", target="b", amount=3)
    with pytest.raises(TypeError, match="missing a required argument: 'target'"):
        mock("a")
    assert mock.call_count == 1  # a refused call is not recorded
    mock.reset_mock()
    assert mock.mock_calls == []


def test_a_class_autospec_gives_instances_through_return_value() -> None:
    mock = create_autospec(Bank)
    bank = mock("central")
    assert bank is mock.return_value
    assert isinstance(bank, Bank)
    assert isinstance(bank, NonCallableMagicMock)
    with pytest.raises(TypeError):
        mock()  # the constructor's signature: name is required
    bank.open_account("ann")
    with pytest.raises(TypeError):
        bank.open_account()  # self is skipped, owner is missing
    bank.open_account.assert_called_once_with(owner="ann")
    assert mock.mock_calls == [call("central"), call().open_account("ann")]


def test_static_and_class_methods_keep_their_signatures() -> None:
    mock = create_autospec(Bank)
    mock.validate("123")
    mock.create("x")
    with pytest.raises(TypeError):
        mock.validate()
    with pytest.raises(TypeError):
        mock.create("x", "y")


def test_attributes_are_specced_lazily_and_missing_ones_refused() -> None:
    mock = create_autospec(Bank)
    assert "size" in dir(mock)
    with pytest.raises(AttributeError):
        mock.no_such_thing  # noqa: B018
    with pytest.raises(TypeError):
        mock.fee()  # an int attribute is not callable


def test_instance_true_mocks_an_instance() -> None:
    mock = create_autospec(Bank, instance=True)
    with pytest.raises(TypeError):
        mock()
    mock.open_account("ann")


def test_spec_set_refuses_new_attributes() -> None:
    mock = create_autospec(Bank, spec_set=True)
    mock.fee = 3
    with pytest.raises(AttributeError):
        mock.interest = 1


def test_an_async_method_gives_an_async_mock() -> None:
    bank = create_autospec(Bank)("central")
    assert isinstance(bank.fetch, AsyncMock)
    assert asyncio.run(bank.fetch("k")) is bank.fetch.return_value
    bank.fetch.assert_awaited_once_with("k")


def test_an_async_function_gives_a_coroutine_function() -> None:
    async def load(key: str) -> str:
        raise NotImplementedError

    mock = create_autospec(load, return_value="value")
    assert inspect.iscoroutinefunction(mock)
    assert isinstance(mock.mock, AsyncMock)
    assert asyncio.run(mock("k")) == "value"
    mock.assert_awaited_once_with("k")
    with pytest.raises(RuntimeError):
        create_autospec(load, instance=True)


def test_dataclass_instances_have_their_fields() -> None:
    @dataclasses.dataclass
    class Point:
        x: int
        y: int = 0

    mock = create_autospec(Point, instance=True)
    assert isinstance(mock.x, int)
    with pytest.raises(AttributeError):
        create_autospec(Point).x  # noqa: B018  (the class has no x)


def test_keywords_configure_the_autospec() -> None:
    mock = create_autospec(Bank, **{"return_value.open_account.return_value": "acc-1"})
    assert mock("b").open_account("ann") == "acc-1"


def test_misspelled_options_are_refused_unless_unsafe() -> None:
    for typo in ("autospect", "auto_spec", "set_spec"):
        with pytest.raises(RuntimeError, match=f"'{typo}' might be a typo"):
            create_autospec(Bank, **{typo: True})
    assert isinstance(create_autospec(Bank, unsafe=True, set_spec=True), MagicMock)


def test_a_nested_class_stays_a_class_on_an_instance() -> None:
    class Outer:
        class Inner:
            def __init__(self, size: int) -> None: ...

    mock = create_autospec(Outer, instance=True)
    assert isinstance(mock.Inner(1), Outer.Inner)
    with pytest.raises(TypeError):
        mock.Inner()


# -- calls are checked exactly as inspect.Signature.bind checks them ---------------------------

SHAPES = [
    "def f(): pass",
    "def f(a): pass",
    "def f(a, b=1): pass",
    "def f(a, /, b): pass",
    "def f(a=1, /, b=2): pass",
    "def f(a, /, **kwargs): pass",
    "def f(*args): pass",
    "def f(*args, **kwargs): pass",
    "def f(**kwargs): pass",
    "def f(*, a): pass",
    "def f(a, *args, key=None, **kwargs): pass",
    "def f(a, b, /, c, *, d, e=5, **rest): pass",
    "def f(args, kwargs, *, _default=1): pass",
]

CALLS = [
    ((), {}),
    ((1,), {}),
    ((1, 2), {}),
    ((1, 2, 3), {}),
    ((1, 2, 3, 4, 5), {}),
    ((), {"a": 1}),
    ((1,), {"a": 1}),
    ((1,), {"b": 2}),
    ((1, 2), {"c": 3, "d": 4}),
    ((), {"d": 4, "c": 3, "b": 2, "a": 1}),
    ((1,), {"key": 2, "other": 3}),
    ((), {"args": 1, "kwargs": 2}),
    ((1, 2, 3), {"d": 4, "rest": 5}),
]


def _type_error(call_it: Callable[[], object]) -> str | None:
    """The message of the TypeError ``call_it()`` raises, if it raises one."""
    try:
        call_it()
    except TypeError as error:
        return str(error)
    return None


def _method_signature(function: Callable[..., object]) -> inspect.Signature | None:
    """What a method's calls must bind to: the signature without ``self`` (if it has one)."""
    try:
        return inspect.signature(functools.partial(function, None))
    except ValueError:  # no positional parameter: nothing is checked
        return None


@pytest.mark.parametrize("source", SHAPES)
def test_autospecced_calls_fail_exactly_when_the_signature_cannot_bind(source: str) -> None:
    namespace: dict[str, Any] = {}
    exec(source, namespace)
    function = namespace["f"]
    signature = inspect.signature(function)
    method_signature = _method_signature(function)
    mocked = create_autospec(function)
    instance = create_autospec(type("Owner", (), {"f": function}), instance=True)
    for args, kwargs in CALLS:
        expected = _type_error(functools.partial(signature.bind, *args, **kwargs))
        assert _type_error(functools.partial(mocked, *args, **kwargs)) == expected, (args, kwargs)
        expected = None
        if method_signature is not None:
            expected = _type_error(functools.partial(method_signature.bind, *args, **kwargs))
        assert _type_error(functools.partial(instance.f, *args, **kwargs)) == expected, (
            args,
            kwargs,
        )

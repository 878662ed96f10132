"""``call``, ``_Call`` and ``ANY``: describing calls and comparing them with what was recorded."""

from __future__ import annotations

import pytest

from mockengine import ANY, MagicMock, Mock, call


def test_call_records_arguments_and_shows_them() -> None:
    expected = call(1, "two", key=3)
    assert expected.args == (1, "two")
    assert expected.kwargs == {"key": 3}
    assert repr(expected) == "call(1, 'two', key=3)"


def test_call_of_a_method_is_named() -> None:
    assert repr(call.client.get("/", timeout=2)) == "call.client.get('/', timeout=2)"
    assert repr(call().save()) == "call().save()"
    assert repr(call.__enter__()) == "call.__enter__()"


@pytest.mark.parametrize(
    "shorthand",
    [
        ((1, 2), {"a": 3}),
        ("", (1, 2), {"a": 3}),
    ],
)
def test_a_call_equals_its_tuple_shorthands(shorthand: tuple[object, ...]) -> None:
    assert call(1, 2, a=3) == shorthand
    assert shorthand == call(1, 2, a=3)


def test_names_must_match_when_the_call_has_one() -> None:
    assert call.save(1) == ("save", (1,), {})
    assert call.save(1) != ("load", (1,), {})
    assert call.save(1) != call.load(1)


def test_calls_with_different_arguments_differ() -> None:
    assert call(1) != call(2)
    assert call(1) != call(1, extra=True)
    assert not call(1) != call(1)  # noqa: SIM202


def test_tuple_methods_are_call_builders_too() -> None:
    assert repr(call.count(1)) == "call.count(1)"
    assert repr(call.index("x")) == "call.index('x')"
    assert repr(call().__getitem__("key")) == "call().__getitem__('key')"


def test_call_list_lists_every_step_of_a_chain() -> None:
    chain = call(1).method(2).attribute(x=3)
    mock = MagicMock()
    mock(1).method(2).attribute(x=3)
    assert mock.mock_calls == chain.call_list()
    assert repr(chain.call_list()) == "[call(1), call().method(2), call().method().attribute(x=3)]"


def test_chained_calls_compare_their_parents_too() -> None:
    assert call(1).method(2) == call(1).method(2)
    assert call(1).method(2) != call().method(2)


def test_any_matches_every_value_in_expected_calls() -> None:
    mock = Mock()
    mock(object(), name="x")
    mock.assert_called_with(ANY, name=ANY)
    assert mock.call_args == call(ANY, name="x")
    assert repr(ANY) == "<ANY>"


def test_any_matches_values_whose_eq_says_otherwise() -> None:
    class NeverEqual:
        def __eq__(self, other: object) -> bool:
            return False

        __hash__ = None  # type: ignore[assignment]

    mock = Mock()
    mock(NeverEqual())
    mock.assert_called_with(ANY)
    mock.assert_any_call(ANY)
    mock.assert_has_calls([call(ANY)])


def test_a_call_list_contains_runs_of_calls() -> None:
    mock = Mock()
    mock(1)
    mock(2)
    mock(3)
    assert [call(2), call(3)] in mock.call_args_list
    assert [call(3), call(2)] not in mock.call_args_list
    assert call(2) in mock.call_args_list

"""Calls on mocks: the arguments of each call, calls of the mock itself, and expected calls.

What ``signature-mismatch`` reads: how many positional arguments a call passes, which keywords,
whether ``*x``/``**x`` hide more, and the ``call(...)`` entries given to ``assert_has_calls``.
"""

from __future__ import annotations

import textwrap

from mockls.analysis.builder import build_model
from mockls.analysis.model import CallArguments, ModuleModel
from mockls.spans import Span

MOCK = "from unittest import mock\nfrom unittest.mock import MagicMock, Mock, call, patch\n"


class Snippet:
    """A snippet's model, and the text under any span of it."""

    def __init__(self, snippet: str) -> None:
        self.source = MOCK + textwrap.dedent(snippet)
        self.lines = self.source.split("\n")
        self.model: ModuleModel = build_model(self.source)

    def text(self, span: Span) -> str:
        start, end = span.start, span.end
        if start.line == end.line:
            return self.lines[start.line][start.character : end.character]
        middle = self.lines[start.line + 1 : end.line]
        pieces = [self.lines[start.line][start.character :], *middle]
        return "\n".join([*pieces, self.lines[end.line][: end.character]])

    def shape(self, arguments: CallArguments) -> str:
        """A call as written, then its arguments: positional ones as written, keywords as
        ``name=`` (checked to span the name), ``*`` and ``**`` when there are such."""
        parts = [self.text(span) for span in arguments.positional]
        for keyword in arguments.keywords:
            assert self.text(keyword.span) == keyword.name
            parts.append(f"{keyword.name}=")
        if arguments.star_args:
            parts.append("*")
        if arguments.star_kwargs:
            parts.append("**")
        return f"{self.text(arguments.span)} -> ({', '.join(parts)})"


def attribute_calls(snippet: str) -> list[tuple[str, str, str]]:
    """Each use that carries arguments as (binding, chain, the call and its arguments)."""
    found = Snippet(snippet)
    return [
        (use.binding.name, ".".join(use.chain), found.shape(use.arguments))
        for use in found.model.attribute_uses
        if use.arguments is not None
    ]


def mock_calls(snippet: str) -> list[tuple[str, str, str, str]]:
    """Each call of a mock itself as (binding, chain, callee as written, the call, followed by
    `` ...`` when the chain goes on from what it returns)."""
    found = Snippet(snippet)
    return [
        (
            call.binding.name,
            ".".join(call.chain),
            found.text(call.span),
            found.shape(call.arguments) + (" ..." if call.continued else ""),
        )
        for call in found.model.mock_calls
    ]


def expected_calls(snippet: str) -> list[tuple[str, str, str]]:
    """Each ``call(...)`` entry as (the assertion's chain, the entry's chain, the entry)."""
    found = Snippet(snippet)
    return [
        (".".join(use.chain), ".".join(expected.chain), found.shape(expected.arguments))
        for use in found.model.attribute_uses
        for expected in use.expected_calls
    ]


# --- arguments of attribute calls -------------------------------------------------------------


def test_calls_of_attributes_carry_their_arguments() -> None:
    assert attribute_calls(
        """\
        m = Mock()
        m.save(1, 'two', total=3)
        m.return_value.load()
        m.assert_called_once_with(order, *more, flag=True, **options)
        m.items
        m.items = 1
        """
    ) == [
        ("m", "save", "m.save(1, 'two', total=3) -> (1, 'two', total=)"),
        ("m", "return_value.load", "m.return_value.load() -> ()"),
        (
            "m",
            "assert_called_once_with",
            "m.assert_called_once_with(order, *more, flag=True, **options) -> "
            "(order, flag=, *, **)",
        ),
    ]


def test_calls_in_the_middle_of_a_chain_and_across_lines() -> None:
    assert attribute_calls(
        """\
        m = Mock()
        m.open(path).read(10)
        m().close(now=True)
        m.save(
            build(1, 2),
            key=value,
        )
        """
    ) == [
        ("m", "open", "m.open(path) -> (path)"),
        ("m", "open.().read", "m.open(path).read(10) -> (10)"),
        ("m", "().close", "m().close(now=True) -> (now=)"),
        ("m", "save", "m.save(\n    build(1, 2),\n    key=value,\n) -> (build(1, 2), key=)"),
    ]


def test_a_positional_argument_after_a_star_is_still_counted() -> None:
    assert attribute_calls("m = Mock()\nm.save(*items, last)\n") == [
        ("m", "save", "m.save(*items, last) -> (last, *)")
    ]


def test_calls_of_what_is_no_mock_carry_nothing() -> None:
    assert (
        attribute_calls(
            """\
            gateway = Gateway()
            gateway.charge(1)
            m = Mock()
            m = 3
            m.save(1)
            """
        )
        == []
    )


# --- calls of the mock itself -----------------------------------------------------------------


def test_calls_of_the_mock_itself() -> None:
    assert mock_calls(
        """\
        m = Mock()
        m(1, key=2)
        m()(3)
        m.factory()(4)

        @patch('shop.orders.charge')
        def test_pay(mock_charge):
            mock_charge('4242', 100, *rest, **options)
        """
    ) == [
        ("m", "", "m", "m(1, key=2) -> (1, key=)"),
        ("m", "", "m", "m() -> () ..."),
        ("m", "()", "m()", "m()(3) -> (3)"),
        ("m", "factory.()", "m.factory()", "m.factory()(4) -> (4)"),
        (
            "mock_charge",
            "",
            "mock_charge",
            "mock_charge('4242', 100, *rest, **options) -> ('4242', 100, *, **)",
        ),
    ]


def test_calls_of_a_mock_kept_on_self() -> None:
    assert mock_calls(
        """\
        class PayTests:
            def setUp(self):
                self.charge = patch('shop.orders.charge').start()

            def test_pay(self):
                self.charge(1)
                self(2)
        """
    ) == [("self.charge", "", "self.charge", "self.charge(1) -> (1)")]


def test_calls_that_are_not_calls_of_a_mock() -> None:
    assert mock_calls(
        """\
            print(len('x'))
            m = Mock()
            m.return_value = make()
            m()(1)
            n = Mock()
            n = real
            n(2)
            """
    ) == [("m", "", "m", "m() -> () ...")]


# --- expected calls ---------------------------------------------------------------------------


def test_entries_of_assert_has_calls() -> None:
    assert expected_calls(
        """\
        m = Mock()
        m.assert_has_calls([call(1), call.save(2, flag=True), mock.call().load(*a), call])
        m.return_value.assert_has_calls((call.close(),), any_order=True)
        """
    ) == [
        ("assert_has_calls", "", "call(1) -> (1)"),
        ("assert_has_calls", "save", "call.save(2, flag=True) -> (2, flag=)"),
        ("assert_has_calls", "().load", "mock.call().load(*a) -> (*)"),
        ("return_value.assert_has_calls", "close", "call.close() -> ()"),
    ]


def test_entries_given_by_keyword_and_to_assert_has_awaits() -> None:
    assert expected_calls(
        """\
        m = mock.AsyncMock()
        m.assert_has_awaits(calls=[call('a')])
        """
    ) == [("assert_has_awaits", "", "call('a') -> ('a')")]


def test_call_imported_under_other_names_and_through_mocker() -> None:
    assert expected_calls(
        """\
        from unittest.mock import call as expected

        def test_it(mocker):
            m = mocker.Mock()
            m.assert_has_calls([expected(1), mocker.call.save(2)])
        """
    ) == [
        ("assert_has_calls", "", "expected(1) -> (1)"),
        ("assert_has_calls", "save", "mocker.call.save(2) -> (2)"),
    ]


def test_what_is_not_a_literal_list_of_call_entries_gives_nothing() -> None:
    assert (
        expected_calls(
            """\
            m = Mock()
            m.assert_has_calls(expected)
            m.assert_has_calls([make_call(1), other.call(2), m.call_args, *more])
            m.assert_has_calls(*lists)
            m.assert_called_with([call(1)])
            """
        )
        == []
    )


# --- instance autospecs -----------------------------------------------------------------------


def test_create_autospec_of_an_instance() -> None:
    model = Snippet(
        """\
        from unittest.mock import create_autospec
        a = create_autospec(Shop, instance=True)
        b = create_autospec(Shop, False, True)
        c = create_autospec(Shop, instance=False)
        d = create_autospec(Shop)
        e = create_autospec(Shop, instance=flag)
        """
    ).model
    assert [(binding.name, binding.spec_instance) for binding in model.bindings] == [
        ("a", True),
        ("b", True),
        ("c", False),
        ("d", False),
        ("e", True),
    ]

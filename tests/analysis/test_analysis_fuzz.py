"""build_model on random text and on mutated real test modules: a model, never an exception.

Besides not raising, every span the model reports must lie inside the text it was given.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockls.analysis.builder import build_model
from mockls.analysis.model import ModuleModel
from mockls.spans import Span

CORPUS = '''\
"""Tests that use mock in every way the analysis knows."""

import unittest
from unittest import mock
from unittest.mock import MagicMock as MM, Mock, call, create_autospec, patch

import mock as backport


class Shop:
    currency = "EUR"

    def pay(self, card, amount):
        return card, amount


@patch("shop.orders.send_receipt")
class OrderTests(unittest.TestCase):
    def setUp(self):
        self.patcher = patch("shop.orders.charge", autospec=True)
        self.mock_charge = self.patcher.start()
        self.addCleanup(self.patcher.stop)
        self.shop = Mock(spec=Shop, **{"pay.return_value": 3})

    @mock.patch.object(Shop, "pay", return_value=1)
    @patch.dict("os.environ", {"MODE": "test"})
    def test_pay(self, mock_pay, mock_send):
        mock_pay.return_value.save.assert_called_once_with(1)
        with patch("a.b") as m_b, backport.patch("a.c", new_callable=MM) as m_c:
            m_b().total.assert_called()
            m_c.side_effect = [KeyError, 1]
        self.mock_charge.assert_has_calls([call(1), call(2)])
        self.shop.configure_mock(total=3)

    async def test_async(self, mock_send):
        fetch = mock.AsyncMock()
        await fetch.get()
        fetch.get.assert_awaited_once()


def test_with_mocker(mocker):
    m = mocker.patch("shop.gateway", autospec=True)
    spy = mocker.spy(Shop, "pay")
    stub = mocker.stub()
    m.create_charge.return_value = "ch_1"
    assert spy.spy_return is None and stub.called is False
    auto = create_autospec(Shop, instance=True)
    auto.pay.assert_not_called()
    patch.stopall()
'''

_EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "shop" / "tests"
SOURCES = [CORPUS, *(path.read_text(encoding="utf-8") for path in sorted(_EXAMPLES.glob("*.py")))]

TOKENS = [
    "\n", "    ", "\t", " ", "(", ")", "[", "]", "{", "}", ":", ",", ".", "=", "@", "*", "**",
    "'", '"', '"""', "#", "\\", "m", "self", "patch", "mock", "Mock", "mocker", "def ", "class ",
    "with ", " as ", "async ", "await ", "return ", "lambda ", "import ", "from ", "global ",
    "return_value", "assert_called_once_with", "start()", "stop()", "'a.b'", "é", "😀", "\x0c",
    "\r", "\0", ":=", "for ", " in ", "if ", "else", "try:", "except", "yield ",
]  # fmt: skip


def _assert_spans_inside(model: ModuleModel, source: str) -> None:
    lines = re.split(r"\r\n|\r|\n", source)
    spans: list[Span] = [use.span for use in model.attribute_uses]
    spans += [binding.span for binding in model.bindings]
    spans += [site.span for site in model.patch_sites]
    spans += [site.target_span for site in model.patch_sites if site.target_span is not None]
    spans += [stop.span for stop in model.stop_calls]
    spans += [item.span for item in model.imports]
    for span in spans:
        assert span.start <= span.end, span
        for position in (span.start, span.end):
            assert 0 <= position.line < len(lines), span
            assert 0 <= position.character <= len(lines[position.line]), span


def _check(source: str) -> None:
    model = build_model(source)
    assert isinstance(model, ModuleModel)
    _assert_spans_inside(model, source)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=())))
def test_random_text(source: str) -> None:
    _check(source)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=80).map("".join))
def test_random_token_soup(source: str) -> None:
    _check(source)


_EDIT = st.tuples(
    st.sampled_from(["delete", "insert", "replace"]),
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=0, max_value=40),
    st.lists(st.sampled_from(TOKENS), max_size=6).map("".join),
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SOURCES), st.lists(_EDIT, min_size=1, max_size=5))
def test_mutated_real_tests(source: str, edits: list[tuple[str, float, int, str]]) -> None:
    for operation, where, length, text in edits:
        start = int(where * len(source))
        end = min(len(source), start + length)
        if operation == "delete":
            source = source[:start] + source[end:]
        elif operation == "insert":
            source = source[:start] + text + source[start:]
        else:
            source = source[:start] + text + source[end:]
    _check(source)


def test_corpus_itself_is_understood() -> None:
    model = build_model(CORPUS)
    assert model.syntax_error is None
    assert [(site.kind.value, site.use.value, site.target) for site in model.patch_sites] == [
        ("patch", "class-decorator", "shop.orders.send_receipt"),
        ("patch", "started", "shop.orders.charge"),
        ("patch.object", "function-decorator", "pay"),
        ("patch.dict", "function-decorator", "os.environ"),
        ("patch", "context-manager", "a.b"),
        ("patch", "context-manager", "a.c"),
        ("patch", "mocker", "shop.gateway"),
    ]
    assert [binding.name for binding in model.bindings] == [
        "self.mock_charge",
        "self.shop",
        "mock_pay",
        "mock_send",
        "m_b",
        "m_c",
        "mock_send",
        "fetch",
        "m",
        "spy",
        "stub",
        "auto",
    ]

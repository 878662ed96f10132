"""patch-argument-order: parameters named for another decorator's patch are found and reordered."""

from __future__ import annotations

import pytest

from mockls.findings import Severity
from mockls.rules.patch_argument_order import RULE
from mockls.spans import Span

IMPORTS = "from unittest.mock import MagicMock, patch\nfrom shop import Foo, orders\n"


@pytest.mark.parametrize(
    ("body", "expected", "fixed_body"),
    [
        pytest.param(
            "@patch('shop.orders.send_receipt')\n@patch('shop.orders.charge')\n"
            "def test_a(mock_send_receipt, mock_charge):\n    mock_send_receipt.assert_called()\n",
            [(4, 11, "mock_send_receipt, mock_charge")],
            "@patch('shop.orders.send_receipt')\n@patch('shop.orders.charge')\n"
            "def test_a(mock_charge, mock_send_receipt):\n    mock_send_receipt.assert_called()\n",
            id="two-swapped",
        ),
        pytest.param(
            "class TestShop:\n    @patch('shop.api.Session')\n    @patch('shop.api.Client')\n"
            "    def test_a(self, session_mock: MagicMock, client_mock: MagicMock) -> None:\n"
            "        pass\n",
            [(5, 21, "session_mock: MagicMock, client_mock")],
            "class TestShop:\n    @patch('shop.api.Session')\n    @patch('shop.api.Client')\n"
            "    def test_a(self, client_mock: MagicMock, session_mock: MagicMock) -> None:\n"
            "        pass\n",
            id="method-camel-case-targets-suffixes-and-annotations",
        ),
        pytest.param(
            "@patch('shop.a')\n@patch('shop.b')\n@patch('shop.c')\n"
            "def test_a(mock_a, mock_c, mock_b):\n    pass\n",
            [(5, 11, "mock_a, mock_c, mock_b")],
            "@patch('shop.a')\n@patch('shop.b')\n@patch('shop.c')\n"
            "def test_a(mock_c, mock_b, mock_a):\n    pass\n",
            id="three-rotated",
        ),
        pytest.param(
            "@patch.object(Foo, 'save')\n@patch.object(Foo, 'load')\n"
            "def test_a(mocked_save, mocked_load):\n    pass\n",
            [(4, 11, "mocked_save, mocked_load")],
            "@patch.object(Foo, 'save')\n@patch.object(Foo, 'load')\n"
            "def test_a(mocked_load, mocked_save):\n    pass\n",
            id="patch-object",
        ),
        pytest.param(
            "@patch.object(orders.gateway, 'charge')\n@patch('shop.payments.charge')\n"
            "def test_a(m_gateway_charge, m_payments_charge):\n    pass\n",
            [(4, 11, "m_gateway_charge, m_payments_charge")],
            "@patch.object(orders.gateway, 'charge')\n@patch('shop.payments.charge')\n"
            "def test_a(m_payments_charge, m_gateway_charge):\n    pass\n",
            id="same-last-name-told-apart-by-the-owner",
        ),
        pytest.param(
            "@patch('shop.orders.send_receipt')\n@patch('shop.orders.charge')\n"
            "def test_a(mock_send, mock_charge):\n    pass\n",
            [(4, 11, "mock_send, mock_charge")],
            "@patch('shop.orders.send_receipt')\n@patch('shop.orders.charge')\n"
            "def test_a(mock_charge, mock_send):\n    pass\n",
            id="abbreviated-name",
        ),
        pytest.param(
            "@patch('shop.api.RetryPolicy')\n@patch('shop.api.HttpClient')\n"
            "def test_a(policy_mock, client_mock):\n    pass\n",
            [(4, 11, "policy_mock, client_mock")],
            "@patch('shop.api.RetryPolicy')\n@patch('shop.api.HttpClient')\n"
            "def test_a(client_mock, policy_mock):\n    pass\n",
            id="last-word-of-a-camel-case-target",
        ),
        pytest.param(
            "@patch('shop.payments.charge')\nclass TestShop:\n    @patch('shop.orders.refund')\n"
            "    def test_a(self, mock_charge, mock_refund):\n        pass\n",
            [(5, 21, "mock_charge, mock_refund")],
            "@patch('shop.payments.charge')\nclass TestShop:\n    @patch('shop.orders.refund')\n"
            "    def test_a(self, mock_refund, mock_charge):\n        pass\n",
            id="class-decorator-comes-after-the-methods-own",
        ),
    ],
)
def test_misnamed_parameters_are_found_and_reordered(
    run_rule, body: str, expected: list[tuple[int, int, str]], fixed_body: str
) -> None:
    run = run_rule(RULE, IMPORTS + body)
    found = [
        (finding.span.start.line, finding.span.start.character, _name_at(body, finding.span))
        for finding in run.findings
    ]
    assert found == expected
    assert run.fixed() == IMPORTS + fixed_body
    assert {finding.severity for finding in run.findings} == {Severity.WARNING}


def _name_at(body: str, span: Span) -> str:
    line = (IMPORTS + body).splitlines()[span.start.line]
    return line[span.start.character : span.end.character]


def test_the_finding_explains_each_mix_up_and_points_at_both_decorators(run_rule) -> None:
    body = (
        "@patch('shop.orders.send_receipt')\n@patch('shop.orders.charge')\n"
        "def test_a(mock_send_receipt, mock_charge):\n    pass\n"
    )
    (finding,) = run_rule(RULE, IMPORTS + body).findings
    assert finding.message == (
        "`mock_send_receipt` receives the mock of `shop.orders.charge`, not of "
        "`shop.orders.send_receipt`; `mock_charge` receives the mock of "
        "`shop.orders.send_receipt`, not of `shop.orders.charge`: stacked patch decorators "
        "pass their mocks bottom-up, so the bottom decorator's mock is the first parameter"
    )
    assert [
        (related.path, related.span.start.line, related.message) for related in finding.related
    ] == [
        ("tests/test_snippet.py", 3, "`mock_send_receipt` receives this patch's mock"),
        ("tests/test_snippet.py", 2, "`mock_send_receipt` is named for this patch"),
        ("tests/test_snippet.py", 2, "`mock_charge` receives this patch's mock"),
        ("tests/test_snippet.py", 3, "`mock_charge` is named for this patch"),
    ]


def test_a_rotation_is_one_finding_naming_three_mix_ups_and_counting_the_rest(run_rule) -> None:
    body = (
        "@patch('shop.a')\n@patch('shop.b')\n@patch('shop.c')\n@patch('shop.d')\n"
        "@patch('shop.e')\ndef test_a(mock_b, mock_c, mock_d, mock_e, mock_a):\n    pass\n"
    )
    run = run_rule(RULE, IMPORTS + body)
    (finding,) = run.findings
    assert finding.message == (
        "`mock_b` receives the mock of `shop.e`, not of `shop.b`; `mock_c` receives the mock "
        "of `shop.d`, not of `shop.c`; `mock_d` receives the mock of `shop.c`, not of "
        "`shop.d`; and 1 more: stacked patch decorators pass their mocks bottom-up, so the "
        "bottom decorator's mock is the first parameter"
    )
    assert run.fixed() == IMPORTS + body.replace(
        "(mock_b, mock_c, mock_d, mock_e, mock_a)", "(mock_e, mock_d, mock_c, mock_b, mock_a)"
    )


def test_no_fix_when_moving_a_default_would_break_the_signature(run_rule) -> None:
    body = "@patch('shop.a')\n@patch('shop.b')\ndef test_a(mock_a, mock_b=None):\n    pass\n"
    run = run_rule(RULE, IMPORTS + body)
    assert [(finding.span.start.line, finding.fixes) for finding in run.findings] == [(4, ())]


def test_no_fix_when_a_parenthesized_default_would_lose_its_parenthesis(run_rule) -> None:
    body = (
        "@patch('shop.a')\n@patch('shop.b')\n"
        "def test_a(mock_a=(\n        None), mock_b=None):\n    pass\n"
    )
    run = run_rule(RULE, IMPORTS + body)
    assert [(finding.span.start.line, finding.fixes) for finding in run.findings] == [(4, ())]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "@patch('shop.orders.send_receipt')\n@patch('shop.orders.charge')\n"
            "def test_a(mock_charge, mock_send_receipt):\n    pass\n",
            id="correct-order",
        ),
        pytest.param(
            "@patch('shop.a')\n@patch('shop.b')\ndef test_a(m1, m2):\n    pass\n",
            id="names-that-match-no-target",
        ),
        pytest.param(
            "@patch('shop.a')\n@patch('shop.b')\ndef test_a(mock_a, mock_other):\n    pass\n",
            id="one-named-for-another-but-the-other-is-not-named-for-it",
        ),
        pytest.param(
            "@patch('shop.orders.save')\n@patch('shop.users.save')\n"
            "def test_a(mock_save, mock_user_save):\n    pass\n",
            id="ambiguous-names",
        ),
        pytest.param(
            "@patch('shop.orders.send_receipt')\n@patch('shop.emails.send_email')\n"
            "def test_a(mock_send, mock_send_receipt):\n    pass\n",
            id="ambiguous-abbreviation",
        ),
        pytest.param(
            "@patch('shop.a', new=MagicMock())\n@patch('shop.b')\ndef test_a(mock_b):\n    pass\n",
            id="new-injects-nothing",
        ),
        pytest.param(
            "@patch('shop.a')\ndef test_a(mock_a):\n    pass\n",
            id="single-decorator",
        ),
    ],
)
def test_correct_or_unclear_parameters_give_nothing(run_rule, body: str) -> None:
    assert run_rule(RULE, IMPORTS + body).findings == []

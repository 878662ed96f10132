"""signature-mismatch: calls on spec'd mocks are bound to the real signatures of a real project.

The code under test is ``tests/fixtures/signatures`` (a ``billing`` package); each snippet is a
test module of that project, handed to the project the way an editor hands over an open file.
A finding is shown as (line of the snippet, the text it underlines, message).
"""

from __future__ import annotations

import ast
import importlib
import textwrap
import unittest.mock
from pathlib import Path

import pytest

from mockls.analysis.builder import build_model
from mockls.findings import Finding
from mockls.fixes.edits import apply_edits
from mockls.resolve.project import Project, ProjectFile
from mockls.rules.rule import RuleContext
from mockls.rules.signature_mismatch import RULE
from mockls.spans import LineIndex

PROJECT = Path(__file__).resolve().parents[1] / "fixtures" / "signatures"
TEST_FILE = PROJECT / "tests" / "test_snippet.py"

HEADER = """\
from unittest import mock
from unittest.mock import AsyncMock, MagicMock, Mock, NonCallableMock, call, create_autospec, patch

import billing.payments
from billing import payments
from billing.payments import Gateway, Ledger, charge
"""
HEADER_LINES = HEADER.count("\n")

CHARGE = 'billing.payments.charge(amount, currency="EUR", *, idempotency_key=None)'
CREATE_CHARGE = "billing.payments.Gateway.create_charge(card, amount_cents)"
GATEWAY = "billing.payments.Gateway(api_key, timeout=3.0)"


@pytest.fixture(scope="module")
def project() -> Project:
    project = Project(PROJECT)
    project.scan()
    return project


def run(project: Project, body: str) -> tuple[str, list[Finding]]:
    """The rule's findings on ``HEADER + body`` as the test module ``tests/test_snippet.py``."""
    source = HEADER + textwrap.dedent(body)
    project.update_file(TEST_FILE, source)
    try:
        context = RuleContext(
            model=build_model(source),
            source=source,
            path="tests/test_snippet.py",
            lines=LineIndex(source),
            project=ProjectFile(project, TEST_FILE),
        )
        found = sorted(RULE.check(context), key=lambda f: (f.span.start, f.message))
    finally:
        project.update_file(TEST_FILE, None)
    return source, found


def described(source: str, findings: list[Finding]) -> list[tuple[int, str, str]]:
    lines = source.split("\n")
    result = []
    for finding in findings:
        start, end = finding.span.start, finding.span.end
        assert start.line == end.line
        underlined = lines[start.line][start.character : end.character]
        result.append((start.line - HEADER_LINES, underlined, finding.message))
    return result


def findings_of(project: Project, body: str) -> list[tuple[int, str, str]]:
    return described(*run(project, body))


# --- functions --------------------------------------------------------------------------------


def test_an_unexpected_keyword_with_a_rename_fix(project: Project) -> None:
    body = """\
        @patch("billing.payments.charge", autospec=True)
        def test_pay(mock_charge):
            mock_charge(100, curency="USD")
        """
    source, found = run(project, body)
    assert described(source, found) == [
        (
            2,
            "curency",
            f"`mock_charge` is autospecced from `{CHARGE}`: this call passes an unexpected "
            "keyword `curency`; did you mean `currency`?",
        )
    ]
    (fix,) = found[0].fixes
    assert fix.title == "Rename to `currency`"
    fixed = apply_edits(source, list(fix.edits))
    ast.parse(fixed)
    assert 'mock_charge(100, currency="USD")' in fixed


def test_related_information_points_at_the_definition(project: Project) -> None:
    _, found = run(
        project,
        """\
        @patch("billing.payments.charge", autospec=True)
        def test_pay(mock_charge):
            mock_charge()
        """,
    )
    (related,) = found[0].related
    assert (related.path, related.span.start.line, related.message) == (
        str(PROJECT / "billing" / "payments.py"),
        5,
        "`billing.payments.charge` is defined here",
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            """\
            @patch("billing.payments.charge", autospec=True)
            def test_pay(mock_charge):
                mock_charge(100, "EUR", "key-1")
                mock_charge(1, 2, 3, *more)
                mock_charge(currency="USD")
                mock_charge(100, amount=5)
            """,
            [
                (
                    2,
                    '"key-1"',
                    f"`mock_charge` is autospecced from `{CHARGE}`: this call passes 3 "
                    "positional arguments, but it takes at most 2",
                ),
                (
                    3,
                    "3",
                    f"`mock_charge` is autospecced from `{CHARGE}`: this call passes at least 3 "
                    "positional arguments, but it takes at most 2",
                ),
                (
                    4,
                    "mock_charge",
                    f"`mock_charge` is autospecced from `{CHARGE}`: this call does not pass the "
                    "required argument `amount`",
                ),
                (
                    5,
                    "amount",
                    f"`mock_charge` is autospecced from `{CHARGE}`: this call passes `amount` "
                    "both by position and by keyword",
                ),
            ],
            id="positional-missing-and-twice",
        ),
        pytest.param(
            """\
            @patch("billing.payments.refund", autospec=True)
            def test_refund(mock_refund):
                mock_refund(charge_id="ch_1")
            """,
            [
                (
                    2,
                    "charge_id",
                    "`mock_refund` is autospecced from `billing.payments.refund(charge_id, /)`: "
                    "this call passes the positional-only parameter `charge_id` by keyword",
                )
            ],
            id="positional-only-by-keyword",
        ),
        pytest.param(
            """\
            @patch("billing.payments.notify", autospec=True)
            def test_notify(mock_notify):
                mock_notify("a@b.c", "line 1", "line 2")
            """,
            [
                (
                    2,
                    "mock_notify",
                    "`mock_notify` is autospecced from `billing.payments.notify(email, *lines, "
                    "subject)`: this call does not pass the required argument `subject`",
                )
            ],
            id="keyword-only-after-var-positional",
        ),
        pytest.param(
            """\
            @patch("billing.payments.charge", autospec=True)
            def test_pay(mock_charge):
                mock_charge.assert_called_once_with(100, curency="USD")
                mock_charge.assert_called_with()
                mock_charge.assert_any_call(1, 2, 3)
            """,
            [
                (
                    2,
                    "curency",
                    f"`mock_charge` is autospecced from `{CHARGE}`: `assert_called_once_with` "
                    "expects a call that passes an unexpected keyword `curency`; did you mean "
                    "`currency`?",
                ),
                (
                    3,
                    "assert_called_with",
                    f"`mock_charge` is autospecced from `{CHARGE}`: `assert_called_with` expects "
                    "a call that does not pass the required argument `amount`",
                ),
                (
                    4,
                    "3",
                    f"`mock_charge` is autospecced from `{CHARGE}`: `assert_any_call` expects a "
                    "call that passes 3 positional arguments, but it takes at most 2",
                ),
            ],
            id="assertions",
        ),
        pytest.param(
            """\
            @patch("billing.payments.charge_later", autospec=True)
            async def test_later(mock_later):
                await mock_later(1, "EUR", 2)
                mock_later.assert_awaited_once_with(amount=1, currency="EUR", retry=True)
                mock_later.assert_has_awaits([call(1), call(1, "EUR", 2)])
            """,
            [
                (
                    2,
                    "2",
                    "`mock_later` is autospecced from `billing.payments.charge_later(amount, "
                    'currency="EUR")`: this call passes 3 positional arguments, but it takes at '
                    "most 2",
                ),
                (
                    3,
                    "retry",
                    "`mock_later` is autospecced from `billing.payments.charge_later(amount, "
                    'currency="EUR")`: `assert_awaited_once_with` expects a call that passes an '
                    "unexpected keyword `retry`",
                ),
                (
                    4,
                    "2",
                    "`mock_later` is autospecced from `billing.payments.charge_later(amount, "
                    'currency="EUR")`: this expected call passes 3 positional arguments, but it '
                    "takes at most 2",
                ),
            ],
            id="async-function-and-await-assertions",
        ),
        pytest.param(
            """\
            @patch("billing.charge", autospec=True)
            def test_pay(mock_charge):
                mock_charge.assert_has_calls([call(100), call(), call(1, curency="USD")])
            """,
            [
                (
                    2,
                    "call()",
                    f"`mock_charge` is autospecced from `{CHARGE}`: this expected call does not "
                    "pass the required argument `amount`",
                ),
                (
                    2,
                    "curency",
                    f"`mock_charge` is autospecced from `{CHARGE}`: this expected call passes an "
                    "unexpected keyword `curency`; did you mean `currency`?",
                ),
            ],
            id="re-exported-target-and-has-calls",
        ),
        pytest.param(
            """\
            def test_pay(mocker):
                mock_charge = mocker.patch("billing.payments.charge", autospec=True)
                mock_charge(1, 2, 3)
                specced = Mock(spec=charge)
                specced(currency="USD")
                strict = MagicMock(spec_set=payments.charge)
                strict.assert_called_once_with(1, idempotency="k")
            """,
            [
                (
                    2,
                    "3",
                    f"`mock_charge` is autospecced from `{CHARGE}`: this call passes 3 "
                    "positional arguments, but it takes at most 2",
                ),
                (
                    4,
                    "specced",
                    f"`specced` is specced from `{CHARGE}`: this call does not pass the "
                    "required argument `amount`",
                ),
                (
                    6,
                    "idempotency",
                    f"`strict` is specced from `{CHARGE}`: `assert_called_once_with` expects a "
                    "call that passes an unexpected keyword `idempotency`",
                ),
            ],
            id="mocker-and-spec-of-a-function",
        ),
    ],
)
def test_calls_of_function_mocks(
    project: Project, body: str, expected: list[tuple[int, str, str]]
) -> None:
    assert findings_of(project, body) == expected


# --- classes and methods ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            """\
            @patch("billing.payments.Gateway", autospec=True)
            def test_gateway(mock_gateway):
                mock_gateway("key", 1.0, "extra")
                mock_gateway.return_value.create_charge("4242")
                mock_gateway("key").create_charge("4242", 100, True)
                mock_gateway().create_charge
                mock_gateway.create_charge(card="4242", amount=100)
                mock_gateway.create_charge("4242", 100, amount=100)
            """,
            [
                (
                    2,
                    '"extra"',
                    f"`mock_gateway` is autospecced from `{GATEWAY}`: this call passes 3 "
                    "positional arguments, but it takes at most 2",
                ),
                (
                    3,
                    "create_charge",
                    f"`mock_gateway.return_value.create_charge` is autospecced from "
                    f"`{CREATE_CHARGE}`: this call does not pass the required argument "
                    "`amount_cents`",
                ),
                (
                    4,
                    "True",
                    f"`mock_gateway().create_charge` is autospecced from `{CREATE_CHARGE}`: this "
                    "call passes 3 positional arguments, but it takes 2",
                ),
                (
                    5,
                    "mock_gateway",
                    f"`mock_gateway` is autospecced from `{GATEWAY}`: this call does not pass "
                    "the required argument `api_key`",
                ),
                (
                    6,
                    "amount",
                    f"`mock_gateway.create_charge` is autospecced from `{CREATE_CHARGE}`: this "
                    "call passes an unexpected keyword `amount`",
                ),
                (
                    7,
                    "amount",
                    f"`mock_gateway.create_charge` is autospecced from `{CREATE_CHARGE}`: this "
                    "call passes an unexpected keyword `amount`",
                ),
            ],
            id="class-constructor-and-methods-skip-self",
        ),
        pytest.param(
            """\
            def test_gateway():
                gateway = create_autospec(Gateway)
                gateway.from_environment({}, strict=True)
                gateway.mask("4242", "****")
                gateway.return_value.mask()
                gateway.assert_has_calls([call("k"), call().create_charge("4242")])
            """,
            [
                (
                    2,
                    "strict",
                    "`gateway.from_environment` is autospecced from "
                    "`billing.payments.Gateway.from_environment(environ)`: this call passes an "
                    "unexpected keyword `strict`",
                ),
                (
                    3,
                    '"****"',
                    "`gateway.mask` is autospecced from `billing.payments.Gateway.mask(card)`: "
                    "this call passes 2 positional arguments, but it takes 1",
                ),
                (
                    4,
                    "mask",
                    "`gateway.return_value.mask` is autospecced from "
                    "`billing.payments.Gateway.mask(card)`: this call does not pass the required "
                    "argument `card`",
                ),
                (
                    5,
                    'call().create_charge("4242")',
                    f"`gateway().create_charge` is autospecced from `{CREATE_CHARGE}`: this "
                    "expected call does not pass the required argument `amount_cents`",
                ),
            ],
            id="classmethods-skip-cls-staticmethods-skip-nothing",
        ),
        pytest.param(
            """\
            @patch.object(Gateway, "create_charge", autospec=True)
            def test_charge(mock_create):
                mock_create.assert_called_once_with("4242", 100)
            """,
            [
                (
                    2,
                    "assert_called_once_with",
                    "`mock_create` is autospecced from `billing.payments.Gateway.create_charge("
                    "self, card, amount_cents)`: `assert_called_once_with` expects a call that "
                    "does not pass the required argument `amount_cents` (the mock replaces the "
                    "function on its class, so an instance calls it with itself as the first "
                    "argument)",
                )
            ],
            id="function-patched-on-its-class-keeps-self",
        ),
        pytest.param(
            """\
            def test_charge():
                with patch("billing.payments.Gateway.create_charge", autospec=True) as mock_create:
                    mock_create(Gateway("key"), "4242", 100)
                    mock_create("4242", 100)
            """,
            [
                (
                    3,
                    "mock_create",
                    "`mock_create` is autospecced from `billing.payments.Gateway.create_charge("
                    "self, card, amount_cents)`: this call does not pass the required argument "
                    "`amount_cents` (the mock replaces the function on its class, so an instance "
                    "calls it with itself as the first argument)",
                )
            ],
            id="method-target-keeps-self",
        ),
        pytest.param(
            """\
            @patch.object(payments.Gateway, "from_environment", autospec=True)
            @patch("billing.payments.Gateway.mask", autospec=True)
            def test_methods(mock_mask, mock_from_environment):
                mock_mask("4242", "x")
                mock_from_environment(payments.Gateway, {})
            """,
            [
                (
                    3,
                    '"x"',
                    "`mock_mask` is autospecced from `billing.payments.Gateway.mask(card)`: this "
                    "call passes 2 positional arguments, but it takes 1",
                ),
                (
                    4,
                    "{}",
                    "`mock_from_environment` is autospecced from "
                    "`billing.payments.Gateway.from_environment(environ)`: this call passes 2 "
                    "positional arguments, but it takes 1",
                ),
            ],
            id="patched-staticmethod-and-classmethod",
        ),
        pytest.param(
            """\
            def test_instance():
                gateway = create_autospec(Gateway, instance=True)
                gateway.create_charge("4242")
                specced = Mock(spec=Gateway)
                specced.create_charge("4242", 1, 2)
                ledger = Mock(spec_set=billing.payments.Ledger)
                ledger.record.assert_called_once_with("entry", post=True)
            """,
            [
                (
                    2,
                    "create_charge",
                    f"`gateway.create_charge` is autospecced from `{CREATE_CHARGE}`: this call "
                    "does not pass the required argument `amount_cents`",
                ),
                (
                    4,
                    "2",
                    f"`specced.create_charge` is specced from `{CREATE_CHARGE}`: this call "
                    "passes 3 positional arguments, but it takes 2",
                ),
                (
                    6,
                    "post",
                    "`ledger.record` is specced from `billing.payments.Ledger.record(entry, *, "
                    "posted=False)`: `assert_called_once_with` expects a call that passes an "
                    "unexpected keyword `post`",
                ),
            ],
            id="instances",
        ),
        pytest.param(
            """\
            @patch("billing.payments.Gateway", spec=True)
            def test_gateway(mock_gateway):
                mock_gateway(timeout=1)
                mock_gateway.return_value.configure(1)
            """,
            [
                (
                    2,
                    "mock_gateway",
                    f"`mock_gateway` is specced from `{GATEWAY}`: this call does not pass the "
                    "required argument `api_key`",
                ),
                (
                    3,
                    "1",
                    "`mock_gateway.return_value.configure` is specced from "
                    "`billing.payments.Gateway.configure(**options)`: this call passes 1 "
                    "positional argument, but it takes none",
                ),
            ],
            id="patch-spec-true-of-a-class",
        ),
        pytest.param(
            """\
            class GatewayTests:
                def setUp(self):
                    self.gateway = patch("billing.payments.Gateway", autospec=True).start()
                    self.addCleanup(patch.stopall)

                def test_charge(self):
                    self.gateway.return_value.create_charge.assert_called_once_with(card="4242")
            """,
            [
                (
                    6,
                    "assert_called_once_with",
                    f"`self.gateway.return_value.create_charge` is autospecced from "
                    f"`{CREATE_CHARGE}`: `assert_called_once_with` expects a call that does not "
                    "pass the required argument `amount_cents`",
                )
            ],
            id="mock-kept-on-self",
        ),
        pytest.param(
            """\
            @patch("billing.payments", autospec=True)
            def test_module(mock_payments):
                mock_payments.charge(1, 2, 3)
                mock_payments.Gateway()
            """,
            [
                (
                    2,
                    "3",
                    f"`mock_payments.charge` is autospecced from `{CHARGE}`: this call passes 3 "
                    "positional arguments, but it takes at most 2",
                ),
                (
                    3,
                    "Gateway",
                    f"`mock_payments.Gateway` is autospecced from `{GATEWAY}`: this call does "
                    "not pass the required argument `api_key`",
                ),
            ],
            id="module-autospec",
        ),
        pytest.param(
            """\
            def test_spy(mocker):
                spy = mocker.spy(Gateway, "create_charge")
                Gateway("key").create_charge("4242", 100)
                spy.assert_called_once_with("4242", 100)
            """,
            [
                (
                    3,
                    "assert_called_once_with",
                    "`spy` is autospecced from `billing.payments.Gateway.create_charge(self, "
                    "card, amount_cents)`: `assert_called_once_with` expects a call that does not "
                    "pass the required argument `amount_cents` (the mock replaces the function on "
                    "its class, so an instance calls it with itself as the first argument)",
                )
            ],
            id="spy-on-a-class-function",
        ),
    ],
)
def test_calls_of_class_and_method_mocks(
    project: Project, body: str, expected: list[tuple[int, str, str]]
) -> None:
    assert findings_of(project, body) == expected


# --- look-alikes: correct calls and what mockls cannot judge ----------------------------------


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            """\
            @patch("billing.payments.charge", autospec=True)
            def test_pay(mock_charge):
                mock_charge(100)
                mock_charge(100, "USD")
                mock_charge(100, currency="USD", idempotency_key="k")
                mock_charge(amount=100)
                mock_charge.assert_called_once_with(100, currency="USD")
                mock_charge.assert_any_call(amount=1)
                mock_charge.assert_has_calls([call(1), call(2, "EUR")], any_order=True)
                mock_charge.assert_called()
                mock_charge.assert_not_called()
                mock_charge.reset_mock()
            """,
            id="correct-calls-and-defaults",
        ),
        pytest.param(
            """\
            @patch("billing.payments.charge", autospec=True)
            def test_pay(mock_charge):
                mock_charge(*arguments)
                mock_charge(**options)
                mock_charge(1, *rest)
                mock_charge(currency="USD", **rest)
                mock_charge.assert_has_calls(expected_calls)
                mock_charge.assert_has_calls([mock_charge.call_args, *more])
            """,
            id="star-arguments-and-lists-that-are-not-literal",
        ),
        pytest.param(
            """\
            @patch("billing.payments.audit", autospec=True)
            @patch("billing.payments.notify", autospec=True)
            @patch("billing.payments.Gateway.configure", autospec=True)
            def test_flexible(mock_configure, mock_notify, mock_audit):
                mock_audit(1, 2, 3, anything=True)
                mock_notify("a@b.c", "line 1", "line 2", subject="Hi")
                mock_configure(object(), retries=3, region="eu")
            """,
            id="var-positional-and-var-keyword-signatures",
        ),
        pytest.param(
            """\
            @patch("billing.payments.Gateway", autospec=True)
            def test_gateway(mock_gateway):
                mock_gateway("key")
                mock_gateway(api_key="key", timeout=1.0)
                mock_gateway.return_value.create_charge("4242", 100)
                mock_gateway("key").create_charge(card="4242", amount_cents=100)
                mock_gateway.create_charge("4242", 100)
                mock_gateway.from_environment({})
                mock_gateway.mask("4242")
                mock_gateway.return_value.region
                mock_gateway.assert_has_calls([call("key"), call().create_charge("4242", 1)])
            """,
            id="correct-class-calls",
        ),
        pytest.param(
            """\
            @patch.object(Gateway, "create_charge", autospec=True)
            def test_charge(mock_create):
                Gateway("key").create_charge("4242", 100)
                mock_create.assert_called_once_with(mock.ANY, "4242", 100)
            """,
            id="function-patched-on-its-class-called-with-self",
        ),
        pytest.param(
            """\
            @patch("billing.payments.Gateway", autospec=True)
            def test_gateway(mock_gateway):
                mock_gateway.return_value = Mock()
                mock_gateway.return_value.create_charge(1, 2, 3)

            @patch("billing.payments.Gateway", autospec=True, return_value=MagicMock())
            def test_configured(mock_gateway):
                mock_gateway.return_value.create_charge()

            def test_replaced_children():
                gateway = Mock(spec=Gateway, create_charge=Mock())
                gateway.create_charge(1, 2, 3)
                other = create_autospec(Gateway, instance=True)
                other.mask = Mock(return_value="****")
                other.mask()
                third = Mock(spec=Gateway)
                third.configure_mock(**{"create_charge": Mock()})
                third.create_charge()
            """,
            id="children-the-test-replaced",
        ),
        pytest.param(
            """\
            def test_configured_children():
                gateway = Mock(spec=Gateway, **{"create_charge.return_value": "ch_1"})
                gateway.create_charge("4242", 100)
                gateway.create_charge.side_effect = None
                gateway.create_charge("4242", 100)
            """,
            id="configured-return-values-keep-the-signature",
        ),
        pytest.param(
            """\
            @patch("billing.payments.charge")
            def test_plain(mock_charge):
                mock_charge(1, 2, 3, 4)
                mock_charge.assert_called_once_with(curency="USD")
                Mock().anything(1, 2, 3)
                MagicMock(name="charge")(1, 2, 3)
            """,
            id="mocks-without-a-spec",
        ),
        pytest.param(
            """\
            from billing.unknown import Thing

            def test_unknown(mocker):
                Mock(spec=Thing).anything(1, 2)
                Mock(spec=make_spec())(1, 2, 3)
                Mock(spec=["create_charge"]).create_charge(1, 2, 3)
                create_autospec(Undefined)(1, 2, 3)
                mocker.patch("billing.payments.nothing", autospec=True)(1, 2)
                patch("billing.payments.Gateway.region", autospec=True).start()(1)
                NonCallableMock(spec=charge)(1, 2, 3, 4)
            """,
            id="specs-mockls-cannot-judge",
        ),
        pytest.param(
            """\
            @patch.object(Gateway, "create_charge", spec=True)
            def test_spec_of_a_method(mock_create):
                mock_create("4242", 100)

            def test_instance_call():
                gateway = Mock(spec=Gateway)
                gateway(1, 2, 3)
                instance = create_autospec(Gateway, instance=True)
                instance.return_value.create_charge()

            @patch("billing.payments.Gateway", spec=True)
            def test_class_attribute(mock_gateway):
                mock_gateway.create_charge("4242")
                mock_gateway().create_charge.assert_called_once_with("4242", 100)
            """,
            id="calls-whose-meaning-is-not-certain",
        ),
    ],
)
def test_look_alikes_give_no_finding(project: Project, body: str) -> None:
    assert findings_of(project, body) == []


def test_without_a_project_the_rule_stays_quiet() -> None:
    source = HEADER + (
        '@patch("billing.payments.charge", autospec=True)\n'
        "def test_pay(mock_charge):\n"
        '    mock_charge(100, curency="USD")\n'
    )
    context = RuleContext(build_model(source), source, "tests/test_x.py", LineIndex(source))
    assert list(RULE.check(context)) == []


# --- agreement with unittest.mock -------------------------------------------------------------

AGREEMENT = [
    # (how the mock is made, a statement using it): autospec checks these at run time.
    ("create_autospec(charge)", 'mock(100, curency="USD")'),
    ("create_autospec(charge)", "mock()"),
    ("create_autospec(charge)", 'mock(1, "EUR", "key")'),
    ("create_autospec(charge)", "mock(1, amount=2)"),
    ("create_autospec(charge)", "mock(1, 2, 3, *[])"),
    ("create_autospec(charge)", 'mock(100); mock.assert_called_with(100, curency="USD")'),
    ("create_autospec(charge)", "mock(100); mock.assert_any_call()"),
    ("create_autospec(charge)", "mock(100); mock.assert_has_calls([call(100), call()])"),
    ("create_autospec(payments.refund)", 'mock(charge_id="ch_1")'),
    ("create_autospec(payments.notify)", 'mock("a@b.c", "line")'),
    ("create_autospec(Gateway)", 'mock("key", 1.0, "extra")'),
    ("create_autospec(Gateway)", 'mock.return_value.create_charge("4242")'),
    ("create_autospec(Gateway)", 'mock.create_charge("4242", 100, True)'),
    ("create_autospec(Gateway)", 'mock.create_charge(card="4242", amount=100)'),
    ("create_autospec(Gateway)", "mock.from_environment({}, True)"),
    ("create_autospec(Gateway)", "mock.return_value.mask()"),
    ("create_autospec(Gateway)", "mock.return_value.configure(1)"),
    ("create_autospec(Gateway, instance=True)", 'mock.create_charge(card="4242")'),
    ("create_autospec(Ledger)", 'mock.return_value.record("entry", True)'),
    # ... and accept these.
    ("create_autospec(charge)", "mock(100)"),
    ("create_autospec(charge)", 'mock(100, "USD", idempotency_key="k")'),
    ("create_autospec(charge)", "mock(*[100], **{})"),
    ("create_autospec(charge)", "mock(100); mock.assert_called_once_with(amount=100)"),
    ("create_autospec(charge)", "mock(1); mock.assert_has_calls([call(1)])"),
    ("create_autospec(payments.refund)", 'mock("ch_1")'),
    ("create_autospec(payments.audit)", "mock(1, 2, key=3)"),
    ("create_autospec(payments.notify)", 'mock("a@b.c", "1", "2", subject="s")'),
    ("create_autospec(Gateway)", 'mock("key", timeout=1.0)'),
    ("create_autospec(Gateway)", 'mock.return_value.create_charge("4242", 100)'),
    ("create_autospec(Gateway)", 'mock.create_charge(card="4242", amount_cents=100)'),
    ("create_autospec(Gateway)", "mock.from_environment({})"),
    ("create_autospec(Gateway)", "mock.return_value.from_environment(environ={})"),
    ("create_autospec(Gateway)", 'mock.mask("4242")'),
    ("create_autospec(Gateway)", "mock.return_value.configure(retries=3)"),
    ("create_autospec(Gateway, instance=True)", 'mock.create_charge("4242", 1)'),
    ("create_autospec(Ledger)", 'mock.return_value.record("entry", posted=True)'),
]


def refused_at_run_time(factory: str, statement: str) -> bool:
    """Whether unittest.mock refuses the statement: a ``TypeError`` from the call, or an
    assertion that failed because the expected call could not bind."""
    payments = importlib.import_module("billing.payments")
    namespace: dict[str, object] = {
        "call": unittest.mock.call,
        "create_autospec": unittest.mock.create_autospec,
        "payments": payments,
        "charge": payments.charge,
        "Gateway": payments.Gateway,
        "Ledger": payments.Ledger,
    }
    namespace["mock"] = eval(factory, namespace)
    try:
        exec(statement, namespace)
    except TypeError:
        return True
    except AssertionError as error:
        return _caused_by_type_error(error)
    return False


def _caused_by_type_error(error: BaseException) -> bool:
    """Whether a ``TypeError`` is among the causes (pytest-mock re-raises mock's assertion
    errors from within ``except``, so the cause may sit one context further down)."""
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        if isinstance(current, TypeError):
            return True
        seen.append(current)
        current = current.__cause__ or current.__context__
    return "Errors: [" in str(error)  # assert_has_calls lists the binding errors instead


@pytest.mark.parametrize(("factory", "statement"), AGREEMENT)
def test_findings_agree_with_what_autospec_refuses(
    project: Project, factory: str, statement: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(PROJECT))
    body = f"def test_it():\n    mock = {factory}\n    {statement}\n"
    reported = bool(findings_of(project, body))
    assert reported == refused_at_run_time(factory, statement)


@pytest.mark.parametrize(
    "statement",
    ['mock("opening balance")', 'mock.assert_called_once_with(["token"], None)'],
)
def test_a_class_without_init_accepts_any_call_as_autospec_does(
    project: Project, monkeypatch: pytest.MonkeyPatch, statement: str
) -> None:
    # Autospec binds a class's calls to __init__, and object.__init__ takes (*args, **kwargs):
    # the mock lets anything through, so neither a call nor an assertion is a mismatch.
    monkeypatch.syspath_prepend(str(PROJECT))
    factory = "create_autospec(Ledger)"
    assert not refused_at_run_time(factory, f'mock(["token"], None)\n{statement}')
    body = f"def test_it():\n    mock = {factory}\n    {statement}\n"
    assert findings_of(project, body) == []

"""signature-mismatch through the real server: the diagnostic, its related definition, the
keyword rename fix, and a finding that goes away when the code under test changes."""

from __future__ import annotations

import ast
import asyncio
from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

from mockls.spans import Span

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

HANG_GUARD = 30.0
"""Seconds before waiting for the server gives up: never an assertion on speed."""

PAYMENTS = """\
def charge(amount, currency="EUR"):
    return f"ch_{amount}{currency}"


class Gateway:
    def __init__(self, api_key):
        self.api_key = api_key

    def create_charge(self, card, amount_cents):
        return card
"""

WORKSPACE = {
    "pyproject.toml": "[project]\nname = 'billing'\n",
    "billing/__init__.py": "",
    "billing/payments.py": PAYMENTS,
}

TEST_BILLING = """\
from unittest.mock import create_autospec, patch

from billing.payments import Gateway


@patch("billing.payments.charge", autospec=True)
def test_charge(mock_charge):
    mock_charge(100, curency="USD")
    mock_charge.assert_called_once_with(100, "USD")


def test_gateway():
    gateway = create_autospec(Gateway, instance=True)
    gateway.create_charge("4242")
"""

CHARGE = 'billing.payments.charge(amount, currency="EUR")'


async def diagnostics_once_indexed(session: Session, uri: str) -> list[types.Diagnostic]:
    """The diagnostics of the document's current version once the project is indexed (a
    document is linted without its project until the first scan ends, then again)."""
    version = session.versions[uri]

    async def indexed() -> list[types.Diagnostic]:
        while True:
            for params in reversed(session.client.published):
                if params.uri == uri and params.version == version:
                    if any(item.code == "signature-mismatch" for item in params.diagnostics):
                        return list(params.diagnostics)
                    break
            await session.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(indexed(), HANG_GUARD)


def range_of(session: Session, uri: str, needle: str) -> types.Range:
    """The range of the first ``needle`` in the document, in the client's encoding."""
    text = session.texts[uri]
    start = text.index(needle)
    line = text.count("\n", 0, start)
    character = start - (text.rfind("\n", 0, start) + 1)
    span = Span.of(line, character, line, character + len(needle))
    return session.range_of(text, span)


async def test_mismatched_calls_are_reported_with_the_definition(session: Session) -> None:
    uri = session.open("tests/test_billing.py", TEST_BILLING)

    diagnostics = await diagnostics_once_indexed(session, uri)

    warning = types.DiagnosticSeverity.Warning
    assert [(item.code, item.severity, item.range, item.message) for item in diagnostics] == [
        (
            "signature-mismatch",
            warning,
            range_of(session, uri, "curency"),
            f"`mock_charge` is autospecced from `{CHARGE}`: this call passes an unexpected "
            "keyword `curency`; did you mean `currency`?",
        ),
        (
            "signature-mismatch",
            warning,
            range_of(session, uri, "create_charge"),
            "`gateway.create_charge` is autospecced from `billing.payments.Gateway.create_charge("
            "card, amount_cents)`: this call does not pass the required argument `amount_cents`",
        ),
    ]
    related = [
        (item.location.uri, item.location.range.start.line, item.message)
        for item in diagnostics[0].related_information or []
    ]
    assert related == [
        (session.uri("billing/payments.py"), 0, "`billing.payments.charge` is defined here")
    ]


async def test_the_misspelled_keyword_is_renamed(session: Session) -> None:
    uri = session.open("tests/test_rename.py", TEST_BILLING)
    await diagnostics_once_indexed(session, uri)

    actions = await session.code_actions(uri, TEST_BILLING.index("curency") + 2)

    assert [(action.title, action.is_preferred) for action in actions] == [
        ("Rename to `currency`", True)
    ]
    assert actions[0].edit is not None
    fixed = session.applied(uri, actions[0].edit)
    assert fixed == TEST_BILLING.replace("curency=", "currency=")
    ast.parse(fixed)


async def test_changing_the_code_under_test_updates_the_finding(session: Session) -> None:
    uri = session.open("tests/test_follow.py", TEST_BILLING)
    before = await diagnostics_once_indexed(session, uri)
    assert len(before) == 2
    published = len(session.client.published)

    # The real function learns the keyword the test used: that call is no mistake any more.
    payments = session.open("billing/payments.py", write=False)
    session.replace(payments, 'currency="EUR"', 'currency="EUR", curency=None')

    async def relinted() -> list[types.Diagnostic]:
        while True:
            for params in session.client.published[published:]:
                if params.uri == uri and len(params.diagnostics) == 1:
                    return list(params.diagnostics)
            await session.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    after = await asyncio.wait_for(relinted(), HANG_GUARD)
    assert [item.message for item in after] == [before[1].message]
    session.replace(payments, ", curency=None", "")
    session.close(payments)

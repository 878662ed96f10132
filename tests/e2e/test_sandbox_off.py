"""An untrusted workspace through the real server: nothing runs, everything static still works.

The editor says ``"trusted": false`` (as the VS Code extension does for an untrusted
workspace): the sandbox is off, so findings are published as static analysis finds them, the
quick-fixes that need proof are offered marked unverified, and no test gets a lens.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

WORKSPACE_FIXTURE = "runtime_lookups"
INITIALIZATION_OPTIONS = {"mockls": {"trusted": False}}

WAIT = 30.0


async def test_findings_stay_static_and_fixes_are_unverified(session: Session) -> None:
    uri = session.open("tests/test_orders.py")
    version = session.versions[uri]

    async def with_the_finding() -> list[types.Diagnostic]:
        while True:
            for params in session.client.published:
                if params.uri == uri and params.version == version and params.diagnostics:
                    return list(params.diagnostics)
            await session.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    (finding,) = await asyncio.wait_for(with_the_finding(), WAIT)
    assert finding.message == (
        "billing/orders.py:3 binds `charge` with `from billing.payments import charge`; patch"
        " 'billing.orders.charge'"
    )
    text = session.texts[uri]
    actions = await session.code_actions(uri, text.index("billing.payments.charge"))
    assert [action.title for action in actions if action.kind == types.CodeActionKind.QuickFix] == [
        "Patch 'billing.orders.charge' instead (unverified)"
    ]
    assert all(
        "sandbox" not in item.message
        for params in session.client.published
        for item in params.diagnostics
    )


async def test_no_test_gets_a_lens(session: Session) -> None:
    uri = session.open("tests/test_checkout.py")
    lenses = await asyncio.wait_for(
        session.client.text_document_code_lens_async(
            types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
        ),
        WAIT,
    )
    assert lenses is None

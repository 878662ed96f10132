"""Diagnostics through the real server: on open, after incremental edits, and cleared on close."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

from mockls.spans import Span

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

WORKSPACE = {
    "pyproject.toml": "[project]\nname = 'shop'\n",
    "shop/__init__.py": "",
    "shop/payments.py": "def charge(gateway, amount):\n    return gateway.pay(amount)\n",
}

# The finding on line 8 comes after non-ASCII text, so its columns differ per encoding
# (UTF-16 for VS Code, UTF-8 for Neovim 0.11).
TEST_PAYMENTS = """\
from unittest import mock

from shop.payments import charge


def test_charge_pays_the_gateway():
    gateway = mock.Mock()
    label = "café ☕ 😀"; charge(gateway, label); gateway.pay.assert_called_once_wtih(label)
    gateway.pay.retrun_value = True
"""

ASSERT_SPAN = Span.of(7, 60, 7, 83)
ATTRIBUTE_SPAN = Span.of(8, 16, 8, 28)


async def test_diagnostics_appear_on_open(session: Session) -> None:
    uri = session.open("tests/test_open.py", TEST_PAYMENTS)

    published = await session.diagnostics(uri)

    assert [(item.code, item.range) for item in published] == [
        ("misspelled-assert", session.range_of(TEST_PAYMENTS, ASSERT_SPAN)),
        ("misspelled-mock-attribute", session.range_of(TEST_PAYMENTS, ATTRIBUTE_SPAN)),
    ]
    assert published == session.expected(uri)


async def test_diagnostics_follow_incremental_edits(session: Session) -> None:
    uri = session.open("tests/test_edits.py", TEST_PAYMENTS)
    await session.diagnostics(uri)

    session.replace(uri, "_wtih", "_with")
    fixed_assert = await session.diagnostics(uri)
    assert [(item.code, item.range) for item in fixed_assert] == [
        ("misspelled-mock-attribute", session.range_of(session.texts[uri], ATTRIBUTE_SPAN)),
    ]

    session.edit(uri, [(0, 0, "import os\n")])  # every line moves down by one
    moved = await session.diagnostics(uri)
    assert [(item.code, item.range.start.line) for item in moved] == [
        ("misspelled-mock-attribute", 9),
    ]
    assert moved == session.expected(uri)

    session.replace(uri, "retrun_value", "return_value")
    assert await session.diagnostics(uri) == []


async def test_closing_clears_diagnostics(session: Session) -> None:
    uri = session.open("tests/test_close.py", TEST_PAYMENTS)
    assert len(await session.diagnostics(uri)) == 2
    published_before_close = len(session.client.published)

    session.close(uri)

    cleared = await session.published(uri, None, after=published_before_close)
    assert list(cleared.diagnostics) == []


async def test_a_burst_of_edits_is_published_once_for_its_last_version(session: Session) -> None:
    uri = session.open("tests/test_burst.py", TEST_PAYMENTS)
    await session.diagnostics(uri)

    session.replace(uri, "retrun_value", "retrun_valu")
    session.replace(uri, "retrun_valu", "retrun_val")
    last = session.replace(uri, "_wtih", "_with")

    assert await session.diagnostics(uri) == session.expected(uri)
    assert session.history(uri) == [1, last]


async def test_documents_are_independent(session: Session) -> None:
    clean = "from unittest import mock\n\n\ndef test_ok():\n    mock.Mock().assert_not_called()\n"
    first = session.open("tests/test_first.py", TEST_PAYMENTS)
    second = session.open("tests/test_second.py", clean)

    assert await session.diagnostics(second) == []
    assert len(await session.diagnostics(first)) == 2

    session.close(second)
    session.replace(first, "_wtih", "_with")
    assert [item.code for item in await session.diagnostics(first)] == ["misspelled-mock-attribute"]


async def test_an_unsaved_buffer_is_linted(session: Session) -> None:
    uri = "untitled:Untitled-1"
    session.texts[uri] = TEST_PAYMENTS
    session.versions[uri] = 1
    session.relative_paths[uri] = ""
    session.client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=1, text=TEST_PAYMENTS
            )
        )
    )
    assert await session.diagnostics(uri) == session.expected(uri)

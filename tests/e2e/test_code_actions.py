"""Quick-fixes through the real server: the edit each one makes, applied as an editor would."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

WORKSPACE = {"pyproject.toml": "[project]\nname = 'shop'\n"}

TEST_ORDERS = """\
import unittest
from unittest import mock


class PlaceOrderTests(unittest.TestCase):
    @mock.patch("shop.orders.send_receipt")
    @mock.patch("shop.orders.charge")
    def test_place_order(self, mock_send_receipt, mock_charge):
        label = "café ☕ 😀"; mock_charge.assert_called_once_wtih(label)
        mock_send_receipt.retrun_value = None
"""


def applied_fix(session: Session, uri: str, action: types.CodeAction) -> str:
    assert action.edit is not None
    return session.applied(uri, action.edit)


async def test_rename_fixes_apply_exactly(session: Session) -> None:
    uri = session.open("tests/test_rename.py", TEST_ORDERS)
    published = await session.diagnostics(uri)
    by_code = {item.code: item for item in published}

    at_assert = await session.code_actions(uri, TEST_ORDERS.index("_wtih"))
    assert [(action.title, action.kind, action.is_preferred) for action in at_assert] == [
        ("Rename to `assert_called_once_with`", types.CodeActionKind.QuickFix, True)
    ]
    assert list(at_assert[0].diagnostics or []) == [by_code["misspelled-assert"]]
    fixed = applied_fix(session, uri, at_assert[0])
    assert fixed == TEST_ORDERS.replace("_wtih(", "_with(")
    ast.parse(fixed)

    at_attribute = await session.code_actions(uri, TEST_ORDERS.index("retrun_value") + 3)
    assert [action.title for action in at_attribute] == ["Rename to `return_value`"]
    assert list(at_attribute[0].diagnostics or []) == [by_code["misspelled-mock-attribute"]]
    assert applied_fix(session, uri, at_attribute[0]) == TEST_ORDERS.replace(
        "retrun_value", "return_value"
    )


async def test_one_reordering_fixes_both_misnamed_parameters(session: Session) -> None:
    uri = session.open("tests/test_swap.py", TEST_ORDERS)
    published = await session.diagnostics(uri)
    misnamed = [item for item in published if item.code == "patch-argument-order"]
    assert len(misnamed) == 1  # one finding for the function, however many are swapped

    start = TEST_ORDERS.index("(self, ")
    actions = await session.code_actions(uri, start, TEST_ORDERS.index("):", start))
    assert [(action.title, list(action.diagnostics or [])) for action in actions] == [
        ("Rename the parameters to match the patch decorators (bottom one first)", misnamed)
    ]
    fixed = applied_fix(session, uri, actions[0])
    assert fixed == TEST_ORDERS.replace(
        "(self, mock_send_receipt, mock_charge)", "(self, mock_charge, mock_send_receipt)"
    )
    ast.parse(fixed)


async def test_an_applied_fix_removes_its_diagnostic(session: Session) -> None:
    uri = session.open("tests/test_apply.py", TEST_ORDERS)
    before = await session.diagnostics(uri)
    (action,) = await session.code_actions(uri, TEST_ORDERS.index("_wtih"))
    fixed = applied_fix(session, uri, action)

    start = TEST_ORDERS.index("_wtih")
    session.edit(uri, [(start, start + len("_wtih"), "_with")])
    assert session.texts[uri] == fixed

    after = await session.diagnostics(uri)
    assert [item.code for item in before if item.code != "misspelled-assert"] == [
        item.code for item in after
    ]


async def test_no_actions_away_from_findings_or_for_other_kinds(session: Session) -> None:
    uri = session.open("tests/test_nothing.py", TEST_ORDERS)
    await session.diagnostics(uri)

    assert await session.code_actions(uri, 0, 10) == []

    refactor_only = await session.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=0, character=0), end=types.Position(line=11, character=0)
            ),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.Refactor]),
        )
    )
    assert refactor_only is None


async def test_no_actions_for_a_document_that_is_not_open(session: Session) -> None:
    session.texts[session.uri("tests/never_opened.py")] = TEST_ORDERS
    assert await session.code_actions(session.uri("tests/never_opened.py"), 0, 50) == []


async def test_actions_for_an_edited_document_use_its_new_version(session: Session) -> None:
    uri = session.open("tests/test_versions.py", TEST_ORDERS)
    await session.diagnostics(uri)
    session.edit(uri, [(0, 0, "import os\n")])

    # Asked at once, before the debounced diagnostics of version 2 arrive.
    actions = await session.code_actions(uri, session.texts[uri].index("_wtih"))
    assert [action.title for action in actions] == ["Rename to `assert_called_once_with`"]
    assert applied_fix(session, uri, actions[0]) == session.texts[uri].replace("_wtih(", "_with(")

"""Refactorings proved by execution, through the real server: the tests they affect run in the
sandbox (the server's own interpreter: the workspace has no venv) before and after the change.

The workspace is a copy of ``examples/shop`` in a trusted workspace, with two planted test
files: a test whose assertion after the nested blocks reads the patched attribute (flattening
keeps the patch active there, which the static check cannot see), and a test whose real code
calls the patched function with a keyword it does not take (``autospec=True`` makes it fail).
"""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pygls.exceptions import JsonRpcException

from .conftest import project_files
from .proof_waits import WAIT, first_answer, proved, refactorings

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
DOC = Path(__file__).resolve().parents[2] / "docs" / "refactorings.md"

PATCH_STILL_ACTIVE = """\
import os
import unittest
from unittest import mock


class CwdTests(unittest.TestCase):
    def test_the_patch_is_gone_after_the_block(self):
        real_getcwd = os.getcwd
        with mock.patch("os.getcwd", return_value="/patched") as mock_getcwd:
            with mock.patch.dict("os.environ", {"SHOP": "1"}):
                self.assertEqual(os.getcwd(), "/patched")
        self.assertIs(os.getcwd, real_getcwd)
        mock_getcwd.assert_called_once_with()
"""

CALLED_BY_KEYWORD = """\
import unittest
from unittest.mock import patch

from shop import orders


class ChargeTests(unittest.TestCase):
    @patch("shop.orders.charge")
    def test_charges_by_keyword(self, mock_charge):
        orders.charge("4242", amount=2400)
        mock_charge.assert_called_once_with("4242", amount=2400)
"""

WORKSPACE = {
    **project_files(SHOP, (".py", ".toml")),
    "tests/test_cwd.py": PATCH_STILL_ACTIVE,
    "tests/test_charge_by_keyword.py": CALLED_BY_KEYWORD,
}

INITIALIZATION_OPTIONS = {"mockls": {"trusted": True, "sandbox": {"enabled": True}}}

FLATTEN = "Flatten the `with patch` blocks: patchers stopped by `addCleanup`"
AUTOSPEC = (
    "Add `autospec=True` (warning: 1 call on the mock already in this module would then fail"
    " to match `shop.payments.charge`)"
)


async def test_the_shop_refund_test_is_flattened_as_verified(session: Session) -> None:
    relative = "tests/test_refunds.py"
    uri = session.open(relative)
    before = session.texts[uri]
    offset = before.index("with mock.patch(")

    # While its proof runs it is listed at once, without its edit (both profiles resolve code
    # actions); resolving it waits for the proof and gives the edit it proved.
    [listed] = await first_answer(session, uri, offset)
    assert listed.title == f"{FLATTEN} (verifying in the sandbox)"
    assert listed.edit is None
    resolved = await asyncio.wait_for(session.client.code_action_resolve_async(listed), WAIT)
    assert resolved.title == f"{FLATTEN} (verified)"
    assert resolved.edit is not None
    assert "self.addCleanup(send_receipt_patcher.stop)" in session.applied(uri, resolved.edit)

    assert await proved(session, relative, FLATTEN) == (
        "verified in the sandbox: `RefundTests.test_cancelling_a_paid_order_refunds_it` ended"
        " the same, with the same mock calls"
    )
    [action] = await refactorings(session, uri, offset)
    assert action.title == f"{FLATTEN} (verified)"
    assert action.disabled is None
    assert action.edit is not None
    flattened = session.applied(uri, action.edit)
    ast.parse(flattened)
    assert "with mock.patch" not in flattened
    assert "self.addCleanup(send_receipt_patcher.stop)" in flattened
    # the proof ran the changed text without writing it: the file is as it was
    assert (session.workspace / relative).read_text(encoding="utf-8") == before


async def test_a_flattening_the_run_tells_apart_is_not_offered(session: Session) -> None:
    relative = "tests/test_cwd.py"
    uri = session.open(relative)
    offset = PATCH_STILL_ACTIVE.index("with mock.patch(")
    [listed] = await first_answer(session, uri, offset)

    # Resolving it waits for the proof, and says which test changed and how.
    with pytest.raises(JsonRpcException) as refused:
        await asyncio.wait_for(session.client.code_action_resolve_async(listed), WAIT)
    assert refused.value.message == (
        f'mockls did not apply "{FLATTEN}": running the tests it affects in the sandbox showed'
        " a difference: `CwdTests.test_the_patch_is_gone_after_the_block` passes, and fails"
        " with the change"
    )
    said = await proved(session, relative, FLATTEN)
    assert said == (
        "not offered, the sandbox saw a difference:"
        " `CwdTests.test_the_patch_is_gone_after_the_block` passes, and fails with the change"
    )
    assert await refactorings(session, uri, offset) == []
    # docs/refactorings.md quotes the log line
    assert f"\nmockls: test_cwd.py: {FLATTEN}: {said}\n" in DOC.read_text(encoding="utf-8")


async def test_autospec_says_what_it_makes_fail(session: Session) -> None:
    relative = "tests/test_charge_by_keyword.py"
    uri = session.open(relative)
    offset = CALLED_BY_KEYWORD.index('patch("shop') + 3
    await first_answer(session, uri, offset)

    change = "`ChargeTests.test_charges_by_keyword` passes, and raises an error with the change"
    assert await proved(session, relative, AUTOSPEC) == (
        f"offered, saying what the sandbox saw: {change}"
    )
    [action] = await refactorings(session, uri, offset)
    assert action.title == f"{AUTOSPEC} (ran in the sandbox: {change})"
    assert f"\n{action.title}\n" in DOC.read_text(encoding="utf-8")  # quoted there
    assert action.edit is not None
    assert session.applied(uri, action.edit) == CALLED_BY_KEYWORD.replace(
        'patch("shop.orders.charge")', 'patch("shop.orders.charge", autospec=True)'
    )


async def test_an_unsaved_buffer_gets_its_refactorings_unverified(session: Session) -> None:
    relative = "tests/test_unsaved_refunds.py"
    text = (SHOP / "tests" / "test_refunds.py").read_text(encoding="utf-8")
    (session.workspace / relative).write_text("", encoding="utf-8")
    uri = session.open(relative, text, write=False)
    await session.diagnostics(uri)
    actions = await refactorings(session, uri, text.index("with mock.patch("))
    assert [action.title for action in actions] == [f"{FLATTEN} (unverified)"]
    assert not any(
        message.message.startswith(f"mockls: {Path(relative).name}: ")
        for message in session.client.log_messages
    )

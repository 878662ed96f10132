"""Refactorings for a client that cannot resolve code actions (Emacs's eglot), with the sandbox.

Such a client gets each refactoring on its first ask, with its edit: unverified while the proof
runs, verified once the proof has ended — never nothing.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

from .conftest import project_files

if TYPE_CHECKING:
    from conftest import Session

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.parametrize("server", ["emacs@v29.1"], indirect=True, scope="module"),
]

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"

WORKSPACE = project_files(SHOP, (".py", ".toml"))

INITIALIZATION_OPTIONS = {"mockls": {"trusted": True, "sandbox": {"enabled": True}}}

WAIT = 120.0
"""A hang guard: the proof runs a test twice in fresh workers on a loaded two-core machine."""

FLATTEN = "Flatten the `with patch` blocks: patchers stopped by `addCleanup`"
PROVED = f"mockls: test_refunds.py: {FLATTEN}: verified in the sandbox"


async def refactorings(session: Session, uri: str, offset: int) -> list[types.CodeAction]:
    actions = await session.code_actions(uri, offset)
    return [action for action in actions if action.kind == types.CodeActionKind.RefactorRewrite]


async def test_the_first_ask_gets_the_refactoring_unverified_then_verified(
    session: Session,
) -> None:
    uri = session.open("tests/test_refunds.py")
    offset = session.texts[uri].index("with mock.patch(")

    [first] = await refactorings(session, uri, offset)
    assert first.title == f"{FLATTEN} (unverified)"
    assert first.edit is not None
    assert "self.addCleanup(send_receipt_patcher.stop)" in session.applied(uri, first.edit)

    async def until_proved() -> None:
        # Each ask starts the proof once the project is scanned and the sandbox may run.
        while not any(PROVED in params.message for params in session.client.log_messages):
            [action] = await refactorings(session, uri, offset)
            assert action.edit is not None  # unverified meanwhile, never missing
            await asyncio.sleep(0.2)

    await asyncio.wait_for(until_proved(), WAIT)
    [proved] = await refactorings(session, uri, offset)
    assert proved.title == f"{FLATTEN} (verified)"
    assert proved.edit is not None

"""The demo shop's where-to-patch quick-fixes through the real server: proved in the sandbox
before they are offered, and said so in their titles."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

from .conftest import project_files

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

_SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"

WORKSPACE = project_files(_SHOP, (".py", ".toml"))

WAIT = 60.0
"""A hang guard: the first verification starts the sandbox's workers."""


async def verified(session: Session, uri: str) -> None:
    """Wait until the document's findings have been checked in the sandbox."""
    version = session.versions[uri]

    async def confirmed() -> None:
        while not any(
            params.uri == uri
            and params.version == version
            and any("in the sandbox" in item.message for item in params.diagnostics)
            for params in session.client.published
        ):
            await session.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    await asyncio.wait_for(confirmed(), WAIT)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        pytest.param(
            "shop.payments.charge",
            ("Patch 'shop.orders.charge' instead (verified)", "shop.orders.charge"),
            id="ineffective-patch",
        ),
        pytest.param(
            "shop.paymnets.gateway",
            ("Change `paymnets` to `payments` (verified)", "shop.payments.gateway"),
            id="unresolved-patch-target",
        ),
    ],
)
async def test_the_shop_quick_fixes_are_offered_as_verified(
    session: Session, written: str, expected: tuple[str, str]
) -> None:
    uri = session.open("tests/test_payments.py")
    await verified(session, uri)
    text = session.texts[uri]
    assert text.count(f'"{written}"') == 1
    actions = [
        action
        for action in await session.code_actions(uri, text.index(written) + len("shop.pay"))
        if action.kind == types.CodeActionKind.QuickFix
    ]
    title, fixed_target = expected
    assert [action.title for action in actions] == [title]
    assert actions[0].edit is not None
    assert session.applied(uri, actions[0].edit) == text.replace(written, fixed_target)

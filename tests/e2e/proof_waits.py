"""Waiting, through the real server, for a refactoring's proof by execution to end."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

if TYPE_CHECKING:
    from conftest import Session

WAIT = 120.0
"""A hang guard: each proof runs two tests in fresh workers on a loaded two-core machine."""


async def refactorings(session: Session, uri: str, offset: int) -> list[types.CodeAction]:
    actions = await session.code_actions(uri, offset)
    return [action for action in actions if action.kind == types.CodeActionKind.RefactorRewrite]


async def first_answer(session: Session, uri: str, offset: int) -> list[types.CodeAction]:
    """The refactorings of the first answer given with the sandbox ready: the project is
    scanned (until then the sandbox may not run, and every refactoring is unverified)."""

    async def ready() -> list[types.CodeAction]:
        while True:
            actions = await refactorings(session, uri, offset)
            if not any(action.title.endswith("(unverified)") for action in actions):
                return actions
            await asyncio.sleep(0.1)

    return await asyncio.wait_for(ready(), WAIT)


async def proved(session: Session, relative: str, title: str) -> str:
    """What the server says in the client's log once the proof of ``title`` has ended."""
    said = f"mockls: {Path(relative).name}: {title}: "

    async def first() -> str:
        while True:
            for params in session.client.log_messages:
                if params.message.startswith(said):
                    return params.message.removeprefix(said)
            await session.client.wait_for_notification(types.WINDOW_LOG_MESSAGE)

    return await asyncio.wait_for(first(), WAIT)

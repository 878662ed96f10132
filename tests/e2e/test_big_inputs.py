"""A document over the size limit through the real server: one message, no analysis, and
the other documents are served as before."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

from mockls.files import MAX_SOURCE_CHARACTERS

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

WAIT = 60.0

SMALL = """\
from unittest import mock


def test_pay():
    gateway = mock.Mock()
    gateway.pay.assert_called_once_wtih(10)
"""

LINE = "m.assert_called_once_wtih(1)  # generated\n"
BIG = "from unittest import mock\nm = mock.Mock()\n" + LINE * (MAX_SOURCE_CHARACTERS // len(LINE))


async def test_a_document_over_the_limit_is_not_analysed_and_others_are(session: Session) -> None:
    big = session.open("tests/test_generated.py", BIG, write=False)
    assert (await session.diagnostics(big)) == []
    size = len(BIG)
    expected = (
        f"mockls: test_generated.py: {size:,} characters, over the limit of"
        f" {MAX_SOURCE_CHARACTERS:,}: not analysed"
    )
    assert expected in [message.message for message in session.client.messages]
    hover = await asyncio.wait_for(
        session.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=big),
                position=types.Position(line=2, character=3),
            )
        ),
        WAIT,
    )
    assert hover is None

    small = session.open("tests/test_small.py", SMALL)
    assert [item.code for item in await session.diagnostics(small)] == ["misspelled-assert"]
    session.replace(big, "generated", "generated!")  # an edit of the big one changes nothing
    assert (await session.diagnostics(big)) == []
    actions = await session.code_actions(big, BIG.index("wtih"))
    assert actions == []

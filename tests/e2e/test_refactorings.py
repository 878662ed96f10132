"""Refactorings through the real server: offered at a `with patch` header, applied as an editor
would, in both client profiles (UTF-16 columns and versioned edits; UTF-8 and plain changes).

The sandbox is off here, so every refactoring says it is unverified; proving them by running
their tests is ``test_refactoring_proofs.py``'s subject."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

WORKSPACE = {"pyproject.toml": "[project]\nname = 'shop'\n"}

INITIALIZATION_OPTIONS = {"mockls": {"sandbox": {"enabled": False}}}

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "refactor" / "nested-three-patches"
COMMENT = "# The environment is patched without a name: patch.dict gives nothing worth keeping."
WIDE_COMMENT = "# The environment: café ☕ 😀 (columns differ in UTF-8, UTF-16 and code points)."

FLATTEN = "Flatten the `with patch` blocks: patchers stopped by `addCleanup` (unverified)"

LEAKY = """\
import os
import unittest
from unittest import mock


class LeakyTests(unittest.TestCase):
    def setUp(self):
        self.label = "☕"; self.patcher = mock.patch("os.getcwd", return_value="/leak")
        self.mock_getcwd = self.patcher.start()

    def test_patched(self):
        self.assertEqual(os.getcwd(), "/leak")
"""


def golden(name: str) -> str:
    text = (GOLDEN / name).read_text(encoding="utf-8").replace("<|>", "")
    assert COMMENT in text
    return text.replace(COMMENT, WIDE_COMMENT)


async def refactor_actions(session: Session, uri: str, offset: int) -> list[types.CodeAction]:
    actions = await session.code_actions(uri, offset)
    return [action for action in actions if action.kind == types.CodeActionKind.RefactorRewrite]


async def test_nested_patches_flatten_into_cleanups(session: Session) -> None:
    before, after = golden("before.py"), golden("after.py")
    uri = session.open("tests/test_flatten.py", before)
    await session.diagnostics(uri)

    actions = await refactor_actions(session, uri, before.index("with mock.patch("))
    assert [(action.title, action.kind) for action in actions] == [
        (FLATTEN, types.CodeActionKind.RefactorRewrite)
    ]
    assert actions[0].edit is not None
    flattened = session.applied(uri, actions[0].edit)
    assert flattened == after
    ast.parse(flattened)

    # Nothing to flatten once applied: the editor's buffer has no `with` left.
    session.edit(uri, [(0, len(before), flattened)])
    offset = flattened.index("getcwd_patcher = ")
    assert await refactor_actions(session, uri, offset) == []


async def test_the_stop_fix_is_a_quick_fix_of_its_diagnostic(session: Session) -> None:
    uri = session.open("tests/test_leaky.py", LEAKY)
    published = await session.diagnostics(uri)
    (leak,) = [item for item in published if item.code == "patcher-not-stopped"]

    actions = await session.code_actions(uri, LEAKY.index("mock.patch("))
    quick = [action for action in actions if action.kind == types.CodeActionKind.QuickFix]
    assert [(action.title, action.is_preferred) for action in quick] == [
        ("Stop the patcher when the test ends: `self.addCleanup(self.patcher.stop)`", True)
    ]
    assert list(quick[0].diagnostics or []) == [leak]
    assert quick[0].edit is not None
    assert session.applied(uri, quick[0].edit) == LEAKY.replace(
        "        self.mock_getcwd = self.patcher.start()\n",
        "        self.mock_getcwd = self.patcher.start()\n"
        "        self.addCleanup(self.patcher.stop)\n",
    )


async def test_only_the_asked_kinds_are_given(session: Session) -> None:
    before = golden("before.py")
    uri = session.open("tests/test_kinds.py", before)
    await session.diagnostics(uri)
    offset = before.index("with mock.patch(")
    line_start = before.rindex("\n", 0, offset) + 1
    # Only ASCII precedes it on its line: the same column in every encoding.
    position = types.Position(line=before.count("\n", 0, offset), character=offset - line_start)

    async def titles(only: list[str]) -> list[str]:
        result = await session.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(start=position, end=position),
                context=types.CodeActionContext(diagnostics=[], only=only),
            )
        )
        return [action.title for action in result or [] if isinstance(action, types.CodeAction)]

    assert await titles([types.CodeActionKind.QuickFix]) == []
    assert await titles([types.CodeActionKind.Refactor]) == [FLATTEN]
    assert await titles([types.CodeActionKind.RefactorRewrite]) == [FLATTEN]
    assert await titles([types.CodeActionKind.RefactorExtract]) == []


async def test_broken_code_gets_no_refactoring_and_the_server_answers(session: Session) -> None:
    broken = golden("before.py").replace("self.assertTrue(", "self.assertTrue((")
    uri = session.open("tests/test_broken.py", broken)
    await session.diagnostics(uri)
    assert await refactor_actions(session, uri, broken.index("with mock.patch(")) == []


async def test_autospec_goes_after_the_last_argument(session: Session) -> None:
    source = LEAKY.replace('return_value="/leak"', 'return_value="😀"')
    uri = session.open("tests/test_autospec.py", source)
    await session.diagnostics(uri)
    actions = await refactor_actions(session, uri, source.index("mock.patch(") + 3)
    assert [action.title for action in actions] == ["Add `autospec=True` (unverified)"]
    assert actions[0].edit is not None
    assert session.applied(uri, actions[0].edit) == source.replace(
        'return_value="😀")', 'return_value="😀", autospec=True)'
    )

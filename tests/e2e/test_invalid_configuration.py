"""An invalid configuration is named once, clearly, and the defaults are used instead."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

from mockls.config import load_project_settings

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

WORKSPACE = {
    "pyproject.toml": (
        "[tool.mockls]\nselect = 'misspelled-assert'\nignore = ['misspelled-asert']\n"
    ),
}

INITIALIZATION_OPTIONS = {"mockls": {"sandbox": {"enabled": "sometimes"}}}

TEST_SOURCE = """\
from unittest import mock


def test_pay():
    gateway = mock.Mock()
    gateway.pay.assert_called_once_wtih(10)
    gateway.pay.retrun_value = True
"""


async def test_each_problem_is_shown_once_and_defaults_apply(
    session: Session, workspace: Path
) -> None:
    first = session.open("tests/test_first.py", TEST_SOURCE)
    second = session.open("tests/test_second.py", TEST_SOURCE)
    assert await session.diagnostics(first) == session.expected(first)
    assert await session.diagnostics(second) == session.expected(second)

    # A settings change re-lints both documents with the same problems: still shown once.
    published = len(session.client.published)
    session.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"mockls": INITIALIZATION_OPTIONS["mockls"]})
    )
    await session.published(first, 1, after=published)
    await session.published(second, 1, after=published)

    project_problems = load_project_settings(workspace).problems
    assert len(project_problems) == 2
    assert session.client.messages == [
        types.ShowMessageParams(type=types.MessageType.Warning, message=f"mockls: {problem}")
        for problem in (
            *project_problems,
            "editor settings: mockls.sandbox.enabled: expected true or false, got 'sometimes'; "
            "ignored",
        )
    ]

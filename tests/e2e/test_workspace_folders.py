"""A workspace of several folders through the real server: each folder its own editor settings.

The client answers ``workspace/configuration`` per folder (``scopeUri``): a file of a folder is
linted with that folder's ``mockls`` section, not the first folder's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

TEST_SOURCE = """\
from unittest import mock


def test_pay():
    gateway = mock.Mock()
    gateway.pay.assert_called_once_wtih(10)
    gateway.pay.retrun_value = True
"""

WORKSPACE_FOLDERS = {
    "alpha": {"mockls": {"ignore": ["misspelled-mock-attribute"]}},
    "beta": {
        "mockls": {
            "ignore": ["misspelled-assert"],
            "severity": {"misspelled-mock-attribute": "error"},
        }
    },
}

WORKSPACE = {
    **{
        f"{folder}/pyproject.toml": f"[project]\nname = '{folder}'\n"
        for folder in WORKSPACE_FOLDERS
    },
    **{f"{folder}/tests/test_pay.py": TEST_SOURCE for folder in WORKSPACE_FOLDERS},
}


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        pytest.param(
            "alpha", [("misspelled-assert", types.DiagnosticSeverity.Warning)], id="first-folder"
        ),
        pytest.param(
            "beta",
            [("misspelled-mock-attribute", types.DiagnosticSeverity.Error)],
            id="second-folder-its-own-settings",
        ),
    ],
)
async def test_each_folder_is_linted_with_its_own_editor_settings(
    session: Session, folder: str, expected: list[tuple[str, types.DiagnosticSeverity]]
) -> None:
    uri = session.open(f"{folder}/tests/test_pay.py")
    diagnostics = await session.diagnostics(uri)
    assert [(item.code, item.severity) for item in diagnostics] == expected
    session.close(uri)

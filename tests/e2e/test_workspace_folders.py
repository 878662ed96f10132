"""A workspace of several folders through the real server: each folder its own editor settings.

The client answers ``workspace/configuration`` per folder (``scopeUri``): a file of a folder is
linted with that folder's ``mockls`` section, not the first folder's; a folder added later
(``workspace/didChangeWorkspaceFolders``) gets its own section too.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    "gamma/pyproject.toml": "[project]\nname = 'gamma'\n",
    "gamma/tests/test_pay.py": TEST_SOURCE,
}
"""``gamma`` is on disk but not a workspace folder until a test adds it."""


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


async def test_a_folder_added_later_is_linted_with_its_own_editor_settings(
    session: Session,
) -> None:
    gamma = session.workspace / "gamma"
    session.client.set_configuration(
        {"ignore": ["misspelled-assert"], "severity": {"misspelled-mock-attribute": "error"}},
        section="mockls",
        scope_uri=gamma.as_uri(),
    )
    uri = session.open("gamma/tests/test_pay.py")
    outside = await session.diagnostics(uri)  # outside every folder: the first folder's section

    session.client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            event=types.WorkspaceFoldersChangeEvent(
                added=[types.WorkspaceFolder(uri=gamma.as_uri(), name="gamma")], removed=[]
            )
        )
    )
    own = [("misspelled-mock-attribute", types.DiagnosticSeverity.Error)]
    published = session.client.published
    params = await session.published(uri, 1)
    while codes(params.diagnostics) != own:
        # Until a publish has the folder's own settings (or the wait for one gives up); equal
        # publishes are told apart by identity.
        later = next(index for index, item in enumerate(published) if item is params) + 1
        params = await session.published(uri, 1, after=later)

    assert codes(outside) == [("misspelled-assert", types.DiagnosticSeverity.Warning)]
    assert codes(session.client.diagnostics[uri]) == own
    session.close(uri)


def codes(
    diagnostics: Sequence[types.Diagnostic],
) -> list[tuple[str | int | None, types.DiagnosticSeverity | None]]:
    return [(item.code, item.severity) for item in diagnostics]

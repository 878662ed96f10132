"""Settings through the real server: pyproject.toml, initializationOptions, and editor changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from lsprotocol import types

if TYPE_CHECKING:
    from conftest import Session

# Neovim 0.7 cannot answer workspace/configuration: it exercises settings pushed with
# didChangeConfiguration; the other two have them pulled.
pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.parametrize(
        "server",
        ["visual-studio-code", "neovim@v0.11.0", "neovim@v0.7.0"],
        indirect=True,
        scope="module",
    ),
]

WORKSPACE = {
    "pyproject.toml": (
        "[project]\nname = 'shop'\n\n"
        "[tool.mockls]\nignore = ['patcher-not-stopped']\n\n"
        "[tool.mockls.per-file-ignores]\n'tests/legacy/*' = ['misspelled-assert']\n"
    ),
}

INITIALIZATION_OPTIONS = {"mockls": {"severity": {"misspelled-assert": "error"}}}

TEST_SOURCE = """\
from unittest import mock


def test_pay():
    gateway = mock.Mock()
    gateway.pay.assert_called_once_wtih(10)
    gateway.pay.retrun_value = True
    patcher = mock.patch("shop.payments.charge")
    patcher.start()
"""


def codes_and_severities(diagnostics: list[types.Diagnostic]) -> list[tuple[Any, Any]]:
    return [(item.code, item.severity) for item in diagnostics]


async def change_editor_settings(session: Session, mockls: dict[str, Any]) -> int:
    """Change the editor's settings as the client would; the index of the next publish."""
    client = session.client
    client.set_configuration(mockls, section="mockls")
    assert client.capabilities is not None
    pulls = bool(client.capabilities.workspace and client.capabilities.workspace.configuration)
    published = len(client.published)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings=None if pulls else {"mockls": mockls})
    )
    return published


async def test_project_and_initialization_settings_apply(session: Session) -> None:
    uri = session.open("tests/test_project.py", TEST_SOURCE)
    legacy = session.open("tests/legacy/test_old.py", TEST_SOURCE)

    assert codes_and_severities(await session.diagnostics(uri)) == [
        ("misspelled-assert", types.DiagnosticSeverity.Error),
        ("misspelled-mock-attribute", types.DiagnosticSeverity.Warning),
    ]
    assert codes_and_severities(await session.diagnostics(legacy)) == [
        ("misspelled-mock-attribute", types.DiagnosticSeverity.Warning),
    ]


async def test_changed_editor_settings_relint_open_documents(session: Session) -> None:
    first = session.open("tests/test_first.py", TEST_SOURCE)
    second = session.open("tests/test_second.py", TEST_SOURCE)
    await session.diagnostics(first)
    await session.diagnostics(second)

    try:
        after = await change_editor_settings(session, {"select": ["misspelled-mock-attribute"]})
        for uri in (first, second):
            relinted = await session.published(uri, 1, after=after)
            assert codes_and_severities(list(relinted.diagnostics)) == [
                ("misspelled-mock-attribute", types.DiagnosticSeverity.Warning),
            ]

        after = await change_editor_settings(
            session, {"ignore": ["misspelled-mock-attribute"], "severity": {}}
        )
        relinted = await session.published(first, 1, after=after)
        assert codes_and_severities(list(relinted.diagnostics)) == [
            ("misspelled-assert", types.DiagnosticSeverity.Warning),
        ]
    finally:
        after = await change_editor_settings(session, INITIALIZATION_OPTIONS["mockls"])
        await session.published(first, 1, after=after)

    assert codes_and_severities(session.client.diagnostics[first]) == [
        ("misspelled-assert", types.DiagnosticSeverity.Error),
        ("misspelled-mock-attribute", types.DiagnosticSeverity.Warning),
    ]
    assert session.client.messages == []

"""Untrusted is sticky: through the real server, nothing of an untrusted workspace ever runs.

Two workspace folders are planted with code that leaves a marker file when it runs: ``venvapp``
has a fake ``.venv/bin/python`` (a script that marks, then runs the real interpreter), a
``conftest.py`` and a package whose ``__init__`` marks; ``scriptapp`` names a marking script as
its interpreter in ``[tool.mockls] python``. Each scenario tells the server the workspace is
not trusted in one of the ways settings reach it (``initializationOptions``, a
``workspace/configuration`` answer, a ``didChangeConfiguration`` push), then sends settings
that leave ``trusted`` out, and asks for everything that runs code in a trusted workspace:
diagnostics (jedi reads ``os.getcwd`` through the interpreter; the sandbox checks a patch that
imports the package), a hover on an outside target, and the "Verify patches" command (pytest
and the conftest). No marker may appear. The last scenario is the control: the same requests
after an explicit ``"trusted": true`` leave every marker.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from tests.e2e.conftest import SERVER_COMMAND, WAIT

pytestmark = pytest.mark.asyncio(loop_scope="function")

SETTLE = 3.0
"""Seconds given to anything the requests could still have started in the background before
the markers are read (a negative check, never an assertion on speed)."""

TEST_MODULE = """\
import os
from unittest.mock import patch

from pkg import user


@patch("os.getcwd")
def test_cwd(getcwd):
    assert os.getcwd() is getcwd.return_value


def test_use():
    with patch("pkg.core.helper"):
        assert user.use() == 1
"""

ALL_MARKERS = {"venv-python", "tool-python", "package-init", "conftest"}


def mark(markers: Path, name: str) -> str:
    """Python that leaves the marker ``name``."""
    return f"open({str(markers / name)!r}, 'a').close()\n"


def marking_interpreter(path: Path, markers: Path, name: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"#!/bin/sh\ntouch '{markers / name}'\nexec '{sys.executable}' \"$@\"\n", encoding="utf-8"
    )
    path.chmod(0o755)


def plant_folder(root: Path, markers: Path, pyproject: str) -> None:
    (root / "pkg").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (root / "conftest.py").write_text(mark(markers, "conftest"), encoding="utf-8")
    (root / "pkg" / "__init__.py").write_text(mark(markers, "package-init"), encoding="utf-8")
    (root / "pkg" / "core.py").write_text("def helper():\n    return 1\n", encoding="utf-8")
    (root / "pkg" / "user.py").write_text(
        "from pkg.core import helper\n\n\ndef use():\n    return helper()\n", encoding="utf-8"
    )
    (root / "tests" / "__init__.py").write_text("", encoding="utf-8")
    (root / "tests" / "test_use.py").write_text(TEST_MODULE, encoding="utf-8")


@dataclass
class Workspace:
    markers: Path
    folders: list[Path]

    def ran(self) -> set[str]:
        return {path.name for path in self.markers.iterdir()}


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    markers = tmp_path / "markers"
    markers.mkdir()
    venvapp, scriptapp = tmp_path / "venvapp", tmp_path / "scriptapp"
    plant_folder(venvapp, markers, '[project]\nname = "venvapp"\n')
    marking_interpreter(venvapp / ".venv" / "bin" / "python", markers, "venv-python")
    plant_folder(
        scriptapp, markers, '[project]\nname = "scriptapp"\n\n[tool.mockls]\npython = "tools/py"\n'
    )
    marking_interpreter(scriptapp / "tools" / "py", markers, "tool-python")
    return Workspace(markers, [venvapp, scriptapp])


class ConfiguredClient(LanguageClient):
    """pytest-lsp's client answering ``workspace/configuration`` with what the test says."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section: object = None
        self.pulls = 0
        self.pulled = asyncio.Event()

    def get_configuration(
        self, *, section: str | None = None, scope_uri: str | None = None
    ) -> Any | None:
        self.pulls += 1
        self.pulled.set()
        return self.section


@dataclass
class Scenario:
    """How the settings reach the server: at ``initialize``, then pulls and pushes."""

    initialization_options: object = None
    pull: bool = True
    first_answer: object = None
    later: list[object] = field(default_factory=list)
    """Sections sent after ``initialized``: pushed, and (when pulled) the next answers."""


UNTRUSTED_SCENARIOS = {
    "initialization-options-then-empty-pull": Scenario({"trusted": False}, first_answer={}),
    "initialization-options-then-pull-without-trust": Scenario(
        {"mockls": {"trusted": False}},
        first_answer={"select": [], "sandbox": {"enabled": True}},
    ),
    "initialization-options-then-push-without-trust": Scenario(
        {"trusted": False}, pull=False, later=[{"select": []}]
    ),
    "initialization-options-then-push-of-nulls": Scenario(
        {"trusted": False}, pull=False, later=[{"trusted": None, "interpreter": None}]
    ),
    "pull-then-empty-pull": Scenario(first_answer={"trusted": False}, later=[{}]),
    "push-then-push-without-trust": Scenario(pull=False, later=[{"trusted": False}, {}]),
}


@pytest_asyncio.fixture
async def client() -> AsyncIterator[ConfiguredClient]:
    lsp_client = ConfiguredClient(converter_factory=default_converter)
    features = {
        **DEFAULT_CLIENT_FEATURES,
        types.CLIENT_REGISTER_CAPABILITY: lambda _params: None,
        types.WORKSPACE_CODE_LENS_REFRESH: lambda _params: None,  # VS Code's capabilities
    }
    register_lsp_features(lsp_client, features)
    await lsp_client.start_io(*SERVER_COMMAND)
    yield lsp_client
    await lsp_client.shutdown_session()


async def start(client: ConfiguredClient, workspace: Workspace, scenario: Scenario) -> None:
    capabilities = client_capabilities("visual-studio-code")
    assert capabilities.workspace is not None
    capabilities.workspace.configuration = scenario.pull
    client.section = scenario.first_answer
    await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=workspace.folders[0].as_uri(),
            workspace_folders=[
                types.WorkspaceFolder(uri=folder.as_uri(), name=folder.name)
                for folder in workspace.folders
            ],
            initialization_options=scenario.initialization_options,
        )
    )
    if scenario.pull:
        await asyncio.wait_for(client.pulled.wait(), WAIT)
    for section in scenario.later:
        pulls = client.pulls
        client.section = section
        client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"mockls": section})
        )
        while scenario.pull and client.pulls == pulls:
            client.pulled.clear()
            await asyncio.wait_for(client.pulled.wait(), WAIT)


async def ask_for_everything(client: ConfiguredClient, workspace: Workspace) -> None:
    """Every request that runs code in a trusted workspace, for each folder."""
    for folder in workspace.folders:
        uri = (folder / "tests" / "test_use.py").as_uri()
        client.diagnostics.pop(uri, None)
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=TEST_MODULE
                )
            )
        )
        while uri not in client.diagnostics:
            await asyncio.wait_for(
                client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), WAIT
            )
        line = TEST_MODULE.splitlines().index('@patch("os.getcwd")')
        await asyncio.wait_for(
            client.text_document_hover_async(
                types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    position=types.Position(line=line, character=12),
                )
            ),
            WAIT,
        )
        await asyncio.wait_for(
            client.workspace_execute_command_async(
                types.ExecuteCommandParams(command="mockls.verifyTest", arguments=[uri, "test_use"])
            ),
            WAIT * 4,
        )


@pytest.mark.parametrize("scenario", UNTRUSTED_SCENARIOS.values(), ids=UNTRUSTED_SCENARIOS)
async def test_an_untrusted_workspace_stays_untrusted(
    client: ConfiguredClient, workspace: Workspace, scenario: Scenario
) -> None:
    await start(client, workspace, scenario)
    await ask_for_everything(client, workspace)
    await asyncio.sleep(SETTLE)
    assert workspace.ran() == set()


async def test_only_an_explicit_trusted_true_lifts_it(
    client: ConfiguredClient, workspace: Workspace
) -> None:
    scenario = Scenario(
        {"trusted": False},
        first_answer={},
        later=[{"select": []}, {"trusted": True, "sandbox": {"enabled": True}}],
    )
    await start(client, workspace, scenario)
    await ask_for_everything(client, workspace)

    async def every_marker() -> None:
        while workspace.ran() != ALL_MARKERS:
            await asyncio.sleep(0.1)

    await asyncio.wait_for(every_marker(), WAIT)
    assert workspace.ran() == ALL_MARKERS

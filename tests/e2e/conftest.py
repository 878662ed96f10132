"""The real server over stdio with pytest-lsp, once per module and client profile.

A test module may set ``WORKSPACE_FIXTURE`` (a project under ``tests/fixtures`` copied into the
workspace folder), ``WORKSPACE`` (relative path -> file text, written over it: the project on
disk before the server starts, its root the workspace folder), ``INITIALIZATION_OPTIONS`` and
``CLIENT_CONFIGURATION`` (the ``workspace/configuration`` answers). Tests talk to the server
through :class:`Session`, which records every ``publishDiagnostics`` so that a test can say
what was (and what was never) published.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import sys
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from mockls.config import Settings
from mockls.findings import Severity
from mockls.linter import lint_source
from mockls.spans import Span

PROFILES = ["visual-studio-code", "neovim@v0.11.0"]
"""The client capability profiles every scenario runs with (VS Code: UTF-16 and versioned
edits; Neovim 0.11: UTF-8 positions and plain ``changes``)."""

SERVER_COMMAND = [sys.executable, "-m", "mockls"]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

WAIT = 30.0
"""Seconds before a wait for the server gives up: a hang guard, never an assertion on speed."""

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFORMATION: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


def project_files(root: Path, suffixes: tuple[str, ...] = (".py",)) -> dict[str, str]:
    """A project's files as a module's ``WORKSPACE``: relative path -> text."""
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.suffix in suffixes
    }


class RecordingClient(LanguageClient):
    """pytest-lsp's client, also keeping every ``publishDiagnostics`` and registration in order,
    and counting ``workspace/codeLens/refresh`` requests."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.published: list[types.PublishDiagnosticsParams] = []
        self.registrations: list[types.Registration] = []
        self.code_lens_refreshes = 0
        self.position_encoding = "utf-16"


def _record_diagnostics(client: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)


def _record_registrations(client: RecordingClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


def _record_code_lens_refresh(client: RecordingClient, _params: None) -> None:
    client.code_lens_refreshes += 1


def make_recording_client() -> RecordingClient:
    client = RecordingClient(converter_factory=default_converter)
    features = {
        **DEFAULT_CLIENT_FEATURES,
        types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _record_diagnostics,
        types.CLIENT_REGISTER_CAPABILITY: _record_registrations,
        types.WORKSPACE_CODE_LENS_REFRESH: _record_code_lens_refresh,
    }
    register_lsp_features(client, features)
    return client


_CODECS = {"utf-8": ("utf-8", 1), "utf-16": ("utf-16-le", 2), "utf-32": ("utf-32-le", 4)}


def _lines_with_ends(text: str) -> list[str]:
    return re.split(r"(?<=\r\n)|(?<=\r)(?!\n)|(?<=\n)", text)


def _units(text: str, encoding: str) -> int:
    codec, width = _CODECS[encoding]
    return len(text.encode(codec, errors="surrogatepass")) // width


def text_offset(text: str, position: types.Position, encoding: str) -> int:
    """A reference conversion (independent of the server's): protocol position -> str index."""
    lines = _lines_with_ends(text)
    start = sum(len(line) for line in lines[: position.line])
    content = lines[position.line].rstrip("\r\n") if position.line < len(lines) else ""
    for index in range(len(content) + 1):
        if _units(content[:index], encoding) >= position.character:
            return start + index
    return start + len(content)


def code_point_offset(text: str, line: int, character: int) -> int:
    """The str index of a code-point position."""
    return sum(len(part) for part in _lines_with_ends(text)[:line]) + character


def client_position(text: str, offset: int, encoding: str) -> types.Position:
    """A reference conversion: str index -> protocol position in ``encoding``."""
    before = text[:offset]
    breaks = list(re.finditer(r"\r\n|\r|\n", before))
    line_start = breaks[-1].end() if breaks else 0
    return types.Position(line=len(breaks), character=_units(before[line_start:], encoding))


def apply_text_edits(text: str, edits: Iterable[types.TextEdit], encoding: str) -> str:
    """What an editor does with a list of text edits (all positions in the original text)."""
    spans = sorted(
        (
            text_offset(text, edit.range.start, encoding),
            text_offset(text, edit.range.end, encoding),
            edit.new_text,
        )
        for edit in edits
    )
    for start, end, new_text in reversed(spans):
        text = text[:start] + new_text + text[end:]
    return text


class Session:
    """One test's conversation with the server: open, edit, close, and wait for results."""

    def __init__(self, client: RecordingClient, workspace: Path, encoding: str) -> None:
        self.client = client
        self.workspace = workspace
        self.encoding = encoding
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self.relative_paths: dict[str, str] = {}

    def uri(self, relative: str) -> str:
        return (self.workspace / relative).as_uri()

    def open(self, relative: str, text: str | None = None, *, write: bool = True) -> str:
        """Open a document (written to disk first unless ``write`` is false)."""
        path = self.workspace / relative
        if text is None:
            text = path.read_text(encoding="utf-8")
        elif write:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        uri = path.as_uri()
        self.relative_paths[uri] = relative
        self.texts[uri] = text
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=text
                )
            )
        )
        return uri

    def replace(self, uri: str, old: str, new: str) -> int:
        """Replace the first ``old`` with ``new`` as an incremental edit; the new version."""
        text = self.texts[uri]
        start = text.index(old)
        return self.edit(uri, [(start, start + len(old), new)])

    def edit(self, uri: str, changes: Sequence[tuple[int, int, str]]) -> int:
        """Send string-index edits (each against the text left by the one before)."""
        events: list[types.TextDocumentContentChangeEvent] = []
        text = self.texts[uri]
        for start, end, new in changes:
            events.append(
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=client_position(text, start, self.encoding),
                        end=client_position(text, end, self.encoding),
                    ),
                    text=new,
                )
            )
            text = text[:start] + new + text[end:]
        self.texts[uri] = text
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=events,
            )
        )
        return self.versions[uri]

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    async def published(
        self, uri: str, version: int | None, *, after: int = 0
    ) -> types.PublishDiagnosticsParams:
        """The first publish for ``uri`` at ``version`` (recorded at index ``after`` or later)."""

        async def first() -> types.PublishDiagnosticsParams:
            while True:
                for params in self.client.published[after:]:
                    if params.uri == uri and params.version == version:
                        return params
                await self.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

        return await asyncio.wait_for(first(), WAIT)

    async def indexed(self, wait: float = WAIT) -> None:
        """Wait until the server reports the first indexing of the workspace done."""

        async def ended() -> None:
            while not any(
                isinstance(report, types.WorkDoneProgressEnd)
                for values in self.client.progress_reports.values()
                for report in values
            ):
                await self.client.wait_for_notification(types.PROGRESS)

        await asyncio.wait_for(ended(), wait)

    async def diagnostics(self, uri: str) -> list[types.Diagnostic]:
        """The diagnostics published for the document's current version."""
        return list((await self.published(uri, self.versions[uri])).diagnostics)

    def history(self, uri: str) -> list[int | None]:
        """The versions of every publish for ``uri`` so far, in order."""
        return [params.version for params in self.client.published if params.uri == uri]

    def expected(self, uri: str, settings: Settings | None = None) -> list[types.Diagnostic]:
        """The diagnostics the pipeline gives for the document's text, converted by the test.

        Related information is left out: it is compared by the tests that are about it.
        """
        text = self.texts[uri]
        findings = lint_source(text, self.relative_paths[uri], settings or Settings())
        return [
            types.Diagnostic(
                range=self.range_of(text, finding.span),
                message=finding.message,
                severity=SEVERITIES[finding.severity],
                code=finding.code,
                source="mockls",
            )
            for finding in findings
        ]

    def position(self, uri: str, offset: int) -> types.Position:
        """The client position of string index ``offset`` in the document's current text."""
        return client_position(self.texts[uri], offset, self.encoding)

    def range_of(self, text: str, span: Span) -> types.Range:
        """A code-point span of ``text`` in the client's encoding (the test's own conversion)."""
        start = code_point_offset(text, span.start.line, span.start.character)
        end = code_point_offset(text, span.end.line, span.end.character)
        return types.Range(
            start=client_position(text, start, self.encoding),
            end=client_position(text, end, self.encoding),
        )

    async def code_actions(
        self, uri: str, start: int, end: int | None = None
    ) -> list[types.CodeAction]:
        """The code actions for the string-index range ``start``..``end`` of the document."""
        text = self.texts[uri]
        context = types.CodeActionContext(diagnostics=list(self.client.diagnostics.get(uri, [])))
        result = await asyncio.wait_for(
            self.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=types.Range(
                        start=client_position(text, start, self.encoding),
                        end=client_position(text, start if end is None else end, self.encoding),
                    ),
                    context=context,
                )
            ),
            WAIT,
        )
        return [action for action in result or [] if isinstance(action, types.CodeAction)]

    def applied(self, uri: str, edit: types.WorkspaceEdit) -> str:
        """The document's text after ``edit``, applied as an editor would."""
        if edit.document_changes is not None:
            (change,) = edit.document_changes
            assert isinstance(change, types.TextDocumentEdit)
            assert change.text_document.uri == uri
            assert change.text_document.version == self.versions[uri]
            edits = [item for item in change.edits if isinstance(item, types.TextEdit)]
        else:
            assert edit.changes is not None
            assert list(edit.changes) == [uri]
            edits = list(edit.changes[uri])
        return apply_text_edits(self.texts[uri], edits, self.encoding)


@pytest.fixture(scope="module")
def workspace(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The module's project on disk (its ``WORKSPACE_FIXTURE`` and ``WORKSPACE`` files)."""
    root = tmp_path_factory.mktemp("workspace")
    fixture = getattr(request.module, "WORKSPACE_FIXTURE", None)
    if fixture is not None:
        shutil.copytree(FIXTURES / fixture, root, dirs_exist_ok=True)
    for relative, text in getattr(request.module, "WORKSPACE", {}).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_recording_client),
    scope="module",
    params=PROFILES,
)
async def server(
    lsp_client: RecordingClient, request: pytest.FixtureRequest, workspace: Path
) -> AsyncIterator[None]:
    for section, value in getattr(request.module, "CLIENT_CONFIGURATION", {}).items():
        lsp_client.set_configuration(value, section=section)
    folders = {"workspace": workspace}
    if hasattr(request.module, "WORKSPACE_FOLDERS"):
        folders = {}
        for name, configuration in request.module.WORKSPACE_FOLDERS.items():
            folders[name] = workspace / name
            for section, value in configuration.items():
                lsp_client.set_configuration(
                    value, section=section, scope_uri=folders[name].as_uri()
                )
    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=next(iter(folders.values())).as_uri(),
            workspace_folders=[
                types.WorkspaceFolder(uri=folder.as_uri(), name=name)
                for name, folder in folders.items()
            ],
            initialization_options=getattr(request.module, "INITIALIZATION_OPTIONS", None),
        )
    )
    encoding = result.capabilities.position_encoding or "utf-16"
    lsp_client.position_encoding = getattr(encoding, "value", encoding)
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def session(server: RecordingClient, workspace: Path) -> Session:
    """A conversation with the module's server."""
    return Session(server, workspace, server.position_encoding)

"""The "Verify patches" code lens on each test that patches, and its ``mockls.verifyTest``.

The lens is offered where the sandbox may run (see :mod:`mockls.lsp.sandbox`). The command
runs the one test in a fresh sandbox worker, with mockengine in place of ``unittest.mock`` and
instrumented, and publishes a finding per patch (``ineffective-patch``: used, or never called
while the original ran) with the document's diagnostics until it changes; it also shows a
one-line summary and returns the run as JSON.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from mockls.findings import Severity
from mockls.lsp.convert import lsp_range
from mockls.lsp.sandbox import sandbox_pool
from mockls.sandbox import SandboxFault
from mockls.verification import run_findings, run_summary

if TYPE_CHECKING:
    from mockls.analysis.discovery import TestItem
    from mockls.lsp.documents import DocumentSnapshot
    from mockls.lsp.server import MocklsServer
    from mockls.resolve.project import ProjectFile

__all__ = ["VERIFY_TEST", "setup_code_lens"]

log = logging.getLogger(__name__)

VERIFY_TEST = "mockls.verifyTest"
"""The command: ``[document URI, test name]`` (``test_x`` or ``Class.test_x``)."""

LENS_TITLE = "Verify patches"


def setup_code_lens(server: MocklsServer) -> None:
    """Answer ``textDocument/codeLens`` and run ``mockls.verifyTest``."""

    @server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))
    async def on_code_lens(params: types.CodeLensParams) -> list[types.CodeLens] | None:
        snapshot = server.documents.get(params.text_document.uri)
        if snapshot is None or not snapshot.is_python or snapshot.path is None:
            return None
        loop = asyncio.get_running_loop()
        settings = await loop.run_in_executor(None, server.settings.for_path, snapshot.path)
        if not settings.settings.sandbox:
            return None
        project = server.projects.project_file(snapshot.path)
        tests = await loop.run_in_executor(None, _tests, snapshot, project)
        columns = snapshot.columns(server.client_support.encoding)
        lenses = [
            types.CodeLens(
                range=lsp_range(test.span, columns),
                command=types.Command(
                    title=LENS_TITLE, command=VERIFY_TEST, arguments=[snapshot.uri, test.name]
                ),
            )
            for test in tests
            if test.patches
        ]
        return lenses or None

    @server.command(VERIFY_TEST)
    async def verify_test(*arguments: Any) -> dict[str, Any]:
        if len(arguments) != 2 or not all(isinstance(argument, str) for argument in arguments):
            return _refused(server, "mockls.verifyTest takes a document URI and a test name")
        uri, name = arguments
        snapshot = server.documents.get(uri)
        if snapshot is None or snapshot.path is None:
            return _refused(server, f"{uri} is not an open file")
        return await _verify(server, snapshot, name)


async def _verify(server: MocklsServer, snapshot: DocumentSnapshot, name: str) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    project = server.projects.project_file(snapshot.path)
    tests = await loop.run_in_executor(None, _tests, snapshot, project)
    test = next((test for test in tests if test.name == name), None)
    if test is None:
        return _refused(server, f"there is no test {name} in this file")
    pool = await sandbox_pool(server, snapshot)
    if pool is None or project is None:
        return _refused(
            server,
            f"cannot verify {name}: save the file first (the sandbox runs what is on disk),"
            " and check that the workspace is trusted and the sandbox setting is on",
        )
    assert snapshot.path is not None  # checked by the command
    run = await pool.run_test_async(snapshot.path, name, project.module_name)
    if isinstance(run, SandboxFault):
        return _refused(server, f"cannot verify {name}: {run.message}")
    findings = run_findings(test, run, project)
    server.test_runs.keep(snapshot, name, findings)
    server.diagnostics.schedule(snapshot, quiet=True)
    summary = run_summary(test, run)
    missed = any(finding.severity is Severity.WARNING for finding in findings)
    _show(server, summary, types.MessageType.Warning if missed else types.MessageType.Info)
    return {
        "test": name,
        "runner": run.runner,
        "outcome": run.outcome.value,
        "summary": summary,
        "patches": [
            {
                "target": usage.target,
                "callCount": usage.call_count,
                "originalCalled": usage.original_called,
                "callers": [list(caller) for caller in usage.callers],
            }
            for usage in run.patches
        ],
    }


def _tests(snapshot: DocumentSnapshot, project: ProjectFile | None) -> tuple[TestItem, ...]:
    if project is not None and not project.is_test_module:
        return ()
    return snapshot.module.tests


def _refused(server: MocklsServer, message: str) -> dict[str, Any]:
    _show(server, message, types.MessageType.Warning)
    return {"error": message}


def _show(server: MocklsServer, message: str, kind: types.MessageType) -> None:
    server.window_show_message(types.ShowMessageParams(type=kind, message=f"mockls: {message}"))

"""The "Verify patches" code lens on each test that patches, and its ``mockls.verifyTest``.

The lens is offered where the sandbox may run (see :mod:`mockls.lsp.sandbox`). The command
runs the one test with ``pytest --mockls`` in a fresh sandbox worker; until the document
changes, the run has the last word on its diagnostics (what the run saw judged as after any
``pytest --mockls`` run), and each patch of the test says what it did (used, or not
reached). It also shows a one-line summary and returns the run as JSON.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from mockls.findings import Severity
from mockls.lsp.convert import lsp_range
from mockls.runtime.judgement import judge_file
from mockls.sandbox import SandboxFault
from mockls.verification import (
    SelectedTest,
    facts_of,
    judged_path,
    run_lines,
    run_selected,
    usage_findings,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from mockls.analysis.discovery import TestItem
    from mockls.lsp.client_support import ClientSupport
    from mockls.lsp.documents import DocumentSnapshot, DocumentStore
    from mockls.lsp.feature_host import FeatureHost
    from mockls.lsp.project import ProjectSet
    from mockls.lsp.sandbox import ServerSandbox
    from mockls.lsp.settings import SettingsProvider
    from mockls.resolve.project import ProjectFile

__all__ = ["VERIFY_TEST", "setup_code_lens"]

log = logging.getLogger(__name__)

VERIFY_TEST = "mockls.verifyTest"
"""The command: ``[document URI, test name]`` (``test_x`` or ``Class.test_x``)."""

LENS_TITLE = "Verify patches"


def setup_code_lens(
    host: FeatureHost,
    *,
    documents: DocumentStore,
    settings: SettingsProvider,
    projects: ProjectSet,
    sandbox: ServerSandbox,
    schedule_quietly: Callable[[DocumentSnapshot], None],
    client_support: Callable[[], ClientSupport],
) -> None:
    """Answer ``textDocument/codeLens`` and run ``mockls.verifyTest`` (its findings are
    published with the document's diagnostics: ``schedule_quietly`` lints it again)."""

    def show(message: str, kind: types.MessageType) -> None:
        host.window_show_message(types.ShowMessageParams(type=kind, message=f"mockls: {message}"))

    def refused(message: str) -> dict[str, Any]:
        show(message, types.MessageType.Warning)
        return {"error": message}

    @host.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))
    async def on_code_lens(params: types.CodeLensParams) -> list[types.CodeLens] | None:
        snapshot = documents.get(params.text_document.uri)
        if snapshot is None or not snapshot.is_python or snapshot.path is None:
            return None
        loop = asyncio.get_running_loop()
        file_settings = await loop.run_in_executor(None, settings.for_path, snapshot.path)
        if not file_settings.settings.sandbox:
            return None
        project = projects.project_file(snapshot.path)
        tests = await loop.run_in_executor(None, _tests, snapshot, project)
        columns = snapshot.columns(client_support().encoding)
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

    @host.command(VERIFY_TEST)
    async def verify_test(*arguments: Any) -> dict[str, Any]:
        if len(arguments) != 2 or not all(isinstance(argument, str) for argument in arguments):
            return refused("mockls.verifyTest takes a document URI and a test name")
        uri, name = arguments
        snapshot = documents.get(uri)
        if snapshot is None or snapshot.path is None:
            return refused(f"{uri} is not an open file")
        return await verify(snapshot, name)

    async def verify(snapshot: DocumentSnapshot, name: str) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        project = projects.project_file(snapshot.path)
        tests = await loop.run_in_executor(None, _tests, snapshot, project)
        test = next((test for test in tests if test.name == name), None)
        if test is None:
            return refused(f"there is no test {name} in this file")
        pool = await sandbox.pool_for(snapshot)
        if pool is None or project is None:
            return refused(
                f"cannot verify {name}: save the file first (the sandbox runs what is on disk),"
                " and check that the workspace is trusted and the sandbox setting is on",
            )
        assert snapshot.path is not None  # checked by the command
        selected = SelectedTest(test, Path(os.path.abspath(snapshot.path)))
        run = await run_selected(pool, [selected])
        if isinstance(run, SandboxFault):
            return refused(f"cannot verify {name}: {run.message}")
        ends = [end for end in run.tests if selected.ran_as(end, run.root)]
        if not ends:
            return refused(f"cannot verify {name}: {run.message or 'pytest did not run it'}")
        facts = [fact for end in ends for fact in facts_of(end, run.facts)]
        path = judged_path(snapshot.path, run)
        sandbox.test_runs.keep(
            snapshot, name, run, usage_findings(name, facts, path, snapshot.text)
        )
        schedule_quietly(snapshot)
        summary = "; ".join(run_lines([selected], run))
        judged = judge_file(run.facts, path, snapshot.text, Path(run.root))
        missed = any(finding.severity is Severity.WARNING for finding in judged)
        show(summary, types.MessageType.Warning if missed else types.MessageType.Info)
        return {
            "test": name,
            "runner": run.runner,
            "outcome": ends[0].outcome.value,
            "summary": summary,
            "patches": [
                {
                    "target": fact.target,
                    "callCount": fact.call_count,
                    "originalCalled": fact.original_called,
                    "callers": [[caller.path, caller.line] for caller in fact.original_callers],
                }
                for fact in facts
            ],
        }


def _tests(snapshot: DocumentSnapshot, project: ProjectFile | None) -> tuple[TestItem, ...]:
    if project is not None and not project.is_test_module:
        return ()
    return snapshot.module.tests

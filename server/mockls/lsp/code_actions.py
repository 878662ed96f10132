"""Quick-fix code actions: the fixes of the findings in the requested range, as versioned edits."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types

from mockls.fixes.quick_fixes import quick_fixes
from mockls.lsp.client_support import ClientSupport
from mockls.lsp.convert import lsp_code_action, lsp_workspace_edit, span
from mockls.lsp.diagnostics import LintOutcome

if TYPE_CHECKING:
    from mockls.lsp.server import MocklsServer

__all__ = ["code_actions", "setup_code_actions", "wants_quick_fixes"]


def wants_quick_fixes(only: Sequence[str] | None) -> bool:
    """Whether a request limited to the kinds ``only`` takes quick-fixes."""
    if only is None:
        return True
    quick_fix = types.CodeActionKind.QuickFix.value
    return any(kind in ("", quick_fix) or quick_fix.startswith(f"{kind}.") for kind in only)


def code_actions(
    outcome: LintOutcome, client_range: types.Range, support: ClientSupport
) -> list[types.CodeAction]:
    """The quick-fixes for the findings of ``outcome`` that touch ``client_range``."""
    snapshot = outcome.snapshot
    diagnostic_of = {
        id(finding): diagnostic
        for finding, diagnostic in zip(outcome.findings, outcome.diagnostics, strict=True)
    }
    selection = span(client_range, outcome.columns)
    return [
        lsp_code_action(
            offered,
            [diagnostic_of[id(finding)] for finding in offered.findings],
            lsp_workspace_edit(
                snapshot.uri, snapshot.version, offered.fix.edits, outcome.columns, support
            ),
        )
        for offered in quick_fixes(snapshot.text, outcome.findings, selection)
    ]


def setup_code_actions(server: MocklsServer) -> None:
    """Answer ``textDocument/codeAction`` with quick-fixes."""

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    async def on_code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        support = server.client_support
        if not support.code_action_literals or not wants_quick_fixes(params.context.only):
            return None
        snapshot = server.documents.get(params.text_document.uri)
        if snapshot is None or not snapshot.is_python:
            return None
        outcome = await server.diagnostics.outcome(snapshot)
        actions = await asyncio.get_running_loop().run_in_executor(
            server.lint_executor, code_actions, outcome, params.range, support
        )
        if server.documents.get(snapshot.uri) is not snapshot:
            return None  # edited meanwhile: these edits would land in the wrong places
        return actions or None

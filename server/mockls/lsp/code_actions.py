"""Code actions: the quick-fixes of the findings in the requested range, and the refactorings
(kind ``refactor.rewrite``) that apply there, as versioned edits.

Refactorings read the syntax tree and model of the document version's snapshot, built once,
so that an editor asking at every move of the cursor costs a lookup.
Where the sandbox may run, each refactoring is offered as its proof by execution stands
(:mod:`mockls.lsp.refactoring_proofs`): verified, running (shown disabled to clients that can
show that, else left out), or not at all when its tests could tell the difference; elsewhere
it says it is unverified.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types

from mockls.fixes.quick_fixes import quick_fixes
from mockls.fixes.refactoring import ParsedModule
from mockls.fixes.refactorings import OfferedRefactoring, refactorings
from mockls.fixes.stop_patchers import with_cleanup_fixes
from mockls.lsp.client_support import ClientSupport
from mockls.lsp.convert import lsp_code_action, lsp_workspace_edit, span
from mockls.lsp.diagnostics import LintOutcome
from mockls.lsp.refactoring_proofs import (
    ProofState,
    ProofStatus,
    proof_states,
    setup_refactoring_proofs,
)

if TYPE_CHECKING:
    from mockls.lsp.server import MocklsServer
    from mockls.resolve.project import ProjectFile

__all__ = [
    "code_actions",
    "offered_refactorings",
    "refactoring_action",
    "setup_code_actions",
    "wants",
]

RUNNING_REASON = (
    "mockls is running the tests it affects in the sandbox, before and after the change;"
    " ask again in a moment"
)

KINDS = (types.CodeActionKind.QuickFix, types.CodeActionKind.RefactorRewrite)


def wants(kind: str, only: Sequence[str] | None) -> bool:
    """Whether a request limited to the kinds ``only`` takes actions of ``kind``."""
    if only is None:
        return True
    return any(wanted in ("", kind) or kind.startswith(f"{wanted}.") for wanted in only)


def code_actions(
    outcome: LintOutcome,
    client_range: types.Range,
    support: ClientSupport,
    *,
    parsed: ParsedModule | None,
    only: Sequence[str] | None = None,
) -> list[types.CodeAction]:
    """The quick-fixes for the findings of ``outcome`` that touch ``client_range`` (when
    ``only`` takes them)."""
    if not wants(types.CodeActionKind.QuickFix, only):
        return []
    snapshot = outcome.snapshot
    findings = with_cleanup_fixes(parsed, outcome.findings) if parsed else list(outcome.findings)
    diagnostic_of = {
        id(finding): diagnostic
        for finding, diagnostic in zip(findings, outcome.diagnostics, strict=True)
    }
    return [
        lsp_code_action(
            offered,
            [diagnostic_of[id(finding)] for finding in offered.findings],
            lsp_workspace_edit(
                snapshot.uri, snapshot.version, offered.fix.edits, outcome.columns, support
            ),
        )
        for offered in quick_fixes(snapshot.text, findings, span(client_range, outcome.columns))
    ]


def offered_refactorings(
    outcome: LintOutcome,
    client_range: types.Range,
    *,
    parsed: ParsedModule | None,
    project: ProjectFile | None = None,
    only: Sequence[str] | None = None,
) -> list[OfferedRefactoring]:
    """The refactorings that apply at ``client_range`` (when ``only`` takes them)."""
    if parsed is None or not wants(types.CodeActionKind.RefactorRewrite, only):
        return []
    return refactorings(parsed.with_project(project), span(client_range, outcome.columns))


def refactoring_action(
    offered: OfferedRefactoring, proof: ProofState, outcome: LintOutcome, support: ClientSupport
) -> types.CodeAction | None:
    """The code action of ``offered`` as its proof stands; ``None``: not offered (its tests
    told the difference, or it is still being proved for a client that cannot show that)."""
    refactoring = offered.refactoring
    title = refactoring.title
    if proof.status is ProofStatus.RUNNING:
        if not support.code_action_disabled:
            return None
        return types.CodeAction(
            title=f"{title} (verifying in the sandbox)",
            kind=types.CodeActionKind.RefactorRewrite,
            disabled=types.CodeActionDisabled(reason=RUNNING_REASON),
        )
    if proof.status is ProofStatus.CHANGED:
        if not refactoring.stricter:
            return None
        title = f"{title} (ran in the sandbox: {proof.evidence})"
    else:
        title = f"{title} ({proof.status.value})"
    snapshot = outcome.snapshot
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.RefactorRewrite,
        edit=lsp_workspace_edit(
            snapshot.uri, snapshot.version, refactoring.edits, outcome.columns, support
        ),
    )


def setup_code_actions(server: MocklsServer) -> None:
    """Answer ``textDocument/codeAction`` with quick-fixes and refactorings."""
    proofs = setup_refactoring_proofs(server)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=list(KINDS))
    )
    async def on_code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        support = server.client_support
        only = params.context.only
        if not support.code_action_literals or not any(wants(kind, only) for kind in KINDS):
            return None
        snapshot = server.documents.get(params.text_document.uri)
        if snapshot is None or not snapshot.is_python:
            return None
        outcome = await server.diagnostics.outcome(snapshot)
        project = server.projects.project_file(snapshot.path)

        def compute() -> tuple[list[types.CodeAction], list[OfferedRefactoring]]:
            parsed = ParsedModule.of_snapshot(snapshot.module)
            return (
                code_actions(outcome, params.range, support, parsed=parsed, only=only),
                offered_refactorings(
                    outcome, params.range, parsed=parsed, project=project, only=only
                ),
            )

        loop = asyncio.get_running_loop()
        actions, offered = await loop.run_in_executor(server.lint_executor, compute)
        states = await proof_states(server, proofs, snapshot, offered)
        if server.documents.get(snapshot.uri) is not snapshot:
            return None  # edited meanwhile: these edits would land in the wrong places
        for refactoring, proof in zip(offered, states, strict=True):
            action = refactoring_action(refactoring, proof, outcome, support)
            if action is not None:
                actions.append(action)
        return actions or None

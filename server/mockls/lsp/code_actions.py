"""Code actions: the quick-fixes of the findings in the requested range, and the refactorings
(kind ``refactor.rewrite``) that apply there, as versioned edits.

Refactorings read the syntax tree and model of the document version's snapshot, built once,
so that an editor asking at every move of the cursor costs a lookup.
Where the sandbox may run, each refactoring is offered as its proof by execution stands
(:mod:`mockls.lsp.refactoring_proofs`): verified, or not at all when its tests could tell the
difference; elsewhere it says it is unverified. While its proof runs, a client that resolves
code actions gets it at once without its edit, and ``codeAction/resolve`` waits for the proof:
the edit when the tests behave the same, else an error saying which test changed and how. A
client that cannot resolve gets it at once as unverified: every client can use it on the
first ask.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified, JsonRpcException

from mockls.files import too_large
from mockls.fixes.quick_fixes import quick_fixes
from mockls.fixes.refactoring import ParsedModule
from mockls.fixes.refactorings import OfferedRefactoring, refactorings
from mockls.lsp.client_support import ClientSupport
from mockls.lsp.convert import lsp_code_action, lsp_workspace_edit, span
from mockls.lsp.refactoring_proofs import (
    ProofState,
    ProofStatus,
    document_tests,
    proof_states,
    setup_refactoring_proofs,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from mockls.lsp.diagnostics import DiagnosticsScheduler, LintOutcome
    from mockls.lsp.documents import DocumentSnapshot, DocumentStore
    from mockls.lsp.feature_host import FeatureHost
    from mockls.lsp.navigation import Navigator
    from mockls.lsp.project import ProjectSet
    from mockls.lsp.refactoring_proofs import TestFile
    from mockls.lsp.sandbox import ServerSandbox
    from mockls.resolve.project import ProjectFile

__all__ = [
    "code_actions",
    "offered_refactorings",
    "refactoring_action",
    "setup_code_actions",
    "wants",
    "withheld",
]

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
    only: Sequence[str] | None = None,
) -> list[types.CodeAction]:
    """The quick-fixes for the findings of ``outcome`` that touch ``client_range`` (when
    ``only`` takes them)."""
    if not wants(types.CodeActionKind.QuickFix, only):
        return []
    snapshot = outcome.snapshot
    # Each finding carries its fixes (the rules write them); its diagnostic is its published form.
    diagnostic_of = dict(zip(outcome.findings, outcome.diagnostics, strict=True))
    return [
        lsp_code_action(
            offered,
            [diagnostic_of[finding] for finding in offered.findings],
            lsp_workspace_edit(
                snapshot.uri, snapshot.version, offered.fix.edits, outcome.columns, support
            ),
        )
        for offered in quick_fixes(
            snapshot.text, outcome.findings, span(client_range, outcome.columns)
        )
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
    offered: OfferedRefactoring,
    proof: ProofState,
    outcome: LintOutcome,
    support: ClientSupport,
    data: object = None,
) -> types.CodeAction | None:
    """The code action of ``offered`` as its proof stands; ``None``: not offered (its tests
    told the difference).

    While the proof runs, a client that resolves code actions gets the action without its
    edit, carrying ``data`` to resolve it by; any other client gets it unverified.
    """
    refactoring = offered.refactoring
    title = refactoring.title
    if proof.status is ProofStatus.RUNNING:
        if support.code_action_resolve:
            return types.CodeAction(
                title=f"{title} (verifying in the sandbox)",
                kind=types.CodeActionKind.RefactorRewrite,
                data=data,
            )
        title = f"{title} ({ProofStatus.UNVERIFIED.value})"
    elif proof.status is ProofStatus.CHANGED:
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


def withheld(offered: OfferedRefactoring, proof: ProofState) -> str:
    """Why resolving ``offered`` gives no edit: which test changed, and how."""
    return (
        f'mockls did not apply "{offered.refactoring.title}": running the tests it affects'
        f" in the sandbox showed a difference: {proof.evidence}"
    )


def setup_code_actions(
    host: FeatureHost,
    *,
    documents: DocumentStore,
    diagnostics: DiagnosticsScheduler,
    projects: ProjectSet,
    sandbox: ServerSandbox,
    navigator: Navigator,
    client_support: Callable[[], ClientSupport],
) -> None:
    """Answer ``textDocument/codeAction`` with quick-fixes and refactorings, and resolve the
    refactorings offered while their proof runs."""
    proofs = setup_refactoring_proofs(host)

    async def tests_of(snapshot: DocumentSnapshot) -> TestFile | None:
        return await document_tests(sandbox, projects, snapshot)

    async def refactorings_at(
        snapshot: DocumentSnapshot, client_range: types.Range, only: Sequence[str] | None
    ) -> tuple[LintOutcome, list[types.CodeAction], list[OfferedRefactoring]]:
        """The document's outcome, its quick-fixes and the refactorings offered at the range."""
        support = client_support()
        outcome = await diagnostics.outcome(snapshot)
        project = projects.project_file(snapshot.path)

        def compute() -> tuple[list[types.CodeAction], list[OfferedRefactoring]]:
            if too_large(snapshot.text):
                return [], []  # not analysed: nothing to fix or refactor
            parsed = ParsedModule.of_snapshot(snapshot.module)
            return (
                code_actions(outcome, client_range, support, only=only),
                offered_refactorings(
                    outcome, client_range, parsed=parsed, project=project, only=only
                ),
            )

        actions, offered = await navigator.run(snapshot.uri, compute)
        return outcome, actions, offered

    @host.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=list(KINDS), resolve_provider=True),
    )
    async def on_code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        support = client_support()
        only = params.context.only
        if not support.code_action_literals or not any(wants(kind, only) for kind in KINDS):
            return None
        snapshot = documents.get(params.text_document.uri)
        if snapshot is None or not snapshot.is_python:
            return None
        outcome, actions, offered = await refactorings_at(snapshot, params.range, only)
        states = await proof_states(proofs, tests_of, documents, snapshot, offered)
        if documents.get(snapshot.uri) is not snapshot:
            return None  # edited meanwhile: these edits would land in the wrong places
        for refactoring, proof in zip(offered, states, strict=True):
            data = _ResolveData.of(snapshot.uri, snapshot.version, params.range, refactoring)
            action = refactoring_action(refactoring, proof, outcome, support, data.unstructured())
            if action is not None:
                actions.append(action)
        return actions or None

    @host.feature(types.CODE_ACTION_RESOLVE)
    async def on_resolve(action: types.CodeAction) -> types.CodeAction:
        data = _ResolveData.structured(action.data)
        if data is None:
            return action  # not one of the refactorings awaiting their proof
        snapshot = documents.get(data.uri)
        if snapshot is None or snapshot.version != data.version:
            raise JsonRpcContentModified("the document changed: ask for the action again")
        outcome, _, offered = await refactorings_at(
            snapshot, data.range, [types.CodeActionKind.RefactorRewrite]
        )
        chosen = next((item for item in offered if data.names(item)), None)
        if chosen is None:
            raise JsonRpcContentModified("the refactoring no longer applies there")
        proof = await proofs.settled(snapshot, chosen, await tests_of(snapshot))
        if documents.get(snapshot.uri) is not snapshot:
            raise JsonRpcContentModified("the document changed: ask for the action again")
        resolved = refactoring_action(chosen, proof, outcome, client_support())
        if resolved is None:
            raise JsonRpcException(withheld(chosen, proof), types.LSPErrorCodes.RequestFailed)
        return resolved


@dataclass(frozen=True, slots=True)
class _ResolveData:
    """What a refactoring's code action carries to be resolved by: the document version, the
    range it was offered at, and which refactoring it is (its title and tests)."""

    uri: str
    version: int
    range: types.Range
    title: str
    tests: tuple[str, ...]

    @classmethod
    def of(
        cls, uri: str, version: int, client_range: types.Range, offered: OfferedRefactoring
    ) -> _ResolveData:
        refactoring = offered.refactoring
        return cls(uri, version, client_range, refactoring.title, refactoring.tests)

    def names(self, offered: OfferedRefactoring) -> bool:
        """Whether ``offered`` is the refactoring this data stands for."""
        return (offered.refactoring.title, offered.refactoring.tests) == (self.title, self.tests)

    def unstructured(self) -> dict[str, Any]:
        """As JSON for the client to keep."""
        start, end = self.range.start, self.range.end
        return {
            "uri": self.uri,
            "version": self.version,
            "range": [start.line, start.character, end.line, end.character],
            "title": self.title,
            "tests": list(self.tests),
        }

    @classmethod
    def structured(cls, data: object) -> _ResolveData | None:
        """The data a client sent back; ``None`` when it is not ours."""
        if not isinstance(data, dict):
            return None
        try:
            start_line, start_character, end_line, end_character = (
                int(number) for number in data["range"]
            )
            return cls(
                str(data["uri"]),
                int(data["version"]),
                types.Range(
                    start=types.Position(line=start_line, character=start_character),
                    end=types.Position(line=end_line, character=end_character),
                ),
                str(data["title"]),
                tuple(str(test) for test in data["tests"]),
            )
        except (KeyError, TypeError, ValueError):
            return None

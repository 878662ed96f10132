"""Findings, fixes and edits convert to exactly the protocol objects a client expects."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import client_capabilities

from mockls.findings import Finding, Fix, RelatedLocation, Severity
from mockls.fixes.quick_fixes import QuickFix
from mockls.lsp.client_support import ClientSupport
from mockls.lsp.convert import (
    content_change,
    lsp_code_action,
    lsp_diagnostic,
    lsp_severity,
    lsp_workspace_edit,
    span,
)
from mockls.lsp.documents import ContentChange
from mockls.lsp.positions import UTF8, UTF16, UTF32, ClientColumns
from mockls.spans import Span, TextEdit

TEXT = "s = '😀'; m.retrun_value = 1\n"
ATTRIBUTE = Span.of(0, 11, 0, 23)
OTHER_URI = "file:///project/shop/orders.py"


def locate(path: str) -> tuple[str, ClientColumns | None]:
    if path == "tests/test_orders.py":
        return "file:///project/tests/test_orders.py", ClientColumns.of(TEXT, UTF16)
    return OTHER_URI, None


def lsp_range(start_line: int, start: int, end_line: int, end: int) -> types.Range:
    return types.Range(
        start=types.Position(line=start_line, character=start),
        end=types.Position(line=end_line, character=end),
    )


FINDING = Finding(
    code="misspelled-mock-attribute",
    message="'retrun_value' is not a mock attribute: did you mean 'return_value'?",
    span=ATTRIBUTE,
    severity=Severity.WARNING,
    related=(
        RelatedLocation("tests/test_orders.py", Span.of(0, 9, 0, 10), "the mock"),
        RelatedLocation("shop/orders.py", Span.of(4, 2, 4, 8), "defined here"),
    ),
)


@pytest.mark.parametrize(
    ("support", "expected"),
    [
        pytest.param(
            ClientSupport(encoding=UTF16, related_information=True),
            types.Diagnostic(
                range=lsp_range(0, 12, 0, 24),
                message=FINDING.message,
                severity=types.DiagnosticSeverity.Warning,
                code="misspelled-mock-attribute",
                source="mockls",
                related_information=[
                    types.DiagnosticRelatedInformation(
                        location=types.Location(
                            uri="file:///project/tests/test_orders.py",
                            range=lsp_range(0, 10, 0, 11),
                        ),
                        message="the mock",
                    ),
                    types.DiagnosticRelatedInformation(
                        location=types.Location(uri=OTHER_URI, range=lsp_range(4, 2, 4, 8)),
                        message="defined here",
                    ),
                ],
            ),
            id="utf16-with-related-information",
        ),
        pytest.param(
            ClientSupport(encoding=UTF8, related_information=False),
            types.Diagnostic(
                range=lsp_range(0, 14, 0, 26),
                message=FINDING.message,
                severity=types.DiagnosticSeverity.Warning,
                code="misspelled-mock-attribute",
                source="mockls",
            ),
            id="utf8-without-related-information",
        ),
    ],
)
def test_lsp_diagnostic(support: ClientSupport, expected: types.Diagnostic) -> None:
    columns = ClientColumns.of(TEXT, support.encoding)
    assert lsp_diagnostic(FINDING, columns, support, locate) == expected


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        (Severity.ERROR, types.DiagnosticSeverity.Error),
        (Severity.WARNING, types.DiagnosticSeverity.Warning),
        (Severity.INFORMATION, types.DiagnosticSeverity.Information),
        (Severity.HINT, types.DiagnosticSeverity.Hint),
    ],
)
def test_lsp_severity(severity: Severity, expected: types.DiagnosticSeverity) -> None:
    assert lsp_severity(severity) is expected


EDIT = TextEdit(ATTRIBUTE, "return_value")


@pytest.mark.parametrize(
    ("support", "expected"),
    [
        pytest.param(
            ClientSupport(document_changes=True),
            types.WorkspaceEdit(
                document_changes=[
                    types.TextDocumentEdit(
                        text_document=types.OptionalVersionedTextDocumentIdentifier(
                            uri="file:///t.py", version=7
                        ),
                        edits=[
                            types.TextEdit(range=lsp_range(0, 12, 0, 24), new_text="return_value")
                        ],
                    )
                ]
            ),
            id="versioned-document-changes",
        ),
        pytest.param(
            ClientSupport(document_changes=False),
            types.WorkspaceEdit(
                changes={
                    "file:///t.py": [
                        types.TextEdit(range=lsp_range(0, 12, 0, 24), new_text="return_value")
                    ]
                }
            ),
            id="plain-changes",
        ),
    ],
)
def test_lsp_workspace_edit(support: ClientSupport, expected: types.WorkspaceEdit) -> None:
    columns = ClientColumns.of(TEXT, UTF16)
    assert lsp_workspace_edit("file:///t.py", 7, [EDIT], columns, support) == expected


def test_lsp_code_action() -> None:
    fix = Fix("Rename to return_value", (EDIT,))
    diagnostic = types.Diagnostic(range=lsp_range(0, 12, 0, 24), message="m")
    edit = types.WorkspaceEdit(changes={})
    quick_fix = QuickFix((FINDING,), fix, fixed_source="", preferred=True)
    assert lsp_code_action(quick_fix, [diagnostic], edit) == types.CodeAction(
        title="Rename to return_value",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=True,
        edit=edit,
    )


def test_span_of_a_client_range() -> None:
    assert span(lsp_range(0, 12, 0, 24), ClientColumns.of(TEXT, UTF16)) == ATTRIBUTE


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (
            types.TextDocumentContentChangePartial(range=lsp_range(1, 2, 3, 4), text="x"),
            ContentChange("x", (1, 2), (3, 4)),
        ),
        (types.TextDocumentContentChangeWholeDocument(text="all"), ContentChange("all")),
    ],
)
def test_content_change(
    event: types.TextDocumentContentChangeEvent, expected: ContentChange
) -> None:
    assert content_change(event) == expected


@pytest.mark.parametrize(
    ("client", "encoding", "expected"),
    [
        (
            "visual-studio-code",
            types.PositionEncodingKind.Utf16,
            ClientSupport(
                UTF16,
                True,
                True,
                True,
                True,
                True,
                True,
                True,
                True,
                code_action_resolve=True,
                code_lens_refresh=True,
            ),
        ),
        (
            "neovim@v0.11.0",
            "utf-8",
            ClientSupport(
                UTF8, True, False, True, True, True, False, True, True, code_action_resolve=True
            ),
        ),
        (
            "neovim@v0.7.0",
            "utf-32",
            ClientSupport(
                UTF32, True, False, True, False, True, False, True, True, code_action_resolve=True
            ),
        ),
        (
            "neovim@v0.7.0",
            "utf-7",
            ClientSupport(
                UTF16, True, False, True, False, True, False, True, True, code_action_resolve=True
            ),
        ),
    ],
)
def test_client_support_of_real_clients(
    client: str, encoding: str, expected: ClientSupport
) -> None:
    assert ClientSupport.of(client_capabilities(client), encoding) == expected


def test_client_support_of_a_client_that_declares_nothing() -> None:
    assert ClientSupport.of(types.ClientCapabilities(), "utf-16") == ClientSupport()

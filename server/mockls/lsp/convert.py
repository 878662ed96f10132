"""Converters between mockls's plain types and lsprotocol's, each named after what it returns.

Columns are converted with a :class:`~mockls.lsp.positions.ClientColumns` of the text the
position refers to; ``None`` stands for a text that could not be read (columns kept as they are).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from lsprotocol import types

from mockls.findings import Finding, RelatedLocation, Severity
from mockls.fixes.quick_fixes import QuickFix
from mockls.lsp.client_support import ClientSupport
from mockls.lsp.documents import ContentChange
from mockls.lsp.positions import ClientColumns
from mockls.navigation import Definition, HoverCard, TargetCompletion
from mockls.resolve.resolution import Location, TargetKind
from mockls.spans import Position, Span, TextEdit

__all__ = [
    "SOURCE",
    "content_change",
    "lsp_code_action",
    "lsp_completion_item",
    "lsp_definition_link",
    "lsp_diagnostic",
    "lsp_hover",
    "lsp_location",
    "lsp_position",
    "lsp_range",
    "lsp_related_information",
    "lsp_severity",
    "lsp_text_edit",
    "lsp_workspace_edit",
    "span",
]

SOURCE = "mockls"
"""The ``source`` of every diagnostic the server publishes."""

Locate = Callable[[str], tuple[str, ClientColumns | None]]
"""Maps a finding's related path to the URI and columns of that file."""

_COMPLETION_KINDS = {
    TargetKind.MODULE: types.CompletionItemKind.Module,
    TargetKind.CLASS: types.CompletionItemKind.Class,
    TargetKind.FUNCTION: types.CompletionItemKind.Function,
    TargetKind.METHOD: types.CompletionItemKind.Method,
    TargetKind.CLASSMETHOD: types.CompletionItemKind.Method,
    TargetKind.STATICMETHOD: types.CompletionItemKind.Method,
    TargetKind.PROPERTY: types.CompletionItemKind.Property,
    TargetKind.ATTRIBUTE: types.CompletionItemKind.Variable,
    TargetKind.CONSTANT: types.CompletionItemKind.Constant,
    TargetKind.UNKNOWN: types.CompletionItemKind.Value,
}

_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFORMATION: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


def lsp_position(position: Position, columns: ClientColumns | None) -> types.Position:
    """A code-point position in the client's encoding."""
    client = position if columns is None else columns.to_client(position)
    return types.Position(line=max(client.line, 0), character=max(client.character, 0))


def lsp_range(source_span: Span, columns: ClientColumns | None) -> types.Range:
    """A span in the client's encoding."""
    return types.Range(
        start=lsp_position(source_span.start, columns),
        end=lsp_position(source_span.end, columns),
    )


def span(client_range: types.Range, columns: ClientColumns) -> Span:
    """A client's range as a code-point span."""
    return Span(
        columns.from_client(client_range.start.line, client_range.start.character),
        columns.from_client(client_range.end.line, client_range.end.character),
    )


def lsp_severity(severity: Severity) -> types.DiagnosticSeverity:
    """The protocol's severity for a finding's."""
    return _SEVERITIES[severity]


def lsp_related_information(
    related: RelatedLocation, locate: Locate
) -> types.DiagnosticRelatedInformation:
    """A related location in the file it names."""
    uri, columns = locate(related.path)
    return types.DiagnosticRelatedInformation(
        location=types.Location(uri=uri, range=lsp_range(related.span, columns)),
        message=related.message,
    )


def lsp_diagnostic(
    finding: Finding, columns: ClientColumns, support: ClientSupport, locate: Locate
) -> types.Diagnostic:
    """A finding as the diagnostic published for its document."""
    related = (
        [lsp_related_information(place, locate) for place in finding.related]
        if support.related_information and finding.related
        else None
    )
    return types.Diagnostic(
        range=lsp_range(finding.span, columns),
        message=finding.message,
        severity=lsp_severity(finding.severity),
        code=finding.code,
        source=SOURCE,
        related_information=related,
    )


def lsp_text_edit(edit: TextEdit, columns: ClientColumns) -> types.TextEdit:
    """A text edit in the client's encoding."""
    return types.TextEdit(range=lsp_range(edit.span, columns), new_text=edit.new_text)


def lsp_workspace_edit(
    uri: str,
    version: int,
    edits: Sequence[TextEdit],
    columns: ClientColumns,
    support: ClientSupport,
) -> types.WorkspaceEdit:
    """Edits to one document: versioned ``documentChanges`` when the client takes them."""
    text_edits = [lsp_text_edit(edit, columns) for edit in edits]
    if support.document_changes:
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=uri, version=version
                    ),
                    edits=list(text_edits),
                )
            ]
        )
    return types.WorkspaceEdit(changes={uri: list(text_edits)})


def lsp_code_action(
    quick_fix: QuickFix, diagnostics: Sequence[types.Diagnostic], edit: types.WorkspaceEdit
) -> types.CodeAction:
    """A quick-fix code action repairing ``diagnostics`` with ``edit``."""
    return types.CodeAction(
        title=quick_fix.fix.label,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=list(diagnostics),
        is_preferred=quick_fix.preferred,
        edit=edit,
    )


def lsp_hover(card: HoverCard, columns: ClientColumns, markdown: bool) -> types.Hover:
    """A hover card, as Markdown when the client renders it (else the same text, plain)."""
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.Hover(
        contents=types.MarkupContent(kind=kind, value=card.markdown),
        range=lsp_range(card.span, columns),
    )


def lsp_location(location: Location, columns: ClientColumns | None) -> types.Location:
    """A place in a file, with the columns of that file."""
    return types.Location(uri=Path(location.path).as_uri(), range=lsp_range(location.span, columns))


def lsp_definition_link(
    found: Definition, columns: ClientColumns, target_columns: ClientColumns | None
) -> types.LocationLink:
    """A definition, linked from the range that was clicked (``columns``: that document's)."""
    target = lsp_location(found.location, target_columns)
    return types.LocationLink(
        target_uri=target.uri,
        target_range=target.range,
        target_selection_range=target.range,
        origin_selection_range=lsp_range(found.origin, columns),
    )


def lsp_completion_item(
    completion: TargetCompletion, columns: ClientColumns, rank: int
) -> types.CompletionItem:
    """A target completion replacing its segment; ``rank`` keeps the order it was given in."""
    return types.CompletionItem(
        label=completion.label,
        kind=_COMPLETION_KINDS[completion.kind],
        detail=completion.detail or None,
        sort_text=f"{rank:05d}",
        text_edit=types.TextEdit(
            range=lsp_range(completion.replace, columns), new_text=completion.label
        ),
    )


def content_change(event: types.TextDocumentContentChangeEvent) -> ContentChange:
    """A ``didChange`` content change event as a :class:`ContentChange`."""
    if isinstance(event, types.TextDocumentContentChangePartial):
        return ContentChange(
            text=event.text,
            start=(event.range.start.line, event.range.start.character),
            end=(event.range.end.line, event.range.end.character),
        )
    return ContentChange(text=event.text)

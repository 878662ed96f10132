"""What the connected client can take, read once from its capabilities at ``initialize``."""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types
from pygls.capabilities import get_capability

from mockls.lsp.positions import UTF8, UTF16, UTF32

__all__ = ["ClientSupport"]

_ENCODINGS = frozenset({UTF8, UTF16, UTF32})


@dataclass(frozen=True, slots=True)
class ClientSupport:
    """The optional protocol features the client declared; all off until ``initialize``."""

    encoding: str = UTF16
    """The negotiated position encoding."""

    related_information: bool = False
    """Diagnostics may carry ``relatedInformation``."""

    document_changes: bool = False
    """Workspace edits may use versioned ``documentChanges``."""

    code_action_literals: bool = False
    """Code actions may be returned as ``CodeAction`` literals (not only commands)."""

    configuration_pull: bool = False
    """The server may ask for settings with ``workspace/configuration``."""

    work_done_progress: bool = False
    """The server may report progress with ``window/workDoneProgress/create``."""

    watched_files_registration: bool = False
    """The server may register file watchers for ``workspace/didChangeWatchedFiles``."""

    hover_markdown: bool = False
    """Hover contents may be Markdown."""

    definition_links: bool = False
    """Definitions may be ``LocationLink`` objects (with the range of what was clicked)."""

    code_action_resolve: bool = False
    """A code action's ``edit`` may be filled in later, by ``codeAction/resolve`` (the client
    keeps the action's ``data``)."""

    code_lens_refresh: bool = False
    """The server may ask the client to request its code lenses again
    (``workspace/codeLens/refresh``)."""

    @classmethod
    def of(
        cls, capabilities: types.ClientCapabilities, encoding: types.PositionEncodingKind | str
    ) -> ClientSupport:
        """The support declared by ``capabilities``, with the position encoding pygls chose."""

        def declared(field: str) -> bool:
            return bool(get_capability(capabilities, field, False))

        name = str(getattr(encoding, "value", encoding))
        return cls(
            encoding=name if name in _ENCODINGS else UTF16,
            related_information=declared("text_document.publish_diagnostics.related_information"),
            document_changes=declared("workspace.workspace_edit.document_changes"),
            code_action_literals=declared("text_document.code_action.code_action_literal_support"),
            configuration_pull=declared("workspace.configuration"),
            work_done_progress=declared("window.work_done_progress"),
            watched_files_registration=declared(
                "workspace.did_change_watched_files.dynamic_registration"
            ),
            code_lens_refresh=declared("workspace.code_lens.refresh_support"),
            hover_markdown=types.MarkupKind.Markdown
            in (get_capability(capabilities, "text_document.hover.content_format", None) or ()),
            definition_links=declared("text_document.definition.link_support"),
            code_action_resolve=declared("text_document.code_action.data_support")
            and "edit"
            in (
                get_capability(
                    capabilities, "text_document.code_action.resolve_support.properties", None
                )
                or ()
            ),
        )

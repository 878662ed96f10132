"""``textDocument/definition``: from a target string's segment or a patcher's mock to the code."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from mockls.files import SourceError, read_source
from mockls.lsp.convert import lsp_definition_link, lsp_location
from mockls.lsp.positions import ClientColumns
from mockls.navigation import definition

if TYPE_CHECKING:
    from mockls.lsp.navigation import NavigationRequest
    from mockls.lsp.server import MocklsServer

__all__ = ["setup_definition"]


def setup_definition(server: MocklsServer) -> None:
    """Answer ``textDocument/definition``."""

    def text_of(path: Path) -> str | None:
        """The text the client sees at ``path``: its open document's, else the file's."""
        snapshot = server.documents.get(path.as_uri())
        if snapshot is not None:
            return snapshot.text
        try:
            return read_source(path)
        except SourceError:
            return None

    def find(
        request: NavigationRequest,
    ) -> list[types.Location] | list[types.LocationLink] | None:
        found = definition(request.model, request.position, request.project)
        if found is None:
            return None
        support = server.client_support
        text = text_of(Path(found.location.path))
        columns = ClientColumns.of(text, support.encoding) if text is not None else None
        if support.definition_links:
            return [lsp_definition_link(found, request.columns, columns)]
        return [lsp_location(found.location, columns)]

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def on_definition(
        params: types.DefinitionParams,
    ) -> list[types.Location] | list[types.LocationLink] | None:
        return await server.navigator.answer(params.text_document, params.position, find)

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
    from collections.abc import Callable

    from mockls.lsp.client_support import ClientSupport
    from mockls.lsp.documents import DocumentStore
    from mockls.lsp.feature_host import FeatureHost
    from mockls.lsp.navigation import NavigationRequest, Navigator

__all__ = ["setup_definition"]


def setup_definition(
    host: FeatureHost,
    *,
    navigator: Navigator,
    documents: DocumentStore,
    client_support: Callable[[], ClientSupport],
) -> None:
    """Answer ``textDocument/definition``."""

    def text_of(path: Path) -> str | None:
        """The text the client sees at ``path``: its open document's, else the file's."""
        snapshot = documents.get(path.as_uri())
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
        support = client_support()
        text = text_of(Path(found.location.path))
        columns = ClientColumns.of(text, support.encoding) if text is not None else None
        if support.definition_links:
            return [lsp_definition_link(found, request.columns, columns)]
        return [lsp_location(found.location, columns)]

    @host.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def on_definition(
        params: types.DefinitionParams,
    ) -> list[types.Location] | list[types.LocationLink] | None:
        return await navigator.answer(params.text_document, params.position, find)

"""``textDocument/hover``: the card for a patch target string or a patcher's mock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from mockls.lsp.convert import lsp_hover
from mockls.navigation import hover_card

if TYPE_CHECKING:
    from mockls.lsp.navigation import NavigationRequest
    from mockls.lsp.server import MocklsServer

__all__ = ["setup_hover"]


def setup_hover(server: MocklsServer) -> None:
    """Answer ``textDocument/hover``."""

    def hover(request: NavigationRequest) -> types.Hover | None:
        card = hover_card(request.model, request.position, request.project)
        if card is None:
            return None
        return lsp_hover(card, request.columns, server.client_support.hover_markdown)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(params: types.HoverParams) -> types.Hover | None:
        return await server.navigator.answer(params.text_document, params.position, hover)

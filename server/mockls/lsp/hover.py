"""``textDocument/hover``: the card for a patch target string or a patcher's mock.

A card that lacks a target's signature is completed with the signature of its autospec at
run time when the sandbox may run (see :mod:`mockls.lsp.sandbox`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from mockls.lsp.convert import lsp_hover
from mockls.lsp.sandbox import runtime_card
from mockls.navigation import HoverCard, hover_card

if TYPE_CHECKING:
    from mockls.lsp.documents import DocumentSnapshot
    from mockls.lsp.navigation import NavigationRequest
    from mockls.lsp.positions import ClientColumns
    from mockls.lsp.server import MocklsServer

__all__ = ["setup_hover"]


def setup_hover(server: MocklsServer) -> None:
    """Answer ``textDocument/hover``."""

    def card_at(
        request: NavigationRequest,
    ) -> tuple[HoverCard, ClientColumns, DocumentSnapshot] | None:
        card = hover_card(request.model, request.position, request.project)
        return None if card is None else (card, request.columns, request.snapshot)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(params: types.HoverParams) -> types.Hover | None:
        found = await server.navigator.answer(params.text_document, params.position, card_at)
        if found is None:
            return None
        card: HoverCard | None
        card, columns, snapshot = found
        if card.runtime_target is not None:
            card = await runtime_card(server, snapshot, card)
            if server.documents.get(snapshot.uri) is not snapshot:
                return None  # edited meanwhile
        if card is None or not card.markdown:
            return None
        return lsp_hover(card, columns, server.client_support.hover_markdown)

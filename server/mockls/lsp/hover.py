"""``textDocument/hover``: the card for a patch target string or a patcher's mock.

A card that lacks a target's signature is completed with the signature of its autospec at
run time when the sandbox may run (see :mod:`mockls.lsp.sandbox`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from mockls.lsp.convert import lsp_hover
from mockls.navigation import HoverCard, hover_card

if TYPE_CHECKING:
    from collections.abc import Callable

    from mockls.lsp.client_support import ClientSupport
    from mockls.lsp.documents import DocumentSnapshot, DocumentStore
    from mockls.lsp.feature_host import FeatureHost
    from mockls.lsp.navigation import NavigationRequest, Navigator
    from mockls.lsp.positions import ClientColumns
    from mockls.lsp.sandbox import ServerSandbox

__all__ = ["setup_hover"]


def setup_hover(
    host: FeatureHost,
    *,
    navigator: Navigator,
    documents: DocumentStore,
    sandbox: ServerSandbox,
    client_support: Callable[[], ClientSupport],
) -> None:
    """Answer ``textDocument/hover``."""

    def card_at(
        request: NavigationRequest,
    ) -> tuple[HoverCard, ClientColumns, DocumentSnapshot] | None:
        card = hover_card(request.model, request.position, request.project)
        return None if card is None else (card, request.columns, request.snapshot)

    @host.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(params: types.HoverParams) -> types.Hover | None:
        found = await navigator.answer(params.text_document, params.position, card_at)
        if found is None:
            return None
        card: HoverCard | None
        card, columns, snapshot = found
        if card.runtime_target is not None:
            card = await sandbox.runtime_card(snapshot, card)
            if documents.get(snapshot.uri) is not snapshot:
                return None  # edited meanwhile
        if card is None or not card.markdown:
            return None
        return lsp_hover(card, columns, client_support().hover_markdown)

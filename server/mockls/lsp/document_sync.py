"""Document sync: the open documents follow the client's ``didOpen``/``didChange``/``didClose``.

They are updated before any feature hears of a change, and a closed document is forgotten only
after every feature has heard that it closed (see :class:`~mockls.lsp.phases.Phase`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from mockls.lsp.convert import content_change
from mockls.lsp.phases import Phase

if TYPE_CHECKING:
    from collections.abc import Callable

    from mockls.lsp.client_support import ClientSupport
    from mockls.lsp.documents import DocumentStore
    from mockls.lsp.feature_host import FeatureHost

__all__ = ["setup_documents"]


def setup_documents(
    host: FeatureHost,
    *,
    documents: DocumentStore,
    client_support: Callable[[], ClientSupport],
) -> None:
    """Keep ``documents`` in sync with the client: opened and changed before any feature
    hears of it, closed after every feature has."""

    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        documents.open(item.uri, item.version, item.text, item.language_id)

    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        changes = [content_change(event) for event in params.content_changes]
        document = params.text_document
        documents.change(document.uri, document.version, changes, client_support().encoding)

    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        documents.close(params.text_document.uri)

    host.on_notification(types.TEXT_DOCUMENT_DID_OPEN, did_open, phase=Phase.STATE)
    host.on_notification(types.TEXT_DOCUMENT_DID_CHANGE, did_change, phase=Phase.STATE)
    host.on_notification(types.TEXT_DOCUMENT_DID_CLOSE, did_close, phase=Phase.RELEASE)

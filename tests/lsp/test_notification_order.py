"""The callbacks of one notification run in their declared phase, whatever the setup order."""

from __future__ import annotations

from unittest import mock

from lsprotocol import types

from mockls.lsp.phases import Phase
from mockls.lsp.server import MocklsServer, create_server


def test_state_first_then_features_then_release() -> None:
    server = MocklsServer()
    heard: list[str] = []
    method = types.TEXT_DOCUMENT_DID_SAVE
    server.on_notification(method, lambda _params: heard.append("release"), phase=Phase.RELEASE)
    server.on_notification(method, lambda _params: heard.append("first feature"))
    server.on_notification(method, lambda _params: heard.append("state"), phase=Phase.STATE)
    server.on_notification(method, lambda _params: heard.append("second feature"))
    server.register_fan_out()

    server.protocol.fm.features[method](
        types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri="file:///w/test_x.py")
        )
    )

    assert heard == ["state", "first feature", "second feature", "release"]


def test_every_feature_sees_an_opened_document_and_a_closing_one() -> None:
    """The real server: the document store is updated before the features hear of an open,
    and still holds a document while they hear that it closed."""
    server = create_server()
    uri = "file:///w/test_x.py"
    features = server.protocol.fm.features
    item = types.TextDocumentItem(uri=uri, language_id="python", version=1, text="x = 1\n")
    with (
        mock.patch.object(server.diagnostics, "schedule") as schedule,
        mock.patch.object(server.diagnostics, "clear") as clear,
    ):
        clear.side_effect = lambda closing: seen_when_closing.append(server.documents.get(closing))
        seen_when_closing: list[object] = []
        features[types.TEXT_DOCUMENT_DID_OPEN](types.DidOpenTextDocumentParams(text_document=item))
        features[types.TEXT_DOCUMENT_DID_CLOSE](
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
    [(opened,), _] = schedule.call_args
    assert opened.text == "x = 1\n"
    assert seen_when_closing == [opened]
    assert server.documents.get(uri) is None

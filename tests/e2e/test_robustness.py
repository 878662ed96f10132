"""Bad messages get error responses (or are ignored) and the server keeps serving."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams, JsonRpcMethodNotFound

if TYPE_CHECKING:
    from conftest import RecordingClient, Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

TEST_SOURCE = """\
from unittest import mock


def test_pay():
    gateway = mock.Mock()
    gateway.pay.assert_called_once_wtih(10)
"""


def send_raw_notification(client: RecordingClient, method: str, params: object) -> None:
    """Send a notification exactly as given, bypassing the client's own type checks."""
    client.protocol._send_data({"jsonrpc": "2.0", "method": method, "params": params})


async def send_raw_request(client: RecordingClient, method: str, params: object) -> Any:
    """Send a request exactly as given; its result, or its error response raised."""
    message_id = str(uuid.uuid4())
    response: Future[Any] = Future()
    client.protocol._request_futures[message_id] = response
    client.protocol._send_data(
        {"jsonrpc": "2.0", "id": message_id, "method": method, "params": params}
    )
    return await asyncio.wait_for(asyncio.wrap_future(response), 30)


async def still_serves(session: Session, name: str) -> None:
    uri = session.open(name, TEST_SOURCE)
    assert [item.code for item in await session.diagnostics(uri)] == ["misspelled-assert"]


async def test_unknown_method_gets_method_not_found(session: Session) -> None:
    with pytest.raises(JsonRpcMethodNotFound):
        await send_raw_request(session.client, "mockls/noSuchMethod", {"x": 1})
    with pytest.raises(JsonRpcMethodNotFound):
        await send_raw_request(
            session.client,
            types.WORKSPACE_SYMBOL,
            {"query": "x"},
        )
    await still_serves(session, "tests/test_after_unknown.py")


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"textDocument": 5}, id="wrong-types"),
        pytest.param({}, id="missing-fields"),
        pytest.param(None, id="no-params"),
    ],
)
async def test_malformed_request_gets_invalid_params(session: Session, params: object) -> None:
    with pytest.raises(JsonRpcInvalidParams):
        await send_raw_request(session.client, types.TEXT_DOCUMENT_CODE_ACTION, params)
    await still_serves(session, "tests/test_after_malformed.py")


async def test_malformed_and_unknown_notifications_are_ignored(session: Session) -> None:
    client = session.client
    send_raw_notification(client, types.TEXT_DOCUMENT_DID_OPEN, {"textDocument": {"uri": 1}})
    send_raw_notification(client, types.TEXT_DOCUMENT_DID_CHANGE, {"contentChanges": "x"})
    send_raw_notification(client, "mockls/noSuchNotification", {"x": 1})
    session.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(
                uri=session.uri("tests/never_opened.py"), version=2
            ),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="x = 1\n")],
        )
    )
    await still_serves(session, "tests/test_after_notifications.py")
    assert session.client.messages == []


async def test_broken_python_gets_no_diagnostics_and_no_error(session: Session) -> None:
    uri = session.open(
        "tests/test_broken.py", "def test(:\n    mock.Mock(\n\x00 é 😀 \udcff", write=False
    )
    assert await session.diagnostics(uri) == []
    await still_serves(session, "tests/test_after_broken.py")

"""The protocol through raw bytes on the real server's stdin: nothing malformed deafens it.

Each case sends something a client should not, then a well-formed request, which must be
answered; the malformed part gets the JSON-RPC error the specification gives it (or, for a
header that frames nothing, is skipped with a warning).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.raw_client import INITIALIZE, RawClient, frame, message

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
SERVER_NOT_INITIALIZED = -32002

INITIALIZE_BODY = json.dumps(
    {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": INITIALIZE}
).encode()


@pytest.fixture
def client() -> Iterator[RawClient]:
    raw = RawClient()
    yield raw
    raw.close()


BAD_FRAMES = {
    "content-length-not-a-number": b"Content-Length: abc\r\n\r\n{}",
    "negative-content-length": b"Content-Length: -5\r\n\r\n{}",
    "no-content-length": b"Content-Type: application/json\r\n\r\n{}",
    "not-a-header": b"hello there\r\n\r\n",
    "a-terabyte": b"Content-Length: 1099511627776\r\n\r\n",
    "junk-without-line-breaks": b"x" * 200_000,
}


@pytest.mark.parametrize("junk", BAD_FRAMES.values(), ids=BAD_FRAMES)
def test_a_bad_frame_is_skipped_and_the_next_message_answered(
    client: RawClient, junk: bytes
) -> None:
    client.send(junk)
    answer = client.initialize()
    assert "capabilities" in answer["result"]


GOOD_FRAMES = {
    "lowercase-header": b"content-length: %d\r\n\r\n" % len(INITIALIZE_BODY) + INITIALIZE_BODY,
    "lf-only-line-ends": b"Content-Length: %d\n\n" % len(INITIALIZE_BODY) + INITIALIZE_BODY,
    "extra-headers-and-spaces": (
        b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
        b"Content-Length:   %d  \r\n\r\n" % len(INITIALIZE_BODY) + INITIALIZE_BODY
    ),
    "blank-lines-between-messages": b"\r\n\r\n" + frame(INITIALIZE_BODY),
}


@pytest.mark.parametrize("framed", GOOD_FRAMES.values(), ids=GOOD_FRAMES)
def test_headers_as_clients_write_them_are_read(client: RawClient, framed: bytes) -> None:
    client.send(framed)
    assert "capabilities" in client.answer(1)["result"]


def test_a_body_shorter_than_announced_costs_only_the_next_message(client: RawClient) -> None:
    body = json.dumps({"jsonrpc": "2.0", "method": "$/noSuchNotification"}).encode()
    client.send(frame(body, length=len(body) + 10))
    client.send(message(id=1, method="initialize", params=INITIALIZE))  # loses its first bytes
    client.send(message(id=2, method="initialize", params=INITIALIZE))
    assert "capabilities" in client.answer(2)["result"]
    assert client.received[0]["error"]["code"] == PARSE_ERROR


BAD_MESSAGES = {
    "not-json": (frame(b"{not json"), None, PARSE_ERROR),
    "not-utf8": (frame(b'{"jsonrpc": "2.0", "id": 7, "method": "\xff"}'), None, PARSE_ERROR),
    "too-deep": (frame(b"[" * 100_000), None, PARSE_ERROR),
    "a-batch": (
        frame(b'[{"jsonrpc": "2.0", "id": 7, "method": "shutdown"}]'),
        None,
        INVALID_REQUEST,
    ),
    "a-number": (frame(b"42"), None, INVALID_REQUEST),
    "null": (frame(b"null"), None, INVALID_REQUEST),
    "jsonrpc-1.0": (
        frame(b'{"jsonrpc": "1.0", "id": 7, "method": "shutdown"}'),
        7,
        INVALID_REQUEST,
    ),
    "no-jsonrpc": (frame(b'{"id": 7, "method": "shutdown"}'), 7, INVALID_REQUEST),
    "method-a-number": (message(id=7, method=42), 7, INVALID_REQUEST),
    "id-an-object": (message(id={"a": 1}, method="shutdown"), None, INVALID_REQUEST),
    "id-a-boolean": (message(id=True, method="shutdown"), None, INVALID_REQUEST),
    "neither-request-nor-response": (message(id=7), 7, INVALID_REQUEST),
}


@pytest.mark.parametrize(("sent", "answered_id", "code"), BAD_MESSAGES.values(), ids=BAD_MESSAGES)
def test_a_message_that_is_not_json_rpc_gets_the_error_for_it(
    client: RawClient, sent: bytes, answered_id: object, code: int
) -> None:
    client.initialize()
    client.send(sent)
    assert client.answer(answered_id)["error"]["code"] == code
    client.send(message(id=8, method="shutdown"))
    assert client.answer(8)["result"] is None


def test_a_request_before_initialize_gets_server_not_initialized(client: RawClient) -> None:
    client.send(message(id=5, method="textDocument/hover", params={}))
    assert client.answer(5)["error"]["code"] == SERVER_NOT_INITIALIZED
    assert "capabilities" in client.initialize()["result"]


def test_requests_after_shutdown_get_invalid_request(client: RawClient) -> None:
    client.initialize()
    client.send(message(id=2, method="shutdown"))
    assert client.answer(2)["result"] is None
    client.send(message(id=3, method="shutdown"))
    assert client.answer(3)["error"]["code"] == INVALID_REQUEST
    client.send(message(method="exit"))
    assert client.process.wait(timeout=30) == 0


def test_exit_without_shutdown_exits_1(client: RawClient) -> None:
    client.initialize()
    client.send(message(method="exit"))
    assert client.process.wait(timeout=30) == 1


def test_a_string_field_given_a_number_is_invalid_params(client: RawClient) -> None:
    client.initialize()
    hover = {"textDocument": {"uri": 42}, "position": {"line": 0, "character": 0}}
    client.send(message(id=4, method="textDocument/hover", params=hover))
    assert client.answer(4)["error"]["code"] == INVALID_PARAMS


def test_rejected_messages_are_logged_without_tracebacks(client: RawClient) -> None:
    client.initialize()
    for sent, _answered_id, _code in BAD_MESSAGES.values():
        client.send(sent)
    client.send(message(method="textDocument/didOpen", params={"textDocument": 42}))
    client.send(message(id=9, method="shutdown"))
    client.answer(9)
    client.send(message(method="exit"))
    assert client.process.wait(timeout=30) == 0
    client.close()
    assert b"Traceback" not in client.stderr
    assert b" ERROR " not in client.stderr


def test_initialize_initialized_and_shutdown_back_to_back_are_quiet(
    client: RawClient, tmp_path: Path
) -> None:
    (tmp_path / "test_a.py").write_text("from unittest import mock\n")
    capabilities = {"workspace": {"configuration": True}, "window": {"workDoneProgress": True}}
    params = {**INITIALIZE, "rootUri": tmp_path.as_uri(), "capabilities": capabilities}
    client.send(message(id=1, method="initialize", params=params))
    client.send(message(method="initialized", params={}))
    client.send(message(id=2, method="shutdown"))
    assert client.answer(2)["result"] is None
    client.send(message(method="exit"))
    assert client.process.wait(timeout=30) == 0
    client.close()
    assert b"Traceback" not in client.stderr
    assert b" ERROR " not in client.stderr

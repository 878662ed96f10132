"""The protocol's framing on stdio: messages in, so that no malformed input deafens the server.

pygls's reader (``pygls.io_.run_async``) waits for the exact line ``Content-Length: N\\r\\n``:
after a header it does not know (``Content-Length: abc``, a negative or lowercase one, LF-only
line ends) it stays deaf until a bare CRLF arrives, a huge length makes it allocate the whole
body (``MemoryError``), and a body that is not a JSON-RPC message gets no answer. This reader
replaces it on stdio:

- header lines end in CRLF or LF, header names are case-insensitive, other headers are ignored;
- a header block without a usable ``Content-Length`` (missing, not a count of bytes, over
  :data:`MAX_MESSAGE_BYTES`) is skipped, and reading resumes at the next line holding a
  ``Content-Length`` header, even one glued to the junk before it (what follows a body whose
  length was misstated);
- a body that is not JSON gets a ``-32700`` error response (``id`` null), and one that is JSON
  but not a JSON-RPC message (a batch, a non-object, a wrong ``jsonrpc``, ``id`` or ``method``)
  a ``-32600`` (with its ``id`` when that can be read); everything else goes to the protocol.

Every rejected input is logged as one warning line, never a traceback. ``exit`` ends the loop
with the exit code the protocol decided (0 after ``shutdown``, else 1).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest, JsonRpcParseError
from pygls.io_ import StdoutWriter

if TYPE_CHECKING:
    from pygls.protocol import JsonRPCProtocol
    from pygls.server import JsonRPCServer

__all__ = ["MAX_MESSAGE_BYTES", "serve_io"]

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 256 << 20
"""The largest message body read (256 MiB); a larger ``Content-Length`` is refused unread."""

LINE_LIMIT = 1 << 16
"""Bytes read at most per header line, so that junk without line breaks costs no memory."""

_CONTENT_LENGTH = re.compile(rb"content-length[ \t]*:[ \t]*([^\r\n]*?)[ \t]*\r?\n?$", re.I)
_OTHER_HEADER = re.compile(rb"[A-Za-z][A-Za-z0-9-]*[ \t]*:[^\r\n]*\r?\n?")


@dataclass(frozen=True, slots=True)
class _Skipped:
    """A message that could not be framed; ``reason`` says why."""

    reason: str


class _LineReader:
    """Blocking reads of a binary stream, run on the executor."""

    def __init__(self, stream: BinaryIO, executor: Any) -> None:
        self._stream = stream
        self._executor = executor

    async def readline(self) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._stream.readline, LINE_LIMIT)

    async def read(self, count: int) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._read_exactly, count)

    def _read_exactly(self, count: int) -> bytes:
        parts: list[bytes] = []
        missing = count
        while missing:
            part = self._stream.read(missing)
            if not part:
                break
            parts.append(part)
            missing -= len(part)
        return b"".join(parts)


async def _next_body(reader: _LineReader) -> bytes | _Skipped | None:
    """The next message's body, a message that was skipped, or ``None`` at the end of input."""
    length: int | None = None
    problem = ""
    in_header = False
    while True:
        line = await reader.readline()
        if not line:
            return None
        if not line.strip(b"\r\n"):
            if in_header:
                break
            continue  # blank lines between messages
        found = _CONTENT_LENGTH.search(line)
        if found is not None:
            if found.start() and not in_header:
                log.warning("skipped %d bytes that are not a message", found.start())
            in_header = True
            value = found.group(1)
            if not value.isdigit():
                problem = f"Content-Length {value[:40]!r} is not a number of bytes"
            elif int(value) > MAX_MESSAGE_BYTES:
                problem = f"a body of {int(value)} bytes is over the limit of {MAX_MESSAGE_BYTES}"
            else:
                length = int(value)
        elif in_header and _OTHER_HEADER.fullmatch(line):
            continue  # Content-Type, or a header of the future
        elif in_header:
            problem = problem or f"{line[:40]!r} is not a header"
        else:
            log.warning("skipped %d bytes that are not a message", len(line))
    if problem:
        return _Skipped(problem)
    if length is None:
        return _Skipped("a header without Content-Length")
    body = await reader.read(length)
    if len(body) < length:
        return None
    return body


def _rejection(data: object) -> tuple[object, str] | None:
    """Why a parsed body is not a JSON-RPC message (the ``id`` to answer and a sentence), or
    ``None`` when it is one."""
    if isinstance(data, list):
        return None, "batches are not supported"
    if not isinstance(data, dict):
        return None, "a message must be a JSON object"
    message_id = data.get("id")
    if "id" in data and not (
        message_id is None
        or isinstance(message_id, str)
        or (isinstance(message_id, int) and not isinstance(message_id, bool))
    ):
        return None, "the id must be a string or an integer"
    if data.get("jsonrpc") != "2.0":
        return message_id, 'jsonrpc must be "2.0"'
    if "method" in data:
        if not isinstance(data["method"], str):
            return message_id, "the method must be a string"
    elif "id" not in data or not ("result" in data or "error" in data):
        return message_id, "neither a request, a notification nor a response"
    return None


def _answer_error(protocol: JsonRPCProtocol, message_id: object, error: JsonRpcException) -> None:
    # Written as a plain object: pygls's serializer leaves out an id that is null, and JSON-RPC
    # answers with ``"id": null`` what has no readable id.
    protocol._send_data(
        {
            "jsonrpc": "2.0",
            "id": message_id,
            "error": {"code": error.code, "message": error.message},
        }
    )


def _dispatch(protocol: JsonRPCProtocol, body: bytes) -> None:
    """Hand one body to the protocol, or answer why it cannot be handled."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as error:
        log.warning("a message is not JSON (%s): answered with a parse error", error)
        _answer_error(protocol, None, JsonRpcParseError(f"the message is not JSON: {error}"))
        return
    rejected = _rejection(data)
    if rejected is not None:
        message_id, reason = rejected
        log.warning("an invalid message (%s): answered with an invalid-request error", reason)
        _answer_error(protocol, message_id, JsonRpcInvalidRequest(reason))
        return
    try:
        message = protocol.structure_message(data)
    except (
        JsonRpcException
    ) as error:  # a notification's unreadable parameters (requests are answered)
        log.warning("dropped %s: %s", data.get("method", "a message"), error)
        return
    protocol.handle_message(message)


async def _serve(
    stop: threading.Event,
    reader: _LineReader,
    protocol: JsonRPCProtocol,
    report: Callable[[Exception], None],
) -> None:
    while not stop.is_set():
        body = await _next_body(reader)
        if body is None:
            return
        if isinstance(body, _Skipped):
            log.warning("skipped a message: %s", body.reason)
            continue
        try:
            _dispatch(protocol, body)
        except SystemExit:
            raise
        except Exception as error:  # a bug in a handler must not end the loop
            report(error)


def serve_io(server: JsonRPCServer, stdin: BinaryIO, stdout: BinaryIO) -> int:
    """Serve ``server``'s protocol over the two streams until ``exit`` or the end of input.

    Returns the process exit code: what ``exit`` asked for (1 without ``shutdown`` before
    it), 0 at the end of input after ``shutdown``, else 1.
    """
    stop = threading.Event()
    server._stop_event = stop  # pygls's shutdown() sets it
    server.protocol.set_writer(StdoutWriter(stdout))
    reader = _LineReader(stdin, server.thread_pool)

    def report(error: Exception) -> None:
        server._report_server_error(error, JsonRpcInvalidRequest)

    code = 0
    try:
        asyncio.run(_serve(stop, reader, server.protocol, report))
        code = 0 if server.protocol._shutdown else 1
    except BrokenPipeError:
        log.error("the connection to the client is lost: shutting down")
        code = 1
    except SystemExit as exit_request:
        code = exit_request.code if isinstance(exit_request.code, int) else 1
    except KeyboardInterrupt:
        code = 130
    finally:
        server.shutdown()  # type: ignore[no-untyped-call]  # pygls leaves it unannotated
    return code

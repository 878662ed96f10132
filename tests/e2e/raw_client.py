"""A client that writes bytes on the real server's stdin and reads its framed answers.

pytest-lsp's client only sends well-formed messages; the protocol tests need the malformed
ones too. The answers are read by a strict parser of our own in a thread.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import IO, Any

SERVER_COMMAND = [sys.executable, "-m", "mockls"]

WAIT = 30.0
"""Seconds before a wait for the server gives up: a hang guard, never an assertion on speed."""


def frame(body: bytes | str, *, length: int | None = None) -> bytes:
    """``body`` with a ``Content-Length`` header (its own length unless ``length`` says)."""
    data = body.encode() if isinstance(body, str) else body
    return b"Content-Length: %d\r\n\r\n" % (len(data) if length is None else length) + data


def message(**fields: Any) -> bytes:
    """A framed JSON-RPC 2.0 message with ``fields``."""
    return frame(json.dumps({"jsonrpc": "2.0", **fields}))


INITIALIZE = {"processId": None, "rootUri": None, "capabilities": {}}


class RawClient:
    """The server as a process: bytes in, parsed messages out."""

    def __init__(self, *arguments: str) -> None:
        """Start the server (``arguments``: its command-line options, such as ``-v``)."""
        self.process = subprocess.Popen(
            [*SERVER_COMMAND, *arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.received: list[dict[str, Any]] = []
        self.stderr = b""
        """What the server wrote to stderr, once it has ended (:meth:`close`)."""
        assert self.process.stdout is not None
        assert self.process.stderr is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()
        self._stderr_reader = threading.Thread(
            target=self._drain, args=(self.process.stderr,), daemon=True
        )
        self._stderr_reader.start()

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            header = stream.readline()
            if not header:
                break
            assert header.startswith(b"Content-Length: "), header
            length = int(header.split(b":")[1])
            while stream.readline() not in (b"\r\n", b""):
                pass
            self._messages.put(json.loads(stream.read(length)))
        self._messages.put(None)

    def _drain(self, stream: IO[bytes]) -> None:
        self.stderr = stream.read()

    def send(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def answer(self, message_id: object) -> dict[str, Any]:
        """The answer with ``message_id`` (every message read is kept in ``received``)."""
        return self.first(
            lambda received: (
                "id" in received and received["id"] == message_id and "method" not in received
            )
        )

    def first(self, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The first message received (before or from now) that is ``wanted``."""
        for received in self.received:
            if wanted(received):
                return received
        while True:
            received = self._messages.get(timeout=WAIT)
            assert received is not None, "the server ended"
            self.received.append(received)
            if wanted(received):
                return received

    def initialize(self, message_id: int = 1) -> dict[str, Any]:
        self.send(message(id=message_id, method="initialize", params=INITIALIZE))
        answer = self.answer(message_id)
        self.send(message(method="initialized", params={}))
        return answer

    def close(self) -> None:
        """End the server (killed if it still runs); then ``stderr`` holds all it wrote."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=WAIT)
        self._stderr_reader.join(timeout=WAIT)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

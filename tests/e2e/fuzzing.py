"""A seeded, replayable fuzz of the real server: random edits, requests and malformed input.

One run drives one server process through :class:`~tests.e2e.raw_client.RawClient`: an
unsaved document is edited at random (incremental changes, in UTF-16 positions, with
non-ASCII text), hover, completion, definition and code actions are asked at random places,
and malformed input is sent between them (the frames and bodies of ``test_protocol``, and
well-framed bodies with random bytes changed). The run checks what must always hold: every
request gets exactly one answer and none is an internal error, the server never exits, and
its last diagnostics are those of the pipeline for the document's final text.

``tests/e2e/test_fuzz.py`` runs it briefly in ``make test``; ``benchmarks/fuzz_protocol.py``
runs it long. A failure names its seed: ``run_fuzz(seed, ...)`` replays it exactly.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

from mockls.config import Settings
from mockls.linter import lint_source
from tests.e2e.raw_client import INITIALIZE, RawClient, frame, message

__all__ = ["FuzzReport", "run_fuzz"]

URI = "untitled:fuzzed.py"

SOURCE = """\
from unittest import mock
from unittest.mock import patch


@patch("os.path.join")
@patch("os.getcwd")
def test_order(mock_join, mock_getcwd):
    m = mock.Mock(spec=dict)
    m.retrun_value = 1
    m.assert_called_once_wtih(1)
    with patch("json.loads") as loads:
        loads.assert_called_once_with("é")
"""

FRAGMENTS = [
    "",
    "\n",
    "    ",
    "(",
    ")",
    '"',
    "'",
    ":",
    ".",
    "patch(",
    '@patch("os.getcwd")\n',
    "mock.Mock()",
    ".assert_called_once_wtih(",
    ".retrun_value = 2\n",
    "with patch.object(os, 'sep'):\n        pass\n",
    "def test_x(m):\n",
    "é",
    "😀",
    "\r\n",
    "\t",
    "\\",
    "#",
    "async def test_y():\n    await m()\n",
    "class T:\n    def test(self):\n        pass\n",
]

BAD_FRAMES = [
    b"Content-Length: abc\r\n\r\n{}",
    b"Content-Length: -5\r\n\r\n{}",
    b"Content-Type: x\r\n\r\n{}",
    b"hello\r\n\r\n",
    b"Content-Length: 1099511627776\r\n\r\n",
    frame(b"{not json"),
    frame(b"[" * 5000),
    frame(b"[]"),
    frame(b"42"),
    frame(b'{"jsonrpc": "1.0", "method": "$/x"}'),
    message(method=42),
    message(id={"a": 1}, method="textDocument/hover"),
    message(method="textDocument/didChange", params={"textDocument": 7}),
]


@dataclass
class FuzzReport:
    """What one run did and what went wrong (``failures`` empty: nothing)."""

    seed: int
    edits: int = 0
    requests: int = 0
    malformed: int = 0
    failures: list[str] = field(default_factory=list)


def _utf16_position(text: str, offset: int) -> dict[str, int]:
    before = text[:offset].replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n")
    column_text = before[before.rfind("\n") + 1 :]
    return {"line": line, "character": len(column_text.encode("utf-16-le")) // 2}


def _mutated(rng: random.Random, body: bytes) -> bytes:
    data = bytearray(body)
    for _ in range(rng.randint(1, 4)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def run_fuzz(seed: int, *, edits: int, malformed: int, requests: int) -> FuzzReport:
    """Drive a new server with ``edits`` edits, ``requests`` requests and ``malformed``
    malformed messages, shuffled by ``seed``."""
    rng = random.Random(seed)
    report = FuzzReport(seed)
    steps = ["edit"] * edits + ["request"] * requests + ["malformed"] * malformed
    rng.shuffle(steps)
    client = RawClient()
    try:
        client.send(message(id=0, method="initialize", params=INITIALIZE))
        client.answer(0)
        client.send(message(method="initialized", params={}))
        text, version = SOURCE, 1
        item = {"uri": URI, "languageId": "python", "version": version, "text": text}
        client.send(message(method="textDocument/didOpen", params={"textDocument": item}))
        pending: dict[int, str] = {}
        next_id = 1
        for step in steps:
            if step == "edit":
                start = rng.randint(0, len(text))
                end = min(len(text), start + rng.choice([0, 0, 1, 3, 10, 40]))
                if start and text[start - 1 : start + 1] == "\r\n":
                    start -= 1  # a range never splits a line break
                if end and text[end - 1 : end + 1] == "\r\n":
                    end += 1
                new = rng.choice(FRAGMENTS)
                change = {
                    "range": {
                        "start": _utf16_position(text, start),
                        "end": _utf16_position(text, end),
                    },
                    "text": new,
                }
                text = text[:start] + new + text[end:]
                version += 1
                params = {
                    "textDocument": {"uri": URI, "version": version},
                    "contentChanges": [change],
                }
                client.send(message(method="textDocument/didChange", params=params))
                report.edits += 1
            elif step == "request":
                method = rng.choice(
                    [
                        "textDocument/hover",
                        "textDocument/completion",
                        "textDocument/definition",
                        "textDocument/codeAction",
                    ]
                )
                position = _utf16_position(text, rng.randint(0, len(text)))
                params: dict[str, Any] = {"textDocument": {"uri": URI}, "position": position}
                if method == "textDocument/codeAction":
                    params = {
                        "textDocument": {"uri": URI},
                        "range": {"start": position, "end": position},
                        "context": {"diagnostics": []},
                    }
                client.send(message(id=next_id, method=method, params=params))
                pending[next_id] = method
                next_id += 1
                report.requests += 1
            else:
                if rng.random() < 0.5:
                    client.send(rng.choice(BAD_FRAMES))
                else:
                    body = json.dumps(
                        {
                            "jsonrpc": "2.0",
                            "id": 10**9 + next_id,
                            "method": "textDocument/hover",
                            "params": {
                                "textDocument": {"uri": URI},
                                "position": {"line": 0, "character": 0},
                            },
                        }
                    ).encode()
                    client.send(frame(_mutated(rng, body)))
                report.malformed += 1
        for message_id, method in pending.items():
            answer = client.answer(message_id)
            if answer.get("error", {}).get("code") == -32603:
                report.failures.append(f"{method} #{message_id}: {answer['error']}")
        final = client.first(
            lambda received: (
                received.get("method") == "textDocument/publishDiagnostics"
                and received["params"]["uri"] == URI
                and received["params"].get("version") == version
            )
        )
        expected = [
            (finding.code, finding.message)
            for finding in lint_source(text, "fuzzed.py", Settings())
        ]
        got = [(item["code"], item["message"]) for item in final["params"]["diagnostics"]]
        if got != expected:
            report.failures.append(f"final diagnostics {got} != {expected}")
        client.send(message(id=next_id, method="shutdown"))
        client.answer(next_id)
        client.send(message(method="exit"))
        code = client.process.wait(timeout=60)
        if code != 0:
            report.failures.append(f"the server exited with {code}")
    finally:
        client.close()
    if b"Traceback" in client.stderr:
        stderr = client.stderr.decode(errors="replace")
        start = stderr.index("Traceback")
        report.failures.append(
            "a traceback on stderr:\n" + stderr[max(0, start - 500) : start + 3000]
        )
    return report

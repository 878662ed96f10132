"""`mockls` (and `mockls --stdio`) speak the protocol on stdout and nothing else."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import mockls


def frame(message: dict[str, object]) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def read_frames(stream: bytes) -> list[dict[str, object]]:
    """Every message in ``stream``; fails on anything that is not a well-formed frame."""
    messages = []
    while stream:
        header, separator, rest = stream.partition(b"\r\n\r\n")
        assert separator, f"not a frame: {stream[:80]!r}"
        fields = dict(line.split(": ", 1) for line in header.decode("ascii").split("\r\n"))
        length = int(fields["Content-Length"])
        messages.append(json.loads(rest[:length]))
        stream = rest[length:]
    return messages


@pytest.mark.parametrize("arguments", [[], ["--stdio"]], ids=["default", "stdio-flag"])
def test_a_session_from_initialize_to_exit(arguments: list[str], tmp_path: Path) -> None:
    requests = b"".join(
        [
            frame(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "initialize",
                    "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}},
                }
            ),
            frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
            frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
            frame({"jsonrpc": "2.0", "method": "exit"}),
        ]
    )
    completed = subprocess.run(
        [sys.executable, "-m", "mockls", *arguments],
        input=requests,
        capture_output=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr.decode(errors="replace")
    initialize, shutdown = read_frames(completed.stdout)
    assert initialize["id"] == 1
    result = initialize["result"]
    assert isinstance(result, dict)
    assert result["serverInfo"] == {"name": "mockls", "version": mockls.__version__}
    capabilities = result["capabilities"]
    assert capabilities["positionEncoding"] == "utf-16"
    assert capabilities["textDocumentSync"]["change"] == 2  # incremental
    assert capabilities["codeActionProvider"] == {
        "codeActionKinds": ["quickfix", "refactor.rewrite"],
        "resolveProvider": True,
    }
    assert shutdown == {"jsonrpc": "2.0", "id": 2, "result": None}

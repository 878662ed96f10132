"""``mockls`` without a subcommand: the language server's command line, over real processes."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"processId": None, "rootUri": None, "capabilities": {}},
}
INITIALIZED = {"jsonrpc": "2.0", "method": "initialized", "params": {}}
SHUTDOWN = {"jsonrpc": "2.0", "id": 2, "method": "shutdown"}
EXIT = {"jsonrpc": "2.0", "method": "exit"}


def frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_frame(stream: IO[bytes]) -> dict[str, Any]:
    """One message from a stream that must hold nothing but protocol frames."""
    headers: dict[str, str] = {}
    while True:
        line = stream.readline()
        assert line.endswith(b"\r\n"), f"not a protocol header: {line!r}"
        if line == b"\r\n":
            break
        name, _, value = line.decode("ascii").partition(":")
        headers[name.strip().lower()] = value.strip()
    message: dict[str, Any] = json.loads(stream.read(int(headers["content-length"])))
    return message


def read_response(stream: IO[bytes], request_id: int) -> dict[str, Any]:
    """The response to ``request_id``, skipping the server's notifications and requests."""
    while True:
        message = read_frame(stream)
        if message.get("id") == request_id and "method" not in message:
            return message


def run_session(stdin: IO[bytes], stdout: IO[bytes]) -> dict[str, Any]:
    """initialize -> initialized -> shutdown -> exit; returns the initialize result."""
    stdin.write(frame(INITIALIZE))
    stdin.flush()
    initialized = read_response(stdout, 1)
    stdin.write(frame(INITIALIZED) + frame(SHUTDOWN))
    stdin.flush()
    assert read_response(stdout, 2)["result"] is None
    stdin.write(frame(EXIT))
    stdin.flush()
    result: dict[str, Any] = initialized["result"]
    return result


class ServerProcess(subprocess.Popen[bytes]):
    """A server process whose three standard streams are pipes."""

    stdin: IO[bytes]
    stdout: IO[bytes]
    stderr: IO[bytes]


def start_server(*args: str) -> ServerProcess:
    return ServerProcess(
        [sys.executable, "-m", "mockls", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("args", [[], ["--stdio"], ["--stdio", "-vv"]])
def test_the_server_speaks_only_the_protocol_on_stdout(args: list[str]) -> None:
    with start_server(*args) as server:
        result = run_session(server.stdin, server.stdout)
        server.stdin.close()
        assert server.wait(timeout=60) == 0
        assert server.stdout.read() == b""  # nothing after the protocol either
        stderr = server.stderr.read().decode()
    assert result["serverInfo"]["name"] == "mockls"
    assert "Traceback" not in stderr
    if "-vv" in args:
        assert " DEBUG " in stderr  # -vv logs, and to stderr


def test_log_file_receives_the_log(tmp_path: Path) -> None:
    log_file = tmp_path / "mockls.log"
    with start_server("--log-file", str(log_file), "-v", "-v") as server:
        run_session(server.stdin, server.stdout)
        server.stdin.close()
        assert server.wait(timeout=60) == 0
        assert server.stderr.read() == b""
    assert " DEBUG " in log_file.read_text(encoding="utf-8")


@contextlib.contextmanager
def killed_at_exit(server: ServerProcess) -> Iterator[None]:
    """Kill the server if it is still running when the block ends (a failed test)."""
    try:
        yield
    finally:
        if server.poll() is None:
            server.kill()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_tcp_serves_one_client() -> None:
    port = free_port()
    with start_server("--tcp", f"127.0.0.1:{port}") as server, killed_at_exit(server):
        connection = None
        for _attempt in range(300):  # the server needs a moment to listen
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=30)
                break
            except ConnectionRefusedError:
                if server.poll() is not None:
                    break
                time.sleep(0.1)
        assert connection is not None, server.communicate()[1].decode()
        with connection, connection.makefile("rwb") as stream:
            result = run_session(stream, stream)
        assert server.wait(timeout=60) == 0
        assert server.stdout.read() == b""
    assert result["serverInfo"]["name"] == "mockls"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--tcp", "localhost"],
            "mockls: error: argument --tcp: expected HOST:PORT, got 'localhost'",
            id="tcp-without-port",
        ),
        pytest.param(
            ["--tcp", "localhost:99999"],
            "mockls: error: argument --tcp: expected HOST:PORT, got 'localhost:99999'",
            id="tcp-port-out-of-range",
        ),
        pytest.param(
            ["--stdio", "--tcp", "127.0.0.1:2087"],
            "mockls: error: argument --tcp: not allowed with argument --stdio",
            id="stdio-and-tcp",
        ),
        pytest.param(
            ["--log-file", "/nonexistent-dir/x.log"],
            "mockls: error: cannot open log file /nonexistent-dir/x.log: No such file or directory",
            id="log-file-in-missing-directory",
        ),
    ],
)
def test_bad_server_options_exit_2_with_one_clear_line(args: list[str], message: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "mockls", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    assert (completed.returncode, completed.stdout) == (2, "")
    assert completed.stderr.splitlines()[-1] == message


def test_check_does_not_import_the_protocol_libraries(tmp_path: Path) -> None:
    (tmp_path / "test_a.py").write_text("x = 1\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from mockls.cli import main\n"
        "code = main(['check', sys.argv[1]])\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')]\n"
        "print(code, sorted(loaded))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.stdout == "0 []\n"


def test_a_taken_tcp_port_exits_2_with_one_clear_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        completed = subprocess.run(
            [sys.executable, "-m", "mockls", "--tcp", f"127.0.0.1:{port}"],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
    assert (completed.returncode, completed.stdout) == (2, "")
    [line] = completed.stderr.splitlines()
    assert line.startswith(f"mockls: error: cannot serve on 127.0.0.1:{port}: ")

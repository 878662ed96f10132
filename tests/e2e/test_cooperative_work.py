"""Big documents do not hold the others up: through raw messages to the real server, whose
order of answers is what the tests read (never their timing).

A lint gives way to a request about another document, a cancelled request is answered
``RequestCancelled``, a lint of a replaced version publishes nothing, and a module over the
size limit that a test imports is left unread, with a line in the log and no finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mockls.files import MAX_SOURCE_CHARACTERS
from tests.e2e.raw_client import INITIALIZE, RawClient, message

REQUEST_CANCELLED = -32800
PUBLISH = "textDocument/publishDiagnostics"

SMALL = """\
from unittest import mock

from pkg import core


@mock.patch("pkg.core.helper")
def test_helper(helper):
    core.helper()
    helper.assert_called_once_wtih()
"""
SMALL_TARGET = {"line": 5, "character": 20}
"""Inside the patch target string of ``SMALL``."""

BIG_TEST = """
def test_generated_{n}():
    gateway = mock.Mock()
    gateway.pay({n})
    gateway.pay.assert_called_once_wtih({n})
"""


def big_test_module(characters: int, seed: str = "") -> str:
    """A test module of about ``characters`` characters: long enough that its lint takes
    much longer than a hover on a small document takes to answer, on any machine."""
    parts = [f"# {seed}\nfrom unittest import mock\n"]
    size = len(parts[0])
    n = 0
    while size < characters:
        parts.append(BIG_TEST.format(n=n))
        size += len(parts[-1])
        n += 1
    return "".join(parts)


BIG_CHARACTERS = 1_000_000

CORE = "def helper():\n    return 1\n"

GENERATED_FUNCTION = "def function_{n}(value):\n    return value + {n}\n\n\n"

USES_GENERATED = """\
from unittest import mock

from pkg import core, generated


@mock.patch("pkg.generated.function_7")
def test_generated(function):
    generated.function_7(1)


@mock.patch("pkg.core.helpr")
def test_core(helper):
    core.helper()
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'big'\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "core.py").write_text(CORE)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_small.py").write_text(SMALL)
    # Generated code under test, too big to read: more bytes than the limit could ever hold.
    unit = "".join(GENERATED_FUNCTION.format(n=n) for n in range(8))
    (tmp_path / "pkg" / "generated.py").write_text(
        unit * (4 * MAX_SOURCE_CHARACTERS // len(unit) + 1)
    )
    (tmp_path / "tests" / "test_generated.py").write_text(USES_GENERATED)
    return tmp_path


@pytest.fixture
def client(workspace: Path) -> Iterator[RawClient]:
    raw = RawClient("-v")
    params = {
        **INITIALIZE,
        "rootUri": workspace.as_uri(),
        "workspaceFolders": [{"uri": workspace.as_uri(), "name": "big"}],
    }
    raw.send(message(id="initialize", method="initialize", params=params))
    raw.answer("initialize")
    raw.send(message(method="initialized", params={}))
    yield raw
    raw.close()


def open_document(client: RawClient, uri: str, text: str, version: int = 1) -> None:
    document = {"uri": uri, "languageId": "python", "version": version, "text": text}
    client.send(message(method="textDocument/didOpen", params={"textDocument": document}))


def hover(client: RawClient, message_id: str, uri: str, position: dict[str, int]) -> None:
    params = {"textDocument": {"uri": uri}, "position": position}
    client.send(message(id=message_id, method="textDocument/hover", params=params))


def published(uri: str, version: int | None = None) -> Callable[[dict[str, Any]], bool]:
    def wanted(received: dict[str, Any]) -> bool:
        if received.get("method") != PUBLISH or received["params"]["uri"] != uri:
            return False
        return version is None or received["params"].get("version") == version

    return wanted


def test_a_hover_on_another_document_is_answered_before_a_big_lint_ends(
    client: RawClient, workspace: Path
) -> None:
    small = (workspace / "tests" / "test_small.py").as_uri()
    open_document(client, small, SMALL)
    client.first(published(small))
    big = (workspace / "tests" / "test_big.py").as_uri()
    open_document(client, big, big_test_module(BIG_CHARACTERS))

    hover(client, "hover", small, SMALL_TARGET)
    answer = client.answer("hover")
    assert answer["result"] is not None
    big_diagnostics = client.first(published(big))
    assert client.received.index(answer) < client.received.index(big_diagnostics)
    assert len(big_diagnostics["params"]["diagnostics"]) > 1000  # the lint did end, in full


def test_a_cancelled_request_is_answered_request_cancelled(
    client: RawClient, workspace: Path
) -> None:
    big = (workspace / "tests" / "test_big.py").as_uri()
    open_document(client, big, big_test_module(BIG_CHARACTERS))
    hover(client, "hover", big, {"line": 4, "character": 5})  # needs the big model first
    client.send(message(method="$/cancelRequest", params={"id": "hover"}))

    answer = client.answer("hover")
    assert answer["error"]["code"] == REQUEST_CANCELLED
    hover(client, "again", big, {"line": 4, "character": 5})
    assert "error" not in client.answer("again")  # the server goes on answering


def test_a_lint_of_a_replaced_version_publishes_nothing(client: RawClient, workspace: Path) -> None:
    big = (workspace / "tests" / "test_big.py").as_uri()
    open_document(client, big, big_test_module(BIG_CHARACTERS, seed="first"))
    change = {
        "textDocument": {"uri": big, "version": 2},
        "contentChanges": [{"text": big_test_module(BIG_CHARACTERS // 10, seed="second")}],
    }
    client.send(message(method="textDocument/didChange", params=change))

    client.first(published(big, version=2))
    assert [
        received["params"].get("version")
        for received in client.received
        if published(big)(received)
    ] == [2]
    client.close()
    assert b"Traceback" not in client.stderr


def test_a_module_under_test_over_the_limit_is_unread_with_a_log_line_and_no_finding(
    client: RawClient, workspace: Path
) -> None:
    generated = workspace / "pkg" / "generated.py"  # written before the server started
    small = (workspace / "tests" / "test_small.py").as_uri()
    open_document(client, small, SMALL)
    hover(client, "ready", small, SMALL_TARGET)  # answered once the project is indexed
    assert client.answer("ready")["result"] is not None

    test = (workspace / "tests" / "test_generated.py").as_uri()
    open_document(client, test, USES_GENERATED)
    diagnostics = client.first(published(test))["params"]["diagnostics"]
    assert [(item["code"], item["range"]["start"]["line"]) for item in diagnostics] == [
        ("unresolved-patch-target", 10)  # the misspelled one; nothing on the unread module
    ]
    hover(client, "hover", test, {"line": 5, "character": 25})
    assert client.answer("hover")["result"] is None  # nothing known about it: nothing shown
    client.close()
    log = client.stderr.decode()
    assert f"indexing {generated} as unread: " in log
    assert "over the limit of 4,194,304 characters: not analysed" in log

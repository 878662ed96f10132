"""A real editor: headless Neovim gets mockls's diagnostics for the shop example and applies a fix.

Neovim (0.7, Debian's; ``make neovim`` installs it) runs the server as a user's config would,
from a copy of ``examples/shop``. What it receives is compared whole with what the pipeline
finds in the same file, converted to the protocol by this test's own reference conversion;
what it shows (byte columns) is compared too, so a column mistake on non-ASCII lines shows.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mockls.config import load_project_settings
from mockls.findings import Finding
from mockls.linter import lint_source
from mockls.spans import Position, TextEdit

pytestmark = pytest.mark.editor

REPOSITORY = Path(__file__).resolve().parents[2]
SHOP = REPOSITORY / "examples" / "shop"
DRIVER = Path(__file__).with_name("drive_neovim.lua")
NVIM = shutil.which("nvim")

UNICODE_TEST = """\
from unittest import mock


def test_greeting_is_sent():
    mailer = mock.Mock()
    greeting = "Grüße 👋"; mailer.send(greeting); mailer.send.assert_called_once_wtih(greeting)
"""

SEVERITY = {"error": 1, "warning": 2, "information": 3, "hint": 4}


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def units(text: str, codec: str) -> int:
    width = 2 if codec == "utf-16-le" else 1
    return len(text.encode(codec)) // width


def client_position(text: str, position: Position, codec: str = "utf-16-le") -> dict[str, int]:
    line = lines_of(text)[position.line]
    return {"line": position.line, "character": units(line[: position.character], codec)}


def client_range(text: str, start: Position, end: Position) -> dict[str, Any]:
    return {"start": client_position(text, start), "end": client_position(text, end)}


def expected_findings(path: Path, text: str) -> list[Finding]:
    loaded = load_project_settings(path)
    assert loaded.root is not None
    return lint_source(text, path.relative_to(loaded.root).as_posix(), loaded.settings)


def published_form(path: Path, text: str, finding: Finding) -> dict[str, Any]:
    """A finding as the protocol's Diagnostic, with related locations (Neovim takes them)."""
    diagnostic: dict[str, Any] = {
        "range": client_range(text, finding.span.start, finding.span.end),
        "message": finding.message,
        "severity": SEVERITY[finding.severity.value],
        "code": finding.code,
        "source": "mockls",
    }
    if finding.related:
        root = load_project_settings(path).root
        assert root is not None
        diagnostic["relatedInformation"] = [
            {
                "location": {
                    "uri": (root / related.path).as_uri(),
                    "range": client_range(text, related.span.start, related.span.end),
                },
                "message": related.message,
            }
            for related in finding.related
        ]
    return diagnostic


def shown_form(text: str, finding: Finding) -> dict[str, Any]:
    """A finding as Neovim shows it: byte columns."""
    start = client_position(text, finding.span.start, "utf-8")
    end = client_position(text, finding.span.end, "utf-8")
    return {
        "lnum": start["line"],
        "col": start["character"],
        "end_lnum": end["line"],
        "end_col": end["character"],
        "severity": SEVERITY[finding.severity.value],
        "source": "mockls",
        "message": finding.message,
    }


def applied(text: str, edits: tuple[TextEdit, ...]) -> str:
    lines = lines_of(text)

    def offset(position: Position) -> int:
        return sum(len(line) + 1 for line in lines[: position.line]) + position.character

    for edit in sorted(edits, key=lambda item: item.span.start, reverse=True):
        text = text[: offset(edit.span.start)] + edit.new_text + text[offset(edit.span.end) :]
    return text


def run_neovim(project: Path, file: Path, fix_at: Position, text: str) -> dict[str, Any]:
    assert NVIM is not None, "nvim is not installed: `make neovim` installs it"
    output = project / "neovim-result.json"
    parameters = project / "neovim-parameters.json"
    parameters.write_text(
        json.dumps(
            {
                "command": [sys.executable, "-m", "mockls"],
                "root": str(project),
                "file": str(file),
                "output": str(output),
                "fix_at": client_position(text, fix_at),
            }
        )
    )
    completed = subprocess.run(
        [
            "timeout",
            "120",
            NVIM,
            "--headless",
            "-u",
            "NONE",
            "-i",
            "NONE",
            "-n",
            "-c",
            f"luafile {DRIVER}",
        ],
        cwd=project,
        env={**os.environ, "MOCKLS_DRIVE": str(parameters), "XDG_STATE_HOME": str(project)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert output.exists(), (
        f"Neovim wrote nothing (exit {completed.returncode}): {completed.stderr}"
    )
    result: dict[str, Any] = json.loads(output.read_text())
    assert "failure" not in result, result["failure"]
    assert completed.returncode == 0, completed.stderr
    return result


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    project = tmp_path / "shop"
    shutil.copytree(SHOP, project, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    (project / "tests" / "test_unicode.py").write_text(UNICODE_TEST, encoding="utf-8")
    return project


@pytest.mark.parametrize("test_file", ["tests/test_orders.py", "tests/test_unicode.py"])
def test_neovim_shows_the_diagnostics_and_applies_a_quick_fix(shop: Path, test_file: str) -> None:
    path = shop / test_file
    text = path.read_text(encoding="utf-8")
    findings = expected_findings(path, text)
    fixable = next(finding for finding in findings if finding.code == "misspelled-assert")
    fix_at = Position(fixable.span.start.line, fixable.span.start.character + 1)

    result = run_neovim(shop, path, fix_at, text)

    opened = result["opened"]
    assert opened["published"]["uri"] == path.as_uri()
    assert opened["published"]["diagnostics"] == [
        published_form(path, text, finding) for finding in findings
    ]
    assert opened["shown"] == [shown_form(text, finding) for finding in findings]

    diagnostic = published_form(path, text, fixable)
    assert [
        (action["title"], action["kind"], action.get("isPreferred"), action["diagnostics"])
        for action in result["actions"]
    ] == [
        (fix.title, "quickfix", fix.is_preferred or len(fixable.fixes) == 1, [diagnostic])
        for fix in fixable.fixes
    ]

    fixed_text = applied(text, fixable.fixes[0].edits)
    assert "\n".join(result["fixed_lines"]) + "\n" == fixed_text
    compile(fixed_text, test_file, "exec")
    fixed = result["fixed"]
    assert fixed["published"]["version"] > opened["published"]["version"]
    assert fixed["published"]["diagnostics"] == [
        published_form(path, fixed_text, finding) for finding in expected_findings(path, fixed_text)
    ]

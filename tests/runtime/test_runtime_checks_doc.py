"""docs/runtime-checks.md is executed: its VS Code settings are valid JSON that pass
``--mockls`` to pytest, every option it names exists in the real commands, and the terminal
section it shows is what the planted suite really prints."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.runtime.conftest import REPO, run_pytest

DOC = REPO / "docs" / "runtime-checks.md"
_FENCE = re.compile(r"^```(?P<language>\w*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[str]:
    return [m["body"] for m in _FENCE.finditer(DOC.read_text("utf-8")) if m["language"] == language]


def test_the_vs_code_settings_pass_mockls_to_pytest() -> None:
    (settings,) = blocks("json")
    assert "--mockls" in json.loads(settings)["python.testing.pytestArgs"]


def test_every_option_the_doc_names_exists(planted: Path) -> None:
    pytest_help = run_pytest(planted, "--help").stdout
    merge_help = subprocess.run(
        [sys.executable, "-m", "mockls", "merge-reports", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    text = DOC.read_text("utf-8")
    for option in sorted(set(re.findall(r"--mockls[\w-]*", text))):
        assert option in pytest_help, option
    assert "-o" in merge_help


def test_the_terminal_section_shown_is_what_the_planted_suite_prints(planted: Path) -> None:
    shown = [
        line
        for block in blocks("console")
        for line in block.splitlines()
        if line.startswith(("mockls: ", "tests/"))
    ]
    printed = run_pytest(planted, "--mockls").stdout.splitlines()
    assert shown
    assert all(line in printed for line in shown)

"""docs/configuration.md's part on ``mockls check`` is executed: its option table lists exactly
the options ``--help`` does, its command lines run, and its error messages are the real ones."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import CheckCommand

DOC = Path(__file__).parents[2] / "docs" / "configuration.md"
TEXT = DOC.read_text(encoding="utf-8")
OPTIONS_TABLE = TEXT[
    TEXT.index("## `mockls check` options") : TEXT.index("`--config` takes a path")
]
COMMANDS = re.findall(r"^\$ mockls (check .*)$", TEXT, flags=re.MULTILINE)
ERRORS = re.findall(r"`(mockls: error: .*?)`", " ".join(TEXT.split()))

PROJECT = {
    "pyproject.toml": "[tool.mockls]\n",
    "tests/test_a.py": (
        "from unittest.mock import Mock\n\n\ndef test_a():\n    m = Mock()\n"
        "    m.retrun_value = 3\n    m.assert_called_once_wtih(1)\n"
    ),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name, text in PROJECT.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_table_lists_every_option_of_check(tmp_path: Path, check_command: CheckCommand) -> None:
    shown = check_command(tmp_path, "--help").stdout
    options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", shown)) - {"--help"}
    assert set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", OPTIONS_TABLE)) == options


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_line_runs(project: Path, command: str, check_command: CheckCommand) -> None:
    result = check_command(project, *shlex.split(command)[1:])
    assert result.returncode in (0, 1), result.stderr
    assert "error" not in result.stderr


def test_the_documented_errors_are_the_ones_mockls_gives(
    project: Path, check_command: CheckCommand
) -> None:
    assert len(ERRORS) == 2
    unknown_key = check_command(project, "--config", "selct = ['misspelled-assert']")
    statistics = check_command(project, "--statistics", "--format", "sarif")
    assert [unknown_key.stderr.strip(), statistics.stderr.strip()] == ERRORS

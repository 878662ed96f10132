"""What the command-line tests share: running the real ``mockls check`` in a directory."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

CheckCommand = Callable[..., subprocess.CompletedProcess[str]]
"""``check(cwd, *args)``: ``python -m mockls check ARGS`` run in ``cwd``; its ``stderr``
without the line naming the interpreter that resolves targets (which
``test_check_command.py`` checks on its own)."""

INTERPRETER_LINE = re.compile(
    r"^mockls: (?:warning: )?the project at .*targets (?:are )?resolved with .*\n", re.MULTILINE
)


@pytest.fixture
def check_command() -> CheckCommand:
    def check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
        completed = subprocess.run(
            [sys.executable, "-m", "mockls", "check", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            stdin=subprocess.DEVNULL,
            timeout=120,
            check=False,
        )
        completed.stderr = INTERPRETER_LINE.sub("", completed.stderr)
        return completed

    return check

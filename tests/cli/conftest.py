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


def run_check(cwd: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """``python -m mockls check ARGS`` run in ``cwd``, its output whole."""
    return subprocess.run(
        [sys.executable, "-m", "mockls", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def check_command() -> CheckCommand:
    def check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
        completed = run_check(cwd, *args, timeout=120)
        completed.stderr = INTERPRETER_LINE.sub("", completed.stderr)
        return completed

    return check

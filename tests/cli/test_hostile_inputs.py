"""``mockls check`` on hostile files and settings: a clear message each, and nothing lost.

Directories without permissions, a pattern built to backtrack, a pyproject nested hundreds
deep, file names holding line breaks and terminal escapes, and a file over the size limit.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import jedi
import parso
import pytest

import mockls
from mockls.files import MAX_SOURCE_CHARACTERS
from tests.cli.conftest import run_check

from .conftest import INTERPRETER_LINE

TYPO = (
    "from unittest import mock\n\n\ndef test_x():\n    m = mock.Mock()\n"
    "    m.assert_called_once_wtih(1)\n"
)
FINDING = (
    ":6:7: misspelled-assert `assert_called_once_wtih` is not a mock assertion; did you mean"
    " `assert_called_once_with`? (the mock raises AttributeError for it, or, if made with"
    " unsafe=True, returns a child mock and checks nothing)"
)

AS_NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
SYSTEM_PYTHON = "/usr/bin/python3"


@pytest.fixture
def unprivileged_check() -> Iterator[list[str]]:
    """A command running ``mockls check`` as a user permissions apply to: this one, or, for
    root (whom they do not stop), ``nobody`` with a copy of mockls it may read."""
    if os.geteuid() != 0:
        yield [sys.executable, "-m", "mockls", "check"]
        return
    if not Path(SYSTEM_PYTHON).exists() or shutil.which("setpriv") is None:
        pytest.fail("root needs setpriv and /usr/bin/python3 to check as nobody")
    copy = Path(tempfile.mkdtemp(prefix="mockls-nobody-"))
    try:
        engine = importlib.util.find_spec("mockengine")  # copied, not imported
        assert engine is not None
        assert engine.origin is not None
        for source in [Path(package.__file__ or "").parent for package in (mockls, jedi, parso)]:
            shutil.copytree(source, copy / source.name)
        shutil.copytree(Path(engine.origin).parent, copy / "mockengine")
        for path in (copy, *copy.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
        yield [*AS_NOBODY, "env", f"PYTHONPATH={copy}", SYSTEM_PYTHON, "-m", "mockls", "check"]
    finally:
        shutil.rmtree(copy)


def test_directories_without_permissions_are_reported_and_the_rest_is_checked(
    unprivileged_check: list[str],
) -> None:
    root = Path(tempfile.mkdtemp(prefix="mockls-permissions-"))
    try:
        for directory in ("ok", "no_search/inner", "no_read"):
            (root / directory).mkdir(parents=True)
        for file in ("ok/test_a.py", "no_search/inner/test_b.py", "no_read/test_c.py"):
            (root / file).write_text(TYPO)
        for path in (root, *root.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
        (root / "no_search").chmod(0o744)  # listed, but nothing in it can be reached
        (root / "no_read").chmod(0o711)  # entered, but not listed
        outcome = subprocess.run(
            unprivileged_check,
            cwd=root,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        for path in (root / "no_search", root / "no_read"):
            path.chmod(0o755)
        shutil.rmtree(root)
    assert outcome.stdout.splitlines() == ["ok/test_a.py" + FINDING], outcome.stderr
    assert INTERPRETER_LINE.sub("", outcome.stderr).splitlines() == [
        "mockls: error: cannot read no_read: Permission denied",
        "mockls: error: cannot read no_search/inner: Permission denied",
        "Found 1 problem in 1 file.",
    ]
    assert outcome.returncode == 2


def test_an_exclude_pattern_built_to_backtrack_matches_in_linear_time(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.mockls]\nexclude = ["*a*a*a*a*a*a*a*b"]\n')
    for name in ("a" * 200, "a" * 200 + "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "test_x.py").write_text(TYPO)
    outcome = run_check(tmp_path)  # the old translation would take longer than the universe
    assert outcome.stdout.splitlines() == ["a" * 200 + "/test_x.py" + FINDING]


def test_a_pyproject_nested_too_deeply_is_one_warning(tmp_path: Path) -> None:
    depth = 500
    (tmp_path / "pyproject.toml").write_text(
        "[tool.mockls]\nselect = " + "{a = " * depth + "1" + "}" * depth + "\n"
    )
    (tmp_path / "test_x.py").write_text(TYPO)
    outcome = run_check(tmp_path)
    assert outcome.stdout.splitlines() == ["test_x.py" + FINDING]
    assert INTERPRETER_LINE.sub("", outcome.stderr).splitlines() == [
        "mockls: warning: "
        f"{tmp_path / 'pyproject.toml'}: invalid TOML: nested too deeply to read;"
        " using the default settings",
        "Found 1 problem in 1 file.",
    ]


def test_control_characters_in_file_names_are_escaped_in_the_text_output(
    tmp_path: Path,
) -> None:
    name = "test_\n1:1: fake-finding \x1b[31mred\x1b]8;;x\x07.py"
    (tmp_path / name).write_text(TYPO)
    outcome = run_check(tmp_path, name)
    assert outcome.stdout.splitlines() == [
        "test_\\n1:1: fake-finding \\x1b[31mred\\x1b]8;;x\\x07.py" + FINDING
    ]
    assert "\x1b" not in outcome.stdout + outcome.stderr


def test_a_file_over_the_size_limit_is_an_error_and_the_others_are_checked(
    tmp_path: Path,
) -> None:
    (tmp_path / "test_x.py").write_text(TYPO)
    line = "VALUE = 1  # generated\n"
    (tmp_path / "test_generated.py").write_text(line * (MAX_SOURCE_CHARACTERS // len(line) + 1))
    outcome = run_check(tmp_path)
    assert outcome.stdout.splitlines() == ["test_x.py" + FINDING]
    size = (MAX_SOURCE_CHARACTERS // len(line) + 1) * len(line)
    assert INTERPRETER_LINE.sub("", outcome.stderr).splitlines() == [
        f"mockls: error: test_generated.py: {size:,} characters, over the limit of"
        f" {MAX_SOURCE_CHARACTERS:,}: not analysed",
        "Found 1 problem in 1 file.",
    ]
    assert outcome.returncode == 2

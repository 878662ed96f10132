"""The pre-commit hooks of .pre-commit-hooks.yaml, tried for real: ``pre-commit try-repo`` on
this checkout, in a temporary git repository holding a test with a mock mistake. pre-commit
installs the hooks' environment with pip from the checkout (and PyPI for the dependencies)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml  # pre-commit's own dependency

REPOSITORY = Path(__file__).resolve().parents[2]
DOC = REPOSITORY / "docs" / "configuration.md"

MISTAKE = (
    "from unittest.mock import Mock\n\n\ndef test_pay():\n    m = Mock()\n"
    "    m.assert_called_once_wtih(1)\n"
)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def try_repo(project: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPOSITORY), "--all-files"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, "PRE_COMMIT_HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )


def test_the_hooks_report_then_fix_the_mistake(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_pay.py").write_text(MISTAKE, encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", "test_pay.py")

    first = try_repo(project, tmp_path / "pre-commit-home")

    assert first.returncode == 1, first.stdout + first.stderr
    output = first.stdout
    assert re.search(r"^mockls\.+Failed$", output, re.M)
    assert "test_pay.py:6:7: misspelled-assert `assert_called_once_wtih`" in output
    assert re.search(r"^mockls \(apply the safe fixes\)\.+Failed$", output, re.M)
    assert "- files were modified by this hook" in output
    assert "Fixed 1 problem (0 remaining)." in output
    fixed = (project / "test_pay.py").read_text(encoding="utf-8")
    assert fixed == MISTAKE.replace("_wtih", "_with")

    again = try_repo(project, tmp_path / "pre-commit-home")

    assert again.returncode == 0, again.stdout + again.stderr
    assert len(re.findall(r"\.+Passed$", again.stdout, re.M)) == 2


def test_the_documented_config_names_the_hooks_there_are() -> None:
    hooks = yaml.safe_load((REPOSITORY / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [block] = re.findall(
        r"```yaml\n(# \.pre-commit-config\.yaml.*?)```", DOC.read_text("utf-8"), re.S
    )
    [repo] = yaml.safe_load(block)["repos"]
    assert [hook["id"] for hook in repo["hooks"]] == [hook["id"] for hook in hooks]
    assert hooks[0]["entry"] == "mockls check"
    assert hooks[1]["entry"] == "mockls check --fix"

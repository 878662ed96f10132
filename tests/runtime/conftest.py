"""Real ``pytest --mockls`` runs on copies of the projects in ``tests/fixtures``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPO = FIXTURES.parents[1]

RunPytest = Callable[..., subprocess.CompletedProcess[str]]


def run_pytest(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """pytest in ``project`` (its own rootdir and settings), as a user runs it."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *arguments],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def copy_fixture(name: str, destination: Path) -> Path:
    project = destination / name
    shutil.copytree(
        FIXTURES / name, project, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache")
    )
    return project


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    """A fresh copy of ``tests/fixtures/runtime_suite``."""
    return copy_fixture("runtime_suite", tmp_path)


def report_of(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def facts_of(project: Path) -> dict[str, Any]:
    return json.loads((project / ".pytest_cache" / "v" / "mockls" / "facts").read_text())  # type: ignore[no-any-return]

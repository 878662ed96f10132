"""Projects on disk for the resolve tests, and a one-line rendering of resolutions."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mockls.resolve.project import Project
from mockls.resolve.resolution import Resolution, Resolved

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def describe(resolution: Resolution, root: Path) -> str:
    """A resolution in one line with every field that matters, paths relative to ``root``.

    ``function shop.payments.charge (amount, currency='EUR') @ shop/payments.py:12:5``;
    ``unresolved at 2 after shop.payments: charge, refund``; ``unknown``.
    """
    if resolution is None:
        return "unknown"
    if isinstance(resolution, Resolved):
        text = f"{resolution.kind.value} {resolution.qualified_name}"
        if resolution.origin.value != "workspace":
            text += f" [{resolution.origin.value}]"
        if resolution.signature is not None:
            text += f" {resolution.signature.text()}"
        location = resolution.location
        if location is not None and resolution.origin.value == "workspace":
            relative = Path(location.path).relative_to(root).as_posix()
            start = location.span.start
            text += f" @ {relative}:{start.line + 1}:{start.character + 1}"
        return text
    text = f"unresolved at {resolution.failing_segment} after {resolution.resolved_prefix!r}"
    if resolution.candidates:
        text += ": " + ", ".join(resolution.candidates)
    return text


@pytest.fixture(scope="module")
def layered() -> Project:
    """The ``layered`` fixture project (flat layout, re-exports, cycles), scanned."""
    project = Project(FIXTURES / "layered")
    project.scan()
    return project


@pytest.fixture(scope="session")
def installed_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the ``src_layout`` project with a ``.venv`` whose site-packages holds
    ``fancylib`` (copied in by hand: nothing is downloaded or built)."""
    workspace = tmp_path_factory.mktemp("installed") / "workspace"
    shutil.copytree(FIXTURES / "src_layout", workspace)
    venv = workspace / ".venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    python = venv / "bin" / "python"
    site_packages = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    shutil.copytree(FIXTURES / "site_packages" / "fancylib", Path(site_packages) / "fancylib")
    return workspace


@pytest.fixture(scope="session")
def installed(installed_workspace: Path) -> Project:
    """The ``src_layout`` project with its ``.venv`` found by itself, scanned."""
    project = Project(installed_workspace)
    project.scan()
    return project

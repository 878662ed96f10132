"""The extension's launcher (vscode-extension/bundled/tool/launch_server.py) puts the bundled
libraries on sys.path as ``mockls.importStrategy`` says, and starts the mockls it chose."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LAUNCHER = Path(__file__).parents[2] / "vscode-extension" / "bundled" / "tool" / "launch_server.py"

BUNDLED_CLI = """
def main(argv):
    print("bundled mockls", *argv)
    return 0
"""


@pytest.fixture
def extension(tmp_path: Path) -> Path:
    """An extension folder: the real launcher, and a bundled mockls that says it is bundled."""
    (tmp_path / "tool").mkdir()
    shutil.copy(LAUNCHER, tmp_path / "tool" / "launch_server.py")
    package = tmp_path / "libs" / "mockls"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "cli.py").write_text(BUNDLED_CLI)
    return tmp_path


def launch(extension: Path, python: str, strategy: str | None) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    if strategy is not None:
        environment["MOCKLS_IMPORT_STRATEGY"] = strategy
    return subprocess.run(
        [python, str(extension / "tool" / "launch_server.py"), "--version"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


def bare_python() -> str:
    """An interpreter without mockls installed: the one this venv was made from."""
    return str(Path(sys.base_prefix) / "bin" / "python3")


@pytest.mark.parametrize("strategy", [None, "useBundled"])
def test_use_bundled_runs_the_bundled_mockls_even_when_the_environment_has_one(
    extension: Path, strategy: str | None
) -> None:
    result = launch(extension, sys.executable, strategy)
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "bundled mockls --version\n",
        "",
    )


def test_from_environment_runs_the_environments_mockls(extension: Path) -> None:
    from mockls import __version__  # noqa: PLC0415  (the installed mockls this venv has)

    result = launch(extension, sys.executable, "fromEnvironment")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"mockls {__version__}\n", "")


def test_from_environment_falls_back_to_the_bundled_mockls_and_says_so(extension: Path) -> None:
    python = bare_python()
    result = launch(extension, python, "fromEnvironment")
    assert result.returncode == 0
    assert result.stdout == "bundled mockls --version\n"
    assert (
        result.stderr == f"mockls: mockls is not installed for {python}; using the bundled copy\n"
    )


def test_an_unknown_strategy_uses_the_bundled_mockls_and_says_so(extension: Path) -> None:
    result = launch(extension, sys.executable, "fromSomewhere")
    assert result.stdout == "bundled mockls --version\n"
    assert (
        result.stderr
        == "mockls: unknown import strategy 'fromSomewhere'; using the bundled mockls\n"
    )

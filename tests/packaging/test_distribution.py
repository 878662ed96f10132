"""The distribution as PyPI would get it: ``python -m build`` makes an sdist and, from it, a
wheel; both pass ``twine check``; the wheel installed into a fresh venv gives a working
``mockls``, ``mockengine`` and every entry point it declares, and nothing of the tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from mockls import __version__

REPOSITORY = Path(__file__).resolve().parents[2]

ENTRY_POINTS = """\
import importlib.metadata

for entry_point in importlib.metadata.distribution("mockls").entry_points:
    entry_point.load()
    print(entry_point.group, entry_point.name)
"""


def run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
        check=False,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel built from it (``python -m build``'s default)."""
    out = tmp_path_factory.mktemp("dist")
    built = run(sys.executable, "-m", "build", "--outdir", out, REPOSITORY)
    assert built.returncode == 0, built.stdout + built.stderr
    return out


@pytest.fixture(scope="module")
def venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only the wheel (and its dependencies) installed."""
    root = tmp_path_factory.mktemp("venv")
    created = run(sys.executable, "-m", "venv", root)
    assert created.returncode == 0, created.stderr
    [wheel] = dist.glob("*.whl")
    installed = run(root / "bin" / "python", "-m", "pip", "install", "--quiet", wheel)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return root


def test_both_pass_twine_check(dist: Path) -> None:
    files = sorted(dist.iterdir())
    assert [path.name for path in files] == [
        f"mockls-{__version__}-py3-none-any.whl",
        f"mockls-{__version__}.tar.gz",
    ]
    checked = run(sys.executable, "-m", "twine", "check", "--strict", *files)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_sdist_holds_the_tests_docs_and_example(dist: Path) -> None:
    [sdist] = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for required in (
        "pyproject.toml",
        "Makefile",
        "README.md",
        "tests/cli/test_check_fix.py",
        "examples/shop/pyproject.toml",
        "docs/configuration.md",
        "docs/schemas/check-json.schema.json",
        ".pre-commit-hooks.yaml",
        "server/mockls/cli.py",
        "mockengine/__init__.py",
    ):
        assert required in names
    assert not [name for name in names if "__pycache__" in name]


def test_the_wheel_holds_only_the_two_packages(dist: Path) -> None:
    [wheel] = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/", 1)[0] for name in archive.namelist()}
    assert tops == {"mockls", "mockengine", f"mockls-{__version__}.dist-info"}


def test_the_version_has_one_source() -> None:
    """``mockls.__version__`` is what the distribution, ``--version`` and the VS Code extension
    that bundles the server say."""
    package = json.loads((REPOSITORY / "vscode-extension" / "package.json").read_text("utf-8"))
    assert package["version"] == __version__
    pyproject = (REPOSITORY / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert 'version = { attr = "mockls.__version__" }' in pyproject


def test_the_installed_command_runs(venv: Path, tmp_path: Path) -> None:
    version = run(venv / "bin" / "mockls", "--version")
    assert (version.returncode, version.stdout) == (0, f"mockls {__version__}\n")
    (tmp_path / "test_pay.py").write_text(
        "from unittest.mock import Mock\n\n\ndef test_pay():\n    m = Mock()\n"
        "    m.assert_called_once_wtih(1)\n",
        encoding="utf-8",
    )
    checked = run(venv / "bin" / "mockls", "check", ".", cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr
    assert checked.stdout.startswith("test_pay.py:6:7: misspelled-assert ")
    fixed = run(venv / "bin" / "mockls", "check", "--fix", ".", cwd=tmp_path)
    summary = fixed.stderr.splitlines()[-1]  # after the line naming the interpreter
    assert (fixed.returncode, summary) == (0, "Fixed 1 problem (0 remaining).")


ENGINE = """\
import sys

import mockengine

charge = mockengine.Mock(return_value="ch_1")
assert charge("4242") == "ch_1"
charge.assert_called_once_with("4242")
print(mockengine.__file__.startswith(sys.prefix))
"""


def test_the_wheel_gives_mockengine_and_loads_every_entry_point(venv: Path, tmp_path: Path) -> None:
    python = venv / "bin" / "python"
    engine = run(python, "-c", ENGINE, cwd=tmp_path)
    assert (engine.returncode, engine.stdout) == (0, "True\n"), engine.stderr
    loaded = run(python, "-c", ENTRY_POINTS, cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    assert "console_scripts mockls" in loaded.stdout.splitlines()


def test_no_tests_package_is_installed(venv: Path, tmp_path: Path) -> None:
    python = venv / "bin" / "python"
    found = run(
        python,
        "-c",
        "import importlib.util; print(importlib.util.find_spec('tests'))",
        cwd=tmp_path,
    )
    assert (found.returncode, found.stdout) == (0, "None\n"), found.stderr
    [site_packages] = (venv / "lib").glob("python3*/site-packages")
    assert not (site_packages / "tests").exists()

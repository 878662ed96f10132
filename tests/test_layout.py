"""Where a workspace's modules live, as the project declares it (nothing is run to find out)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockls.layout import source_roots


@pytest.mark.parametrize(
    ("files", "configured", "expected"),
    [
        pytest.param({"pkg/__init__.py": ""}, (), ["."], id="flat"),
        pytest.param({"src/pkg/__init__.py": ""}, (), ["src", "."], id="src-layout"),
        pytest.param({"src/__init__.py": ""}, (), ["."], id="src-is-a-package"),
        pytest.param(
            {
                "pyproject.toml": '[tool.setuptools]\npackage-dir = {"" = "lib"}\n',
                "lib/ansible/__init__.py": "",
            },
            (),
            ["lib", "."],
            id="setuptools-package-dir",
        ),
        pytest.param(
            {
                "pyproject.toml": '[tool.setuptools.packages.find]\nwhere = ["lib", "test/lib"]\n',
                "lib/a/__init__.py": "",
                "test/lib/b/__init__.py": "",
            },
            (),
            ["lib", "test/lib", "."],
            id="setuptools-packages-find",
        ),
        pytest.param(
            {
                "setup.cfg": "[options]\npackage_dir =\n    =lib\n",
                "lib/a/__init__.py": "",
            },
            (),
            ["lib", "."],
            id="setup.cfg-package_dir",
        ),
        pytest.param(
            {
                "setup.cfg": "[options.packages.find]\nwhere = code\n",
                "code/a/__init__.py": "",
            },
            (),
            ["code", "."],
            id="setup.cfg-packages-find",
        ),
        pytest.param(
            {
                "pyproject.toml": (
                    '[tool.hatch.build.targets.wheel]\npackages = ["python/shop"]\n'
                ),
                "python/shop/__init__.py": "",
            },
            (),
            ["python", "."],
            id="hatch",
        ),
        pytest.param(
            {
                "pyproject.toml": (
                    '[tool.poetry]\npackages = [{include = "shop", from = "source"}]\n'
                ),
                "source/shop/__init__.py": "",
            },
            (),
            ["source", "."],
            id="poetry",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.pdm.build]\npackage-dir = "code"\n', "code/x.py": ""},
            (),
            ["code", "."],
            id="pdm",
        ),
        pytest.param(
            {"pytest.ini": "[pytest]\npythonpath = helpers\n", "helpers/h.py": ""},
            (),
            ["helpers", "."],
            id="pytest-pythonpath",
        ),
        pytest.param(
            {
                ".venv/lib/python3.11/site-packages/__editable__.shop.pth": (
                    "import __editable___finder\n{root}/packages/shop\n/elsewhere/outside\n"
                ),
                "packages/shop/shop/__init__.py": "",
            },
            (),
            ["packages/shop", "."],
            id="editable-install-inside-the-workspace",
        ),
        pytest.param(
            {"lib/a.py": "", "other/b.py": "", "src/c/__init__.py": ""},
            ("other", "missing", "../outside"),
            ["other", "src", "."],
            id="source-roots-setting-first-existing-and-inside-only",
        ),
        pytest.param(
            {"pyproject.toml": "[tool.setuptools\nbroken", "src/pkg/__init__.py": ""},
            (),
            ["src", "."],
            id="a-broken-pyproject-declares-nothing",
        ),
    ],
)
def test_source_roots_are_what_the_project_declares(
    tmp_path: Path, files: dict[str, str], configured: tuple[str, ...], expected: list[str]
) -> None:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("{root}", str(tmp_path)), encoding="utf-8")
    roots = source_roots(tmp_path, configured)
    assert [root.relative_to(tmp_path).as_posix() for root in roots] == expected

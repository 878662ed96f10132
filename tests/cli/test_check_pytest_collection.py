"""``mockls check`` sees the tests ``pytest`` collects. Without paths it looks where ``pytest``
without arguments would: the ``testpaths`` of a pytest configuration in the current directory
(globs expanded), else the current directory; ``--verify`` runs the tests of the modules that
run collects, named as the project's configuration names them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.conftest import run_check

MISTAKE = """\
from unittest import mock


def test_mistake():
    double = mock.Mock()
    double.assert_called_once_wtih(1)
"""

PATCHES = """\
from unittest import mock


def test_patches():
    with mock.patch("os.getcwd", return_value="/x"):
        pass
"""

FILES = ("tests/unit/test_a.py", "tests/unit_slow/test_b.py", "tests/e2e/test_c.py", "tools/t.py")


def project(root: Path, configuration: dict[str, str]) -> Path:
    for relative in FILES:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MISTAKE, encoding="utf-8")
    for name, text in configuration.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def checked(root: Path, *args: str, cwd: Path | None = None) -> list[str]:
    """The files ``mockls check ARGS`` reported a finding in, as it printed them."""
    outcome = run_check(cwd or root, *args)
    assert outcome.returncode == 1, outcome.stderr
    return [line.partition(":")[0] for line in outcome.stdout.splitlines()]


EVERY_FILE = [
    "tests/e2e/test_c.py",
    "tests/unit/test_a.py",
    "tests/unit_slow/test_b.py",
    "tools/t.py",
]


@pytest.mark.parametrize(
    ("configuration", "expected"),
    [
        pytest.param(
            {"pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests/unit"]\n'},
            ["tests/unit/test_a.py"],
            id="pyproject",
        ),
        pytest.param(
            {"pytest.ini": "[pytest]\ntestpaths = tests/unit* tools\n"},
            ["tests/unit/test_a.py", "tests/unit_slow/test_b.py", "tools/t.py"],
            id="pytest.ini-with-a-glob",
        ),
        pytest.param(
            {"setup.cfg": "[tool:pytest]\ntestpaths =\n    tests/e2e\n"},
            ["tests/e2e/test_c.py"],
            id="setup.cfg",
        ),
        pytest.param(
            {"tox.ini": "[pytest]\ntestpaths = nowhere\n"}, EVERY_FILE, id="matching-nothing"
        ),
        pytest.param({"pytest.ini": "[pytest]\n"}, EVERY_FILE, id="not-set"),
        pytest.param(
            {
                "pytest.ini": "[pytest]\npython_files = test_*.py\n",
                "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tools"]\n',
            },
            EVERY_FILE,
            id="pytest.ini-wins-as-in-pytest",
        ),
    ],
)
def test_without_paths_the_configured_testpaths_are_checked(
    tmp_path: Path, configuration: dict[str, str], expected: list[str]
) -> None:
    root = project(tmp_path, configuration)
    assert checked(root) == expected
    assert checked(root, ".") == EVERY_FILE  # a path given is checked whatever testpaths say


def test_testpaths_count_only_in_the_directory_of_the_configuration(tmp_path: Path) -> None:
    root = project(tmp_path, {"pytest.ini": "[pytest]\ntestpaths = tests/unit\n"})
    # pytest run in a subdirectory collects that directory, testpaths or not.
    assert checked(root, cwd=root / "tests") == [
        "e2e/test_c.py",
        "unit/test_a.py",
        "unit_slow/test_b.py",
    ]


def test_verify_runs_the_tests_pytest_collects_and_only_those(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "p"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
        encoding="utf-8",
    )
    for relative in ("tests/test_in.py", "scripts/test_outside.py", "tests/check_named.py"):
        path = tmp_path / relative
        path.parent.mkdir(exist_ok=True)
        path.write_text(PATCHES, encoding="utf-8")
    outcome = run_check(tmp_path, "--verify", ".")
    runs = [line for line in outcome.stderr.splitlines() if "`test_patches`" in line]
    assert runs == [
        "mockls: tests/test_in.py: `test_patches` passed (pytest); 1 patched target: 0 used"
    ]


PYTEST_NAMING = Path(__file__).resolve().parents[1] / "fixtures" / "pytest_naming"


def test_verify_runs_the_tests_named_as_configured_and_finds_nothing_in_correct_code(
    tmp_path: Path,
) -> None:
    root = Path(shutil.copytree(PYTEST_NAMING, tmp_path / "pytest_naming"))
    outcome = run_check(root, "--verify")
    assert outcome.returncode == 0, outcome.stdout
    assert outcome.stdout == ""
    ran = [
        line.split("`")[1]
        for line in outcome.stderr.splitlines()
        if line.startswith("mockls: tests/")
    ]
    assert ran == [  # what `pytest --collect-only` lists there (tests/analysis/test_discovery.py)
        "test_plain_class.test_by_default_prefix",
        "test_plain_class.check_by_second_prefix",
        "CaseWithAnyName.test_collected_by_unittest",
        "test_case_named_as_a_test_class.test_collected_by_unittest",
        "test_derived_from_a_plain_base.check_derived",
        "test_derived_from_object.test_derived",
        "check_module_function",
        "test_module_function",
    ]

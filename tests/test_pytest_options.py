"""Reading pytest's configuration as pytest does: the first file that has its section wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockls.pytest_options import PytestOptions, TestNaming, read_pytest_options


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({}, PytestOptions(), id="no-configuration"),
        pytest.param(
            {"pytest.ini": "[pytest]\npython_classes = test_* Test\npythonpath = lib\n"},
            PytestOptions(TestNaming(classes=("test_*", "Test")), (Path("lib"),)),
            id="pytest.ini",
        ),
        pytest.param(
            {
                "pyproject.toml": (
                    "[tool.pytest.ini_options]\n"
                    'python_files = ["check_*.py"]\n'
                    'python_functions = "check"\n'
                    'pythonpath = ["src", "."]\n'
                )
            },
            PytestOptions(
                TestNaming(files=("check_*.py",), functions=("check",)), (Path("src"), Path("."))
            ),
            id="pyproject.toml",
        ),
        pytest.param(
            {"tox.ini": "[tox]\nenvlist = py3\n[pytest]\npython_classes = test_*\n"},
            PytestOptions(TestNaming(classes=("test_*",))),
            id="tox.ini",
        ),
        pytest.param(
            {"setup.cfg": "[tool:pytest]\npython_functions = test_ it_\n"},
            PytestOptions(TestNaming(functions=("test_", "it_"))),
            id="setup.cfg",
        ),
        pytest.param(
            {
                "pyproject.toml": "[project]\nname = 'x'\n",
                "setup.cfg": "[tool:pytest]\npython_classes = test_*\n",
            },
            PytestOptions(TestNaming(classes=("test_*",))),
            id="pyproject-without-the-section-is-skipped",
        ),
        pytest.param(
            {
                "pytest.ini": "[pytest]\npython_classes = Check\n",
                "setup.cfg": "[tool:pytest]\npython_classes = test_*\n",
            },
            PytestOptions(TestNaming(classes=("Check",))),
            id="pytest.ini-first",
        ),
        pytest.param(
            {
                "pyproject.toml": "[tool.pytest.ini_options\nbroken",
                "tox.ini": "[pytest]\npython_classes = test_*\n",
            },
            PytestOptions(TestNaming(classes=("test_*",))),
            id="a-broken-file-is-passed-over",
        ),
    ],
)
def test_pytest_options_are_read_as_pytest_reads_them(
    tmp_path: Path, files: dict[str, str], expected: PytestOptions
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    absolute = PytestOptions(
        expected.naming, tuple((tmp_path / path).resolve() for path in expected.pythonpath)
    )
    assert read_pytest_options(tmp_path) == absolute


@pytest.mark.parametrize(
    ("patterns", "name", "collected"),
    [
        (("Test",), "TestWorker", True),
        (("Test",), "test_Worker", False),
        (("test_*",), "test_Worker", True),
        (("*Suite",), "WorkerSuite", True),
        (("*Suite",), "WorkerSuites", False),
    ],
)
def test_a_pattern_is_a_glob_with_glob_characters_else_a_prefix(
    patterns: tuple[str, ...], name: str, collected: bool
) -> None:
    assert TestNaming(classes=patterns).is_test_class(name) is collected


@pytest.mark.parametrize(
    ("testpaths", "expected"),
    [
        pytest.param("tests", ["tests"], id="a-directory"),
        pytest.param("tests/unit* docs", ["tests/unit", "tests/unit_slow", "docs"], id="globs"),
        pytest.param("tests/**/test_*.py", ["tests/unit/test_a.py"], id="a-recursive-glob"),
        pytest.param("missing tests/unit", ["tests/unit"], id="a-missing-path-is-dropped"),
        pytest.param("missing", [], id="nothing-matches-the-root-is-searched"),
    ],
)
def test_testpaths_are_expanded_as_pytest_expands_them(
    tmp_path: Path, testpaths: str, expected: list[str]
) -> None:
    for directory in ("tests/unit", "tests/unit_slow", "docs"):
        (tmp_path / directory).mkdir(parents=True)
    (tmp_path / "tests" / "unit" / "test_a.py").write_text("", encoding="utf-8")
    (tmp_path / "pytest.ini").write_text(f"[pytest]\ntestpaths = {testpaths}\n", encoding="utf-8")
    found = read_pytest_options(tmp_path).testpaths
    assert found == tuple(tmp_path / relative for relative in expected)


@pytest.mark.parametrize(
    ("relative", "collected"),
    [
        pytest.param("tests/test_x.py", True, id="under-testpaths"),
        pytest.param("tests/deep/x_test.py", True, id="deeper"),
        pytest.param("tests/helpers.py", False, id="not-a-test-file-name"),
        pytest.param("scripts/test_x.py", False, id="outside-testpaths"),
        pytest.param("tests_other/test_x.py", False, id="a-sibling-with-the-same-prefix"),
    ],
)
def test_pytest_collects_test_files_under_testpaths(relative: str, collected: bool) -> None:
    root = Path("/project")
    options = PytestOptions(testpaths=(root / "tests",))
    assert options.collects(root / relative) is collected
    assert PytestOptions().collects(root / relative) is relative.endswith(("test_x.py", "_test.py"))

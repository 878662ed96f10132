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

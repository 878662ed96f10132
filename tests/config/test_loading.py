"""``[tool.mockls]`` in pyproject.toml: valid keys are read, every invalid one is named once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mockls.config import (
    LoadedSettings,
    ProjectSettingsFinder,
    Settings,
    load_project_settings,
    load_settings_file,
)
from mockls.findings import Severity

DEFAULTS = Settings()


def load(tmp_path: Path, text: str) -> LoadedSettings:
    path = tmp_path / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings_file(path)


VALID_CASES = [
    pytest.param("", DEFAULTS, id="empty-file"),
    pytest.param("[project]\nname = 'x'\n", DEFAULTS, id="no-mockls-table"),
    pytest.param("[tool.ruff]\nline-length = 1\n", DEFAULTS, id="other-tools-only"),
    pytest.param("[tool.mockls]\n", DEFAULTS, id="empty-table"),
    pytest.param(
        "[tool.mockls]\nselect = ['misspelled-assert', 'patcher-not-stopped']\n",
        Settings(select=frozenset({"misspelled-assert", "patcher-not-stopped"})),
        id="select",
    ),
    pytest.param("[tool.mockls]\nselect = []\n", DEFAULTS, id="empty-select-runs-every-rule"),
    pytest.param(
        "[tool.mockls]\nignore = ['patch-argument-order']\n",
        Settings(ignore=frozenset({"patch-argument-order"})),
        id="ignore",
    ),
    pytest.param(
        "[tool.mockls.per-file-ignores]\n"
        "'tests/legacy/*.py' = ['misspelled-assert']\n"
        "'conftest.py' = ['patcher-not-stopped', 'invalid-patch-arguments']\n",
        Settings(
            per_file_ignores=(
                ("tests/legacy/*.py", frozenset({"misspelled-assert"})),
                ("conftest.py", frozenset({"patcher-not-stopped", "invalid-patch-arguments"})),
            )
        ),
        id="per-file-ignores",
    ),
    pytest.param(
        "[tool.mockls]\nexclude = ['build/', '/generated', '**/fixtures']\n",
        Settings(exclude=("build/", "/generated", "**/fixtures")),
        id="exclude",
    ),
    pytest.param(
        "[tool.mockls.severity]\nmisspelled-assert = 'error'\npatcher-not-stopped = 'hint'\n",
        Settings(
            severity={
                "misspelled-assert": Severity.ERROR,
                "patcher-not-stopped": Severity.HINT,
            }
        ),
        id="severity",
    ),
    pytest.param("[tool.mockls]\nsandbox = false\n", Settings(sandbox=False), id="sandbox"),
    pytest.param(
        "[tool.mockls]\npython = 'python3.12'\n",
        Settings(python="python3.12"),
        id="python-bare-name-stays-a-command",
    ),
    pytest.param(
        "[tool.mockls]\npython = '/opt/py/bin/python'\n",
        Settings(python="/opt/py/bin/python"),
        id="python-absolute",
    ),
    pytest.param(
        "[tool.mockls]\nsource-roots = ['lib', 'test/lib']\n",
        Settings(source_roots=("lib", "test/lib")),
        id="source-roots",
    ),
]


@pytest.mark.parametrize(("text", "expected"), VALID_CASES)
def test_valid_config_is_read_without_problems(
    tmp_path: Path, text: str, expected: Settings
) -> None:
    assert load(tmp_path, text) == LoadedSettings(expected, tmp_path, ())


def test_relative_python_is_relative_to_the_project_root(tmp_path: Path) -> None:
    loaded = load(tmp_path, "[tool.mockls]\npython = '.venv/bin/python'\n")
    assert loaded == LoadedSettings(Settings(python=f"{tmp_path}/.venv/bin/python"), tmp_path)


# Each case: the file, the settings used, and the problems ("{file}" is the file's path).
INVALID_CASES = [
    pytest.param(
        "[tool.mockls\nselect = 1\n",
        DEFAULTS,
        [
            "{file}: invalid TOML: Expected ']' at the end of a table declaration "
            "(at line 1, column 13); using the default settings"
        ],
        id="broken-toml",
    ),
    pytest.param(
        "[tool]\nmockls = 'all'\n",
        DEFAULTS,
        ["{file}: [tool.mockls] must be a table, got a string; using the default settings"],
        id="table-is-a-string",
    ),
    pytest.param(
        "[tool.mockls]\nselect = 'misspelled-assert'\nsandbox = false\n",
        Settings(sandbox=False),
        [
            "{file}: [tool.mockls] select: expected a list of rule codes, "
            "got 'misspelled-assert'; using the default"
        ],
        id="select-not-a-list-other-keys-kept",
    ),
    pytest.param(
        "[tool.mockls]\nselect = ['misspelled-asert', 'patcher-not-stopped']\n",
        DEFAULTS,
        [
            "{file}: [tool.mockls] select: unknown rule code 'misspelled-asert' "
            "(did you mean 'misspelled-assert'?); using the default"
        ],
        id="select-unknown-code-with-suggestion",
    ),
    pytest.param(
        "[tool.mockls]\nignore = ['nope', 'zzz']\n",
        DEFAULTS,
        ["{file}: [tool.mockls] ignore: unknown rule codes 'nope', 'zzz'; using the default"],
        id="ignore-unknown-codes",
    ),
    pytest.param(
        "[tool.mockls]\nignore = ['misspelled-assert', 3]\n",
        DEFAULTS,
        [
            "{file}: [tool.mockls] ignore: expected a list of rule codes, got 3 in the list; "
            "using the default"
        ],
        id="ignore-non-string-item",
    ),
    pytest.param(
        "[tool.mockls]\nper-file-ignores = ['tests/*']\n",
        DEFAULTS,
        [
            "{file}: [tool.mockls] per-file-ignores: expected a table of glob = [rule codes], "
            "got an array; using the default"
        ],
        id="per-file-ignores-not-a-table",
    ),
    pytest.param(
        "[tool.mockls.per-file-ignores]\n'tests/*' = ['bogus']\n'a.py' = ['misspelled-assert']\n",
        Settings(per_file_ignores=(("a.py", frozenset({"misspelled-assert"})),)),
        ["{file}: [tool.mockls] per-file-ignores.\"tests/*\": unknown rule code 'bogus'; ignored"],
        id="per-file-ignores-bad-entry-dropped-others-kept",
    ),
    pytest.param(
        "[tool.mockls]\nexclude = 'build'\n",
        DEFAULTS,
        [
            "{file}: [tool.mockls] exclude: expected a list of patterns, got 'build'; "
            "using the default"
        ],
        id="exclude-not-a-list",
    ),
    pytest.param(
        "[tool.mockls.severity]\nmisspelled-assert = 'fatal'\nnot-a-rule = 'error'\n"
        "patcher-not-stopped = 'information'\n",
        Settings(severity={"patcher-not-stopped": Severity.INFORMATION}),
        [
            "{file}: [tool.mockls] severity.misspelled-assert: expected one of error, warning, "
            "information, hint, got 'fatal'; ignored",
            "{file}: [tool.mockls] severity.not-a-rule: unknown rule code 'not-a-rule'; ignored",
        ],
        id="severity-bad-level-and-unknown-code",
    ),
    pytest.param(
        "[tool.mockls]\nseverity = 'error'\n",
        DEFAULTS,
        [
            "{file}: [tool.mockls] severity: expected a table of rule code = level, "
            "got 'error'; using the default"
        ],
        id="severity-not-a-table",
    ),
    pytest.param(
        "[tool.mockls]\nsandbox = 'yes'\n",
        DEFAULTS,
        ["{file}: [tool.mockls] sandbox: expected true or false, got 'yes'; using the default"],
        id="sandbox-not-bool",
    ),
    pytest.param(
        "[tool.mockls]\npython = ''\n",
        DEFAULTS,
        [
            "{file}: [tool.mockls] python: expected the path of a Python interpreter, got ''; "
            "using the default"
        ],
        id="python-empty",
    ),
    pytest.param(
        "[tool.mockls]\nsource-roots = 'lib'\n",
        DEFAULTS,
        [
            "{file}: [tool.mockls] source-roots: expected a list of directories, got 'lib'; "
            "using the default"
        ],
        id="source-roots-not-a-list",
    ),
    pytest.param(
        "[tool.mockls]\nper_file_ignores = {}\nignore = ['misspelled-assert']\n",
        Settings(ignore=frozenset({"misspelled-assert"})),
        [
            "{file}: [tool.mockls]: unknown key 'per_file_ignores' (did you mean "
            "'per-file-ignores'?); ignored (known keys: select, ignore, per-file-ignores, "
            "exclude, severity, sandbox, python, source-roots)"
        ],
        id="unknown-key-with-suggestion",
    ),
]


@pytest.mark.parametrize(("text", "expected", "problems"), INVALID_CASES)
def test_invalid_config_names_each_problem_and_uses_defaults(
    tmp_path: Path, text: str, expected: Settings, problems: list[str]
) -> None:
    file = tmp_path / "pyproject.toml"
    expected_problems = tuple(problem.format(file=file) for problem in problems)
    assert load(tmp_path, text) == LoadedSettings(expected, tmp_path, expected_problems)


def test_config_that_is_not_utf8_is_one_problem(tmp_path: Path) -> None:
    file = tmp_path / "pyproject.toml"
    file.write_bytes(b"[tool.mockls]\nselect = ['\xff']\n")
    assert load_settings_file(file) == LoadedSettings(
        DEFAULTS,
        tmp_path,
        (f"{file}: invalid TOML: not UTF-8 text; using the default settings",),
    )


def test_config_that_cannot_be_read_is_one_problem(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").mkdir()
    file = tmp_path / "pyproject.toml"
    assert load_settings_file(file) == LoadedSettings(
        DEFAULTS, tmp_path, (f"{file}: cannot read: Is a directory; using the default settings",)
    )


def make_tree(tmp_path: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


SELECT_A = "[tool.mockls]\nselect = ['misspelled-assert']\n"


@pytest.mark.parametrize(
    ("files", "start", "expected_root", "expected_select"),
    [
        pytest.param(
            {"pyproject.toml": SELECT_A, "tests/unit/test_x.py": ""},
            "tests/unit/test_x.py",
            ".",
            frozenset({"misspelled-assert"}),
            id="file-walks-up-to-the-project",
        ),
        pytest.param(
            {"pyproject.toml": SELECT_A, "tests/unit/test_x.py": ""},
            "tests/unit",
            ".",
            frozenset({"misspelled-assert"}),
            id="directory-walks-up",
        ),
        pytest.param(
            {"pyproject.toml": SELECT_A, "sub/pyproject.toml": "[project]\nname='s'\n"},
            "sub",
            "sub",
            None,
            id="nearest-file-wins-even-without-a-mockls-table",
        ),
        pytest.param(
            {"pyproject.toml": SELECT_A},
            "not/yet/created.py",
            ".",
            frozenset({"misspelled-assert"}),
            id="path-that-does-not-exist-yet",
        ),
        pytest.param(
            {"pyproject.toml/README": ""},
            ".",
            None,
            None,
            id="a-directory-named-pyproject-is-not-a-config",
        ),
    ],
)
def test_project_settings_come_from_the_nearest_pyproject(
    tmp_path: Path,
    files: dict[str, str],
    start: str,
    expected_root: str | None,
    expected_select: frozenset[str] | None,
) -> None:
    make_tree(tmp_path, files)
    loaded = load_project_settings(tmp_path / start)
    root = None if expected_root is None else Path(os.path.normpath(tmp_path / expected_root))
    assert loaded == LoadedSettings(Settings(select=expected_select), root, ())


def test_finder_reads_each_file_once_and_reports_its_problems_once(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            "pyproject.toml": "[tool.mockls]\nsandbox = 1\n",
            "a/b/c.py": "",
            "nested/pyproject.toml": SELECT_A,
        },
    )
    finder = ProjectSettingsFinder()
    top = finder.for_directory(tmp_path / "a" / "b")
    assert finder.for_directory(tmp_path / "a") is top
    assert finder.for_directory(tmp_path) is top
    nested = finder.for_directory(tmp_path / "nested")
    assert (top.root, nested.root) == (tmp_path, tmp_path / "nested")
    assert nested.settings == Settings(select=frozenset({"misspelled-assert"}))
    assert finder.problems == [
        f"{tmp_path / 'pyproject.toml'}: [tool.mockls] sandbox: expected true or false, "
        "got 1; using the default"
    ]

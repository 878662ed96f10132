"""``mockls check`` as a user runs it: a real subprocess on small projects in ``tmp_path``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from mockls import __version__
from mockls.config import Settings
from mockls.linter import lint_source
from mockls.rules import ALL_RULES

TYPO = (
    "from unittest.mock import Mock\n"
    "\n"
    "\n"
    "def test_pay():\n"
    "    m = Mock()\n"
    "    m(1)\n"
    "    m.assert_called_once_wtih(1)\n"
)
"""One misspelled-assert finding, at line 7, column 7."""

TWO_RULES = (
    "from unittest.mock import Mock\n"
    "\n"
    "\n"
    "def test_refund():\n"
    "    m = Mock()\n"
    "    m.retrun_value = 3\n"
    "    m.assert_called_once_wtih(1)\n"
)
"""A misspelled-mock-attribute finding (line 6) and a misspelled-assert finding (line 7)."""

CLEAN = (
    "from unittest.mock import Mock\n"
    "\n"
    "\n"
    "def test_pay():\n"
    "    m = Mock()\n"
    "    m.return_value = 3\n"
    "    assert m(1) == 3\n"
    "    m.assert_called_once_with(1)\n"
)


@dataclass(frozen=True)
class Outcome:
    """What one run of the command gave."""

    code: int
    stdout: str
    stderr: str
    interpreter: str = field(default="", compare=False)
    """The line saying which interpreter resolved each project's targets (kept apart from
    ``stderr``, which the other tests compare whole)."""


_INTERPRETER_LINE = re.compile(
    r"^mockls: (?:warning: )?the project at .*(?:targets resolved with|targets are resolved "
    r"with) .*\n",
    re.MULTILINE,
)


def mockls(cwd: Path, *args: str) -> Outcome:
    """Run ``python -m mockls ARGS`` in ``cwd``."""
    completed = subprocess.run(
        [sys.executable, "-m", "mockls", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    interpreter = "".join(_INTERPRETER_LINE.findall(completed.stderr))
    stderr = _INTERPRETER_LINE.sub("", completed.stderr)
    return Outcome(completed.returncode, completed.stdout, stderr, interpreter)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def text_lines(path: str, source: str, settings: Settings | None = None) -> list[str]:
    """The text-format lines for ``source`` at ``path``: messages come from the rules."""
    findings = lint_source(source, path, settings or Settings())
    return [
        f"{path}:{f.span.start.line + 1}:{f.span.start.character + 1}: {f.code} {f.message}"
        for f in findings
    ]


def places(source: str) -> list[tuple[str, int, int]]:
    """(code, 1-based line, 1-based column) of each finding the rules give for ``source``."""
    return [
        (f.code, f.span.start.line + 1, f.span.start.character + 1)
        for f in lint_source(source, "x.py", Settings())
    ]


def test_the_sample_sources_give_the_findings_these_tests_rely_on() -> None:
    assert places(TYPO) == [("misspelled-assert", 7, 7)]
    assert places(TWO_RULES) == [("misspelled-mock-attribute", 6, 7), ("misspelled-assert", 7, 7)]
    assert places(CLEAN) == []


# --- formats --------------------------------------------------------------------------------


def test_text_lists_findings_sorted_by_path_with_a_summary_on_stderr(tmp_path: Path) -> None:
    write(tmp_path, {"tests/test_b.py": TWO_RULES, "tests/test_a.py": TYPO, "clean.py": CLEAN})
    outcome = mockls(tmp_path, "check")
    expected = [*text_lines("tests/test_a.py", TYPO), *text_lines("tests/test_b.py", TWO_RULES)]
    assert outcome == Outcome(
        1, "".join(f"{line}\n" for line in expected), "Found 3 problems in 2 files.\n"
    )


def test_text_is_the_default_for_an_explicit_directory(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/test_a.py": TYPO, "other/test_b.py": TYPO})
    outcome = mockls(tmp_path, "check", "pkg")
    expected = "".join(f"{line}\n" for line in text_lines("pkg/test_a.py", TYPO))
    assert outcome == Outcome(1, expected, "Found 1 problem in 1 file.\n")


def test_json_is_a_list_of_findings(tmp_path: Path) -> None:
    write(tmp_path, {"test_a.py": TYPO, "clean.py": CLEAN})
    outcome = mockls(tmp_path, "check", "--format", "json")
    [finding] = lint_source(TYPO, "test_a.py", Settings())
    [fix] = finding.fixes
    [edit] = fix.edits
    assert (outcome.code, outcome.stderr) == (1, "")
    assert json.loads(outcome.stdout) == [
        {
            "path": "test_a.py",
            "line": 7,
            "column": 7,
            "end_line": 7,
            "end_column": 30,
            "code": "misspelled-assert",
            "severity": "warning",
            "message": finding.message,
            "fixes": [
                {
                    "title": fix.title,
                    "is_preferred": fix.is_preferred,
                    "applicability": "safe",
                    "edits": [
                        {
                            "line": 7,
                            "column": 7,
                            "end_line": 7,
                            "end_column": 30,
                            "new_text": edit.new_text,
                        }
                    ],
                }
            ],
        }
    ]
    assert edit.new_text == "assert_called_once_with"


def test_sarif_is_a_2_1_0_log_with_every_rule(tmp_path: Path) -> None:
    write(tmp_path, {"test_a.py": TYPO})
    outcome = mockls(tmp_path, "check", "--format", "sarif")
    assert (outcome.code, outcome.stderr) == (1, "")
    log = json.loads(outcome.stdout)
    assert log["version"] == "2.1.0"
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("mockls", __version__)
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in ALL_RULES]
    for rule, described in zip(ALL_RULES, driver["rules"], strict=True):
        assert described["shortDescription"] == {"text": rule.summary}
        page = f"docs/rules/{rule.code}.md"
        assert page in described["help"]["text"]
        assert "helpUri" not in described  # SARIF requires it absolute; we have no site
        assert described["defaultConfiguration"]["level"] in {"error", "warning", "note"}
        assert (Path(__file__).parents[2] / page).is_file()
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.as_uri() + "/"}}
    [result] = run["results"]
    assert result["ruleId"] == "misspelled-assert"
    assert driver["rules"][result["ruleIndex"]]["id"] == "misspelled-assert"
    assert result["level"] == "warning"
    assert result["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "test_a.py", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 7, "startColumn": 7, "endLine": 7, "endColumn": 30},
            }
        }
    ]


def test_github_annotations_are_exact_workflow_commands(tmp_path: Path) -> None:
    write(tmp_path, {"tests/test_b.py": TWO_RULES})
    outcome = mockls(tmp_path, "check", "--format", "github")
    attribute, assertion = lint_source(TWO_RULES, "tests/test_b.py", Settings())
    command = {"warning": "warning", "error": "error", "information": "notice", "hint": "notice"}
    assert outcome == Outcome(
        1,
        f"::{command[attribute.severity.value]} file=tests/test_b.py,line=6,col=7,endLine=6,"
        f"endColumn=19,title=mockls misspelled-mock-attribute::{attribute.message}\n"
        f"::{command[assertion.severity.value]} file=tests/test_b.py,line=7,col=7,endLine=7,"
        f"endColumn=30,title=mockls misspelled-assert::{assertion.message}\n",
        "",
    )


def test_paths_outside_the_working_directory_are_absolute(tmp_path: Path) -> None:
    write(tmp_path, {"work/.keep": "", "elsewhere/test_a.py": TYPO})
    outcome = mockls(tmp_path / "work", "check", "../elsewhere/test_a.py")
    absolute = str(tmp_path / "elsewhere" / "test_a.py")
    expected = "".join(f"{line}\n" for line in text_lines(absolute, TYPO))
    assert outcome == Outcome(1, expected, "Found 1 problem in 1 file.\n")


# --- exit codes -----------------------------------------------------------------------------


def test_a_clean_project_exits_0(tmp_path: Path) -> None:
    write(tmp_path, {"tests/test_ok.py": CLEAN})
    assert mockls(tmp_path, "check") == Outcome(0, "", "No problems found (1 file checked).\n")


def test_exit_zero_reports_findings_but_exits_0(tmp_path: Path) -> None:
    write(tmp_path, {"test_a.py": TYPO})
    outcome = mockls(tmp_path, "check", "--exit-zero", "--format", "json")
    assert outcome.code == 0
    assert [entry["code"] for entry in json.loads(outcome.stdout)] == ["misspelled-assert"]


def test_no_python_files_is_a_warning_not_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"README.md": "# hi\n"})
    assert mockls(tmp_path, "check") == Outcome(
        0, "", "mockls: warning: no Python files found\nNo problems found (0 files checked).\n"
    )


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        pytest.param(
            ["check", "--select", "misspelled-asert"],
            "mockls: error: --select: unknown rule code 'misspelled-asert' "
            "(did you mean 'misspelled-assert'?)\n",
            id="unknown-code-in-select",
        ),
        pytest.param(
            ["check", "--ignore", "misspelled-assert,nope,zzz"],
            "mockls: error: --ignore: unknown rule codes 'nope', 'zzz' (codes: "
            + ", ".join(rule.code for rule in ALL_RULES)
            + ")\n",
            id="unknown-codes-in-ignore",
        ),
        pytest.param(
            ["check", "--extend-select", "misspelled-asert"],
            "mockls: error: --extend-select: unknown rule code 'misspelled-asert' "
            "(did you mean 'misspelled-assert'?)\n",
            id="unknown-code-in-extend-select",
        ),
        pytest.param(
            ["check", "--config", "missing/pyproject.toml"],
            "mockls: error: --config: config file not found: missing/pyproject.toml\n",
            id="missing-config-file",
        ),
        pytest.param(
            ["check", "--config", "selct = ['misspelled-assert']"],
            "mockls: error: --config: unknown key 'selct' (did you mean 'select'?) (known keys: "
            "select, ignore, per-file-ignores, exclude, severity, sandbox, python, source-roots)\n",
            id="unknown-key-in-config-override",
        ),
        pytest.param(
            ["check", "--config", "sandbox = 'yes'"],
            "mockls: error: --config sandbox: expected true or false, got 'yes'\n",
            id="invalid-value-in-config-override",
        ),
        pytest.param(
            ["check", "--config", "severity = {misspelled-assert = 'loud'}"],
            "mockls: error: --config severity.misspelled-assert: expected one of error, warning, "
            "information, hint, got 'loud'\n",
            id="invalid-severity-in-config-override",
        ),
        pytest.param(
            ["check", "--per-file-ignores", "tests/*"],
            "mockls: error: --per-file-ignores: expected GLOB:CODES, got 'tests/*'\n",
            id="per-file-ignores-without-codes",
        ),
        pytest.param(
            ["check", "--per-file-ignores", "tests/*:misspelled-asert"],
            "mockls: error: --per-file-ignores: unknown rule code 'misspelled-asert' "
            "(did you mean 'misspelled-assert'?)\n",
            id="per-file-ignores-with-an-unknown-code",
        ),
        pytest.param(
            ["check", "--statistics", "--format", "sarif"],
            "mockls: error: --statistics: works with --format text or json, not 'sarif'\n",
            id="statistics-in-a-format-without-them",
        ),
        pytest.param(
            ["check", "--unsafe-fixes"],
            "mockls: error: --unsafe-fixes: applies only with --fix or --diff\n",
            id="unsafe-fixes-without-fix",
        ),
    ],
)
def test_usage_errors_exit_2_with_one_clear_line(
    tmp_path: Path, args: list[str], stderr: str
) -> None:
    write(tmp_path, {"test_a.py": TYPO})
    assert mockls(tmp_path, *args) == Outcome(2, "", stderr)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["check", "--no-such-option"], id="unknown-option"),
        pytest.param(["check", "--format", "xml"], id="unknown-format"),
        pytest.param(["chekc"], id="unknown-command"),
    ],
)
def test_argparse_usage_errors_exit_2_without_a_traceback(tmp_path: Path, args: list[str]) -> None:
    outcome = mockls(tmp_path, *args)
    assert (outcome.code, outcome.stdout) == (2, "")
    assert outcome.stderr.startswith("usage: mockls")
    assert "Traceback" not in outcome.stderr
    assert outcome.stderr.splitlines()[-1].startswith("mockls")


# --- bad input ------------------------------------------------------------------------------


def test_a_missing_path_exits_2(tmp_path: Path) -> None:
    assert mockls(tmp_path, "check", "nope.py") == Outcome(
        2,
        "",
        "mockls: error: nope.py: no such file or directory\nNo problems found (0 files checked).\n",
    )


def test_unreadable_files_are_errors_but_other_findings_are_still_printed(
    tmp_path: Path,
) -> None:
    # Running as root, permissions cannot make a file unreadable; a broken symbolic link and
    # a FIFO are unreadable for everyone.
    write(tmp_path, {"tests/test_a.py": TYPO})
    (tmp_path / "tests" / "test_gone.py").symlink_to(tmp_path / "deleted.py")
    os.mkfifo(tmp_path / "tests" / "test_pipe.py")
    outcome = mockls(tmp_path, "check")
    expected = "".join(f"{line}\n" for line in text_lines("tests/test_a.py", TYPO))
    assert outcome == Outcome(
        2,
        expected,
        "mockls: error: cannot read tests/test_gone.py: a broken symbolic link\n"
        "mockls: error: cannot read tests/test_pipe.py: not a regular file\n"
        "Found 1 problem in 1 file.\n",
    )


def test_an_explicit_broken_symlink_is_reported_as_missing(tmp_path: Path) -> None:
    (tmp_path / "test_gone.py").symlink_to(tmp_path / "deleted.py")
    outcome = mockls(tmp_path, "check", "test_gone.py")
    assert (outcome.code, outcome.stdout) == (2, "")
    assert outcome.stderr.splitlines()[0] == (
        "mockls: error: test_gone.py: no such file or directory (a broken symbolic link)"
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "it contains NUL bytes", id="png"),
        pytest.param(b"x = 1\ny = '\xe9'\n", "invalid utf-8 bytes on line 2", id="latin-1"),
    ],
)
def test_a_binary_file_exits_2_with_a_clear_message(
    tmp_path: Path, data: bytes, reason: str
) -> None:
    (tmp_path / "test_image.py").write_bytes(data)
    write(tmp_path, {"test_ok.py": CLEAN})
    assert mockls(tmp_path, "check", "--format", "json") == Outcome(
        2,
        "[]\n",
        f"mockls: error: cannot decode test_image.py: not a Python source file ({reason})\n",
    )


def test_encodings_that_python_accepts_are_read(tmp_path: Path) -> None:
    latin = "# -*- coding: latin-1 -*-\n" + TYPO.replace("test_pay", "test_caf\xe9")
    (tmp_path / "test_latin.py").write_bytes(latin.encode("latin-1"))
    (tmp_path / "test_bom.py").write_bytes(b"\xef\xbb\xbf" + TYPO.encode())
    outcome = mockls(tmp_path, "check", "--format", "json")
    found = [
        (entry["path"], entry["line"], entry["column"]) for entry in json.loads(outcome.stdout)
    ]
    assert (outcome.code, found) == (1, [("test_bom.py", 7, 7), ("test_latin.py", 8, 7)])


def test_syntax_errors_do_not_stop_the_check(tmp_path: Path) -> None:
    write(tmp_path, {"test_broken.py": "def test(:\n    pass\n", "test_a.py": TYPO})
    outcome = mockls(tmp_path, "check", "--format", "json")
    assert (outcome.code, outcome.stderr) == (1, "")
    assert [entry["path"] for entry in json.loads(outcome.stdout)] == ["test_a.py"]


# --- selection, configuration and suppression ------------------------------------------------


def codes_found(outcome: Outcome) -> list[tuple[str, int, str]]:
    return [(entry["path"], entry["line"], entry["code"]) for entry in json.loads(outcome.stdout)]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(
            [],
            [("t.py", 6, "misspelled-mock-attribute"), ("t.py", 7, "misspelled-assert")],
            id="all",
        ),
        pytest.param(
            ["--select", "misspelled-assert"], [("t.py", 7, "misspelled-assert")], id="select"
        ),
        pytest.param(
            ["--ignore", " misspelled-assert , "],
            [("t.py", 6, "misspelled-mock-attribute")],
            id="ignore",
        ),
        pytest.param(
            [
                "--select",
                "misspelled-assert,misspelled-mock-attribute",
                "--ignore",
                "misspelled-mock-attribute",
            ],
            [("t.py", 7, "misspelled-assert")],
            id="select-then-ignore",
        ),
    ],
)
def test_select_and_ignore_choose_the_rules(
    tmp_path: Path, args: list[str], expected: list[tuple[str, int, str]]
) -> None:
    write(tmp_path, {"t.py": TWO_RULES})
    assert codes_found(mockls(tmp_path, "check", "--format", "json", *args)) == expected


def test_command_line_codes_override_the_config(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.mockls]\nselect = ['misspelled-mock-attribute']\n",
            "t.py": TWO_RULES,
        },
    )
    assert codes_found(mockls(tmp_path, "check", "--format", "json")) == [
        ("t.py", 6, "misspelled-mock-attribute")
    ]
    assert codes_found(
        mockls(tmp_path, "check", "--format", "json", "--select", "misspelled-assert")
    ) == [("t.py", 7, "misspelled-assert")]


@pytest.mark.parametrize(
    ("config", "args", "expected"),
    [
        pytest.param(
            "select = ['misspelled-mock-attribute']",
            ["--extend-select", "misspelled-assert"],
            [("sub/t.py", 6, "misspelled-mock-attribute"), ("sub/t.py", 7, "misspelled-assert")],
            id="extend-select-adds-to-the-config",
        ),
        pytest.param(
            "ignore = ['misspelled-mock-attribute']",
            ["--extend-ignore", "misspelled-assert"],
            [],
            id="extend-ignore-adds-to-the-config",
        ),
        pytest.param(
            "",
            ["--per-file-ignores", "sub/*:misspelled-assert", "--per-file-ignores", "x.py:zzz-x"],
            None,
            id="per-file-ignores-with-an-unknown-code-is-an-error",
        ),
        pytest.param(
            "",
            ["--per-file-ignores", "sub/*:misspelled-assert"],
            [("sub/t.py", 6, "misspelled-mock-attribute")],
            id="per-file-ignores-match-from-the-project-root",
        ),
        pytest.param(
            "per-file-ignores = {'sub/*' = ['misspelled-mock-attribute']}",
            ["--per-file-ignores", "t.py:misspelled-assert"],
            [],
            id="per-file-ignores-add-to-the-config",
        ),
        pytest.param(
            "select = ['misspelled-mock-attribute']",
            ["--config", "select = ['misspelled-assert']"],
            [("sub/t.py", 7, "misspelled-assert")],
            id="config-override-replaces-a-key",
        ),
        pytest.param(
            "",
            [
                "--config",
                "severity = {misspelled-assert = 'error'}",
                "--select",
                "misspelled-assert",
            ],
            [("sub/t.py", 7, "misspelled-assert", "error")],
            id="config-override-of-a-table",
        ),
    ],
)
def test_command_line_selection_and_overrides(
    tmp_path: Path, config: str, args: list[str], expected: list[tuple[object, ...]] | None
) -> None:
    write(tmp_path, {"pyproject.toml": f"[tool.mockls]\n{config}\n", "sub/t.py": TWO_RULES})
    outcome = mockls(tmp_path, "check", "--format", "json", *args)
    if expected is None:
        assert outcome.code == 2
        assert outcome.stderr.startswith("mockls: error: --per-file-ignores: unknown rule code")
        return
    found = [
        (entry["path"], entry["line"], entry["code"], entry["severity"])[: len(row)]
        for entry, row in zip(json.loads(outcome.stdout), expected, strict=True)
    ]
    assert (found, outcome.stderr) == (expected, "")


def test_output_file_gets_the_report_and_stderr_the_summary(tmp_path: Path) -> None:
    write(tmp_path, {"test_a.py": TYPO})
    outcome = mockls(tmp_path, "check", "--output-file", "report.txt")
    assert outcome == Outcome(1, "", "Found 1 problem in 1 file.\n")
    assert (tmp_path / "report.txt").read_text(encoding="utf-8") == "".join(
        f"{line}\n" for line in text_lines("test_a.py", TYPO)
    )
    unwritable = mockls(tmp_path, "check", "--output-file", "no/such/dir/report.txt")
    assert unwritable.code == 2
    assert unwritable.stderr.startswith(
        "mockls: error: --output-file: cannot write no/such/dir/report.txt: "
    )


def test_statistics_replace_the_findings(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": TWO_RULES, "b.py": TYPO})
    assert mockls(tmp_path, "check", "--statistics") == Outcome(
        1, "2  misspelled-assert  [*]\n1  misspelled-mock-attribute  [*]\n", ""
    )


@pytest.mark.parametrize(
    ("output_format", "start"),
    [
        pytest.param("gitlab", '[\n  {\n    "type": "issue"', id="gitlab"),
        pytest.param("junit", '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites', id="junit"),
    ],
)
def test_ci_formats_print_their_report(tmp_path: Path, output_format: str, start: str) -> None:
    write(tmp_path, {"test_a.py": TYPO, "clean.py": CLEAN})
    outcome = mockls(tmp_path, "check", "--format", output_format)
    assert (outcome.code, outcome.stderr) == (1, "")
    assert outcome.stdout.startswith(start)
    assert outcome.stdout.count("misspelled-assert") == 1


def test_an_invalid_config_warns_once_and_uses_the_defaults(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.mockls]\nignore = 'misspelled-assert'\n",
            "a/test_a.py": TYPO,
            "b/test_b.py": TYPO,
        },
    )
    outcome = mockls(tmp_path, "check", "--format", "json")
    assert outcome.stderr == (
        f"mockls: warning: {tmp_path / 'pyproject.toml'}: [tool.mockls] ignore: expected a list "
        "of rule codes, got 'misspelled-assert'; using the default\n"
    )
    assert (outcome.code, codes_found(outcome)) == (
        1,
        [("a/test_a.py", 7, "misspelled-assert"), ("b/test_b.py", 7, "misspelled-assert")],
    )


def test_broken_toml_warns_and_uses_the_defaults(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.mockls\n", "test_a.py": TYPO})
    outcome = mockls(tmp_path, "check", "--format", "json")
    assert outcome.stderr.startswith(
        f"mockls: warning: {tmp_path / 'pyproject.toml'}: invalid TOML: "
    )
    assert outcome.stderr.endswith("; using the default settings\n")
    assert len(outcome.stderr.splitlines()) == 1
    assert (outcome.code, codes_found(outcome)) == (1, [("test_a.py", 7, "misspelled-assert")])


def test_skipped_directories_and_excludes_are_not_walked(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.mockls]\nexclude = ['build/', '**/fixtures', '/generated_*.py', "
                "'!generated_keep.py']\n"
            ),
            "tests/test_a.py": TYPO,
            "tests/fixtures/test_f.py": TYPO,
            "tests/generated_x.py": TYPO,
            "generated_x.py": TYPO,
            "generated_keep.py": TYPO,
            "build/lib/test_b.py": TYPO,
            "src/build/test_c.py": TYPO,
            ".venv/lib/test_v.py": TYPO,
            "venv/test_v.py": TYPO,
            "node_modules/pkg/test_n.py": TYPO,
            ".git/hooks/test_g.py": TYPO,
            "pkg/__pycache__/test_p.py": TYPO,
            ".tox/py311/test_t.py": TYPO,
            ".mypy_cache/test_m.py": TYPO,
            "notes.txt": TYPO,
        },
    )
    outcome = mockls(tmp_path, "check", "--format", "json")
    assert codes_found(outcome) == [
        ("generated_keep.py", 7, "misspelled-assert"),
        ("tests/generated_x.py", 7, "misspelled-assert"),
        ("tests/test_a.py", 7, "misspelled-assert"),
    ]


def test_explicit_files_are_checked_even_when_excluded(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.mockls]\nexclude = ['build/']\n",
            "build/test_b.py": TYPO,
            ".venv/test_v.py": TYPO,
            "script": TYPO,
        },
    )
    outcome = mockls(tmp_path, "check", "--format", "json", "build/test_b.py", ".venv", "script")
    assert codes_found(outcome) == [
        (".venv/test_v.py", 7, "misspelled-assert"),
        ("build/test_b.py", 7, "misspelled-assert"),
        ("script", 7, "misspelled-assert"),
    ]


def test_a_nested_pyproject_governs_its_own_directory(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.mockls]\nignore = ['misspelled-assert']\n",
            "top.py": TWO_RULES,
            "sub/pyproject.toml": "[tool.mockls]\nexclude = ['skipped.py']\n",
            "sub/inner.py": TWO_RULES,
            "sub/skipped.py": TWO_RULES,
        },
    )
    assert codes_found(mockls(tmp_path, "check", "--format", "json")) == [
        ("sub/inner.py", 6, "misspelled-mock-attribute"),
        ("sub/inner.py", 7, "misspelled-assert"),
        ("top.py", 6, "misspelled-mock-attribute"),
    ]


def test_explicit_config_replaces_every_pyproject(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "mockls-ci.toml": (
                "[tool.mockls]\nignore = ['misspelled-mock-attribute']\nexclude = ['/legacy']\n"
            ),
            "project/pyproject.toml": "[tool.mockls]\nignore = ['misspelled-assert']\n",
            "project/t.py": TWO_RULES,
            "legacy/t.py": TWO_RULES,
            "ci/t.py": TWO_RULES,
        },
    )
    outcome = mockls(tmp_path, "check", "--format", "json", "--config", "mockls-ci.toml")
    assert codes_found(outcome) == [
        ("ci/t.py", 7, "misspelled-assert"),
        ("project/t.py", 7, "misspelled-assert"),
    ]


def test_per_file_ignores_match_paths_relative_to_the_project_root(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.mockls.per-file-ignores]\n"
                "'tests/legacy/*.py' = ['misspelled-assert']\n"
                "'conftest.py' = ['misspelled-mock-attribute']\n"
            ),
            "tests/legacy/test_old.py": TWO_RULES,
            "tests/test_new.py": TWO_RULES,
            "tests/conftest.py": TWO_RULES,
        },
    )
    # Run from below the root: the globs still match from the root, not the working directory.
    outcome = mockls(tmp_path / "tests", "check", "--format", "json")
    assert codes_found(outcome) == [
        ("conftest.py", 7, "misspelled-assert"),
        ("legacy/test_old.py", 6, "misspelled-mock-attribute"),
        ("test_new.py", 6, "misspelled-mock-attribute"),
        ("test_new.py", 7, "misspelled-assert"),
    ]


def test_suppression_comments_silence_findings_on_their_line(tmp_path: Path) -> None:
    source = (
        "from unittest.mock import Mock\n"
        "\n"
        "\n"
        "def test_quiet():\n"
        "    m = Mock()\n"
        "    m.assert_called_once_wtih(1)  # mockls: ignore[misspelled-assert]\n"
        "    m.assert_called_once_wtih(2)  # mockls: ignore\n"
        "    m.assert_called_once_wtih(3)  # mockls: ignore[misspelled-mock-attribute]\n"
        "    m.retrun_value = 1  # mockls: ignore[misspelled-assert, misspelled-mock-attribute]\n"
        "    m.assert_called_once_wtih(4)  # noqa\n"
    )
    write(tmp_path, {"t.py": source})
    assert codes_found(mockls(tmp_path, "check", "--format", "json")) == [
        ("t.py", 8, "misspelled-assert"),
        ("t.py", 10, "misspelled-assert"),
    ]


def test_the_console_script_is_installed(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("mockls")
    completed = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, check=False, timeout=60
    )
    assert (completed.returncode, completed.stdout) == (0, f"mockls {__version__}\n")


def test_version_is_printed_by_python_dash_m(tmp_path: Path) -> None:
    assert mockls(tmp_path, "--version") == Outcome(0, f"mockls {__version__}\n", "")


def test_an_explicit_file_reports_the_problems_of_its_config(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.mockls]\nsandbox = 'no'\n", "pkg/test_a.py": TYPO})
    outcome = mockls(tmp_path / "pkg", "check", "test_a.py", "--format", "json")
    assert outcome.stderr == (
        f"mockls: warning: {tmp_path / 'pyproject.toml'}: [tool.mockls] sandbox: expected true "
        "or false, got 'no'; using the default\n"
    )
    assert (outcome.code, codes_found(outcome)) == (1, [("test_a.py", 7, "misspelled-assert")])


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_a_file_name_that_is_not_utf8_does_not_crash_any_format(
    tmp_path: Path, output_format: str
) -> None:
    name = os.fsdecode(b"test_caf\xe9.py")
    (tmp_path / name).write_text(TYPO, encoding="utf-8")
    outcome = mockls(tmp_path, "check", "--format", output_format)
    assert outcome.code == 1
    assert "Traceback" not in outcome.stderr
    assert "misspelled-assert" in outcome.stdout


# --- the project: patch targets resolved in the workspace ----------------------------------

SHOP = {
    "shop/__init__.py": "",
    "shop/payments.py": "def charge(card, amount):\n    return card\n",
    "shop/orders.py": (
        "from shop.payments import charge\n\n\ndef place(card):\n    return charge(card, 1)\n"
    ),
}
"""Code under test: ``shop.orders`` binds ``charge`` by name."""

WHERE_TO_PATCH = (
    "from unittest.mock import patch\n"
    "\n"
    "from shop.orders import place\n"
    "\n"
    "\n"
    "@patch('shop.payments.charge')\n"
    "@patch('shop.paymnts.refund')\n"
    "def test_place(mock_refund, mock_charge):\n"
    "    place('4242')\n"
)
"""A test of ``SHOP`` with an ineffective patch (line 6) and an unresolved target (line 7)."""


def where_to_patch_lines(test_path: str) -> str:
    return (
        f"{test_path}:6:9: ineffective-patch shop/orders.py:1 binds `charge` with "
        "`from shop.payments import charge`; patch 'shop.orders.charge'\n"
        f"{test_path}:7:14: unresolved-patch-target module `shop` has no attribute `paymnts`; "
        "did you mean `payments`? (the patch fails when it starts)\n"
    )


def test_targets_resolve_in_the_project_of_the_nearest_pyproject(tmp_path: Path) -> None:
    project = {f"app/{name}": text for name, text in SHOP.items()}
    write(
        tmp_path, {**project, "app/pyproject.toml": "", "app/tests/test_orders.py": WHERE_TO_PATCH}
    )
    outcome = mockls(tmp_path, "check", "app/tests")
    assert outcome == Outcome(
        1, where_to_patch_lines("app/tests/test_orders.py"), "Found 2 problems in 1 file.\n"
    )


def test_without_a_pyproject_the_project_is_the_common_parent_of_the_paths(
    tmp_path: Path,
) -> None:
    write(tmp_path, {**SHOP, "tests/test_orders.py": WHERE_TO_PATCH})
    outcome = mockls(tmp_path, "check", "tests", "shop/orders.py")
    assert outcome == Outcome(
        1, where_to_patch_lines("tests/test_orders.py"), "Found 2 problems in 1 file.\n"
    )


def test_code_outside_the_project_is_not_judged(tmp_path: Path) -> None:
    # Checking tests/ alone, shop/ lies outside the project: its names are unknown, not missing.
    write(tmp_path, {**SHOP, "tests/test_orders.py": WHERE_TO_PATCH})
    outcome = mockls(tmp_path, "check", "tests")
    assert outcome == Outcome(0, "", "No problems found (1 file checked).\n")


def test_an_interpreter_that_does_not_exist_leaves_workspace_targets_checked(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            **SHOP,
            "pyproject.toml": '[tool.mockls]\npython = "/nonexistent/bin/python"\n',
            "tests/test_orders.py": WHERE_TO_PATCH,
        },
    )
    outcome = mockls(tmp_path, "check")
    assert (outcome.code, outcome.stdout) == (1, where_to_patch_lines("tests/test_orders.py"))


def test_parallel_processes_print_exactly_what_one_process_prints(tmp_path: Path) -> None:
    # Findings from the rules and from the project index (a misspelled workspace target), a
    # file that cannot be read and one that cannot be decoded: stdout and stderr in order.
    write(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'shop'\n",
            "shop/__init__.py": "",
            "shop/pay.py": "def charge(amount):\n    return amount\n",
            "tests/test_a.py": TYPO,
            "tests/test_b.py": TWO_RULES,
            "tests/test_c.py": CLEAN,
            "tests/test_d.py": (
                "from unittest import mock\n\n\n"
                "@mock.patch('shop.pay.charg')\ndef test_pay(charge):\n    pass\n"
            ),
            "tests/test_e.py": TYPO.replace("test_pay", "test_e"),
        },
    )
    (tmp_path / "tests" / "test_gone.py").symlink_to(tmp_path / "deleted.py")
    (tmp_path / "tests" / "test_image.py").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    for output_format in ("text", "json"):
        serial = mockls(tmp_path, "check", "--format", output_format, "--jobs", "1")
        parallel = mockls(tmp_path, "check", "--format", output_format, "--jobs", "3")
        assert parallel == serial
    assert serial.code == 2
    assert {finding["code"] for finding in json.loads(serial.stdout)} == {
        "misspelled-assert",
        "misspelled-mock-attribute",
        "unresolved-patch-target",
    }
    assert "cannot read tests/test_gone.py" in serial.stderr
    assert "cannot decode tests/test_image.py" in serial.stderr
    logged = mockls(tmp_path, "check", "-v", "--jobs", "3").stderr
    assert "working on 9 items in 3 processes" in logged


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_count(tmp_path: Path, jobs: str) -> None:
    outcome = mockls(tmp_path, "check", "--jobs", jobs)
    assert outcome.code == 2
    assert "--jobs: expected a number of processes >= 1" in outcome.stderr


@pytest.mark.parametrize("marker", ["setup.cfg", "setup.py", "tox.ini", "pytest.ini", ".git"])
def test_a_project_without_pyproject_is_rooted_at_its_marker(tmp_path: Path, marker: str) -> None:
    # Checking tests/ alone: the marker makes the root the project, so shop/ is known.
    write(tmp_path, {**SHOP, "tests/test_orders.py": WHERE_TO_PATCH})
    (tmp_path / marker).mkdir() if marker == ".git" else (tmp_path / marker).write_text("")
    outcome = mockls(tmp_path, "check", "tests")
    assert outcome == Outcome(
        1, where_to_patch_lines("tests/test_orders.py"), "Found 2 problems in 1 file.\n"
    )


def test_the_interpreter_that_resolves_targets_is_named_in_one_line(tmp_path: Path) -> None:
    write(tmp_path, {"setup.cfg": "", "tests/test_a.py": CLEAN})
    venv_python = tmp_path / ".venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True)
    venv_python.symlink_to(sys.executable)
    outcome = mockls(tmp_path, "check", "tests")
    assert outcome.interpreter == (
        f"mockls: the project at .: targets resolved with {venv_python} (the project's .venv)\n"
    )


def test_falling_back_to_mocklss_own_interpreter_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path, {"setup.cfg": "", "tests/test_a.py": CLEAN})
    outcome = mockls(tmp_path, "check", "tests")
    assert outcome.interpreter == (
        "mockls: warning: the project at . has no `python` setting, .venv or venv: its targets "
        f"are resolved with mockls's own interpreter, {sys.executable}\n"
    )
    assert mockls(tmp_path, "check", "-v", "tests").stderr.count("source roots") == 1

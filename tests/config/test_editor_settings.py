"""The editor's ``mockls`` settings section laid over the project's settings."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mockls.config import Settings, apply_editor_settings
from mockls.findings import Severity

PROJECT = Settings(
    select=frozenset({"misspelled-assert", "patcher-not-stopped"}),
    ignore=frozenset({"patch-argument-order"}),
    per_file_ignores=(("tests/*", frozenset({"invalid-patch-arguments"})),),
    exclude=("build/",),
    severity={"misspelled-assert": Severity.ERROR},
    sandbox=True,
    python="/project/python",
)

# What VS Code sends when the user changed nothing: every key, at its package.json default.
VSCODE_DEFAULTS = {
    "select": [],
    "ignore": [],
    "severity": {},
    "sandbox": {"enabled": True},
    "interpreter": "",
    "trace": {"server": "off"},
}


@pytest.mark.parametrize(
    ("editor", "expected"),
    [
        pytest.param(None, PROJECT, id="no-section"),
        pytest.param({}, PROJECT, id="empty-section"),
        pytest.param(VSCODE_DEFAULTS, PROJECT, id="editor-defaults-change-nothing"),
        pytest.param(
            {"select": None, "ignore": None, "severity": None, "sandbox": None},
            PROJECT,
            id="nulls-change-nothing",
        ),
        pytest.param(
            {"select": ["invalid-patch-arguments"]},
            Settings(
                select=frozenset({"invalid-patch-arguments"}),
                ignore=PROJECT.ignore,
                per_file_ignores=PROJECT.per_file_ignores,
                exclude=PROJECT.exclude,
                severity=PROJECT.severity,
                python=PROJECT.python,
            ),
            id="select-replaces",
        ),
        pytest.param(
            {"ignore": ["misspelled-assert"]},
            Settings(
                select=PROJECT.select,
                ignore=frozenset({"patch-argument-order", "misspelled-assert"}),
                per_file_ignores=PROJECT.per_file_ignores,
                exclude=PROJECT.exclude,
                severity=PROJECT.severity,
                python=PROJECT.python,
            ),
            id="ignore-adds",
        ),
        pytest.param(
            {"severity": {"patcher-not-stopped": "hint", "misspelled-assert": "warning"}},
            Settings(
                select=PROJECT.select,
                ignore=PROJECT.ignore,
                per_file_ignores=PROJECT.per_file_ignores,
                exclude=PROJECT.exclude,
                severity={
                    "misspelled-assert": Severity.WARNING,
                    "patcher-not-stopped": Severity.HINT,
                },
                python=PROJECT.python,
            ),
            id="severity-overrides-per-code",
        ),
        pytest.param(
            {"sandbox": {"enabled": False}, "interpreter": "/editor/python"},
            Settings(
                select=PROJECT.select,
                ignore=PROJECT.ignore,
                per_file_ignores=PROJECT.per_file_ignores,
                exclude=PROJECT.exclude,
                severity=PROJECT.severity,
                sandbox=False,
                python="/editor/python",
            ),
            id="sandbox-off-and-interpreter",
        ),
    ],
)
def test_editor_settings_override_the_project(editor: object, expected: Settings) -> None:
    assert apply_editor_settings(PROJECT, editor) == (expected, ())


def test_an_untrusted_workspace_gets_no_sandbox_and_runs_none_of_its_interpreters() -> None:
    project = replace(PROJECT, sandbox=True, python=".venv/bin/python")
    editor = {"trusted": False, "sandbox": {"enabled": True}, "interpreter": "/workspace/python"}
    expected = replace(project, sandbox=False, python="/workspace/python", trusted=False)
    assert apply_editor_settings(project, editor) == (expected, ())


def test_a_trusted_workspace_keeps_its_sandbox_and_interpreter() -> None:
    project = replace(PROJECT, sandbox=True, python=".venv/bin/python")
    assert apply_editor_settings(project, {"trusted": True}) == (project, ())


def test_editor_cannot_turn_on_a_sandbox_the_project_turned_off() -> None:
    project = Settings(sandbox=False)
    assert apply_editor_settings(project, {"sandbox": {"enabled": True}}) == (project, ())


@pytest.mark.parametrize(
    ("editor", "problems"),
    [
        pytest.param(
            ["select"],
            ["editor settings: mockls: expected an object, got an array; ignored"],
            id="not-an-object",
        ),
        pytest.param(
            {"select": ["misspelled-assret"]},
            [
                "editor settings: mockls.select: unknown rule code 'misspelled-assret' "
                "(did you mean 'misspelled-assert'?); ignored"
            ],
            id="unknown-code",
        ),
        pytest.param(
            {"ignore": "misspelled-assert"},
            [
                "editor settings: mockls.ignore: expected a list of rule codes, "
                "got 'misspelled-assert'; ignored"
            ],
            id="ignore-not-a-list",
        ),
        pytest.param(
            {"severity": {"misspelled-assert": "loud"}},
            [
                "editor settings: mockls.severity.misspelled-assert: expected one of error, "
                "warning, information, hint, got 'loud'; ignored"
            ],
            id="bad-severity",
        ),
        pytest.param(
            {"sandbox": {"enabled": "no"}, "interpreter": 3},
            [
                "editor settings: mockls.sandbox.enabled: expected true or false, got 'no'; "
                "ignored",
                "editor settings: mockls.interpreter: expected a path, got 3; ignored",
            ],
            id="sandbox-and-interpreter-wrong-types",
        ),
        pytest.param(
            {"trusted": "yes"},
            ["editor settings: mockls.trusted: expected true or false, got 'yes'; ignored"],
            id="trusted-not-a-bool",
        ),
    ],
)
def test_invalid_editor_settings_keep_the_project_values(
    editor: object, problems: list[str]
) -> None:
    assert apply_editor_settings(PROJECT, editor) == (PROJECT, tuple(problems))

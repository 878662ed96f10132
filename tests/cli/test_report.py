"""The output formats, compared whole on hand-made findings."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from mockls.findings import Finding, Fix, Severity
from mockls.report import (
    JSON_SCHEMA_ID,
    CheckedFile,
    format_github,
    format_gitlab,
    format_json,
    format_junit,
    format_sarif,
    format_statistics,
    format_text,
    summary_line,
)
from mockls.rules.rule import Rule
from mockls.spans import Span, TextEdit

RENAME = Fix(
    "Rename to 'assert_called_once_with'",
    (TextEdit(Span.of(3, 6, 3, 29), "assert_called_once_with"),),
    is_preferred=True,
    safe=True,
)
TYPO = Finding(
    "misspelled-assert",
    "'assert_called_once_wtih' is not an assertion",
    Span.of(3, 6, 3, 29),
    Severity.WARNING,
    fixes=(RENAME,),
)
LEAK = Finding(
    "patcher-not-stopped",
    "patcher 'p' is started but never stopped,\nso the patch leaks: 100%",
    Span.of(0, 0, 1, 4),
    Severity.ERROR,
)
HINTED = Finding("patch-argument-order", "maybe swapped", Span.of(9, 2, 9, 3), Severity.HINT)

FILES = [
    CheckedFile("tests/test_a.py", [LEAK, TYPO]),
    CheckedFile("clean.py", []),
    CheckedFile("/abs/dir, x/test_b.py", [HINTED]),
]

SCHEMA = Path(__file__).parents[2] / "docs" / "schemas" / "check-json.schema.json"

RULES = [
    Rule("misspelled-assert", "Misspelled assertion", Severity.WARNING, lambda context: ()),
    Rule("patcher-not-stopped", "Patcher never stopped", Severity.ERROR, lambda context: ()),
    Rule("patch-argument-order", "Swapped parameters", Severity.INFORMATION, lambda context: ()),
]


def test_text_is_one_line_per_finding_with_1_based_positions() -> None:
    assert format_text(FILES) == (
        "tests/test_a.py:1:1: patcher-not-stopped patcher 'p' is started but never stopped, "
        "so the patch leaks: 100%\n"
        "tests/test_a.py:4:7: misspelled-assert 'assert_called_once_wtih' is not an assertion\n"
        "/abs/dir, x/test_b.py:10:3: patch-argument-order maybe swapped\n"
    )


def test_summary_counts_problems_and_files() -> None:
    assert [
        summary_line(3, 2, 5),
        summary_line(1, 1, 1),
        summary_line(0, 0, 1),
        summary_line(0, 0, 7),
    ] == [
        "Found 3 problems in 2 files.",
        "Found 1 problem in 1 file.",
        "No problems found (1 file checked).",
        "No problems found (7 files checked).",
    ]


def test_json_lists_every_finding_with_its_fixes() -> None:
    assert json.loads(format_json(FILES)) == [
        {
            "path": "tests/test_a.py",
            "line": 1,
            "column": 1,
            "end_line": 2,
            "end_column": 5,
            "code": "patcher-not-stopped",
            "severity": "error",
            "message": "patcher 'p' is started but never stopped,\nso the patch leaks: 100%",
            "fixes": [],
        },
        {
            "path": "tests/test_a.py",
            "line": 4,
            "column": 7,
            "end_line": 4,
            "end_column": 30,
            "code": "misspelled-assert",
            "severity": "warning",
            "message": "'assert_called_once_wtih' is not an assertion",
            "fixes": [
                {
                    "title": "Rename to 'assert_called_once_with'",
                    "is_preferred": True,
                    "applicability": "safe",
                    "edits": [
                        {
                            "line": 4,
                            "column": 7,
                            "end_line": 4,
                            "end_column": 30,
                            "new_text": "assert_called_once_with",
                        }
                    ],
                }
            ],
        },
        {
            "path": "/abs/dir, x/test_b.py",
            "line": 10,
            "column": 3,
            "end_line": 10,
            "end_column": 4,
            "code": "patch-argument-order",
            "severity": "hint",
            "message": "maybe swapped",
            "fixes": [],
        },
    ]


def test_json_of_no_findings_is_an_empty_list() -> None:
    assert format_json([CheckedFile("a.py", [])]) == "[]\n"


def test_github_lines_are_workflow_commands_with_escaped_values() -> None:
    assert format_github(FILES).splitlines() == [
        "::error file=tests/test_a.py,line=1,col=1,endLine=2,endColumn=5,"
        "title=mockls patcher-not-stopped::"
        "patcher 'p' is started but never stopped,%0Aso the patch leaks: 100%25",
        "::warning file=tests/test_a.py,line=4,col=7,endLine=4,endColumn=30,"
        "title=mockls misspelled-assert::'assert_called_once_wtih' is not an assertion",
        "::notice file=/abs/dir%2C x/test_b.py,line=10,col=3,endLine=10,endColumn=4,"
        "title=mockls patch-argument-order::maybe swapped",
    ]


def test_sarif_is_a_2_1_0_log_with_rules_results_and_fixes() -> None:
    log = json.loads(format_sarif(FILES, RULES, "9.9.9", Path("/work/project")))
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    [run] = log["runs"]
    assert run["tool"]["driver"] == {
        "name": "mockls",
        "version": "9.9.9",
        "rules": [
            {
                "id": "misspelled-assert",
                "name": "MisspelledAssert",
                "shortDescription": {"text": "Misspelled assertion"},
                "help": {"text": "See docs/rules/misspelled-assert.md in mockls."},
                "defaultConfiguration": {"level": "warning"},
            },
            {
                "id": "patcher-not-stopped",
                "name": "PatcherNotStopped",
                "shortDescription": {"text": "Patcher never stopped"},
                "help": {"text": "See docs/rules/patcher-not-stopped.md in mockls."},
                "defaultConfiguration": {"level": "error"},
            },
            {
                "id": "patch-argument-order",
                "name": "PatchArgumentOrder",
                "shortDescription": {"text": "Swapped parameters"},
                "help": {"text": "See docs/rules/patch-argument-order.md in mockls."},
                "defaultConfiguration": {"level": "note"},
            },
        ],
    }
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///work/project/"}}
    assert run["columnKind"] == "unicodeCodePoints"
    relative = {"uri": "tests/test_a.py", "uriBaseId": "%SRCROOT%"}
    assert run["results"] == [
        {
            "ruleId": "patcher-not-stopped",
            "ruleIndex": 1,
            "level": "error",
            "message": {"text": LEAK.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": relative,
                        "region": {"startLine": 1, "startColumn": 1, "endLine": 2, "endColumn": 5},
                    }
                }
            ],
        },
        {
            "ruleId": "misspelled-assert",
            "ruleIndex": 0,
            "level": "warning",
            "message": {"text": TYPO.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": relative,
                        "region": {
                            "startLine": 4,
                            "startColumn": 7,
                            "endLine": 4,
                            "endColumn": 30,
                        },
                    }
                }
            ],
            "fixes": [
                {
                    "description": {"text": "Rename to 'assert_called_once_with'"},
                    "artifactChanges": [
                        {
                            "artifactLocation": relative,
                            "replacements": [
                                {
                                    "deletedRegion": {
                                        "startLine": 4,
                                        "startColumn": 7,
                                        "endLine": 4,
                                        "endColumn": 30,
                                    },
                                    "insertedContent": {"text": "assert_called_once_with"},
                                }
                            ],
                        }
                    ],
                }
            ],
        },
        {
            "ruleId": "patch-argument-order",
            "ruleIndex": 2,
            "level": "note",
            "message": {"text": "maybe swapped"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "file:///abs/dir%2C%20x/test_b.py"},
                        "region": {
                            "startLine": 10,
                            "startColumn": 3,
                            "endLine": 10,
                            "endColumn": 4,
                        },
                    }
                }
            ],
        },
    ]


def test_gitlab_lists_code_quality_issues() -> None:
    issues = json.loads(format_gitlab(FILES))
    for issue in issues:
        assert re.fullmatch("[0-9a-f]{64}", issue.pop("fingerprint"))
    assert issues == [
        {
            "type": "issue",
            "check_name": "patcher-not-stopped",
            "description": "patcher 'p' is started but never stopped, so the patch leaks: 100%",
            "categories": ["Bug Risk"],
            "severity": "critical",
            "location": {
                "path": "tests/test_a.py",
                "positions": {"begin": {"line": 1, "column": 1}, "end": {"line": 2, "column": 5}},
            },
        },
        {
            "type": "issue",
            "check_name": "misspelled-assert",
            "description": "'assert_called_once_wtih' is not an assertion",
            "categories": ["Bug Risk"],
            "severity": "major",
            "location": {
                "path": "tests/test_a.py",
                "positions": {
                    "begin": {"line": 4, "column": 7},
                    "end": {"line": 4, "column": 30},
                },
            },
        },
        {
            "type": "issue",
            "check_name": "patch-argument-order",
            "description": "maybe swapped",
            "categories": ["Bug Risk"],
            "severity": "info",
            "location": {
                "path": "/abs/dir, x/test_b.py",
                "positions": {
                    "begin": {"line": 10, "column": 3},
                    "end": {"line": 10, "column": 4},
                },
            },
        },
    ]


def fingerprints(source: str, lines: list[int]) -> list[str]:
    """The GitLab fingerprints of a misspelled-assert finding on each of ``lines``."""
    findings = [
        Finding("misspelled-assert", "typo", Span.of(line, 4, line, 10), Severity.WARNING)
        for line in lines
    ]
    return [
        issue["fingerprint"]
        for issue in json.loads(format_gitlab([CheckedFile("t.py", findings, source)]))
    ]


def test_gitlab_fingerprints_follow_the_code_not_its_line_numbers() -> None:
    source = "def test():\n    m.assert_x()\n    m.assert_x()\n    m.assert_y()\n"
    moved_down = "import os\n\n" + source
    first, second, other = fingerprints(source, [1, 2, 3])
    assert len({first, second, other}) == 3  # the same line twice is two issues
    assert fingerprints(moved_down, [3, 4, 5]) == [first, second, other]
    assert fingerprints(source.replace("assert_y", "assert_z"), [3]) != [other]
    assert fingerprints(source, [1]) != [
        json.loads(format_gitlab([CheckedFile("u.py", [TYPO], source)]))[0]["fingerprint"]
    ]


def test_junit_has_one_test_case_per_checked_file() -> None:
    assert format_junit(FILES) == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="mockls" tests="3" failures="2" errors="0" skipped="0">\n'
        '  <testsuite name="mockls" tests="3" failures="2" errors="0" skipped="0">\n'
        '    <testcase classname="mockls" name="tests/test_a.py" file="tests/test_a.py">\n'
        '      <failure type="mockls" message="2 problems">1:1: patcher-not-stopped patcher '
        "'p' is started but never stopped, so the patch leaks: 100%\n"
        "4:7: misspelled-assert 'assert_called_once_wtih' is not an assertion\n"
        "</failure>\n"
        "    </testcase>\n"
        '    <testcase classname="mockls" name="clean.py" file="clean.py" />\n'
        '    <testcase classname="mockls" name="/abs/dir, x/test_b.py" '
        'file="/abs/dir, x/test_b.py">\n'
        '      <failure type="mockls" message="1 problem">10:3: patch-argument-order maybe '
        "swapped\n</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n"
    )


def test_junit_writes_what_xml_cannot_hold_as_escapes() -> None:
    report = format_junit([CheckedFile("bad\x01name\udcff.py", [HINTED])])
    assert 'name="bad\\x01name\\udcff.py"' in report
    ElementTree.fromstring(report.encode("utf-8"))


def test_statistics_count_findings_per_code_most_first() -> None:
    files = [*FILES, CheckedFile("c.py", [TYPO, TYPO])]
    assert format_statistics(files, "text") == (
        "3  misspelled-assert  [*]\n1  patch-argument-order\n1  patcher-not-stopped\n"
    )
    assert json.loads(format_statistics(files, "json")) == [
        {"code": "misspelled-assert", "count": 3, "fixable": 3},
        {"code": "patch-argument-order", "count": 1, "fixable": 0},
        {"code": "patcher-not-stopped", "count": 1, "fixable": 0},
    ]


def test_json_follows_its_published_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == JSON_SCHEMA_ID
    findings = json.loads(format_json(FILES))
    jsonschema.validate(findings, schema, cls=jsonschema.Draft202012Validator)
    broken = [{**findings[1], "fixes": [{**findings[1]["fixes"][0], "applicability": "maybe"}]}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft202012Validator)

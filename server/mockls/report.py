"""Findings as text for people and tools: the ``text``, ``json``, ``sarif`` and ``github`` formats.

Every function returns a string; only :mod:`mockls.cli` prints. Lines and columns are 1-based
here (columns count code points); an end column is the column just past the last character.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from urllib.parse import quote

from mockls.findings import Finding, Severity
from mockls.rules.rule import Rule
from mockls.spans import Position, Span

__all__ = [
    "FORMATS",
    "CheckedFile",
    "format_github",
    "format_json",
    "format_report",
    "format_sarif",
    "format_text",
    "summary_line",
]

FORMATS = ("text", "json", "sarif", "github")
"""The output formats, the first being the default."""

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_SARIF_LEVELS: Mapping[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "note",
    Severity.HINT: "note",
}

_GITHUB_COMMANDS: Mapping[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "notice",
    Severity.HINT: "notice",
}


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """One checked file: its path as shown to the user, and its findings in order."""

    path: str
    findings: Sequence[Finding]


def format_report(
    output_format: str,
    files: Sequence[CheckedFile],
    rules: Sequence[Rule],
    version: str,
    base_directory: Path,
) -> str:
    """The findings of ``files`` in ``output_format`` (one of :data:`FORMATS`)."""
    if output_format == "json":
        return format_json(files)
    if output_format == "sarif":
        return format_sarif(files, rules, version, base_directory)
    if output_format == "github":
        return format_github(files)
    return format_text(files)


def format_text(files: Sequence[CheckedFile]) -> str:
    """``path:line:column: code message``, one finding a line."""
    return "".join(
        f"{checked.path}:{_line(finding.span.start)}:{_column(finding.span.start)}: "
        f"{finding.code} {_one_line(finding.message)}\n"
        for checked in files
        for finding in checked.findings
    )


def summary_line(problem_count: int, files_with_problems: int, files_checked: int) -> str:
    """The closing line of the text format, e.g. ``Found 3 problems in 2 files.``."""
    if problem_count == 0:
        return f"No problems found ({_plural(files_checked, 'file')} checked)."
    return f"Found {_plural(problem_count, 'problem')} in {_plural(files_with_problems, 'file')}."


def format_json(files: Sequence[CheckedFile]) -> str:
    """A JSON list of findings, each with its place, code, severity, message and fixes."""
    entries = [
        {
            "path": checked.path,
            **_region(finding.span, "line", "column", "end_line", "end_column"),
            "code": finding.code,
            "severity": finding.severity.value,
            "message": finding.message,
            "fixes": [
                {
                    "title": fix.label,
                    "is_preferred": fix.is_preferred,
                    "edits": [
                        {
                            **_region(edit.span, "line", "column", "end_line", "end_column"),
                            "new_text": edit.new_text,
                        }
                        for edit in fix.edits
                    ],
                }
                for fix in finding.fixes
            ],
        }
        for checked in files
        for finding in checked.findings
    ]
    return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"


def format_sarif(
    files: Sequence[CheckedFile], rules: Sequence[Rule], version: str, base_directory: Path
) -> str:
    """A SARIF 2.1.0 log with one run: the rules as ``tool.driver.rules`` and the findings.

    Relative paths are given relative to ``%SRCROOT%``, which is ``base_directory``.
    """
    rule_index = {rule.code: index for index, rule in enumerate(rules)}
    results = []
    for checked in files:
        location = _artifact_location(checked.path)
        for finding in checked.findings:
            result: dict[str, object] = {
                "ruleId": finding.code,
                "level": _SARIF_LEVELS[finding.severity],
                "message": {"text": finding.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": location,
                            "region": _region(
                                finding.span, "startLine", "startColumn", "endLine", "endColumn"
                            ),
                        }
                    }
                ],
            }
            if finding.code in rule_index:
                result["ruleIndex"] = rule_index[finding.code]
            if finding.fixes:
                result["fixes"] = [
                    {
                        "description": {"text": fix.label},
                        "artifactChanges": [
                            {
                                "artifactLocation": location,
                                "replacements": [
                                    {
                                        "deletedRegion": _region(
                                            edit.span,
                                            "startLine",
                                            "startColumn",
                                            "endLine",
                                            "endColumn",
                                        ),
                                        "insertedContent": {"text": edit.new_text},
                                    }
                                    for edit in fix.edits
                                ],
                            }
                        ],
                    }
                    for fix in finding.fixes
                ]
            results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mockls",
                        "version": version,
                        "rules": [_sarif_rule(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": base_directory.as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def format_github(files: Sequence[CheckedFile]) -> str:
    """GitHub Actions workflow commands that annotate each finding in a pull request."""
    lines = []
    for checked in files:
        for finding in checked.findings:
            start, end = finding.span.start, finding.span.end
            properties = ",".join(
                f"{name}={_github_property(value)}"
                for name, value in (
                    ("file", checked.path),
                    ("line", str(_line(start))),
                    ("col", str(_column(start))),
                    ("endLine", str(_line(end))),
                    ("endColumn", str(_column(end))),
                    ("title", f"mockls {finding.code}"),
                )
            )
            command = _GITHUB_COMMANDS[finding.severity]
            lines.append(f"::{command} {properties}::{_github_data(finding.message)}\n")
    return "".join(lines)


def _sarif_rule(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.code,
        "name": "".join(word.capitalize() for word in rule.code.split("-")),
        "shortDescription": {"text": rule.summary},
        # SARIF wants helpUri absolute; with no published site the page is named in `help`.
        "help": {"text": f"See docs/rules/{rule.code}.md in mockls."},
        "defaultConfiguration": {"level": _SARIF_LEVELS[rule.default_severity]},
    }


def _artifact_location(path: str) -> dict[str, str]:
    if PurePath(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(os.fsencode(PurePath(path).as_posix())), "uriBaseId": "%SRCROOT%"}


def _region(span: Span, line: str, column: str, end_line: str, end_column: str) -> dict[str, int]:
    return {
        line: _line(span.start),
        column: _column(span.start),
        end_line: _line(span.end),
        end_column: _column(span.end),
    }


def _line(position: Position) -> int:
    return position.line + 1


def _column(position: Position) -> int:
    return position.character + 1


def _one_line(message: str) -> str:
    return " ".join(message.splitlines())


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")

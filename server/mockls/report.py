"""Findings as text for people and tools: the ``text``, ``json``, ``sarif``, ``github``,
``gitlab`` and ``junit`` formats, the ``--statistics`` table and the list of applied fixes.

Every function returns a string; only :mod:`mockls.cli` prints. Lines and columns are 1-based
here (columns count code points); an end column is the column just past the last character.
The ``json`` format's schema is ``docs/schemas/check-json.schema.json`` (:data:`JSON_SCHEMA_ID`);
it changes only by additions within one version.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from urllib.parse import quote
from xml.etree import ElementTree

from mockls.findings import Applicability, Finding, Severity
from mockls.fix_application import AppliedFix
from mockls.rules.rule import Rule
from mockls.spans import Position, Span
from mockls.syntax.lines import SourceLines

__all__ = [
    "FORMATS",
    "JSON_SCHEMA_ID",
    "STATISTICS_FORMATS",
    "CheckedFile",
    "fix_summary_line",
    "format_applied_fixes",
    "format_diff",
    "format_github",
    "format_gitlab",
    "format_json",
    "format_junit",
    "format_report",
    "format_sarif",
    "format_statistics",
    "format_text",
    "summary_line",
    "terminal_safe",
]

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit")
"""The output formats, the first being the default."""

STATISTICS_FORMATS = ("text", "json")
"""The formats ``--statistics`` can be written in."""

JSON_SCHEMA_ID = "https://mockls.invalid/schemas/check-json/v1"
"""The ``$id`` of the schema of the ``json`` format, version 1 (docs/schemas/)."""

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

_GITLAB_SEVERITIES: Mapping[Severity, str] = {
    Severity.ERROR: "critical",
    Severity.WARNING: "major",
    Severity.INFORMATION: "minor",
    Severity.HINT: "info",
}


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """One checked file: its path as shown to the user, and its findings in order.

    ``source`` is the text the findings are about (the fixed text after ``--fix``), which
    GitLab fingerprints read; ``applied`` the fixes ``--fix`` applied to it.
    """

    path: str
    findings: Sequence[Finding]
    source: str = ""
    applied: Sequence[AppliedFix] = ()
    original: str | None = None
    """The text before ``--fix`` or ``--diff`` changed it (``None``: unchanged)."""


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
    if output_format == "gitlab":
        return format_gitlab(files)
    if output_format == "junit":
        return format_junit(files)
    return format_text(files)


def format_text(files: Sequence[CheckedFile], *, show_fixes: bool = False) -> str:
    """``path:line:column: code message``, one finding a line; with ``show_fixes``, each
    followed by its fixes (``    fix (safe): title``). Control characters are escaped: a file
    name cannot add a line or talk to the terminal."""
    lines = []
    for checked in files:
        path = terminal_safe(checked.path)
        for finding in checked.findings:
            start = finding.span.start
            lines.append(
                f"{path}:{_line(start)}:{_column(start)}: "
                f"{finding.code} {terminal_safe(_one_line(finding.message))}\n"
            )
            if show_fixes:
                lines.extend(
                    f"    fix ({fix.applicability.value}): {terminal_safe(_one_line(fix.label))}\n"
                    for fix in finding.fixes
                )
    return "".join(lines)


def format_diff(files: Sequence[CheckedFile]) -> str:
    """``--diff``: a unified diff of each file the fixes change (``a/path`` to ``b/path``)."""
    return "".join(
        "".join(
            difflib.unified_diff(
                checked.original.splitlines(keepends=True),
                checked.source.splitlines(keepends=True),
                f"a/{checked.path}",
                f"b/{checked.path}",
            )
        )
        for checked in files
        if checked.original is not None and checked.original != checked.source
    )


def format_statistics(files: Sequence[CheckedFile], output_format: str) -> str:
    """How many findings of each code, most first: a table (``text``) or a JSON list."""
    counts = Counter(finding.code for checked in files for finding in checked.findings)
    fixable = Counter(
        finding.code
        for checked in files
        for finding in checked.findings
        if any(fix.applicability is Applicability.SAFE for fix in finding.fixes)
    )
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if output_format == "json":
        entries = [
            {"code": code, "count": count, "fixable": fixable[code]} for code, count in ranked
        ]
        return json.dumps(entries, indent=2) + "\n"
    width = max((len(str(count)) for count in counts.values()), default=1)
    return "".join(
        f"{count:>{width}}  {code}{'  [*]' if fixable[code] else ''}\n" for code, count in ranked
    )


def format_applied_fixes(files: Sequence[CheckedFile]) -> str:
    """``--show-fixes`` after ``--fix``: per file, how many findings each fix title repaired."""
    lines = []
    for checked in files:
        if not checked.applied:
            continue
        lines.append(f"{checked.path}:\n")
        repaired = Counter(
            (finding.code, applied.fix.label)
            for applied in checked.applied
            for finding in applied.findings
        )
        lines.extend(
            f"    {count} x {code}: {_one_line(label)}\n"
            for (code, label), count in repaired.items()
        )
    return "".join(lines)


def fix_summary_line(fixed: int, remaining: int, *, dry_run: bool) -> str:
    """The closing line of ``--fix`` (``Fixed 7 problems (2 remaining).``) or of ``--diff``."""
    verb = "Would fix" if dry_run else "Fixed"
    return f"{verb} {_plural(fixed, 'problem')} ({remaining} remaining)."


def summary_line(problem_count: int, files_with_problems: int, files_checked: int) -> str:
    """The closing line of the text format, e.g. ``Found 3 problems in 2 files.``."""
    if problem_count == 0:
        return f"No problems found ({_plural(files_checked, 'file')} checked)."
    return f"Found {_plural(problem_count, 'problem')} in {_plural(files_with_problems, 'file')}."


def format_json(files: Sequence[CheckedFile]) -> str:
    """A JSON list of findings, each with its place, code, severity, message and fixes (each
    fix with its title, whether it is preferred, its applicability and its edits)."""
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
                    "applicability": fix.applicability.value,
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


def format_gitlab(files: Sequence[CheckedFile]) -> str:
    """A GitLab Code Quality report: a JSON list of issues, each with a fingerprint that stays
    the same while the flagged code does (it hashes the path, the code, the flagged line's text
    and which such finding of the file it is, not line numbers), so moving code around does not
    make GitLab report old findings as new."""
    issues = []
    for checked in files:
        lines = SourceLines(checked.source)
        seen: Counter[tuple[str, str]] = Counter()
        for finding in checked.findings:
            start, end = finding.span.start, finding.span.end
            flagged = " ".join(lines.line(start.line).split()) or _one_line(finding.message)
            seen[(finding.code, flagged)] += 1
            identity = "\0".join(
                (checked.path, finding.code, flagged, str(seen[(finding.code, flagged)]))
            )
            issues.append(
                {
                    "type": "issue",
                    "check_name": finding.code,
                    "description": _one_line(finding.message),
                    "categories": ["Bug Risk"],
                    "severity": _GITLAB_SEVERITIES[finding.severity],
                    "fingerprint": hashlib.sha256(
                        identity.encode("utf-8", "surrogatepass")
                    ).hexdigest(),
                    "location": {
                        "path": PurePath(checked.path).as_posix(),
                        "positions": {
                            "begin": {"line": _line(start), "column": _column(start)},
                            "end": {"line": _line(end), "column": _column(end)},
                        },
                    },
                }
            )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def format_junit(files: Sequence[CheckedFile]) -> str:
    """A JUnit XML report: one test case per checked file, failed with its findings."""
    failures = sum(1 for checked in files if checked.findings)
    counts = {"tests": str(len(files)), "failures": str(failures), "errors": "0", "skipped": "0"}
    suites = ElementTree.Element("testsuites", {"name": "mockls", **counts})
    suite = ElementTree.SubElement(suites, "testsuite", {"name": "mockls", **counts})
    for checked in files:
        path = _xml_text(checked.path)
        case = ElementTree.SubElement(
            suite, "testcase", {"classname": "mockls", "name": path, "file": path}
        )
        if not checked.findings:
            continue
        failure = ElementTree.SubElement(
            case,
            "failure",
            {
                "type": "mockls",
                "message": _xml_text(_plural(len(checked.findings), "problem")),
            },
        )
        failure.text = _xml_text(
            "".join(
                f"{_line(finding.span.start)}:{_column(finding.span.start)}: "
                f"{finding.code} {_one_line(finding.message)}\n"
                for finding in checked.findings
            )
        )
    ElementTree.indent(suites)
    body = ElementTree.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


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


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """``text`` with its control characters (line breaks, ANSI and OSC escapes) written as
    Python escapes, so that it is shown, never obeyed, by a terminal or a log reader."""
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], text)


def _one_line(message: str) -> str:
    return " ".join(message.splitlines())


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """``text`` with what XML 1.0 cannot hold (control characters, the undecodable bytes of a
    file name) written as ``\\xNN`` escapes."""
    return _NOT_XML.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")

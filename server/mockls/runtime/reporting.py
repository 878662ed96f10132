"""The end of a ``pytest --mockls`` run: the findings judged from all its facts, as a
terminal summary section and, when asked, a JSON report (``mockls check --format json``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockls.dataclass_slots import SLOTS
from mockls.findings import Finding
from mockls.runtime.facts import RunFacts
from mockls.runtime.judgement import judge_file, summary

__all__ = ["JudgedFile", "judge_run", "report_run"]


@dataclass(frozen=True, **SLOTS)
class JudgedFile:
    """The run's findings in one file (``path`` as the facts name it)."""

    path: str
    findings: list[Finding]


def judge_run(facts: RunFacts, root: Path) -> list[JudgedFile]:
    """The run's findings, file by file (paths as the facts name them, relative to ``root``)."""
    checked: list[JudgedFile] = []
    for path in sorted(facts.judged_paths()):
        try:
            source = (root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        findings = judge_file(facts, path, source, root)
        if findings:
            checked.append(JudgedFile(path, findings))
    return checked


def report_run(facts: RunFacts, root: Path, terminal: Any, report_path: str | None) -> None:
    """Write the summary section to pytest's ``terminal`` reporter, and the report file."""
    checked = judge_run(facts, root)
    findings: list[Finding] = [finding for file in checked for finding in file.findings]
    terminal.section("mockls")
    terminal.line(summary(findings))
    for file in checked:
        for finding in file.findings:
            start = finding.span.start
            place = f"{file.path}:{start.line + 1}:{start.character + 1}"
            terminal.line(f"{place}: {finding.code} {finding.message}")
    if report_path is not None:
        # the report's format is mockls check's: importing it loads the rules (a second)
        from mockls.report import CheckedFile, format_json  # noqa: PLC0415

        report = format_json([CheckedFile(file.path, file.findings) for file in checked])
        Path(report_path).write_text(report, encoding="utf-8")
        terminal.line(f"mockls: report written to {report_path}")

"""One file in, findings out: the pipeline both the server and ``mockls check`` run.

module snapshot (its model, line index and suppressions, each computed once) -> every
enabled rule (each isolated, so one broken rule cannot take the others' results away) -> the
last ``pytest --mockls`` run's word on them, when the project has one for this text
(``runtime.judgement.overrule``) -> severity overrides -> ``# mockls: ignore`` suppressions.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from mockls.analysis.snapshot import ModuleSnapshot
from mockls.analysis.suppressions import is_suppressed
from mockls.checkpoints import checkpoint
from mockls.config import Settings
from mockls.findings import Finding, Severity
from mockls.rules import ALL_RULES, RuleContext
from mockls.runtime.judgement import RUNTIME_CODES, overrule
from mockls.runtime.store import load_run_facts

if TYPE_CHECKING:
    from mockls.resolve.project import ProjectFile

log = logging.getLogger(__name__)

ALL_CODES: frozenset[str] = frozenset(rule.code for rule in ALL_RULES) | frozenset(RUNTIME_CODES)
"""The codes of the rules, and those only a run gives (``async-call-not-awaited``)."""


def lint_source(
    source: str, relative_path: str, settings: Settings, project: ProjectFile | None = None
) -> list[Finding]:
    """The findings for one module's text, sorted by position then code (see
    :func:`lint_module`)."""
    return lint_module(ModuleSnapshot(source, project), relative_path, settings, project)


def lint_module(
    module: ModuleSnapshot,
    relative_path: str,
    settings: Settings,
    project: ProjectFile | None = None,
) -> list[Finding]:
    """The findings for one module, sorted by position then code.

    ``relative_path`` is the posix path relative to the project root (used for
    ``per-file-ignores``); it may be empty for an unsaved buffer. ``project`` is the workspace
    as seen from this file; without it the rules that resolve targets report nothing.
    """
    enabled = settings.enabled_codes(ALL_CODES, relative_path)
    if not enabled:
        return []
    context = RuleContext(
        model=module.model,
        source=module.text,
        path=relative_path,
        lines=module.line_index,
        project=project,
        module=module,
    )
    found: list[Finding] = []
    for rule in ALL_RULES:
        if rule.code not in enabled:
            continue
        checkpoint()
        try:
            for finding in rule.check(context):
                found.append(finding)
                checkpoint()
        except Exception:
            log.exception(
                "rule %s failed on %s; its findings are skipped", rule.code, relative_path
            )
    found = _with_last_run(found, module.text, relative_path, project)
    silenced = module.suppressions
    # A rule may report some findings above or below its default (invalid-patch-arguments:
    # errors for what patch refuses, warnings for what it misreads); a configured severity
    # for the code overrides them all.
    findings = [
        finding
        if settings.severity.get(finding.code) is None
        else _with_severity(finding, settings.severity[finding.code])
        for finding in found
        if finding.code in enabled
        and not is_suppressed(silenced, finding.span.start.line, finding.code)
    ]
    findings.sort(key=lambda finding: (finding.span.start, finding.code))
    return findings


def _with_last_run(
    findings: list[Finding], source: str, relative_path: str, project: ProjectFile | None
) -> list[Finding]:
    """``findings`` overruled by the facts of the last ``pytest --mockls`` run in the project
    (unchanged when there is none, or it did not see this text)."""
    root = project.project.root if project is not None else None
    if root is None or not relative_path:
        return findings
    facts = load_run_facts(root)
    if facts is None:
        return findings
    return overrule(findings, facts, relative_path, source, root)


def _with_severity(finding: Finding, severity: Severity) -> Finding:
    return finding if finding.severity is severity else replace(finding, severity=severity)

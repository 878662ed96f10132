"""Which quick-fixes to offer at a selection: those that leave the file valid Python."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from mockls.findings import Finding, Fix
from mockls.fixes.edits import ConflictingEditsError, apply_edits
from mockls.spans import Span
from mockls.syntax.lines import BOM

__all__ = ["QuickFix", "is_valid_python", "quick_fixes"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class QuickFix:
    """A fix worth offering, with the findings it repairs (one fix may serve several)."""

    findings: tuple[Finding, ...]
    fix: Fix
    fixed_source: str
    """The whole source with the fix applied."""
    preferred: bool
    """The fix to apply without asking: the rule said so, or it is its finding's only fix."""


def quick_fixes(source: str, findings: Iterable[Finding], selection: Span) -> list[QuickFix]:
    """The fixes of the findings that touch ``selection``, in the order the findings come.

    A fix shared by several findings (one reordering for two misnamed parameters) is offered
    once, for all of them. A fix is left out when its edits conflict, when it changes nothing,
    or when the file compiled before and would not compile after it. A file that did not
    compile before cannot tell a good fix from a bad one, so its fixes are offered as they are.
    """
    touching = [
        finding for finding in findings if finding.fixes and _touches(finding.span, selection)
    ]
    if not touching:
        return []
    repaired: dict[Fix, list[Finding]] = {}
    for finding in touching:
        for fix in finding.fixes:
            repaired.setdefault(fix, []).append(finding)
    compiled_before = is_valid_python(source)
    offered: list[QuickFix] = []
    for fix, fixed_findings in repaired.items():
        codes = ", ".join(sorted({finding.code for finding in fixed_findings}))
        try:
            fixed = apply_edits(source, fix.edits)
        except ConflictingEditsError as error:
            log.warning("fix %r of %s is skipped: %s", fix.title, codes, error)
            continue
        if fixed == source:
            continue
        if compiled_before and not is_valid_python(fixed):
            log.info("fix %r of %s would break the file; not offered", fix.title, codes)
            continue
        preferred = fix.is_preferred or all(len(found.fixes) == 1 for found in fixed_findings)
        offered.append(QuickFix(tuple(fixed_findings), fix, fixed, preferred))
    return offered


def is_valid_python(source: str) -> bool:
    """Whether ``source`` compiles as a module (syntax and scoping rules, like an import would)."""
    try:
        with warnings.catch_warnings():
            # SyntaxWarnings (an invalid escape, `is` with a literal) do not make a file
            # invalid; filters that turn warnings into errors must not make it look so.
            warnings.simplefilter("ignore")
            # A byte order mark is the file's encoding, which compile() does not take in a str.
            compile(source.removeprefix(BOM), "<quick-fix>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return False
    return True


def _touches(span: Span, selection: Span) -> bool:
    return span.start <= selection.end and selection.start <= span.end

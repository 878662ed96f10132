"""What a run's facts say about the patches of a file, in the existing diagnostic codes, and
how they overrule static findings ("the run has the last word").

Facts are grouped by patch site (file, line, target). A site is judged on every start it
had in the run, so a patch made in a session fixture is judged once, on its whole life, and a
site used by one test and missed by another is not reported (precision first):

- ``unresolved-patch-target``: no start succeeded, and one raised (``AttributeError``,
  ``ModuleNotFoundError``...).
- ``ineffective-patch``: it started, its mock was never called, and the original was.
- ``patcher-not-stopped``: a start was still active after its test's teardown.
- ``async-call-not-awaited``: an ``AsyncMock`` of it was called and never awaited.
- ``signature-mismatch``: its autospecced mock refused a call's arguments; reported at the
  call, in the test or in the code under test (wherever the call is, not where the patch is).

A static finding the facts contradict is withdrawn: ``ineffective-patch`` where the mock was
called, ``unresolved-patch-target`` where the patch started, ``patcher-not-stopped`` where
every start was stopped. So is one whose claim only a test run can check
(``ClaimKind.needs_test_run``), when the run's patches of its target in the file say
otherwise: the mock was called (a patch ending early, a name read before the patch, a property
mock read as a value), every call was awaited (never awaited), the class mock's child itself
was called (a child unused); when they say the same, the finding says it was confirmed.
Facts of a file whose content changed since the run are ignored.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from mockls.dataclass_slots import SLOTS
from mockls.findings import ClaimKind, Finding, RelatedLocation, RuntimeClaim, Severity
from mockls.runtime.facts import PatchFact, RunFacts, Site, content_digest
from mockls.spans import Span

__all__ = ["RUNTIME_CODES", "judge_file", "overrule", "summary"]

INEFFECTIVE = "ineffective-patch"
UNRESOLVED = "unresolved-patch-target"
NOT_STOPPED = "patcher-not-stopped"
NOT_AWAITED = "async-call-not-awaited"
SIGNATURE = "signature-mismatch"
RUNTIME_CODES = (INEFFECTIVE, UNRESOLVED, NOT_STOPPED, NOT_AWAITED, SIGNATURE)
"""The codes a run's facts can give, in the order the summary counts them."""

_NOUNS = {
    INEFFECTIVE: ("ineffective patch", "ineffective patches"),
    UNRESOLVED: ("patch that failed to start", "patches that failed to start"),
    NOT_STOPPED: ("leak", "leaks"),
    NOT_AWAITED: ("AsyncMock never awaited", "AsyncMocks never awaited"),
    SIGNATURE: ("call autospec rejected", "calls autospec rejected"),
}

SOURCE = "pytest --mockls"
"""How a finding says it comes from a run."""

TARGET_LINES_BELOW_CALL = 3
"""How far below the line that made a patch its target string may be (a call over lines)."""


@dataclass(frozen=True, **SLOTS)
class _SiteVerdict:
    """Everything the run says about one patch site."""

    line: int
    target: str
    started: tuple[PatchFact, ...]
    failed: tuple[PatchFact, ...]

    @property
    def used(self) -> bool:
        return any(fact.call_count for fact in self.started)

    @property
    def always_stopped(self) -> bool:
        return bool(self.started) and not any(fact.leaked_after for fact in self.started)


def judge_file(facts: RunFacts, path: str, source: str, root: Path) -> list[Finding]:
    """The run's findings for the patches made in ``path`` (posix, relative to ``root``) whose
    text is ``source``; none when the file changed since the run."""
    if not _current(facts, path, source):
        return []
    lines = source.splitlines()
    findings: list[Finding] = []
    for verdict in _verdicts(facts.of_file(path)):
        span = _line_span(lines, verdict.line)
        findings.extend(
            Finding(code, message, span, severity, related)
            for code, message, severity, related in _judge(verdict, root)
        )
    findings.extend(_rejected_calls(facts, path, lines))
    findings.sort(key=lambda finding: (finding.span.start, finding.code))
    return findings


def overrule(
    static: Sequence[Finding], facts: RunFacts, path: str, source: str, root: Path
) -> list[Finding]:
    """``static`` findings of ``path`` with the run's last word: contradicted ones withdrawn,
    the run's findings added; a static finding the run confirms (its code at its place) keeps
    its fixes and says so."""
    if not _current(facts, path, source):
        return list(static)
    verdicts = _verdicts(facts.of_file(path))
    runtime = judge_file(facts, path, source, root)
    confirmed: set[int] = set()
    findings: list[Finding] = []
    for finding in static:
        if any(_contradicts(verdict, finding) for verdict in verdicts):
            continue
        if finding.claim is not None and finding.claim.kind.needs_test_run:
            seen = _claim_seen(finding.claim, verdicts)
            if seen is False:
                continue
            if seen:
                findings.append(replace(finding, message=f"{finding.message} — {seen}"))
                continue
        evidence = next((found for found in runtime if _same_place(finding, found)), None)
        if evidence is None:
            findings.append(finding)
            continue
        confirmed.add(id(evidence))
        findings.append(
            replace(
                finding,
                message=f"{finding.message} — confirmed by {SOURCE}: {_evidence(evidence)}",
                related=finding.related + evidence.related,
            )
        )
    findings.extend(found for found in runtime if id(found) not in confirmed)
    return sorted(findings, key=lambda finding: (finding.span.start, finding.code))


def summary(findings: Iterable[Finding]) -> str:
    """``mockls: 3 ineffective patches, 1 leak`` (or that the run found nothing)."""
    counts = Counter(finding.code for finding in findings)
    parts = [
        f"{counts[code]} {_NOUNS[code][counts[code] != 1]}"
        for code in RUNTIME_CODES
        if counts[code]
    ]
    return "mockls: " + (", ".join(parts) if parts else "no mock problems seen in this run")


def _current(facts: RunFacts, path: str, source: str) -> bool:
    recorded = facts.digests.get(path)
    return recorded is not None and recorded == content_digest(source.encode("utf-8"))


def _verdicts(facts: Iterable[PatchFact]) -> list[_SiteVerdict]:
    groups: dict[tuple[int, str], list[PatchFact]] = {}
    for fact in facts:
        if fact.site is not None:
            groups.setdefault((fact.site.line, fact.target), []).append(fact)
    return [
        _SiteVerdict(
            line,
            target,
            tuple(fact for fact in group if fact.started),
            tuple(fact for fact in group if not fact.started),
        )
        for (line, target), group in sorted(groups.items())
    ]


def _judge(
    verdict: _SiteVerdict, root: Path
) -> Iterable[tuple[str, str, Severity, tuple[RelatedLocation, ...]]]:
    target = f"`{verdict.target}`"
    if verdict.failed and not verdict.started:
        first = verdict.failed[0]
        error = re.sub(r" from '[^']*'>", ">", first.error or "")  # a module's repr: no path
        yield (
            UNRESOLVED,
            f"{target} could not be patched: it raised {error} when it started"
            f"{_during(first)} ({SOURCE})",
            Severity.ERROR,
            (),
        )
        return
    if verdict.started and not verdict.used:
        originals = [fact for fact in verdict.started if fact.original_called]
        if originals:
            callers = tuple(
                dict.fromkeys(site for fact in originals for site in fact.original_callers)
            )
            where = f" from {', '.join(map(str, callers))}" if callers else ""
            yield (
                INEFFECTIVE,
                f"never called — the code under test called the original {target}{where}"
                f"{_during(originals[0])}: patch it where that code looks it up ({SOURCE})",
                Severity.WARNING,
                tuple(
                    _related(site, f"the original {target} is called here", root)
                    for site in callers
                ),
            )
    for fact in verdict.started:
        if fact.leaked_after is not None:
            later = fact.later_tests
            named = _named(fact.later_test_names, later)
            yield (
                NOT_STOPPED,
                f"{target} was still active after `{fact.leaked_after}` ended; {later} later "
                f"test{'s' if later != 1 else ''} ran with it{named} ({SOURCE})",
                Severity.WARNING,
                (),
            )
            break
    awaited = tuple(dict.fromkeys(site for fact in verdict.started for site in fact.never_awaited))
    if awaited:
        yield (
            NOT_AWAITED,
            f"the AsyncMock of {target} was called at {', '.join(map(str, awaited))} and never "
            f"awaited ({SOURCE})",
            Severity.WARNING,
            tuple(_related(site, "called here, never awaited", root) for site in awaited),
        )


def _rejected_calls(facts: RunFacts, path: str, lines: Sequence[str]) -> Iterable[Finding]:
    """``signature-mismatch`` at each call in ``path`` an autospecced mock refused."""
    seen: set[tuple[int, str]] = set()
    for fact in facts.patches:
        for rejected in fact.rejected_calls:
            if rejected.site.path != path or (rejected.site.line, rejected.message) in seen:
                continue
            seen.add((rejected.site.line, rejected.message))
            yield Finding(
                SIGNATURE,
                f"autospec rejected the call: {rejected.message} — the mock of "
                f"`{fact.target}`{_during(fact)} ({SOURCE})",
                _line_span(lines, rejected.site.line),
                Severity.ERROR,
            )


def _named(names: Sequence[str], count: int) -> str:
    if not count:
        return ""
    more = ", ..." if count > len(names) else ""
    return f" ({', '.join(f'`{name}`' for name in names)}{more})"


def _during(fact: PatchFact) -> str:
    if fact.owner.startswith("fixture "):
        return f" (fixture `{fact.owner.removeprefix('fixture ')}`, {fact.scope} scope)"
    return f" in `{fact.test}`" if fact.test else ""


def _related(site: Site, message: str, root: Path) -> RelatedLocation:
    path = Path(site.path)
    return RelatedLocation(
        str(path if path.is_absolute() else root / path),
        Span.of(site.line - 1, 0, site.line, 0),
        message,
    )


def _line_span(lines: Sequence[str], line: int) -> Span:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    start = len(text) - len(text.lstrip())
    return Span.of(line - 1, start, line - 1, len(text.rstrip()))


def _matches(verdict: _SiteVerdict, finding: Finding) -> bool:
    """Whether ``finding`` is about the patch of ``verdict``'s site."""
    first, last = finding.span.start.line + 1, finding.span.end.line + 1
    if finding.claim is not None:
        return finding.claim.target == verdict.target and (
            first - TARGET_LINES_BELOW_CALL <= verdict.line <= last
        )
    return first == verdict.line


def _contradicts(verdict: _SiteVerdict, finding: Finding) -> bool:
    if not _matches(verdict, finding):
        return False
    if finding.code == INEFFECTIVE:
        return verdict.used
    if finding.code == UNRESOLVED:
        return bool(verdict.started)
    if finding.code == NOT_STOPPED:
        return verdict.always_stopped
    return False


def _claim_seen(claim: RuntimeClaim, verdicts: Sequence[_SiteVerdict]) -> str | bool | None:
    """What the run says of a claim only a test run can check, made about the patches of
    ``claim.target`` in this file: ``False`` when it contradicts it (the finding is
    withdrawn), the evidence when it confirms it, ``None`` when it says nothing either way
    (no such patch ran, or its starts disagree)."""
    target, child = claim.target, ""
    if claim.kind is ClaimKind.CHILD_UNUSED:
        target, _, child = claim.target.rpartition(".")
    starts = [fact for verdict in verdicts if verdict.target == target for fact in verdict.started]
    if not starts:
        return None
    shown = f"`{target}`"
    if claim.kind is ClaimKind.NEVER_AWAITED:
        dropped = tuple(dict.fromkeys(site for fact in starts for site in fact.never_awaited))
        if dropped:
            places = ", ".join(map(str, dropped))
            return (
                f"confirmed by {SOURCE}: the mock of {shown} was called at {places} and never "
                "awaited"
            )
        return False if all(fact.call_count for fact in starts) else None
    if claim.kind is ClaimKind.CHILD_UNUSED:
        called = {name for fact in starts for name in fact.called}
        if child in called:
            return False
        if f"().{child}" in called:
            return (
                f"confirmed by {SOURCE}: the code under test called `return_value.{child}` of "
                f"the mock of {shown}, never `{child}`"
            )
        return None
    # ENDS_EARLY, READ_AS_VALUE, READ_BEFORE_PATCH: each says the mock is never called
    if any(fact.call_count for fact in starts):
        return False
    callers = tuple(dict.fromkeys(site for fact in starts for site in fact.original_callers))
    if claim.kind is not ClaimKind.READ_AS_VALUE and callers:
        return (
            f"confirmed by {SOURCE}: the mock of {shown} was never called, the original was "
            f"(from {', '.join(map(str, callers))})"
        )
    return None


def _evidence(runtime: Finding) -> str:
    return runtime.message.removesuffix(f" ({SOURCE})")


def _same_place(static: Finding, runtime: Finding) -> bool:
    return static.code == runtime.code and static.span.start.line == runtime.span.start.line

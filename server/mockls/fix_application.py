"""``mockls check --fix``: applying the findings' fixes to a module, and writing it back safely.

:func:`fix_source` is pure: it lints the text, applies the one fix each finding would have
applied without asking (its preferred fix, when its applicability allows), lints the result
again, and repeats until nothing is left to fix (fixes of one pass that touch the same text
wait for the next). It never turns a module that compiles into one that does not, and it leaves
a module that does not compile alone. :func:`write_fixed` puts the result on disk atomically, in
the file's own encoding (byte order mark and coding cookie), keeping its permissions, and only
if the file still holds what was read.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mockls.files import SourceError, read_source_bytes, source_encoding
from mockls.findings import Applicability, Finding, Fix
from mockls.fixes.edits import ConflictingEditsError, apply_edits
from mockls.fixes.quick_fixes import is_valid_python
from mockls.syntax.lines import SourceLines

__all__ = ["AppliedFix", "FileChangedError", "FixedSource", "fix_source", "write_fixed"]

log = logging.getLogger(__name__)

MAX_PASSES = 10
"""Fix passes per module; a module still offering fixes after them is left as it is then."""


@dataclass(frozen=True, slots=True)
class AppliedFix:
    """A fix that was applied, with the findings it repaired (one fix may serve several)."""

    fix: Fix
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class FixedSource:
    """A module after fixing: its text, the fixes applied in order, the findings left in it."""

    text: str
    applied: tuple[AppliedFix, ...]
    remaining: tuple[Finding, ...]

    @property
    def fixed_count(self) -> int:
        """How many findings the applied fixes repaired."""
        return sum(len(applied.findings) for applied in self.applied)


def fix_source(
    source: str, lint: Callable[[str], Sequence[Finding]], *, unsafe: bool = False
) -> FixedSource:
    """``source`` with every applicable fix applied, ``lint`` giving the findings of a text.

    A finding's fix is its only fix or its preferred one; it is applied when it is safe (see
    :class:`~mockls.findings.Applicability`), or with ``unsafe`` whatever it is. A finding
    with several equally good fixes gets none: choosing is the user's.
    """
    text = source
    findings = tuple(lint(text))
    applied: list[AppliedFix] = []
    if not is_valid_python(text):
        return FixedSource(text, (), findings)  # no telling a good fix from a bad one
    for _ in range(MAX_PASSES):
        chosen = _chosen_fixes(findings, unsafe=unsafe)
        if not chosen:
            break
        text, pass_applied = _apply_pass(text, chosen)
        if not pass_applied:
            break
        applied.extend(pass_applied)
        findings = tuple(lint(text))
    else:
        if _chosen_fixes(findings, unsafe=unsafe):
            log.warning("fixes did not settle after %d passes; the rest are left", MAX_PASSES)
    return FixedSource(text, tuple(applied), findings)


def _chosen_fixes(findings: Sequence[Finding], *, unsafe: bool) -> list[AppliedFix]:
    """The fix each finding would apply, a fix shared by several findings once, in order."""
    by_fix: dict[Fix, list[Finding]] = {}
    for finding in findings:
        fix = _fix_to_apply(finding)
        if fix is None or not (unsafe or fix.applicability is Applicability.SAFE):
            continue
        by_fix.setdefault(fix, []).append(finding)
    return [AppliedFix(fix, tuple(repaired)) for fix, repaired in by_fix.items()]


def _fix_to_apply(finding: Finding) -> Fix | None:
    if len(finding.fixes) == 1:
        return finding.fixes[0]
    preferred = [fix for fix in finding.fixes if fix.is_preferred]
    return preferred[0] if len(preferred) == 1 else None


def _apply_pass(text: str, chosen: list[AppliedFix]) -> tuple[str, list[AppliedFix]]:
    """``text`` with those of ``chosen`` applied that touch no text an earlier one touched and
    keep the module compiling; the ones applied.

    All of them are tried at once first (one edit of the text, one compile: the common case);
    only when that fails is each tried on its own, so that one bad fix keeps out only itself.
    """
    lines = SourceLines(text)
    taken: list[tuple[int, int]] = []
    separate: list[AppliedFix] = []
    for candidate in sorted(chosen, key=lambda item: _first_offset(lines, item.fix)):
        ranges = [
            (lines.offset(edit.span.start), lines.offset(edit.span.end))
            for edit in candidate.fix.edits
        ]
        if any(_overlaps(one, other) for one in ranges for other in taken):
            continue  # the next pass sees it again, on the text this pass made
        separate.append(candidate)
        taken.extend(ranges)
    fixed = _with_fixes(text, separate)
    if fixed is not None and is_valid_python(fixed):
        return fixed, separate
    applied: list[AppliedFix] = []
    for candidate in separate:
        fixed = _with_fixes(text, [*applied, candidate])
        if fixed is None or not is_valid_python(fixed):
            log.info("fix %r would break the module; not applied", candidate.fix.title)
            continue
        applied.append(candidate)
    return (_with_fixes(text, applied) or text), applied


def _with_fixes(text: str, fixes: list[AppliedFix]) -> str | None:
    """``text`` with the edits of ``fixes``; ``None`` when they conflict."""
    try:
        return apply_edits(text, [edit for item in fixes for edit in item.fix.edits])
    except ConflictingEditsError as error:
        log.info("fixes are skipped: %s", error)
        return None


def _first_offset(lines: SourceLines, fix: Fix) -> int:
    return min((lines.offset(edit.span.start) for edit in fix.edits), default=0)


def _overlaps(one: tuple[int, int], other: tuple[int, int]) -> bool:
    """Whether two ranges share text, or are insertions at the same point (order unknown)."""
    shares_text = one[0] < other[1] and other[0] < one[1]
    return shares_text or one == other or one[0] == one[1] == other[0]


class FileChangedError(Exception):
    """The file on disk no longer holds the bytes the fixes were computed from."""


def write_fixed(path: Path, original: bytes, text: str) -> None:
    """Replace the file at ``path`` (which held ``original``) with ``text``, atomically.

    The text is encoded as the original was read (a UTF-8 byte order mark is kept, a coding
    cookie's codec is used); the new file gets the old one's permission bits; a symbolic link is
    followed, so the file it names changes. Raises :class:`FileChangedError` when the file
    changed since ``original`` was read, :class:`SourceError` when it cannot be written or the
    text cannot be encoded in the file's encoding (the file is then untouched).
    """
    target = path.resolve()
    encoding = source_encoding(original)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as error:
        reason = f"the fixed text cannot be written as {encoding}"
        raise SourceError(reason, decoding=True) from error
    if read_source_bytes(target) != original:
        raise FileChangedError(str(path))
    try:
        mode = target.stat().st_mode & 0o7777
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as error:
        raise SourceError(error.strerror or str(error), decoding=False) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        if read_source_bytes(target) != original:  # changed while this was being written
            raise FileChangedError(str(path))
        os.replace(temporary, target)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise SourceError(error.strerror or str(error), decoding=False) from error
        raise

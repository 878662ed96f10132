"""Which refactorings to offer at a selection: those whose edits apply and give valid Python.

Each kind of refactoring is one function ``(ParsedModule, selection) -> [Refactoring]``; a
function that raises is logged and skipped, so one broken refactoring cannot take the others
away.

A result is checked by compiling the top-level statements the edits touch, before and after:
top-level statements compile independently of each other, so this says of the whole module
what compiling all of it would, at the cost of one class instead of a 10,000-line file.
A refactoring of statements that did not compile before is not offered (nothing could tell a
good result from a broken one).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mockls.fixes.add_autospec import add_autospec
from mockls.fixes.edits import ConflictingEditsError, apply_edits
from mockls.fixes.flatten_patches import flatten_patches
from mockls.fixes.patches_to_setup import patches_to_setup
from mockls.fixes.quick_fixes import is_valid_python
from mockls.fixes.refactoring import ParsedModule, Refactoring
from mockls.spans import Span
from mockls.syntax.lines import SourceLines

__all__ = ["PROVIDERS", "OfferedRefactoring", "refactorings"]

log = logging.getLogger(__name__)

Provider = Callable[[ParsedModule, Span], Sequence[Refactoring]]

PROVIDERS: tuple[Provider, ...] = (flatten_patches, patches_to_setup, add_autospec)
"""Every kind of refactoring, in the order their actions are listed."""


@dataclass(frozen=True, slots=True)
class OfferedRefactoring:
    """A refactoring worth offering, with the whole source it gives."""

    refactoring: Refactoring
    fixed_source: str


def refactorings(module: ParsedModule, selection: Span) -> list[OfferedRefactoring]:
    """The refactorings that apply at ``selection``, each checked to leave valid Python."""
    offered: list[OfferedRefactoring] = []
    for provider in PROVIDERS:
        try:
            found = list(provider(module, selection))
        except Exception:
            log.exception("refactoring %s failed; it is not offered", provider.__name__)
            continue
        for refactoring in found:
            try:
                result = apply_edits(module.text, refactoring.edits)
            except ConflictingEditsError as error:
                log.warning("refactoring %r is skipped: %s", refactoring.title, error)
                continue
            if result == module.text:
                continue
            if not _compiles_where_edited(module, refactoring, result):
                log.warning("refactoring %r would break the file; not offered", refactoring.title)
                continue
            offered.append(OfferedRefactoring(refactoring, result))
    return offered


def _compiles_where_edited(module: ParsedModule, refactoring: Refactoring, result: str) -> bool:
    """Whether the top-level statements the edits touch compiled before and compile after."""
    tree = module.tree
    first = tree.top_level_lines(min(edit.span.start.line for edit in refactoring.edits))[0]
    last = tree.top_level_lines(max(edit.span.end.line for edit in refactoring.edits))[1]
    before = SourceLines(module.text)
    after = SourceLines(result)
    shift = after.count - before.count  # every line after the last edit moved by as much
    return is_valid_python(_joined(before, first, last)) and is_valid_python(
        _joined(after, first, last + shift)
    )


def _joined(lines: SourceLines, first: int, last: int) -> str:
    return "\n".join(lines.line(number) for number in range(first, last + 1))

"""Which refactorings to offer at a selection: those whose edits apply and give valid Python.

Each kind of refactoring is one function ``(ParsedModule, selection) -> [Refactoring]``; a
function that raises is logged and skipped, so one broken refactoring cannot take the others
away.
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
            if not is_valid_python(result):
                log.warning("refactoring %r would break the file; not offered", refactoring.title)
                continue
            offered.append(OfferedRefactoring(refactoring, result))
    return offered

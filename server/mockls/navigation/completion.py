"""Completion inside patch target strings, one dotted segment at a time, from the workspace index.

Typing ``'shop.pay`` offers the modules and attributes of ``shop`` that start with ``pay``;
choosing one replaces the whole segment under the cursor. In ``patch.object(Order, '...')``
the string is one attribute of ``Order``. Nothing here runs jedi for workspace modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mockls.analysis.model import ModuleModel
from mockls.navigation._locate import TYPED_STRING, typed_target_at
from mockls.resolve.resolution import TargetKind
from mockls.spans import Position, Span

if TYPE_CHECKING:
    from mockls.resolve.project import ProjectFile

__all__ = ["TargetCompletion", "completions", "may_complete"]

_DOTTED_SO_FAR = re.compile(r"(?:\w+\.)*\w*")
"""What a target string may hold before the cursor for completion to make sense."""


@dataclass(frozen=True, slots=True)
class TargetCompletion:
    """One name to complete the segment at ``replace`` with."""

    label: str
    kind: TargetKind
    detail: str
    replace: Span


def may_complete(line: str, character: int) -> bool:
    """Whether a cursor at ``character`` of ``line`` may be in a target string (a cheap test)."""
    return TYPED_STRING.search(line[:character]) is not None


def completions(
    model: ModuleModel, source: str, position: Position, project: ProjectFile | None
) -> tuple[TargetCompletion, ...]:
    """The names that can complete the target string segment at ``position``, best first."""
    if project is None:
        return ()
    target = typed_target_at(model, source, position)
    if target is None or not target.maps_columns:
        return ()
    offset = position.character - target.span.start.character
    typed = target.text[:offset]
    if _DOTTED_SO_FAR.fullmatch(typed) is None:
        return ()
    start = typed.rfind(".") + 1
    following = target.text[offset:]
    end = offset + (following.index(".") if "." in following else len(following))
    if target.owner is not None:
        if start > 0:
            return ()  # patch.object takes one attribute name, not a dotted path
        owner = project.qualify(target.owner)
        if owner is None:
            return ()
        typed = f"{owner}.{typed}"
    line, column = target.span.start.line, target.span.start.character
    replace = Span.of(line, column + start, line, column + end)
    return tuple(
        TargetCompletion(item.label, item.kind, item.detail, replace)
        for item in project.project.complete(typed)
    )

"""What the cursor is on: a patch target string (and which dotted segment), or a mock's name.

Both come from the module's :class:`~mockls.analysis.model.ModuleModel`, so only real patch
calls count (``patch`` imported from ``unittest.mock``, ``mock`` or used as ``mocker.patch``).
For completion, :func:`typed_target_at` also finds a target string still being typed — one
whose quote or call is not closed yet, or a decorator with no function under it yet — by
closing it after the cursor and reading the model of that text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mockls.analysis.builder import build_model
from mockls.analysis.model import MockBinding, MockFactory, ModuleModel, PatchKind, PatchSite
from mockls.spans import Position, Span
from mockls.syntax.lines import split_lines

if TYPE_CHECKING:
    pass

__all__ = [
    "TYPED_STRING",
    "Segment",
    "TargetString",
    "built_target_at",
    "mock_binding_at",
    "target_prefix",
    "target_string_at",
    "typed_target_at",
]


@dataclass(frozen=True, slots=True)
class Segment:
    """One dotted segment of a target string: its index in the string and where it is."""

    index: int
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class TargetString:
    """The string literal naming what a patch site patches.

    ``text`` is the string's value and ``span`` its contents (inside the quotes). For
    ``patch.object(owner, 'attr')`` the string names one attribute of ``owner``, the first
    argument as written.
    """

    site: PatchSite
    text: str
    span: Span

    @property
    def owner(self) -> str | None:
        """The object expression of ``patch.object`` (``None`` for the other patchers)."""
        if self.site.kind is PatchKind.OBJECT and self.site.target_object is not None:
            return self.site.target_object.text
        return None

    @property
    def maps_columns(self) -> bool:
        """Whether each character of ``text`` sits at its own column of ``span``.

        False for a string with escapes or one split over lines: its segments cannot be
        placed, so the whole string is then treated as one.
        """
        start, end = self.span.start, self.span.end
        return start.line == end.line and end.character - start.character == len(self.text)

    def segments(self) -> tuple[Segment, ...]:
        """The dotted segments, each with its span (the whole string when they cannot be placed)."""
        names = self.text.split(".")
        if not self.maps_columns:
            return (Segment(len(names) - 1, self.text, self.span),)
        line, column = self.span.start.line, self.span.start.character
        segments: list[Segment] = []
        for index, name in enumerate(names):
            segments.append(Segment(index, name, Span.of(line, column, line, column + len(name))))
            column += len(name) + 1
        return tuple(segments)

    def segment_at(self, position: Position) -> Segment | None:
        """The segment the cursor is on or right after."""
        for segment in self.segments():
            if segment.span.contains(position):
                return segment
        return None


def target_string_at(model: ModuleModel, position: Position) -> TargetString | None:
    """The patch target string whose contents hold ``position``, if any."""
    for site in model.patch_sites:
        if (
            site.target is not None
            and site.target_span is not None
            and site.target_span.contains(position)
        ):
            return TargetString(site, site.target, site.target_span)
    return None


def mock_binding_at(model: ModuleModel, position: Position) -> MockBinding | None:
    """The name bound to a patcher's mock (parameter, ``as`` name, assignment) at ``position``."""
    for binding in model.bindings:
        if (
            binding.factory is MockFactory.PATCH
            and binding.patch_site is not None
            and binding.span.contains(position)
        ):
            return binding
    return None


def built_target_at(model: ModuleModel, position: Position) -> tuple[PatchSite, Span] | None:
    """A site with a built target (``__name__ + '.pay'``), and its literal piece at the cursor."""
    for site in model.patch_sites:
        for part in site.built_target:
            if part.span is not None and part.span.contains(position):
                return site, part.span
    return None


def target_prefix(target: TargetString, segment: Segment) -> str:
    """The target string as far as ``segment``, included (``patch.object``: the whole string)."""
    if target.site.kind is PatchKind.OBJECT or not target.maps_columns:
        return target.text
    return ".".join(target.text.split(".")[: segment.index + 1])


TYPED_STRING = re.compile(r"""(['"])[\w.]*$""")
"""A line that, up to the cursor, ends inside a string holding only a dotted name so far."""

_WITH = re.compile(r"\s*(async\s+)?with\s")
_DEFINITION = re.compile(r"\s*(@|def\s|async\s+def\s|class\s)")
_PLACEHOLDER_FUNCTION = "def _mockls_typing_(*args, **kwargs): pass"


def typed_target_at(model: ModuleModel, source: str, position: Position) -> TargetString | None:
    """The target string at ``position``, also while it is being typed.

    ``model`` is the model of ``source``. When it has no target string there but the line up
    to the cursor ends inside a string, the text is completed after the cursor — the string
    and the call closed, a ``with`` statement given its colon, a function put under a
    decorator that has none yet — and read again.
    Every edit lies after the cursor, so what precedes it keeps its positions.
    """
    found = target_string_at(model, position)
    if found is not None:
        return found
    lines = split_lines(source)
    if not 0 <= position.line < len(lines):
        return None
    line = lines[position.line]
    before = line[: position.character]
    typed = TYPED_STRING.search(before)
    if typed is None:
        return None
    quote = typed.group(1)
    after = line[position.character :]
    closed_line = line if quote in after else f"{before}{quote})"
    if _WITH.match(closed_line) and not closed_line.rstrip().endswith(":"):
        closed_line += ":"
    following = lines[position.line + 1 :]
    if before.lstrip().startswith("@") and not _decorates_something(following):
        indent = before[: len(before) - len(before.lstrip())]
        closed_line = f"{closed_line}\n{indent}{_PLACEHOLDER_FUNCTION}"
    if closed_line == line:
        return None
    completed = "\n".join([*lines[: position.line], closed_line, *following])
    return target_string_at(build_model(completed), position)


def _decorates_something(following: list[str]) -> bool:
    """Whether the first line of code after a decorator line is a decorator or definition."""
    for text in following:
        stripped = text.strip()
        if stripped and not stripped.startswith("#"):
            return _DEFINITION.match(text) is not None
    return False

"""What a rule reports: a plain :class:`Finding` with its severity, related places and fixes.

Only ``lsp/`` turns findings into protocol types and only ``cli.py`` prints them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from mockls.spans import Span, TextEdit


class Severity(enum.Enum):
    """How serious a finding is; the values are the names used in config and output."""

    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"


@dataclass(frozen=True, slots=True)
class RelatedLocation:
    """Another place that explains a finding (``path`` is a filesystem path)."""

    path: str
    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A quick-fix: a title for the editor and the edits to the finding's own file."""

    title: str
    edits: tuple[TextEdit, ...]
    is_preferred: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    """One diagnostic: a rule ``code`` at ``span`` with a message written for the user."""

    code: str
    message: str
    span: Span
    severity: Severity
    related: tuple[RelatedLocation, ...] = ()
    fixes: tuple[Fix, ...] = ()

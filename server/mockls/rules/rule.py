"""What a rule is: a code, a default severity and a check over a :class:`RuleContext`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mockls.analysis.model import ModuleModel
from mockls.findings import Finding, Severity
from mockls.spans import LineIndex

if TYPE_CHECKING:
    from mockls.resolve.project import ProjectFile


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a rule reads: the module's model, its text and where it lives.

    ``path`` is the posix path relative to the project root (for messages and
    ``per-file-ignores``). ``project`` is the workspace as seen from this file, for the rules
    that resolve targets; ``None`` when there is none (they then report nothing).
    """

    model: ModuleModel
    source: str
    path: str
    lines: LineIndex
    project: ProjectFile | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """A diagnostic code and the function that finds it."""

    code: str
    summary: str
    default_severity: Severity
    check: Callable[[RuleContext], Iterable[Finding]]

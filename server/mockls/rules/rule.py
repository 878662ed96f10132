"""What a rule is: a code, a default severity and a check over a :class:`RuleContext`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mockls.analysis.model import ModuleModel
from mockls.analysis.snapshot import ModuleSnapshot
from mockls.findings import Finding, Severity
from mockls.spans import LineIndex
from mockls.syntax.tree import SyntaxTree

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
    module: ModuleSnapshot | None = None
    """The snapshot the model came from, whose other facts a rule may read."""

    def syntax_tree(self) -> SyntaxTree | None:
        """The module's whole syntax tree (``None`` when it does not parse): the snapshot's,
        else that of one made for the source."""
        return (self.module or ModuleSnapshot(self.source)).tree


@dataclass(frozen=True, slots=True)
class Rule:
    """A diagnostic code and the function that finds it."""

    code: str
    summary: str
    default_severity: Severity
    check: Callable[[RuleContext], Iterable[Finding]]

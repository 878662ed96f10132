"""What a rule is: a code, a default severity and a check over a :class:`RuleContext`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from mockls.analysis.model import ModuleModel
from mockls.findings import Finding, Severity
from mockls.spans import LineIndex


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a rule reads: the module's model, its text and where it lives."""

    model: ModuleModel
    source: str
    path: str
    lines: LineIndex


@dataclass(frozen=True, slots=True)
class Rule:
    """A diagnostic code and the function that finds it."""

    code: str
    summary: str
    default_severity: Severity
    check: Callable[[RuleContext], Iterable[Finding]]

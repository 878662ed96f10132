"""What a rule reports: a plain :class:`Finding` with its severity, related places and fixes.

A finding or a fix about what a patch does at run time carries a :class:`RuntimeClaim` that
the sandbox can check (``verification/``). Only ``lsp/`` turns findings into protocol types
and only ``cli.py`` prints them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from mockls.dataclass_slots import SLOTS
from mockls.spans import Span, TextEdit


class Severity(enum.Enum):
    """How serious a finding is; the values are the names used in config and output."""

    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"


@dataclass(frozen=True, **SLOTS)
class RelatedLocation:
    """Another place that explains a finding (``path`` is a filesystem path)."""

    path: str
    span: Span
    message: str


class ClaimKind(enum.Enum):
    """What a finding or a fix says happens when its patch runs."""

    TARGET_MISSING = "target-missing"
    """Importing and looking up ``target`` fails at ``segment``."""
    TARGET_EXISTS = "target-exists"
    """``target`` resolves."""
    PATCH_MISSES = "patch-misses"
    """While ``patch(target)`` is active, some lookup site still holds the original."""
    PATCH_REACHES = "patch-reaches"
    """While ``patch(target)`` is active, every lookup site holds the mock."""

    # What only a run of the test records (``pytest --mockls``); the sandbox's single requests
    # (resolve a target, apply a patch) cannot check these, so verification leaves them be.
    CHILD_UNUSED = "child-unused"
    """The class mock's child ``target`` (``app.api.Client.get``) is never used, while the
    same name on the mock's ``return_value`` is."""
    NEVER_AWAITED = "never-awaited"
    """The mock of ``target`` is called and never awaited."""
    ENDS_EARLY = "ends-early"
    """The patch of ``target`` is undone before the code it was meant for runs."""
    READ_AS_VALUE = "read-as-value"
    """The mock put in place of the property ``target`` is read, and never called."""
    READ_BEFORE_PATCH = "read-before-patch"
    """The code under test reads ``target`` only before its patch starts."""

    @property
    def needs_test_run(self) -> bool:
        """Whether only a test run can check the claim (not the sandbox's single requests)."""
        return self not in _SANDBOX_CLAIMS


_SANDBOX_CLAIMS = frozenset(
    {
        ClaimKind.TARGET_MISSING,
        ClaimKind.TARGET_EXISTS,
        ClaimKind.PATCH_MISSES,
        ClaimKind.PATCH_REACHES,
    }
)


@dataclass(frozen=True, **SLOTS)
class RuntimeClaim:
    """A statement about run time that the sandbox can prove or disprove.

    ``lookup_sites`` are ``(module, attribute)`` pairs: where the code under test reads the
    patched name. ``segment`` is the 0-based segment of ``target`` a ``TARGET_MISSING``
    claim says fails.
    """

    kind: ClaimKind
    target: str
    lookup_sites: tuple[tuple[str, str], ...] = ()
    segment: int | None = None


class Applicability(enum.Enum):
    """Whether ``mockls check --fix`` may apply a fix without asking (ruff's terms)."""

    SAFE = "safe"
    """Applying it cannot change what a passing test does: ``--fix`` applies it."""
    UNSAFE = "unsafe"
    """It may change what a test does, or rests on an unproved claim: only ``--unsafe-fixes``."""


@dataclass(frozen=True, **SLOTS)
class Fix:
    """A quick-fix: a title for the editor and the edits to the finding's own file.

    A fix with a ``claim`` is right only if the claim holds at run time: it is shown
    ``verified`` once the sandbox proved it, ``unverified`` when nothing ran it.
    """

    title: str
    edits: tuple[TextEdit, ...]
    is_preferred: bool = False
    claim: RuntimeClaim | None = None
    verified: bool = False
    safe: bool = False
    """The rule's word that the fix cannot change what a passing test does (a typo of a mock
    name, parameters named for their decorators, a missing cleanup). A fix with a ``claim`` is
    safe once the sandbox proved it, whatever this says."""

    @property
    def applicability(self) -> Applicability:
        """Whether ``--fix`` applies the fix (safe) or only ``--unsafe-fixes`` does."""
        safe = self.verified if self.claim is not None else self.safe
        return Applicability.SAFE if safe else Applicability.UNSAFE

    @property
    def label(self) -> str:
        """The title as the user sees it, saying whether the sandbox proved the fix."""
        if self.claim is None:
            return self.title
        return f"{self.title} ({'verified' if self.verified else 'unverified'})"


@dataclass(frozen=True, **SLOTS)
class Finding:
    """One diagnostic: a rule ``code`` at ``span`` with a message written for the user.

    ``claim`` is what the finding says happens at run time, when the sandbox can check it
    (a finding it disproves is withdrawn).
    """

    code: str
    message: str
    span: Span
    severity: Severity
    related: tuple[RelatedLocation, ...] = ()
    fixes: tuple[Fix, ...] = ()
    claim: RuntimeClaim | None = None

"""What the sandbox answers, as plain types: replies, runtime objects, and faults.

Every call into the pool returns one of these, never raises: a :class:`Reply` (the worker's
result for a request), a typed result built from it (:class:`RuntimeObject`,
:class:`ResolveFailure`), or a :class:`SandboxFault` saying why there is no answer. The wire
vocabulary (method names, kinds, reasons) is defined once, in :mod:`mockls.sandbox.worker`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from mockls.runtime.facts import RunFacts
from mockls.sandbox.worker import FailureReason, ObjectKind, RunOutcome

__all__ = [
    "AppliedPatch",
    "FailureReason",
    "FaultKind",
    "ObjectKind",
    "PatchOutcome",
    "PatchUsage",
    "Reply",
    "ResolveFailure",
    "ResolveOutcome",
    "RunOutcome",
    "RuntimeObject",
    "SandboxFault",
    "SiteView",
    "SuiteRun",
    "TestEnd",
    "TestRun",
    "parse_applied_patch",
    "parse_resolve",
    "parse_suite_run",
    "parse_test_end",
    "parse_test_run",
]


class FaultKind(enum.Enum):
    """Why a request got no answer."""

    TIMEOUT = "timeout"  # the worker missed the deadline; it was killed
    CRASHED = "crashed"  # the worker died (os._exit, a signal, the lifeline)
    OUT_OF_MEMORY = "out-of-memory"  # user code hit the address-space limit; worker replaced
    NOT_STARTED = "not-started"  # the interpreter could not run a worker
    PROTOCOL = "protocol"  # the worker sent something that is not a reply
    REJECTED = "rejected"  # the worker refused the request (unknown method, bad parameters)
    CLOSED = "closed"  # the pool was shut down
    INTERNAL = "internal"  # a bug in mockls (logged with its traceback)


@dataclass(frozen=True, slots=True)
class SandboxFault:
    """No answer: ``message`` is one sentence for a person; ``detail`` the end of the
    worker's stderr, when it says more (a traceback, faulthandler's report)."""

    kind: FaultKind
    message: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """A worker's result for one request.

    ``depends_on`` maps every workspace file the worker had imported when it answered to
    the digest of its content then: the answer can only change if one of them does (or if
    a new module appears). ``notes`` say what user code did that it should not have.
    """

    result: Mapping[str, Any]
    depends_on: Mapping[str, str | None]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuntimeObject:
    """A target that resolved at run time: what it is, and its signature when it has one."""

    target: str
    kind: ObjectKind
    signature: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ResolveFailure:
    """A target that did not resolve: the 0-based ``segment`` that failed, and why."""

    target: str
    segment: int
    reason: FailureReason
    message: str
    notes: tuple[str, ...] = ()

    @property
    def resolved_prefix(self) -> str:
        """The part of the target before the failing segment (``''`` for the first)."""
        return ".".join(self.target.split(".")[: self.segment])


@dataclass(frozen=True, slots=True)
class SiteView:
    """What one lookup site, ``module.attribute``, held while a patch was active:
    ``sees_mock`` is ``None`` (with ``message``) when that could not be looked at."""

    module: str
    attribute: str
    sees_mock: bool | None
    message: str | None = None

    @property
    def dotted(self) -> str:
        return f"{self.module}.{self.attribute}"


@dataclass(frozen=True, slots=True)
class AppliedPatch:
    """A patch of a target that resolved: whether it started (``message`` says why not) and
    what each lookup site saw while it was active."""

    target: str
    started: bool
    sites: tuple[SiteView, ...] = ()
    message: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PatchUsage:
    """What became of one patch started while a test ran.

    ``target`` is the dotted name of the patched attribute (``None`` when its owner has none,
    an instance); ``module`` the module whose namespace it patches, or that defines the owner.
    ``original_called`` says whether the original ran while patched out (``None``: that
    cannot be seen, as for a constant), and ``callers`` where from (``(file, line)``).
    """

    kind: str
    target: str | None
    module: str | None
    attribute: str
    call_count: int
    original_called: bool | None
    callers: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class TestRun:
    """One test run in the sandbox: which runner ran it, how it ended (``message``: the last
    line of what it said, for a test that did not pass), and its patches in start order."""

    __test__ = False  # not a pytest test class

    runner: str
    outcome: RunOutcome
    message: str
    patches: tuple[PatchUsage, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TestEnd:
    """How one test of a :class:`SuiteRun` ended: ``node`` is its pytest node id (relative
    to the run's root), ``message`` the last line of what it said when it did not pass.
    ``fault`` says what stopped it when it took the worker down (``outcome`` is then
    ``ERROR``): the deadline, the memory limit, a crash."""

    __test__ = False  # not a pytest test class

    node: str
    outcome: RunOutcome
    message: str
    notes: tuple[str, ...] = ()
    fault: SandboxFault | None = None


@dataclass(frozen=True, slots=True)
class SuiteRun:
    """One ``pytest --mockls`` run over a selection of tests in the sandbox (re-run past
    the tests that took a worker down): how each test ended, in the order they ran, and the
    facts recorded (paths relative to ``root``). ``message`` says why no test ran, if none
    did (pytest is not installed, nothing was collected)."""

    runner: str
    root: str
    tests: tuple[TestEnd, ...]
    facts: RunFacts
    message: str = ""


ResolveOutcome = RuntimeObject | ResolveFailure | SandboxFault
"""What :meth:`~mockls.sandbox.pool.SandboxPool.resolve` returns."""

PatchOutcome = AppliedPatch | ResolveFailure | SandboxFault
"""What :meth:`~mockls.sandbox.pool.SandboxPool.apply_patch` returns."""


def parse_resolve(target: str, reply: Reply) -> ResolveOutcome:
    """The typed form of a ``resolve`` (or ``autospec``) reply; a malformed one is a protocol
    fault."""
    try:
        failure = _failure(target, reply)
        if failure is not None:
            return failure
        signature = _optional(reply.result["signature"], str)
        return RuntimeObject(target, ObjectKind(reply.result["kind"]), signature, reply.notes)
    except (KeyError, TypeError, ValueError) as error:
        return _malformed("resolve", error)


def parse_applied_patch(target: str, reply: Reply) -> PatchOutcome:
    """The typed form of an ``apply_patch`` reply; a malformed one is a protocol fault."""
    result = reply.result
    try:
        failure = _failure(target, reply)
        if failure is not None:
            return failure
        if result["started"] is not True:
            return AppliedPatch(target, False, message=_optional(result["message"], str))
        sites = tuple(
            SiteView(
                _required(site["module"], str),
                _required(site["attribute"], str),
                _optional(site["sees_mock"], bool),
                _optional(site["message"], str),
            )
            for site in result["sites"]
        )
        return AppliedPatch(target, True, sites, notes=reply.notes)
    except (KeyError, TypeError, ValueError) as error:
        return _malformed("apply_patch", error)


def parse_test_run(reply: Reply) -> TestRun | SandboxFault:
    """The typed form of a ``run_test`` reply; a malformed one is a protocol fault."""
    result = reply.result
    try:
        patches = tuple(
            PatchUsage(
                _required(patch["kind"], str),
                _optional(patch["target"], str),
                _optional(patch["module"], str),
                _required(patch["attribute"], str),
                _required(patch["call_count"], int),
                _optional(patch["original_called"], bool),
                tuple(
                    (_required(path, str), _required(line, int)) for path, line in patch["callers"]
                ),
            )
            for patch in result["patches"]
        )
        return TestRun(
            _required(result["runner"], str),
            RunOutcome(result["outcome"]),
            _required(result["message"], str),
            patches,
            reply.notes,
        )
    except (KeyError, TypeError, ValueError) as error:
        return _malformed("run_test", error)


def parse_suite_run(root: str, reply: Reply) -> SuiteRun | SandboxFault:
    """The typed form of a ``run_tests`` reply; a malformed one is a protocol fault."""
    result = reply.result
    try:
        facts = RunFacts.from_json(result["facts"]) or RunFacts()
        tests = tuple(parse_test_end(entry) for entry in result["tests"])
        return SuiteRun(
            _required(result["runner"], str),
            root,
            tests,
            facts,
            _required(result["message"], str),
        )
    except (KeyError, TypeError, ValueError) as error:
        return _malformed("run_tests", error)


def parse_test_end(entry: Any) -> TestEnd:
    """A test's end as ``run_tests`` reports it (a reply's ``tests``, a progress line);
    raises ``KeyError``, ``TypeError`` or ``ValueError`` when it is malformed."""
    return TestEnd(
        _required(entry["node"], str),
        RunOutcome(entry["outcome"]),
        _required(entry["message"], str),
        tuple(_required(note, str) for note in entry["notes"]),
    )


def _failure(target: str, reply: Reply) -> ResolveFailure | None:
    """The failure a reply reports for a target that did not resolve, if it does."""
    result = reply.result
    if result["found"] is True:
        return None
    return ResolveFailure(
        target,
        _required(result["segment"], int),
        FailureReason(result["reason"]),
        _required(result["message"], str),
        reply.notes,
    )


_Value = TypeVar("_Value")


def _required(value: object, kind: type[_Value]) -> _Value:
    if not isinstance(value, kind):
        raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
    return value


def _optional(value: object, kind: type[_Value]) -> _Value | None:
    return None if value is None else _required(value, kind)


def _malformed(method: str, error: Exception) -> SandboxFault:
    return SandboxFault(
        FaultKind.PROTOCOL, f"the sandbox worker sent a malformed {method} result ({error})"
    )

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
from typing import Any

from mockls.sandbox.worker import FailureReason, ObjectKind

__all__ = [
    "FailureReason",
    "FaultKind",
    "ObjectKind",
    "Reply",
    "ResolveFailure",
    "ResolveOutcome",
    "RuntimeObject",
    "SandboxFault",
    "parse_resolve",
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


ResolveOutcome = RuntimeObject | ResolveFailure | SandboxFault
"""What :meth:`~mockls.sandbox.pool.SandboxPool.resolve` returns."""


def parse_resolve(target: str, reply: Reply) -> RuntimeObject | ResolveFailure | SandboxFault:
    """The typed form of a ``resolve`` reply; a malformed one is a protocol fault."""
    result = reply.result
    try:
        if result["found"] is True:
            signature = result["signature"]
            if signature is not None and not isinstance(signature, str):
                raise TypeError("signature")
            return RuntimeObject(target, ObjectKind(result["kind"]), signature, reply.notes)
        segment, message = result["segment"], result["message"]
        if not isinstance(segment, int) or not isinstance(message, str):
            raise TypeError("segment or message")
        return ResolveFailure(
            target, segment, FailureReason(result["reason"]), message, reply.notes
        )
    except (KeyError, TypeError, ValueError) as error:
        return SandboxFault(
            FaultKind.PROTOCOL, f"the sandbox worker sent a malformed resolve result ({error})"
        )

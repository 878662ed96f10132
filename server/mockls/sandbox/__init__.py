"""Runtime truth: a warm pool of worker processes that run the user's interpreter.

User code runs only in these workers, never in the server. :class:`SandboxPool` is the API;
every call returns a result or a :class:`SandboxFault`, never raises; :class:`SandboxPools`
keeps a workspace's pools, one per project. ``worker.py`` is the
program the workers run (standard library and ``mockengine`` only); it also defines the wire
vocabulary both sides share.
"""

from mockls.sandbox.pool import SandboxOptions, SandboxPool
from mockls.sandbox.pools import SandboxPools
from mockls.sandbox.protocol import (
    AppliedPatch,
    FailureReason,
    FaultKind,
    ObjectKind,
    PatchOutcome,
    PatchUsage,
    Reply,
    ResolveFailure,
    ResolveOutcome,
    RunOutcome,
    RuntimeObject,
    SandboxFault,
    SiteView,
    SuiteRun,
    TestEnd,
    TestRun,
)

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
    "SandboxOptions",
    "SandboxPool",
    "SandboxPools",
    "SiteView",
    "SuiteRun",
    "TestEnd",
    "TestRun",
]

"""async-call-not-awaited: an ``AsyncMock`` checked for calls while the code never awaits it.

Patching an ``async def`` gives an ``AsyncMock``. Calling it records the call at once and
returns a coroutine; only awaiting that coroutine runs the mock (and would run the real
function). When the code under test calls the function as a statement of its own —
``notify.send_welcome(user)``, no ``await``, result dropped — the coroutine never runs, yet
``assert_called_once_with``, ``called`` and ``call_count`` pass. Reported at each such check
when every call the code under test makes of the target is dropped like that (none awaited,
gathered, scheduled, returned or kept); the ``assert_awaited*`` form fails until the call is
awaited, and is offered as the fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from mockengine import vocabulary
from mockls.analysis.model import AttributeUse, PatchKind, UseKind
from mockls.findings import ClaimKind, Finding, Fix, RelatedLocation, RuntimeClaim, Severity
from mockls.resolve.patch_reach import patch_target
from mockls.resolve.project import NameUse, ProjectFile
from mockls.resolve.resolution import Resolved, TargetKind
from mockls.rules.rule import Rule, RuleContext
from mockls.spans import TextEdit

CODE = "async-call-not-awaited"

_NOT_A_CALL_CHECK = "assert_not_called"  # fails on the un-awaited call: it does catch it


def _awaited_form(name: str) -> str | None:
    """The ``AsyncMock`` counterpart of a call check: ``assert_called_with`` ->
    ``assert_awaited_with``, ``call_count`` -> ``await_count``; ``None`` when there is none."""
    for call_word, await_word in (("called", "awaited"), ("calls", "awaits"), ("call", "await")):
        if call_word in name:
            awaited = name.replace(call_word, await_word, 1)
            known = vocabulary.ASYNC_ASSERT_METHODS | vocabulary.ASYNC_CONFIGURATION_ATTRIBUTES
            return awaited if awaited in known else None
    return None


_CALL_CHECKS = frozenset(
    {name for name in vocabulary.SYNC_ASSERT_METHODS if name != _NOT_A_CALL_CHECK}
    | (vocabulary.CONFIGURATION_ATTRIBUTES - {"return_value", "side_effect", "method_calls"})
)
"""What checks that a mock was called: its call assertions and its call records."""


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Call checks of patched ``async def`` functions the code under test never awaits."""
    project = ctx.project
    if project is None or project.path is None:
        return
    checks: dict[int, list[AttributeUse]] = {}
    for use in ctx.model.attribute_uses:
        site = use.binding.patch_site
        if (
            site is not None
            and len(use.chain) == 1
            and use.attribute in _CALL_CHECKS
            and use.kind in (UseKind.CALL, UseKind.LOAD)
        ):
            checks.setdefault(id(site), []).append(use)
    for site in ctx.model.patch_sites:
        uses = checks.get(id(site))
        if not uses or site.kind not in (PatchKind.PATCH, PatchKind.OBJECT):
            continue
        if "new" in site.keywords or "new_callable" in site.keywords:
            continue
        target = patch_target(site, project)
        calls = _dropped_calls(project, target) if target is not None else []
        if target is not None and calls:
            claim = RuntimeClaim(ClaimKind.NEVER_AWAITED, target)
            for use in uses:
                yield _finding(project, use, calls, claim)


def _dropped_calls(project: ProjectFile, target: str) -> list[NameUse]:
    """The code under test's calls of the ``async def`` target, when each of them is a
    statement whose coroutine nothing keeps; ``[]`` otherwise."""
    resolved = project.resolve_target(target)
    if (
        not isinstance(resolved, Resolved)
        or resolved.kind is not TargetKind.FUNCTION
        or resolved.signature is None
        or not resolved.signature.is_async
    ):
        return []
    names = tuple(dict.fromkeys((target, resolved.qualified_name)))
    calls = [use for use in project.uses(names) if use.called and use.dotted in names]
    return calls if calls and all(call.discarded for call in calls) else []


def _finding(
    project: ProjectFile, use: AttributeUse, calls: list[NameUse], claim: RuntimeClaim
) -> Finding:
    first = calls[0]
    where = f"{project.project.shown_path(first.path)}:{first.span.start.line + 1}"
    awaited = _awaited_form(use.attribute)
    instead = (
        f"check it with `{awaited}`, which fails until the call is awaited"
        if awaited is not None
        else "check it with `await_count` or `assert_awaited*`, which fail until it is awaited"
    )
    fixes: tuple[Fix, ...] = ()
    if awaited is not None:
        fixes = (Fix(f"Check `{awaited}` instead", (TextEdit(use.span, awaited),), True),)
    return Finding(
        code=CODE,
        message=(
            f"`{use.binding.name}.{use.attribute}` passes although the mocked `async def` "
            f"never ran: the code under test calls it without `await` ({where}), which only "
            f"makes a coroutine nobody awaits; {instead}"
        ),
        span=use.span,
        severity=RULE.default_severity,
        related=tuple(
            RelatedLocation(call.path, call.span, "called here without `await`") for call in calls
        ),
        fixes=fixes,
        claim=claim,
    )


RULE = Rule(
    code=CODE,
    summary="An AsyncMock checked for calls while the code under test never awaits it.",
    default_severity=Severity.WARNING,
    check=check,
)

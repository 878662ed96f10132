"""read-at-import: a patched name that the code under test reads only while it is imported.

``def send(timeout=settings.TIMEOUT)``, ``DELAYS = [settings.BASE * i for i in ...]`` and
``@retry(times=settings.RETRIES)`` read the value once, when their module is imported — before
any test patches it. Patching ``app.settings.TIMEOUT`` afterwards changes nothing the test
runs. Reported when every read the code under test makes of the target (found by
:meth:`~mockls.resolve.project.ProjectFile.uses`) runs at import time; quiet when one runs
later, when a module binds the name with ``from ... import`` (``ineffective-patch``'s case),
and in test modules that reload modules (``importlib.reload``), which is how one re-runs those
reads on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator

from mockls.analysis.model import PatchKind, PatchSite
from mockls.findings import ClaimKind, Finding, RelatedLocation, RuntimeClaim, Severity
from mockls.resolve.patch_reach import patch_target
from mockls.resolve.project import NameUse, ProjectFile
from mockls.resolve.resolution import Resolved, TargetKind
from mockls.rules.rule import Rule, RuleContext

CODE = "read-at-import"

_VALUE_KINDS = frozenset({TargetKind.CONSTANT, TargetKind.ATTRIBUTE, TargetKind.FUNCTION})
"""What a module-level name holds when reading it at import time can copy it: a value, or a
function put in a registry or a decorator."""
_RELOAD = "reload("


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Patches of module-level names that the code under test reads only on import."""
    project = ctx.project
    if project is None or project.path is None or _RELOAD in ctx.source:
        return
    for site in ctx.model.patch_sites:
        if site.kind not in (PatchKind.PATCH, PatchKind.OBJECT):
            continue
        target = patch_target(site, project)
        if target is None:
            continue
        names = _module_level_names(project, target)
        if names is None or project.lookups(target).binders:
            continue
        uses = project.uses(names)
        if uses and all(use.at_import is not None for use in uses):
            yield _finding(project, site, target, uses)


def _module_level_names(project: ProjectFile, target: str) -> tuple[str, ...] | None:
    """The names ``target`` is known by, when it is a module's value or function."""
    resolved = project.resolve_target(target)
    if not isinstance(resolved, Resolved) or resolved.kind not in _VALUE_KINDS:
        return None
    owner = project.resolve_target(resolved.qualified_name.rpartition(".")[0])
    if not isinstance(owner, Resolved) or owner.kind is not TargetKind.MODULE:
        return None
    return tuple(dict.fromkeys((target, resolved.qualified_name)))


def _finding(project: ProjectFile, site: PatchSite, target: str, uses: list[NameUse]) -> Finding:
    first = uses[0]
    line = first.span.start.line + 1
    where = f"{project.project.shown_path(first.path)}:{line}, in {first.at_import}"
    more = f" and {len(uses) - 1} more" if len(uses) > 1 else ""
    modules = ", ".join(f"`{module}`" for module in dict.fromkeys(use.module for use in uses))
    return Finding(
        code=CODE,
        message=(
            f"the code under test reads `{target}` only while {modules} is imported ({where}"
            f"{more}), before this patch starts: the patch changes nothing the test runs; "
            "patch what was computed from it, or make the code read it when it runs"
        ),
        span=site.target_span or site.span,
        severity=RULE.default_severity,
        related=tuple(
            RelatedLocation(use.path, use.span, f"read here, in {use.at_import}, on import")
            for use in uses
        ),
        claim=RuntimeClaim(ClaimKind.READ_BEFORE_PATCH, target),
    )


RULE = Rule(
    code=CODE,
    summary="A patched name the code under test reads only while it is imported.",
    default_severity=Severity.WARNING,
    check=check,
)

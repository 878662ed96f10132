"""ineffective-patch: a name patched where it is defined, while the code under test looks it up
elsewhere.

``from shop.payments import charge`` in ``shop/orders.py`` copies the function into
``shop.orders``; ``patch('shop.payments.charge')`` then replaces only the original binding, and
``shop.orders`` keeps calling the real ``charge``. The code under test is what the test file
imports from the workspace, and what that imports in turn (the project's ``lookups``). No
finding when some module of it looks the name up through the defining module
(``payments.charge(...)``), or when the test also patches every place that binds it.

The finding claims that the patch leaves those lookup sites holding the original, and each
retarget fix that its patch reaches its site: the sandbox checks both.
"""

from __future__ import annotations

from collections.abc import Iterator

from mockls.analysis.model import PatchKind, PatchSite
from mockls.findings import ClaimKind, Finding, Fix, RelatedLocation, RuntimeClaim, Severity
from mockls.resolve.patch_reach import ModulePatches, PatchReach, lookup_target
from mockls.resolve.project import Binder, ProjectFile
from mockls.rules.rule import Rule, RuleContext
from mockls.spans import Span, TextEdit

CODE = "ineffective-patch"
_NAMED = 3
"""Bindings a message names (and offers to patch instead); the rest are counted."""


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Patches of a definition site that the code under test never looks the name up through."""
    project_file = ctx.project
    if project_file is None or project_file.path is None:
        return
    patches = ModulePatches(ctx.model, project_file)
    for site in ctx.model.patch_sites:
        target = lookup_target(site, project_file)
        if target is not None:
            finding = _finding(ctx, project_file, site, patches.reach(site, target))
            if finding is not None:
                yield finding


def _finding(
    ctx: RuleContext, project_file: ProjectFile, site: PatchSite, reach: PatchReach
) -> Finding | None:
    report = reach.report
    if not report.is_definition_site or not report.binders or report.through_module:
        return None
    missed = reach.missed_binders
    if not missed:
        return None  # the test patches every place that binds the name as well
    target = reach.target
    # The bindings in modules the test imports itself are the ones it reaches; name those.
    missed = tuple(binder for binder in missed if binder.imported_by_test) or missed
    shown = missed[:_NAMED]
    bindings = ", ".join(
        f"{project_file.project.shown_path(binder.path)}:{binder.import_span.start.line + 1} binds "
        f"`{binder.local_name}` with `{binder.statement}`"
        for binder in shown
    )
    if len(missed) > _NAMED:
        bindings += f", and {len(missed) - _NAMED} more"
    sites = " and ".join(f"'{_lookup_site(binder)}'" for binder in shown)
    return Finding(
        code=CODE,
        message=f"{bindings}; patch {sites}",
        span=site.target_span or site.span,
        severity=Severity.WARNING,
        related=tuple(
            RelatedLocation(
                binder.path,
                binder.import_span,
                f"`{binder.module}` looks `{binder.local_name}` up here, not through "
                f"`{target.rpartition('.')[0]}`",
            )
            for binder in missed
        ),
        fixes=_retarget_fixes(ctx, site, shown),
        claim=RuntimeClaim(ClaimKind.PATCH_MISSES, target, tuple(map(_lookup_pair, missed))),
    )


def _lookup_site(binder: Binder) -> str:
    return f"{binder.module}.{binder.local_name}"


def _lookup_pair(binder: Binder) -> tuple[str, str]:
    return binder.module, binder.local_name


def _retarget_fixes(
    ctx: RuleContext, site: PatchSite, binders: tuple[Binder, ...]
) -> tuple[Fix, ...]:
    """Rewrite the target string to each lookup site; right if that patch reaches it."""
    span = _literal_target_span(ctx, site)
    if span is None:
        return ()
    return tuple(
        Fix(
            title=f"Patch '{_lookup_site(binder)}' instead",
            edits=(TextEdit(span, _lookup_site(binder)),),
            is_preferred=len(binders) == 1,
            claim=RuntimeClaim(
                ClaimKind.PATCH_REACHES, _lookup_site(binder), (_lookup_pair(binder),)
            ),
        )
        for binder in binders
    )


def _literal_target_span(ctx: RuleContext, site: PatchSite) -> Span | None:
    """Where the whole target is written as one plain string (``patch`` only), else ``None``."""
    if site.kind is not PatchKind.PATCH:
        return None  # patch.object's object is an expression: no string to rewrite
    if site.target is not None:
        span, text = site.target_span, site.target
    elif len(site.built_target) == 1 and not site.built_target[0].is_module_name:
        span, text = site.built_target[0].span, site.built_target[0].text  # TARGET = '...'
    else:
        return None
    if span is None or span.start.line != span.end.line:
        return None
    written = ctx.lines.line_text(span.start.line)[span.start.character : span.end.character]
    return span if written == text else None


RULE = Rule(
    code=CODE,
    summary="A name patched where it is defined, while the code under test looks it up elsewhere.",
    default_severity=Severity.WARNING,
    check=check,
)

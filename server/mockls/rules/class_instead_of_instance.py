"""class-instead-of-instance: the class mock's method configured or checked while the code
under test calls it on an instance.

``@patch("app.api.Client")`` hands the test a mock of the *class*; ``Client(...)`` in the code
under test returns ``mock_client.return_value``, and ``Client(...).get()`` calls
``mock_client.return_value.get``. Setting ``mock_client.get.return_value`` (or
``side_effect``) or asserting on ``mock_client.get`` reaches a child the code never touches:
the value is never returned, and ``assert_not_called`` passes whatever happens. Reported when
the target is a class, the name is a plain (instance) method of it, the code under test
instantiates the class and never reads the name on the class itself, and the test does not
configure ``mock_client.return_value`` itself.

The finding claims (``ClaimKind.CHILD_UNUSED``, for a test run under ``pytest --mockls`` to
confirm) that the configured child is never used while ``return_value.<name>`` is.
"""

from __future__ import annotations

from collections.abc import Iterator

from mockengine import vocabulary
from mockls.analysis.model import AttributeUse, ModuleModel, PatchKind, PatchSite, UseKind
from mockls.findings import ClaimKind, Finding, Fix, RelatedLocation, RuntimeClaim, Severity
from mockls.resolve.patch_reach import patch_target
from mockls.resolve.project import NameUse, ProjectFile
from mockls.resolve.resolution import Resolved, TargetKind
from mockls.rules.rule import Rule, RuleContext
from mockls.spans import Span, TextEdit

CODE = "class-instead-of-instance"

_RETURN_VALUE = "return_value"
_CONFIGURED = frozenset({_RETURN_VALUE, "side_effect"})
_RECORDED = (
    vocabulary.CONFIGURATION_ATTRIBUTES | vocabulary.ASYNC_CONFIGURATION_ATTRIBUTES
) - _CONFIGURED
_OWN_NAMES = (
    vocabulary.CONFIGURATION_ATTRIBUTES
    | vocabulary.ASYNC_CONFIGURATION_ATTRIBUTES
    | vocabulary.ASSERT_METHODS
    | vocabulary.MOCK_METHODS
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Children of a class mock configured or checked while the code uses instances."""
    project = ctx.project
    if project is None or project.path is None:
        return
    by_site = _uses_by_site(ctx.model)
    for site in ctx.model.patch_sites:
        uses = by_site.get(id(site))
        if not uses or site.kind not in (PatchKind.PATCH, PatchKind.OBJECT):
            continue
        if {"new", "new_callable"} & set(site.keywords) or not site.injects_mock:
            continue
        if any(use.chain == (_RETURN_VALUE,) for use in uses if use.kind is not UseKind.LOAD):
            continue  # the test builds the instance itself
        yield from _site_findings(ctx, project, site, uses)


def _uses_by_site(model: ModuleModel) -> dict[int, list[AttributeUse]]:
    found: dict[int, list[AttributeUse]] = {}
    for use in model.attribute_uses:
        site = use.binding.patch_site
        if site is not None and not use.binding.spec_instance:
            found.setdefault(id(site), []).append(use)
    return found


def _site_findings(
    ctx: RuleContext, project: ProjectFile, site: PatchSite, uses: list[AttributeUse]
) -> Iterator[Finding]:
    suspects = [use for use in uses if _on_class_child(use)]
    if not suspects:
        return
    target = patch_target(site, project)
    if target is None:
        return
    resolved = project.resolve_target(target)
    if not isinstance(resolved, Resolved) or resolved.kind is not TargetKind.CLASS:
        return
    names = tuple(dict.fromkeys((target, resolved.qualified_name)))
    code_uses = project.uses(names)
    instantiations = [use for use in code_uses if use.called and use.dotted in names]
    if not instantiations:
        return
    reported: set[tuple[str, int]] = set()
    for use in suspects:
        method = use.chain[0]
        key = (method, use.span.start.line)
        if key in reported or not _is_instance_method(project, target, method):
            continue
        if any(code.reads(f"{name}.{method}") for code in code_uses for name in names):
            continue  # the code reads it on the class too
        reported.add(key)
        yield _finding(ctx, project, use, instantiations[0], f"{target}.{method}")


def _on_class_child(use: AttributeUse) -> bool:
    """``m.get.return_value = ...``, ``m.get.side_effect = ...``, ``m.get.assert_*(...)``,
    ``m.get.call_count``: the child ``get`` of the mock itself, configured or checked."""
    if len(use.chain) != 2 or use.chain[0] in _OWN_NAMES or use.chain[0] == "()":
        return False
    action = use.chain[1]
    if use.kind in (UseKind.STORE, UseKind.CONFIGURE):
        return action in _CONFIGURED
    if use.kind is UseKind.CALL:
        return action in vocabulary.ASSERT_METHODS
    return use.kind is UseKind.LOAD and action in _RECORDED


def _is_instance_method(project: ProjectFile, target: str, name: str) -> bool:
    resolved = project.resolve_target(f"{target}.{name}")
    return isinstance(resolved, Resolved) and resolved.kind is TargetKind.METHOD


def _finding(
    ctx: RuleContext, project: ProjectFile, use: AttributeUse, instantiation: NameUse, child: str
) -> Finding:
    method, action = use.chain
    mock = use.binding.name
    child_span = _child_span(ctx, use)
    fixes: tuple[Fix, ...] = ()
    if child_span is not None:
        insert = Span(child_span.start, child_span.start)
        fixes = (
            Fix(
                f"Use `{mock}.return_value.{method}`",
                (TextEdit(insert, f"{_RETURN_VALUE}."),),
                is_preferred=True,
            ),
        )
    line = instantiation.span.start.line + 1
    where = f"{project.project.shown_path(instantiation.path)}:{line}"
    return Finding(
        code=CODE,
        message=(
            f"`{mock}.{method}.{action}` is on the class mock's `{method}`, but the code under "
            f"test calls `{method}` on an instance (it creates one at {where}), which is "
            f"`{mock}.return_value`: use `{mock}.return_value.{method}.{action}`"
        ),
        span=child_span or use.span,
        severity=RULE.default_severity,
        related=(
            RelatedLocation(
                instantiation.path, instantiation.span, "the code under test makes an instance here"
            ),
        ),
        fixes=fixes,
        claim=RuntimeClaim(ClaimKind.CHILD_UNUSED, child),
    )


def _child_span(ctx: RuleContext, use: AttributeUse) -> Span | None:
    """Where the child's name (``get`` of ``m.get.return_value``) is written."""
    spans = [
        other.span
        for other in ctx.model.attribute_uses
        if other.binding == use.binding
        and other.chain == use.chain[:1]
        and other.span.start.line == use.span.start.line
        and other.span.end <= use.span.start
    ]
    return spans[-1] if spans else None


RULE = Rule(
    code=CODE,
    summary="The class mock's method configured or checked while the code uses an instance.",
    default_severity=Severity.WARNING,
    check=check,
)

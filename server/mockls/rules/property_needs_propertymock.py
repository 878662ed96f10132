"""property-needs-propertymock: a property replaced by a plain mock that is given a value.

A ``MagicMock`` is no descriptor: put on the class in place of a property
(``patch.object(Cls, "prop")``, ``@patch("app.Cls.prop")``), reading ``obj.prop`` gives the
mock itself, so the ``return_value`` (or ``side_effect``) the test sets never reaches the code.
``PropertyMock`` is the descriptor that calls itself on access. The same mistake the other way
round: ``m.prop = PropertyMock(...)`` on a mock *instance* is a plain attribute (``m.prop`` is
the ``PropertyMock``); it works only on the mock's type, ``type(m).prop = PropertyMock(...)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mockengine.vocabulary import MOCKER_FIXTURES
from mockls.analysis.model import AttributeUse, ModuleModel, PatchKind, PatchSite, UseKind
from mockls.findings import ClaimKind, Finding, Fix, RuntimeClaim, Severity
from mockls.resolve.patch_reach import patch_target
from mockls.resolve.resolution import Resolved, TargetKind
from mockls.rules.rule import Rule, RuleContext
from mockls.spans import Span, TextEdit

CODE = "property-needs-propertymock"

_PROPERTY_MOCK = "PropertyMock"
_VALUES = ("return_value", "side_effect")
_REPLACING = frozenset({"new", "new_callable", "autospec", "spec_set", "spec"})
"""Keywords after which the patch does not make a plain ``MagicMock`` (or the test chose it)."""


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Properties patched with a plain mock and given a value, and ``PropertyMock`` set on a
    mock instance."""
    yield from _plain_mocks_on_properties(ctx)
    yield from _property_mocks_on_instances(ctx)


def _plain_mocks_on_properties(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.project is None:
        return
    valued = _valued_sites(ctx.model)
    for site in ctx.model.patch_sites:
        if site.kind not in (PatchKind.PATCH, PatchKind.OBJECT):
            continue
        value = valued.get(id(site))
        if value is None or _REPLACING & set(site.keywords) or not site.injects_mock:
            continue
        target = patch_target(site, ctx.project)
        if target is None:
            continue
        resolved = ctx.project.resolve_target(target)
        if not isinstance(resolved, Resolved) or resolved.kind is not TargetKind.PROPERTY:
            continue
        property_mock = _property_mock_name(ctx, site)
        fixes: tuple[Fix, ...] = ()
        last = max((span.end for span in _arguments(site)), default=None)
        if property_mock is not None and last is not None:
            edit = TextEdit(Span(last, last), f", new_callable={property_mock}")
            fixes = (Fix(f"Patch with `new_callable={property_mock}`", (edit,), True),)
        yield Finding(
            code=CODE,
            message=(
                f"`{target}` is a property, and this patch puts a plain MagicMock in its place: "
                f"reading the attribute gives the mock itself, so the `{value}` set on it never "
                f"reaches the code; add `new_callable=PropertyMock` so reading calls the mock"
            ),
            span=site.target_span or site.span,
            severity=RULE.default_severity,
            fixes=fixes,
            claim=RuntimeClaim(ClaimKind.READ_AS_VALUE, target),
        )


def _valued_sites(model: ModuleModel) -> dict[int, str]:
    """The patch sites whose mock is given a ``return_value`` or ``side_effect`` (by ``id``)."""
    valued: dict[int, str] = {}
    for site in model.patch_sites:
        for name in _VALUES:
            if name in site.keywords:
                valued.setdefault(id(site), name)
    for use in model.attribute_uses:
        patched = use.binding.patch_site
        if (
            patched is not None
            and use.kind in (UseKind.STORE, UseKind.CONFIGURE)
            and len(use.chain) == 1
            and use.attribute in _VALUES
        ):
            valued.setdefault(id(patched), use.attribute)
    return valued


def _arguments(site: PatchSite) -> list[Span]:
    return [argument.span for argument in (*site.args, *site.keywords.values())]


def _property_mock_name(ctx: RuleContext, site: PatchSite) -> str | None:
    """How the module can name ``PropertyMock`` at ``site``: the ``mocker`` that patches, an
    imported name, or the mock module's member."""
    if site.via_mocker:
        callee = site.callee_span
        text = ctx.lines.line_text(callee.start.line)[callee.start.character :]
        return f"{text.split('.', maxsplit=1)[0]}.{_PROPERTY_MOCK}"
    names = _property_mock_names(ctx.model, with_mocker=False)
    return names[0] if names else None


def _property_mocks_on_instances(ctx: RuleContext) -> Iterator[Finding]:
    names = _property_mock_names(ctx.model)
    assigned = re.compile(r"\s*=\s*(?:" + "|".join(map(re.escape, names)) + r")\s*\(")
    for use in ctx.model.attribute_uses:
        if use.kind is not UseKind.STORE or "()" in use.chain:
            continue
        line = ctx.lines.line_text(use.span.start.line)
        if not assigned.match(line, use.span.end.character):
            continue
        receiver = ".".join((use.binding.name, *use.chain[:-1]))
        start = use.span.start.character - 1 - len(receiver)
        fixes: tuple[Fix, ...] = ()
        if start >= 0 and line[start : use.span.start.character - 1] == receiver:
            span = Span.of(use.span.start.line, start, use.span.start.line, start + len(receiver))
            fixes = (
                Fix(f"Set it on `type({receiver})`", (TextEdit(span, f"type({receiver})"),), True),
            )
        yield _on_instance(use, receiver, fixes)


def _on_instance(use: AttributeUse, receiver: str, fixes: tuple[Fix, ...]) -> Finding:
    return Finding(
        code=CODE,
        message=(
            f"a PropertyMock set on the mock instance `{receiver}` is a plain attribute: "
            f"`{receiver}.{use.attribute}` gives the PropertyMock itself, not its value; set "
            f"it on the mock's type: `type({receiver}).{use.attribute} = PropertyMock(...)`"
        ),
        span=use.span,
        severity=RULE.default_severity,
        fixes=fixes,
    )


def _property_mock_names(model: ModuleModel, *, with_mocker: bool = True) -> list[str]:
    """Every way this module writes ``PropertyMock``, imported names first."""
    names = [
        mock_import.local_name
        if mock_import.member == _PROPERTY_MOCK
        else f"{mock_import.local_name}.{_PROPERTY_MOCK}"
        for mock_import in model.imports
        if mock_import.member in (_PROPERTY_MOCK, "")
    ]
    names.sort(key=lambda name: "." in name)
    if with_mocker:
        names.extend(f"{fixture}.{_PROPERTY_MOCK}" for fixture in sorted(MOCKER_FIXTURES))
    return names


RULE = Rule(
    code=CODE,
    summary="A property patched with a plain mock given a value, or PropertyMock on an instance.",
    default_severity=Severity.WARNING,
    check=check,
)

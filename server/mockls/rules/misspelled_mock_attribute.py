"""misspelled-mock-attribute: a typo of ``return_value``, ``side_effect``... on a mock.

A mock accepts any attribute name: ``m.retrun_value = 3`` quietly makes a new attribute, so
``m()`` still returns a fresh mock, and ``m.call_cont`` reads a child mock instead of a number.
"""

from __future__ import annotations

from collections.abc import Iterator

from mockengine import vocabulary
from mockls.analysis.model import PatchKind, UseKind
from mockls.analysis.spelling import (
    REAL_MOCK_NAMES,
    AttributesKeptByTest,
    SpecState,
    either,
    keyword_name_span,
    looks_like_assertion,
    preferred_suggestions,
    rename_fixes,
    shape_of,
)
from mockls.findings import Finding, Severity
from mockls.rules.rule import Rule, RuleContext
from mockls.spans import Span

CODE = "misspelled-mock-attribute"

_SETTING_KINDS = frozenset({UseKind.STORE, UseKind.CONFIGURE})
_CHECKED_KINDS = _SETTING_KINDS | {UseKind.LOAD, UseKind.CALL}


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Uses of a mock attribute whose name is a typo of a configuration attribute."""
    kept_by_test = AttributesKeptByTest(ctx.model)
    configured_spans: set[Span] = {
        use.span for use in ctx.model.attribute_uses if use.kind is UseKind.CONFIGURE
    }
    for use in ctx.model.attribute_uses:
        if not use.chain:
            continue
        name = use.attribute
        if (
            use.kind not in _CHECKED_KINDS
            or name in REAL_MOCK_NAMES
            or name.startswith("_")
            or looks_like_assertion(name)  # misspelled-assert's business
        ):
            continue
        shape = shape_of(ctx.model, use)
        if shape.defines(name) or kept_by_test.contains(use):
            continue
        intended = preferred_suggestions(
            name,
            vocabulary.CONFIGURATION_ATTRIBUTES,
            vocabulary.ASYNC_CONFIGURATION_ATTRIBUTES,
            unusual_fits=shape.is_async,
        )
        if not intended:
            continue
        if shape.spec is SpecState.KNOWN:
            effect = (
                f"the spec `{shape.spec_text}` has no such attribute either: reading it raises "
                "AttributeError, and setting it configures nothing"
            )
        elif use.kind in _SETTING_KINDS:
            effect = _SETTING_EFFECT.format(names=either(intended))
        else:
            effect = f"reading it gives a new child mock, not the mock's {either(intended)}"
        yield _finding(ctx, name, use.span, intended, effect)
    yield from _patch_keywords(ctx, configured_spans)


_SETTING_EFFECT = "setting it only adds an attribute of that name and leaves {names} as it was"


def _patch_keywords(ctx: RuleContext, already_seen: set[Span]) -> Iterator[Finding]:
    """Keywords of ``patch(...)`` that configure the mock it makes, when no binding holds it.

    ``with patch("x", retrun_value=1):`` has no name for the mock, so the analysis records no
    use of it; the keyword is still a typo.
    """
    for site in ctx.model.patch_sites:
        if site.kind not in (PatchKind.PATCH, PatchKind.OBJECT):
            continue
        for keyword, argument in site.keywords.items():
            if (
                keyword in site.kind.parameters
                or keyword in REAL_MOCK_NAMES
                or looks_like_assertion(keyword)
            ):
                continue
            span = keyword_name_span(ctx.lines, keyword, argument)
            if span is None or span in already_seen:
                continue
            intended = preferred_suggestions(
                keyword,
                vocabulary.CONFIGURATION_ATTRIBUTES,
                vocabulary.ASYNC_CONFIGURATION_ATTRIBUTES,
                unusual_fits=False,
            )
            if intended:
                effect = _SETTING_EFFECT.format(names=either(intended))
                yield _finding(ctx, keyword, span, intended, effect)


def _finding(
    ctx: RuleContext, name: str, span: Span, intended: tuple[str, ...], effect: str
) -> Finding:
    return Finding(
        code=CODE,
        message=f"`{name}` is not a mock attribute; did you mean {either(intended)}? ({effect})",
        span=span,
        severity=RULE.default_severity,
        fixes=rename_fixes(ctx.lines, span, name, intended, safe=True),
    )


RULE = Rule(
    code=CODE,
    summary="A typo of a mock configuration attribute, which silently makes a child mock.",
    default_severity=Severity.WARNING,
    check=check,
)

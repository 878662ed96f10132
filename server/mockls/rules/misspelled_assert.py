"""misspelled-assert: a mock "assertion" that is not one, so the test checks nothing.

``m.assert_called_once_wtih(...)``, ``m.assret_called_with(...)`` or the prefix-less
``m.called_once_with(...)`` look like assertions, but a mock answers an unknown name with a new
child mock (or, for names it guards, an ``AttributeError``): nothing about the calls is checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from mockengine import vocabulary
from mockls.analysis.model import AttributeUse, UseKind
from mockls.analysis.spelling import (
    REAL_MOCK_NAMES,
    MockShape,
    NamesSetByTest,
    SpecState,
    either,
    preferred_suggestions,
    prefixless_assertions,
    rename_fixes,
    shape_of,
)
from mockls.findings import Finding, Severity
from mockls.rules.rule import Rule, RuleContext

CODE = "misspelled-assert"

_CHECKED_KINDS = frozenset({UseKind.CALL, UseKind.LOAD})
_REFUSED_SINCE_3_5 = ("assert", "assret")
"""Prefixes every supported Python's mock refuses; the other typo prefixes came later."""


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Uses of a mock attribute named like an assertion that the mock does not have."""
    set_by_test = NamesSetByTest(ctx.model)
    for use in ctx.model.attribute_uses:
        if not use.chain:
            continue
        name = use.attribute
        if use.kind not in _CHECKED_KINDS or name in REAL_MOCK_NAMES or name == "()":
            continue
        shape = shape_of(ctx.model, use)
        if shape.defines(name) or set_by_test.contains(use):
            continue
        finding = _prefixless(ctx, use, shape) or _misspelled(ctx, use, shape)
        if finding is not None:
            yield finding


def _prefixless(ctx: RuleContext, use: AttributeUse, shape: MockShape) -> Finding | None:
    name = use.attribute
    if name not in prefixless_assertions(is_async=shape.is_async):
        return None
    if shape.spec is SpecState.UNKNOWN:
        return None  # a spec we cannot see may really define it
    intended = f"assert_{name}"
    if shape.spec is SpecState.KNOWN:
        return _finding(ctx, use, _not_in_spec(name, shape, (intended,)), (intended,))
    later_pythons = (
        " (Python 3.12+ raises AttributeError instead)"
        if name in vocabulary.PREFIXLESS_ASSERTIONS
        else ""
    )
    message = (
        f"`{name}` is not an assertion: without `assert_` it returns a child mock, which is "
        f"truthy, so nothing is checked{later_pythons}; did you mean `{intended}`?"
    )
    return _finding(ctx, use, message, (intended,))


def _misspelled(ctx: RuleContext, use: AttributeUse, shape: MockShape) -> Finding | None:
    name = use.attribute
    intended = preferred_suggestions(
        name,
        vocabulary.SYNC_ASSERT_METHODS,
        vocabulary.ASYNC_ASSERT_METHODS,
        unusual_fits=shape.is_async,
    )
    if not intended:
        return None
    if shape.spec is SpecState.KNOWN:
        return _finding(ctx, use, _not_in_spec(name, shape, intended), intended)
    if name.startswith(_REFUSED_SINCE_3_5):
        outcome = (
            "the mock raises AttributeError for it, or, if made with unsafe=True, returns a "
            "child mock and checks nothing"
        )
    elif name.startswith(vocabulary.ASSERT_TYPO_PREFIXES):
        outcome = (
            "older Pythons (and mocks made with unsafe=True) return a child mock for it and "
            "check nothing; newer ones raise AttributeError"
        )
    else:
        outcome = "it returns a child mock, so nothing is checked"
    message = f"`{name}` is not a mock assertion; did you mean {either(intended)}? ({outcome})"
    return _finding(ctx, use, message, intended)


def _not_in_spec(name: str, shape: MockShape, intended: tuple[str, ...]) -> str:
    return (
        f"`{name}` is not a mock assertion, and the mock's spec `{shape.spec_text}` has no such "
        f"attribute either, so the line raises AttributeError; did you mean {either(intended)}?"
    )


def _finding(
    ctx: RuleContext, use: AttributeUse, message: str, intended: tuple[str, ...]
) -> Finding:
    return Finding(
        code=CODE,
        message=message,
        span=use.span,
        severity=RULE.default_severity,
        fixes=rename_fixes(ctx.lines, use.span, use.attribute, intended, safe=True),
    )


RULE = Rule(
    code=CODE,
    summary="A mock assertion that does not exist, so nothing is checked.",
    default_severity=Severity.WARNING,
    check=check,
)

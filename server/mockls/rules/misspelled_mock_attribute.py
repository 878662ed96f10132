"""misspelled-mock-attribute: a typo of ``return_value``, ``side_effect``... on a mock.

A mock accepts any attribute name: ``m.retrun_value = 3`` quietly makes a new attribute, so
``m()`` still returns a fresh mock, and ``m.call_cont`` reads a child mock instead of a number.
"""

from __future__ import annotations

from collections.abc import Iterator

from mockengine import vocabulary
from mockls.analysis.model import UseKind
from mockls.analysis.spelling import (
    AttributesKeptByTest,
    either,
    looks_like_assertion,
    preferred_suggestions,
    rename_fixes,
    shape_of,
)
from mockls.findings import Finding, Severity
from mockls.rules.rule import Rule, RuleContext

CODE = "misspelled-mock-attribute"

_REAL_NAMES = vocabulary.mock_attribute_names(is_async=True) | vocabulary.MAGIC_METHODS
_SETTING_KINDS = frozenset({UseKind.STORE, UseKind.CONFIGURE})
_CHECKED_KINDS = _SETTING_KINDS | {UseKind.LOAD, UseKind.CALL}


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Uses of a mock attribute whose name is a typo of a configuration attribute."""
    kept_by_test = AttributesKeptByTest(ctx.model)
    for use in ctx.model.attribute_uses:
        if not use.chain:
            continue
        name = use.attribute
        if (
            use.kind not in _CHECKED_KINDS
            or name in _REAL_NAMES
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
        names = either(intended)
        if use.kind in _SETTING_KINDS:
            effect = f"setting it only adds an attribute of that name and leaves {names} as it was"
        else:
            effect = f"reading it gives a new child mock, not the mock's {names}"
        yield Finding(
            code=CODE,
            message=f"`{name}` is not a mock attribute; did you mean {names}? ({effect})",
            span=use.span,
            severity=RULE.default_severity,
            fixes=rename_fixes(ctx.lines, use.span, name, intended),
        )


RULE = Rule(
    code=CODE,
    summary="A typo of a mock configuration attribute, which silently makes a child mock.",
    default_severity=Severity.WARNING,
    check=check,
)

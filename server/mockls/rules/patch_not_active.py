"""patch-not-active: a patch that ends before the code it was meant for runs.

- ``@patch`` on a generator function (a ``yield`` fixture among them): calling the function
  only creates the generator, so the patch starts and ends before any of its body runs.
- ``return <the patch's mock>`` while the patch is active (inside ``with patch(...) as m``, or
  a function whose ``@patch`` injects it): the caller gets a mock that replaces nothing any
  more — a fixture or helper handing it to a test that configures and asserts on it.
- ``with mocker.patch(...)``: pytest-mock patches at once and returns the mock; the ``with``
  does not scope the patch, and ``as`` receives the mock's ``__enter__()`` result, another mock.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mockls.analysis.model import PatchSite, PatchUse, ReturnInPatch
from mockls.findings import ClaimKind, Finding, RuntimeClaim, Severity
from mockls.resolve.patch_reach import patch_target
from mockls.rules.rule import Rule, RuleContext
from mockls.spans import Span

CODE = "patch-not-active"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Patches undone before their function's body runs, mocks returned out of their patch,
    and ``with mocker.patch(...)``."""
    model = ctx.model
    for site in model.patch_sites:
        if site.use is PatchUse.FUNCTION_DECORATOR:
            shape = model.functions.get(site.scope)
            if shape is not None and shape.is_generator:
                yield _finding(
                    site.span,
                    _ends_early(ctx, site),
                    f"this patch of {_named(site)} ends before any of `{_short(site.scope)}` "
                    "runs: calling a generator function only creates the generator, so the "
                    "patch is undone before its body (and the test after a fixture's `yield`) "
                    "runs; apply it inside the body: `with patch(...): yield ...`",
                )
        elif site.via_mocker and site.use is PatchUse.CONTEXT_MANAGER:
            yield _finding(
                site.span,
                None,  # the patch lasts; the `with` is what is wrong
                f"`mocker.{site.kind.value}(...)` is not a context manager: it patches "
                f"{_named(site)} at once and returns the mock, which stays until the test "
                "ends; the `with` block does not limit it, and `as` gets another mock (the "
                "mock's `__enter__()` result); call it without `with` and use what it returns",
            )
    reported: set[tuple[int, int]] = set()
    for returned in model.returns_in_patch:
        key = (returned.span.start.line, returned.span.start.character)
        if key not in reported and _returns_its_mock(returned):
            reported.add(key)
            yield _returned_mock(ctx, returned)


def _returns_its_mock(returned: ReturnInPatch) -> bool:
    """Whether the ``return`` hands out the patch's own mock (alone or in a tuple or list)."""
    mock = returned.site.mock
    if mock is None or "." in mock.name:
        return False
    try:
        value = ast.parse(returned.returned, mode="eval").body
    except SyntaxError:
        return False
    elements = value.elts if isinstance(value, ast.Tuple | ast.List) else [value]
    return any(isinstance(element, ast.Name) and element.id == mock.name for element in elements)


def _returned_mock(ctx: RuleContext, returned: ReturnInPatch) -> Finding:
    site = returned.site
    shape = ctx.model.functions.get(returned.function)
    who = "the fixture" if shape is not None and shape.is_fixture else "the function"
    if site.use is PatchUse.FUNCTION_DECORATOR:
        how = "patch in the body and `yield` the mock inside it: `with patch(...) as m: yield m`"
    elif shape is not None and shape.is_fixture:
        how = "`yield` it inside the patch instead, so the patch lasts until the test is done"
    else:
        how = (
            "keep the patch active where the mock is used (a `with` block around that code, "
            "a fixture that yields inside the patch, or `mocker.patch`)"
        )
    assert site.mock is not None  # _returns_its_mock checked it
    return _finding(
        returned.span,
        _ends_early(ctx, site),
        f"{who} `{_short(returned.function)}` returns the mock `{site.mock.name}` of its "
        f"patch of {_named(site)}, and returning ends the patch: whoever uses the mock "
        f"afterwards configures and checks a mock the code no longer sees; {how}",
    )


def _finding(span: Span, claim: RuntimeClaim | None, message: str) -> Finding:
    return Finding(
        code=CODE, message=message, span=span, severity=RULE.default_severity, claim=claim
    )


def _ends_early(ctx: RuleContext, site: PatchSite) -> RuntimeClaim | None:
    """What a test run can confirm: the patch of the site's target is undone too early."""
    target = patch_target(site, ctx.project)
    return RuntimeClaim(ClaimKind.ENDS_EARLY, target) if target is not None else None


def _named(site: PatchSite) -> str:
    target = site.target_text(None)
    if target is None:
        return "its target"
    if site.target_object is not None:
        return f"`{site.target_object.text}.{target}`"
    return f"`{target}`"


def _short(label: str) -> str:
    """``Tests.helper`` -> ``helper``: the function's own name."""
    return label.rpartition(".")[2]


RULE = Rule(
    code=CODE,
    summary="A patch that ends before the code it was meant for runs.",
    default_severity=Severity.WARNING,
    check=check,
)

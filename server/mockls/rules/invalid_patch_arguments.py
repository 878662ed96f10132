"""invalid-patch-arguments: arguments ``patch`` refuses, or silently misreads.

Refused at run time (errors): ``new`` with ``autospec`` or ``new_callable``, ``autospec`` with
``new_callable`` or ``spec``, an explicit ``spec_set`` object with ``spec``/``autospec``, and
configuration keywords next to ``new``. Misread silently (warnings): a misspelled parameter such
as ``spec_Set`` or ``new_calable``, which ``patch`` hands to the mock as an attribute to set,
and a non-bool ``clear`` in ``patch.dict``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from mockengine import vocabulary
from mockls.analysis.model import Argument, PatchKind, PatchSite
from mockls.analysis.spelling import (
    either,
    keyword_name_span,
    keyword_span,
    rename_fixes,
    suggestions,
)
from mockls.findings import Finding, RelatedLocation, Severity
from mockls.rules.rule import Rule, RuleContext
from mockls.spans import Span

CODE = "invalid-patch-arguments"

_KEYWORD_ONLY = frozenset({"unsafe"})
_MOCK_OWN_NAMES = vocabulary.mock_attribute_names(is_async=True) | vocabulary.MAGIC_METHODS
_MOCK_CONSTRUCTOR_KEYWORDS = frozenset({"name", "wraps", "unsafe", "spec", "spec_set"})
_CONFIGURATION_NAMES = (
    vocabulary.CONFIGURATION_ATTRIBUTES | vocabulary.ASYNC_CONFIGURATION_ATTRIBUTES
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Patch calls whose arguments patch refuses, or takes for something else."""
    for site in ctx.model.patch_sites:
        given = _given_parameters(site)
        if site.kind is PatchKind.DICT:
            yield from _non_bool_clear(ctx, site, given)
            yield from _misspelled_keywords(ctx, site, ("clear",), case_sensitive=True)
        elif site.kind in (PatchKind.PATCH, PatchKind.OBJECT):
            yield from _conflicts(ctx, site, given)
            yield from _misspelled_keywords(ctx, site, site.kind.parameters)


# --- arguments as parameters --------------------------------------------------------------------


def _given_parameters(site: PatchSite) -> dict[str, Argument]:
    """The patcher's own parameters that the call passes, positionally or by keyword."""
    parameters = site.kind.parameters
    given: dict[str, Argument] = {}
    if not site.has_star_args:
        positional = [name for name in parameters if name not in _KEYWORD_ONLY]
        given.update(zip(positional, site.args, strict=False))
    given.update((name, argument) for name, argument in site.keywords.items() if name in parameters)
    return given


def _constant(argument: Argument, *values: object) -> bool:
    """Whether ``argument`` is a literal equal to one of ``values`` (``0`` is not ``False``)."""
    return argument.is_constant and any(
        type(argument.value) is type(value) and argument.value == value for value in values
    )


def _passes_new(given: Mapping[str, Argument]) -> bool:
    new = given.get("new")
    # ``new=DEFAULT`` (mock.DEFAULT, unittest.mock.DEFAULT) is patch's own "not given".
    return new is not None and not (not new.is_constant and new.text.split(".")[-1] == "DEFAULT")


def _passes(given: Mapping[str, Argument], name: str, *, false_too: bool = False) -> bool:
    """Whether ``name`` is passed as something patch acts on (``None``, ``False`` are not)."""
    argument = given.get(name)
    if argument is None:
        return False
    return not _constant(argument, None) if false_too else not _constant(argument, None, False)


# --- refused combinations ----------------------------------------------------------------------


def _conflicts(
    ctx: RuleContext, site: PatchSite, given: Mapping[str, Argument]
) -> Iterator[Finding]:
    if _passes_new(given) and _passes(given, "new_callable"):
        yield _refused(
            ctx,
            given,
            "new_callable",
            "new",
            "patch refuses `new` together with `new_callable` (ValueError when the patcher is "
            "made): `new` is the replacement itself and `new_callable` makes one; keep one",
        )
    if _passes(given, "autospec", false_too=True) and _passes(given, "new_callable"):
        yield _refused(
            ctx,
            given,
            "new_callable",
            "autospec",
            "patch refuses `autospec` together with `new_callable`, even `autospec=False` "
            "(ValueError when the patcher is made); keep one",
        )
    if _passes_new(given) and _passes(given, "autospec"):
        yield _refused(
            ctx,
            given,
            "autospec",
            "new",
            "patch refuses `autospec` together with `new` (TypeError when the patch starts: "
            "autospec creates the mock for you); drop `autospec`, or drop `new` and configure "
            "the autospecced mock",
        )
    if _passes(given, "spec") and _passes(given, "autospec"):
        yield _refused(
            ctx,
            given,
            "autospec",
            "spec",
            "patch refuses `spec` together with `autospec` (TypeError when the patch starts); "
            "keep one",
        )
    spec_set = given.get("spec_set")
    if (
        spec_set is not None
        and not _constant(spec_set, None, True, False)
        and (_passes(given, "spec") or _passes(given, "autospec"))
    ):
        other = "spec" if _passes(given, "spec") else "autospec"
        yield _refused(
            ctx,
            given,
            "spec_set",
            other,
            f"patch refuses a `spec_set` object together with `{other}` (TypeError when the "
            f"patch starts); pass `spec_set=True` to make `{other}` strict",
        )
    if _passes_new(given) and not _passes(given, "autospec") and not site.has_star_args:
        extra = [name for name in site.keywords if name not in site.kind.parameters]
        if extra:
            yield Finding(
                code=CODE,
                message=(
                    f"patch refuses {either(extra)} next to `new` (TypeError when the patch "
                    "starts: it can't configure a mock it is not creating); configure the "
                    "object passed as `new` instead"
                ),
                span=keyword_span(ctx.lines, extra[0], site.keywords[extra[0]]),
                severity=Severity.ERROR,
                related=(
                    RelatedLocation(
                        ctx.path, _given_span(ctx, given, "new"), "`new` is given here"
                    ),
                ),
            )


def _refused(
    ctx: RuleContext, given: Mapping[str, Argument], name: str, other: str, message: str
) -> Finding:
    return Finding(
        code=CODE,
        message=message,
        span=_given_span(ctx, given, name),
        severity=Severity.ERROR,
        related=(
            RelatedLocation(ctx.path, _given_span(ctx, given, other), f"`{other}` is given here"),
        ),
    )


# --- silent mistakes ---------------------------------------------------------------------------


def _non_bool_clear(
    ctx: RuleContext, site: PatchSite, given: Mapping[str, Argument]
) -> Iterator[Finding]:
    clear = given.get("clear")
    if clear is None or not clear.is_constant:
        return
    value = clear.value
    # 0 and 1 act exactly as False and True, and None as False: sloppy but not wrong.
    if isinstance(value, bool) or value is None or (type(value) is int and value in (0, 1)):
        return
    acts_as = "True: patch.dict empties the whole dictionary first" if value else "False"
    yield Finding(
        code=CODE,
        message=(
            f"`clear` takes a bool, but gets {clear.text}, which acts as {acts_as}; values to "
            "set go in the second argument (a dict) or as keywords"
        ),
        span=_given_span(ctx, given, "clear"),
        severity=Severity.WARNING,
    )


def _misspelled_keywords(
    ctx: RuleContext, site: PatchSite, parameters: tuple[str, ...], *, case_sensitive: bool = False
) -> Iterator[Finding]:
    unsafe = site.keywords.get("unsafe")
    refuses_typos = unsafe is None or not _constant(unsafe, True)
    for keyword, argument in site.keywords.items():
        if (
            keyword in parameters
            or keyword in _MOCK_OWN_NAMES
            or keyword in _MOCK_CONSTRUCTOR_KEYWORDS
            or (case_sensitive and not keyword.islower())
            or suggestions(keyword, _CONFIGURATION_NAMES)  # misspelled-mock-attribute's business
        ):
            continue
        intended = suggestions(keyword, parameters)
        if not intended:
            continue
        names = either(intended)
        if site.kind is PatchKind.DICT:
            effect = "patch.dict sets a key of that name in the dictionary instead"
            severity = Severity.WARNING
        elif keyword in vocabulary.SPEC_ARGUMENT_TYPOS and refuses_typos:
            effect = (
                "recent Pythons refuse it with RuntimeError; older ones silently give the mock "
                "an attribute of that name"
            )
            severity = Severity.ERROR
        else:
            effect = "patch silently gives the mock an attribute of that name instead"
            severity = Severity.WARNING
        name_span = keyword_name_span(ctx.lines, keyword, argument)
        yield Finding(
            code=CODE,
            message=(
                f"`{keyword}` is not a parameter of `{site.kind.value}`; did you mean {names}? "
                f"({effect})"
            ),
            span=name_span or argument.span,
            severity=severity,
            fixes=()
            if name_span is None
            else rename_fixes(ctx.lines, name_span, keyword, intended, safe=True),
        )


# --- places ------------------------------------------------------------------------------------


def _given_span(ctx: RuleContext, given: Mapping[str, Argument], name: str) -> Span:
    """Where parameter ``name`` is passed: ``name=value``, or the positional value."""
    return keyword_span(ctx.lines, name, given[name])


RULE = Rule(
    code=CODE,
    summary="Arguments patch refuses at run time, or silently takes for something else.",
    default_severity=Severity.ERROR,
    check=check,
)

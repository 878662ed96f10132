"""signature-mismatch: a call on a spec'd mock that the real object could never accept.

A mock with a spec stands for a real function or class. An autospecced mock refuses calls whose
arguments do not bind to the real signature (``TypeError``), and every spec'd mock compares an
asserted call by binding it to that signature: an assertion whose arguments cannot bind never
passes. Worse, the children of a ``Mock(spec=Class)`` check nothing, so a test can call and
assert ``repo.save(order, commit=True)`` against a ``save(self, order)`` that would refuse it.

The binding itself is :func:`mockls.resolve.call_binding.unbindable_calls` (the "Add
``autospec=True``" refactoring uses it too); this rule says what is wrong in the user's words,
where, and offers to rename a misspelled keyword.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from mockls.analysis.model import CallArguments, MockBinding
from mockls.analysis.spelling import rename_fixes, suggestions
from mockls.findings import Finding, RelatedLocation, Severity
from mockls.resolve.call_binding import Unbindable, unbindable_calls
from mockls.resolve.resolution import ParameterKind, Signature, SignatureParameter
from mockls.rules.rule import Rule, RuleContext
from mockls.spans import LineIndex, Span

CODE = "signature-mismatch"

_CALL = "()"
_QUOTED = re.compile(r"'([^']*)'")


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Calls and asserted calls of spec'd mocks whose arguments cannot bind to the real thing."""
    rendered: dict[int, tuple[Signature, str]] = {}
    for found in unbindable_calls(ctx.model, ctx.project):
        yield _report(ctx.lines, found, rendered)


def _report(
    lines: LineIndex, found: Unbindable, rendered: dict[int, tuple[Signature, str]]
) -> Finding:
    call, callee = found.call, found.callee
    arguments = call.arguments
    problem, span, keyword = _problem(found.error, callee.signature, arguments, call.callee_span)
    intended = _intended_keyword(keyword, callee.signature, arguments) if keyword else None
    if call.assertion is None:
        event = "this call"
    elif call.assertion:
        event = f"`{call.assertion}` expects a call that"
    else:
        event = "this expected call"
    how = "autospecced" if found.autospecced else "specced"
    message = (
        f"`{_subject(call.binding, call.chain)}` is {how} from "
        f"`{callee.name}{_render(callee.signature, rendered)}`: {event} {problem}"
    )
    if intended is not None:
        message += f"; did you mean `{intended}`?"
    if found.keeps_self:
        message += (
            " (the mock replaces the function on its class, so an instance calls it with "
            "itself as the first argument)"
        )
    location = callee.resolved.location
    related = (
        (RelatedLocation(location.path, location.span, f"`{callee.name}` is defined here"),)
        if location is not None
        else ()
    )
    # Unsafe: the call or assertion then binds differently, which may change what the test does.
    fixes = rename_fixes(lines, span, keyword, (intended,), safe=False) if intended else ()
    return Finding(
        code=CODE,
        message=message,
        span=span,
        severity=RULE.default_severity,
        related=related,
        fixes=fixes,
    )


def _render(signature: Signature, rendered: dict[int, tuple[Signature, str]]) -> str:
    """:func:`_rendered`, once per signature (resolutions share their signatures)."""
    known = rendered.get(id(signature))
    if known is None or known[0] is not signature:
        known = (signature, _rendered(signature))
        rendered[id(signature)] = known
    return known[1]


def _problem(
    error: str, signature: Signature, arguments: CallArguments, callee_span: Span
) -> tuple[str, Span, str]:
    """What is wrong in the user's words, where, and the keyword at fault (``''``: none)."""
    quoted = _QUOTED.search(error)
    name = quoted.group(1) if quoted else ""
    keyword_span = next(
        (keyword.span for keyword in arguments.keywords if keyword.name == name), None
    )
    if error.startswith("too many positional"):
        taken = [p for p in signature.parameters if p.kind in _POSITIONAL]
        extra = arguments.positional[len(taken) :]
        span = Span(extra[0].start, extra[-1].end) if extra else callee_span
        count = len(arguments.positional)
        passes = f"{'at least ' if arguments.star_args else ''}{count} positional argument"
        passes += "" if count == 1 else "s"
        if not taken:
            takes = "it takes none"
        elif any(parameter.has_default for parameter in taken):
            takes = f"it takes at most {len(taken)}"
        else:
            takes = f"it takes {len(taken)}"
        return f"passes {passes}, but {takes}", span, ""
    if error.startswith("got an unexpected keyword") and keyword_span is not None:
        return f"passes an unexpected keyword `{name}`", keyword_span, name
    if error.startswith("missing a required argument"):
        return f"does not pass the required argument `{name}`", callee_span, ""
    if error.startswith("multiple values") and keyword_span is not None:
        return f"passes `{name}` both by position and by keyword", keyword_span, ""
    if "positional only" in error and keyword_span is not None:
        return f"passes the positional-only parameter `{name}` by keyword", keyword_span, ""
    return f"cannot bind ({error})", callee_span, ""


def _intended_keyword(keyword: str, signature: Signature, arguments: CallArguments) -> str | None:
    """The one parameter an unexpected keyword plausibly misspells (and the call does not pass
    already), if there is one."""
    passed = {item.name for item in arguments.keywords}
    positional = [p for p in signature.parameters if p.kind in _POSITIONAL]
    passed.update(p.name for p in positional[: len(arguments.positional)])
    candidates = [
        parameter.name
        for parameter in signature.parameters
        if parameter.kind in (ParameterKind.POSITIONAL_OR_KEYWORD, ParameterKind.KEYWORD_ONLY)
        and parameter.name not in passed
    ]
    found = suggestions(keyword, candidates)
    return found[0] if len(found) == 1 else None


_POSITIONAL = (ParameterKind.POSITIONAL_ONLY, ParameterKind.POSITIONAL_OR_KEYWORD)


def _rendered(signature: Signature) -> str:
    """The signature as the message shows it: names and defaults, no annotations."""
    plain: list[SignatureParameter] = [
        replace(parameter, annotation=None) for parameter in signature.parameters
    ]
    return Signature(tuple(plain)).text()


def _subject(binding: MockBinding, chain: tuple[str, ...]) -> str:
    """``mock_repo``, ``mock_repo.save``, ``mock_cls().save`` as the test would write it."""
    written = binding.name
    for segment in chain:
        written += _CALL if segment == _CALL else f".{segment}"
    return written


RULE = Rule(
    code=CODE,
    summary="A call on a spec'd mock whose arguments the real signature cannot accept.",
    default_severity=Severity.WARNING,
    check=check,
)

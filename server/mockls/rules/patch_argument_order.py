"""patch-argument-order: stacked ``@patch`` decorators whose mocks land in the wrong parameters.

Decorators apply bottom-up, so the bottom ``@patch`` passes the first mock. With
``@patch('a.Foo') @patch('a.Bar') def test(self, mock_foo, mock_bar)``, ``mock_foo`` really is
the mock of ``a.Bar``: assertions on it check the wrong patch and may pass for the wrong reason.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping, Sequence

from mockls.analysis.model import Parameter, PatchedFunction, PatchKind, PatchSite
from mockls.findings import Finding, Fix, RelatedLocation, Severity
from mockls.fixes.edits import ConflictingEditsError, SourceLines, apply_edits
from mockls.fixes.quick_fixes import is_valid_python
from mockls.rules.rule import Rule, RuleContext
from mockls.spans import LineIndex, Position, Span, TextEdit

CODE = "patch-argument-order"

_MOCK_PREFIXES = ("mocked_", "mock_", "m_")
_MOCK_SUFFIXES = ("_mocked", "_mock")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_DOTTED_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*")


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Functions whose injected parameters are evidently named for each other's patches."""
    parameter_extents: Mapping[Position, Span] | None = None
    for function in ctx.model.patched_functions:
        misnamed = _misnamed(function)
        if not misnamed:
            continue
        if parameter_extents is None:
            parameter_extents = _parameter_extents(ctx.source, ctx.lines)
        fixes = _reorder_fix(ctx, function, misnamed, parameter_extents)
        for position, named_for in sorted(misnamed.items()):
            received, parameter = function.injected[position]
            intended = function.injected[named_for][0]
            yield Finding(
                code=CODE,
                message=(
                    f"`{parameter.name}` receives the mock of {_target(received)}, not of "
                    f"{_target(intended)}: stacked patch decorators pass their mocks bottom-up, "
                    "so the bottom decorator's mock is the first parameter"
                ),
                span=parameter.span,
                severity=RULE.default_severity,
                related=(
                    RelatedLocation(
                        ctx.path, received.span, f"`{parameter.name}` receives this patch's mock"
                    ),
                    RelatedLocation(
                        ctx.path, intended.span, f"`{parameter.name}` is named for this patch"
                    ),
                ),
                fixes=fixes,
            )


# --- which parameter is named for which patch ---------------------------------------------------


def _squash(name: str) -> str:
    return name.replace("_", "").lower()


def _parameter_words(name: str) -> list[str]:
    """``mock_send_email``, ``send_email_mock``, ``mocked_Send_Email``: ``['send', 'email']``."""
    stem = name.lower()
    for prefix in _MOCK_PREFIXES:
        if stem.startswith(prefix) and len(stem) > len(prefix):
            stem = stem[len(prefix) :]
            break
    for suffix in _MOCK_SUFFIXES:
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    return [word for word in stem.split("_") if word]


def _target_words(site: PatchSite) -> list[str]:
    """The words of the target's last name: ``SendEmail`` and ``send_email`` both give two."""
    if site.target is None:
        return []
    last = site.target.split(".")[-1]
    return [word.lower() for word in _WORD.findall(last)]


def _abbreviates(words: list[str], target_words: list[str]) -> bool:
    """Whether ``words`` are the first or last few words of the target (``send`` for
    ``send_receipt``)."""
    count = len(words)
    return 0 < count < len(target_words) and words in (target_words[:count], target_words[-count:])


def _target_keys(site: PatchSite) -> frozenset[str]:
    """What a parameter named for this patch is called: ``bar``, ``foobar`` for ``a.Foo.Bar``."""
    if site.target is None:
        return frozenset()
    if site.kind is PatchKind.OBJECT:
        owner = site.target_object.text if site.target_object is not None else ""
        segments = [*_dotted_segments(owner), site.target]
    else:
        segments = site.target.split(".")
    segments = [segment for segment in segments if segment]
    if not segments:
        return frozenset()
    keys = {_squash(segments[-1])}
    if len(segments) > 1:
        keys.add(_squash(segments[-2] + segments[-1]))
    return frozenset(key for key in keys if key)


def _dotted_segments(text: str) -> list[str]:
    if _DOTTED_NAME.fullmatch(text.strip()) is None:
        return []
    return [segment.strip() for segment in text.split(".")]


def _misnamed(function: PatchedFunction) -> dict[int, int]:
    """Each misnamed parameter's position -> the position of the patch it is named for.

    A parameter is named for a patch when its name, without a mock prefix or suffix, is the
    target's last name (or its owner's and last name), or else the first or last words of it
    (``mock_send`` for ``send_receipt``). Empty unless the evidence is whole: every parameter
    is named for at most one patch, and the misnamed parameters are a permutation of each
    other's places (so renaming them is all it takes).
    """
    keys = [_target_keys(site) for site, _ in function.injected]
    target_words = [_target_words(site) for site, _ in function.injected]
    named_for: dict[int, int] = {}
    for position, (_, parameter) in enumerate(function.injected):
        words = _parameter_words(parameter.name)
        key = "".join(words)
        matches = [index for index, site_keys in enumerate(keys) if key in site_keys]
        if not matches:  # an abbreviation: mock_send for send_receipt
            matches = [
                index for index, target in enumerate(target_words) if _abbreviates(words, target)
            ]
        if len(matches) > 1:
            return {}
        if matches:
            named_for[position] = matches[0]
    misnamed = {position: site for position, site in named_for.items() if position != site}
    if sorted(misnamed.values()) != sorted(misnamed):
        return {}
    return misnamed


def _target(site: PatchSite) -> str:
    if site.target is None:
        return "this patch"
    if site.kind is PatchKind.OBJECT and site.target_object is not None:
        return f"`{site.target_object.text}.{site.target}`"
    return f"`{site.target}`"


# --- the fix: give each parameter the name (and annotation, default) of its own patch ----------


def _parameter_extents(source: str, lines: LineIndex) -> Mapping[Position, Span]:
    """Each positional parameter's name start -> the span of ``name: annotation = default``."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    extents: dict[Position, Span] = {}
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        positional = [*node.args.posonlyargs, *node.args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(node.args.defaults))
        defaults.extend(node.args.defaults)
        for argument, default in zip(positional, defaults, strict=True):
            end: ast.expr | ast.arg = default if default is not None else argument
            span = lines.span(
                argument.lineno,
                argument.col_offset,
                end.end_lineno or argument.lineno,
                end.end_col_offset or argument.col_offset,
            )
            extents[span.start] = span
    return extents


def _reorder_fix(
    ctx: RuleContext,
    function: PatchedFunction,
    misnamed: Mapping[int, int],
    extents: Mapping[Position, Span],
) -> tuple[Fix, ...]:
    parameters: Sequence[Parameter] = [parameter for _, parameter in function.injected]
    spans = [extents.get(parameter.span.start) for parameter in parameters]
    source = SourceLines(ctx.source)
    edits: list[TextEdit] = []
    for position, named_for in misnamed.items():
        moving, place = spans[position], spans[named_for]
        if moving is None or place is None:
            return ()
        text = ctx.source[source.offset(moving.start) : source.offset(moving.end)]
        edits.append(TextEdit(place, text))
    edits.sort(key=lambda edit: edit.span.start)
    try:
        fixed = apply_edits(ctx.source, edits)
    except ConflictingEditsError:
        return ()
    if not is_valid_python(fixed):
        return ()  # e.g. a default would come before a parameter without one
    return (
        Fix(
            title="Rename the parameters to match the patch decorators (bottom one first)",
            edits=tuple(edits),
            is_preferred=True,
        ),
    )


RULE = Rule(
    code=CODE,
    summary="Stacked patch decorators whose mocks go to parameters named for other patches.",
    default_severity=Severity.WARNING,
    check=check,
)

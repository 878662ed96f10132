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
from mockls.rules.rule import Rule, RuleContext
from mockls.spans import LineIndex, Position, Span, TextEdit

CODE = "patch-argument-order"

_MOCK_PREFIXES = ("mocked_", "mock_", "m_")
_MOCK_SUFFIXES = ("_mocked", "_mock")
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


def _parameter_key(name: str) -> str:
    """``mock_send_email``, ``send_email_mock``, ``mocked_SendEmail`` all give ``sendemail``."""
    key = name.lower()
    for prefix in _MOCK_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
            break
    for suffix in _MOCK_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
            break
    return _squash(key)


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

    Empty unless the evidence is whole: every parameter is named for at most one patch, no
    parameter named for its own patch is also named for another, and the misnamed parameters
    are a permutation of each other's places (so renaming them is all it takes).
    """
    keys = [_target_keys(site) for site, _ in function.injected]
    named_for: dict[int, int] = {}
    for position, (_, parameter) in enumerate(function.injected):
        key = _parameter_key(parameter.name)
        matches = [index for index, site_keys in enumerate(keys) if key in site_keys]
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
    edits: list[TextEdit] = []
    for position, named_for in misnamed.items():
        moving, place = spans[position], spans[named_for]
        if moving is None or place is None:
            return ()
        edits.append(TextEdit(place, _text(ctx.source, ctx.lines, moving)))
    edits.sort(key=lambda edit: edit.span.start)
    if not _parses(_apply(ctx.source, ctx.lines, edits)):
        return ()  # e.g. a default would come before a parameter without one
    names = ", ".join(
        parameters[position].name for position in sorted(misnamed, key=lambda p: misnamed[p])
    )
    return (
        Fix(
            title=f"Reorder the parameters to match the patch decorators ({names})",
            edits=tuple(edits),
            is_preferred=True,
        ),
    )


def _offset(source: str, lines: LineIndex, position: Position) -> int:
    offset = 0
    for line in range(position.line):
        offset += len(lines.line_text(line))
        offset += _line_break_length(source, offset)
    return offset + position.character


def _line_break_length(source: str, offset: int) -> int:
    if source.startswith("\r\n", offset):
        return 2
    return 1 if offset < len(source) else 0


def _text(source: str, lines: LineIndex, span: Span) -> str:
    return source[_offset(source, lines, span.start) : _offset(source, lines, span.end)]


def _apply(source: str, lines: LineIndex, edits: Sequence[TextEdit]) -> str:
    for edit in sorted(edits, key=lambda edit: edit.span.start, reverse=True):
        start, end = _offset(source, lines, edit.span.start), _offset(source, lines, edit.span.end)
        source = source[:start] + edit.new_text + source[end:]
    return source


def _parses(source: str) -> bool:
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


RULE = Rule(
    code=CODE,
    summary="Stacked patch decorators whose mocks go to parameters named for other patches.",
    default_severity=Severity.WARNING,
    check=check,
)

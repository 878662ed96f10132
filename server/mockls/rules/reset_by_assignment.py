"""reset-by-assignment: a mock "reset" by assigning what it recorded instead of ``reset_mock()``.

``m.call_count = 0`` leaves ``call_args_list`` and ``mock_calls`` (and the children's calls)
as they were, so the next ``assert_called_once_with`` or ``assert_has_calls`` still sees the
old calls; ``m.call_args_list = []`` leaves ``call_count`` and ``called``. Since CPython 3.14.3
(gh-142651) assigning ``call_count`` does not even reset the count. Only an assignment of a
falsy literal (``0``, ``False``, ``None``, ``[]``) or a ``.clear()`` of a recorded list counts:
other values fake what a mock recorded on purpose.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mockengine import vocabulary
from mockls.analysis.model import AttributeUse, UseKind
from mockls.findings import Finding, Fix, Severity
from mockls.rules.rule import Rule, RuleContext
from mockls.spans import Span, TextEdit
from mockls.syntax.literals import literal_number

CODE = "reset-by-assignment"

_RECORDING = (vocabulary.CONFIGURATION_ATTRIBUTES | vocabulary.ASYNC_CONFIGURATION_ATTRIBUTES) - {
    "return_value",
    "side_effect",
}
"""The attributes a mock records its calls in."""
_LISTS = frozenset(name for name in _RECORDING if name.endswith(("_list", "_calls")))
_CLEAR = re.compile(r"\s*\.\s*clear\s*\(\s*\)")
_COMMENT = re.compile(r"\s*(#.*)?$")


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Statements that assign a falsy value to a recording attribute, or clear a recorded list."""
    for use in ctx.model.attribute_uses:
        if use.attribute not in _RECORDING or use.kind not in (UseKind.STORE, UseKind.LOAD):
            continue
        if any(segment in _RECORDING for segment in use.chain[:-1]):
            continue
        statement = _reset_statement(ctx, use)
        if statement is not None:
            yield _finding(use, *statement)


def _reset_statement(ctx: RuleContext, use: AttributeUse) -> tuple[Span, str, str] | None:
    """The span, text and receiver of the one-line statement that resets ``use`` by hand.

    ``None`` when the statement is not ``<mock chain>.<attribute> = <falsy literal>`` (for a
    store) or ``<mock chain>.<list>.clear()`` (for a read) alone on its line.
    """
    line = use.span.start.line
    if use.span.end.line != line:
        return None
    text = ctx.lines.line_text(line)
    after = text[use.span.end.character :]
    indent = len(text) - len(text.lstrip())
    if use.kind is UseKind.LOAD:
        if use.attribute not in _LISTS:
            return None
        cleared = _CLEAR.match(after)
        if cleared is None or not _COMMENT.match(after, cleared.end()):
            return None
        end = use.span.end.character + cleared.end()
    else:
        end = len(text) - len(_comment_tail(text))
    written = text[indent:end].rstrip()
    try:
        (statement,) = ast.parse(written).body
    except (SyntaxError, ValueError):
        return None
    if isinstance(statement, ast.Assign):
        if len(statement.targets) != 1 or not _is_falsy_literal(statement.value):
            return None
        target = statement.targets[0]
    elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        target = statement.value.func
        if not isinstance(target, ast.Attribute):
            return None
        target = target.value
    else:
        return None
    if not isinstance(target, ast.Attribute) or target.attr != use.attribute:
        return None
    receiver = ast.get_source_segment(written, target.value)
    if receiver is None:
        return None
    span = Span.of(line, indent, line, indent + len(written))
    return span, written, receiver


def _comment_tail(text: str) -> str:
    """The trailing ``# comment`` of a line with no string holding a ``#``, else ``''``."""
    if "#" not in text or "'" in text or '"' in text:
        return ""
    return text[text.index("#") :]


def _is_falsy_literal(node: ast.expr) -> bool:
    """Whether ``node`` is a literal that is false, as :func:`ast.literal_eval` would read it.

    Not ``literal_eval`` itself: its nested functions refer to each other, so every call leaves
    a reference cycle behind for the cyclic garbage collector.
    """
    if isinstance(node, ast.Call):  # list(), or any call: only list() is an empty list
        return isinstance(node.func, ast.Name) and node.func.id == "list" and not node.args
    if isinstance(node, ast.List | ast.Tuple | ast.Set):  # one element makes it true
        return not node.elts
    if isinstance(node, ast.Dict):
        return not node.keys
    if isinstance(node, ast.Constant):
        return not node.value
    number = literal_number(node)
    return number is not None and not number


def _finding(use: AttributeUse, span: Span, statement: str, receiver: str) -> Finding:
    replacement = f"{receiver}.reset_mock()"
    count_note = (
        " (and since Python 3.14.3 assigning `call_count` no longer resets even the count)"
        if use.attribute == "call_count"
        else ""
    )
    kept = (
        "`call_count` and `called`"
        if use.attribute in _LISTS
        else "`call_args_list`, `mock_calls` and its children's calls"
    )
    return Finding(
        code=CODE,
        message=(
            f"`{statement}` does not reset the mock: {kept} keep the calls made so far, and "
            f"the assertions read them{count_note}; "
            f"call `{replacement}` instead"
        ),
        span=span,
        severity=RULE.default_severity,
        fixes=(Fix(f"Replace with `{replacement}`", (TextEdit(span, replacement),), True),),
    )


RULE = Rule(
    code=CODE,
    summary="A mock reset by assigning its recorded calls instead of calling `reset_mock()`.",
    default_severity=Severity.WARNING,
    check=check,
)

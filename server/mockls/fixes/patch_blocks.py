"""Chains of ``with patch(...)`` blocks and the pieces every rewrite of them shares.

A *patch block* is a ``with`` statement whose context managers are all patches (``patch``,
``patch.object``, ``patch.dict``, ``patch.multiple``), with the ``with`` statements nested in
it while each is the only statement of its parent's body and opens only patches too. The
rewrites take the headers away (keeping their comments and blank lines), write the patches
some other way, and move the body out to a new indentation, line by line, leaving the lines
inside string literals alone.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from mockengine.vocabulary import ASSERT_METHODS
from mockls.analysis.model import ModuleModel, PatchKind, PatchSite, PatchUse
from mockls.spans import Position, Span, TextEdit
from mockls.syntax.lines import split_lines
from mockls.syntax.tree import Comment, SyntaxTree, walk_names

__all__ = [
    "HeaderPiece",
    "PatchBlock",
    "PatchItem",
    "block_end",
    "body_start",
    "context_manager_sites",
    "decorator_sites",
    "fresh_names",
    "header_pieces",
    "in_headers",
    "last_line_width",
    "names_in",
    "overlapping",
    "patch_block",
    "patcher_name",
    "registers_cleanups",
    "reindented",
    "rewrite_block",
    "runs_nothing_after",
    "shifted_lines",
    "started_patcher",
    "written",
]

_OPENING_BRACKETS = ("(", "[", "{")
_IDENTIFIER = re.compile(r"[^\W\d]\w*")
_MOCK_AFFIXES = ("mock_", "_mock")
_CALL_HELPER = "call"
_CLEANUPS = frozenset({"addCleanup", "enterContext", "doCleanups"})
_SAFE_ASSERTIONS = re.compile(r"assert(?!Raises|Warns|Logs|NoLogs)\w*|fail")
"""``self.assertEqual(...)`` and friends only compare; ``assertRaises(f, ...)`` and the like
call what they are given or open a block."""
_SAFE_BUILTINS = frozenset(
    {"len", "list", "tuple", "set", "frozenset", "dict", "sorted", "str", "repr", "bool"}
    | {"int", "float", "isinstance", "type", "min", "max", "sum", "any", "all", "id", "abs"}
)


@dataclass(frozen=True, slots=True)
class PatchItem:
    """One patch a block opens: the call, and what its ``as`` binds (``None``: nothing)."""

    site: PatchSite
    call: ast.expr
    target: ast.expr | None


@dataclass(frozen=True, slots=True)
class PatchBlock:
    """A chain of nested ``with`` statements opening only patches, outermost first."""

    statements: tuple[ast.With, ...]
    items: tuple[PatchItem, ...]
    """Every patch of the chain, in the order they are entered."""

    @property
    def outer(self) -> ast.With:
        return self.statements[0]

    @property
    def body(self) -> list[ast.stmt]:
        """The body of the innermost ``with``: what runs with every patch in place."""
        return self.statements[-1].body


@dataclass(frozen=True, slots=True)
class HeaderPiece:
    """Something of the headers a rewrite keeps: a patch with the comment written after it
    (``''``: none), or a comment or blank line of its own (``item`` is ``None``)."""

    item: PatchItem | None
    comment: str


def context_manager_sites(model: ModuleModel) -> dict[Span, PatchSite]:
    """The patches entered by a ``with`` statement (not ``mocker``'s), by the span of the call."""
    return {
        site.span: site
        for site in model.patch_sites
        if site.use is PatchUse.CONTEXT_MANAGER and not site.via_mocker
    }


def patch_block(
    statement: ast.stmt, tree: SyntaxTree, sites: Mapping[Span, PatchSite]
) -> PatchBlock | None:
    """The patch block ``statement`` opens, or ``None`` when it is not one."""
    chain: list[ast.With] = []
    items: list[PatchItem] = []
    node = statement
    while isinstance(node, ast.With):
        found = _patch_items(node, tree, sites)
        if found is None:
            break
        chain.append(node)
        items.extend(found)
        if len(node.body) != 1:
            break
        node = node.body[0]
    if not chain:
        return None
    return PatchBlock(tuple(chain), tuple(items))


def _patch_items(
    statement: ast.With, tree: SyntaxTree, sites: Mapping[Span, PatchSite]
) -> list[PatchItem] | None:
    items: list[PatchItem] = []
    for item in statement.items:
        site = sites.get(tree.span(item.context_expr))
        if site is None:
            return None
        items.append(PatchItem(site, item.context_expr, item.optional_vars))
    return items


# --- the headers ----------------------------------------------------------------------------


def body_start(block: PatchBlock, tree: SyntaxTree) -> Position:
    """Where the innermost body starts: the start of its line when it has a line of its own."""
    start = tree.start(block.body[0])
    if not tree.line(start.line)[: start.character].strip():
        return Position(start.line, 0)
    return start


def in_headers(block: PatchBlock, tree: SyntaxTree, line: int) -> bool:
    """Whether ``line`` is one of the block's header lines (a body on the last header's line
    counts as the header's)."""
    start = body_start(block, tree)
    last = start.line if start.character else start.line - 1
    return tree.first_line(block.outer) <= line <= last


def header_pieces(block: PatchBlock, tree: SyntaxTree) -> list[HeaderPiece] | None:
    """The patches of a block in order, with the comments and blank lines of its headers
    where they stood; ``None`` when the comments cannot be read."""
    first = tree.first_line(block.outer)
    end = body_start(block, tree)
    comments = tree.comments(first, end.line)
    if comments is None:
        return None
    items = block.items
    covered = [
        tree.span(node) for item in items for node in (item.call, item.target) if node is not None
    ]
    events: list[tuple[Position, PatchItem | Comment | None]] = [
        (tree.start(item.call), item) for item in items
    ]
    for comment in comments:
        position = Position(comment.line, comment.character)
        if position < end and not any(span.contains(position) for span in covered):
            events.append((position, comment))
    for line in range(first, end.line):
        if tree.is_blank(line) and not any(
            span.start.line < line < span.end.line for span in covered
        ):
            events.append((Position(line, 0), None))
    events.sort(key=lambda event: event[0])
    pieces: list[HeaderPiece] = []
    trailing: dict[int, list[str]] = {}
    for _position, event in events:
        if isinstance(event, PatchItem):
            pieces.append(HeaderPiece(event, ""))
        elif event is None:
            pieces.append(HeaderPiece(None, ""))
        elif event.own_line:
            pieces.append(HeaderPiece(None, event.text))
        else:
            owner = next(
                (index for index in range(len(pieces) - 1, -1, -1) if pieces[index].item),
                None,
            )
            trailing.setdefault(-1 if owner is None else owner, []).append(event.text)
    if -1 in trailing:  # a comment before every patch (``with (  # ...``) goes with the first
        first_item = next(index for index, piece in enumerate(pieces) if piece.item)
        trailing.setdefault(first_item, [])[:0] = trailing.pop(-1)
    return [
        HeaderPiece(piece.item, "  ".join(trailing.get(index, [])) or piece.comment)
        for index, piece in enumerate(pieces)
    ]


def reindented(tree: SyntaxTree, node: ast.AST, indent: str, prefix: int = 0) -> str:
    """The source of ``node`` to be written after ``prefix`` characters on a line indented by
    ``indent``. Continuation lines move with it: under a first line that ends with an open
    bracket they keep their indentation relative to that line's, otherwise (arguments aligned
    with the bracket) their distance from the node's first character. Lines inside string
    literals never change."""
    span = tree.span(node)
    if span.start.line == span.end.line:
        return tree.text_of(span)
    first = tree.line(span.start.line)
    base = tree.indentation(span.start.line)
    shift = len(indent) + prefix - span.start.character
    hanging = _code_part(first[span.start.character :]).endswith(_OPENING_BRACKETS)
    inside = tree.string_lines(node)
    parts = [first[span.start.character :]]
    for number in range(span.start.line + 1, span.end.line + 1):
        text = tree.line(number)
        if number == span.end.line:
            text = text[: span.end.character]
        if number not in inside and text.strip():
            text = _moved(text, base, indent, None if hanging else shift)
        parts.append(tree.newline + text)
    return "".join(parts)


def _moved(text: str, base: str, indent: str, shift: int | None) -> str:
    """A continuation line re-based from ``base`` to ``indent``, or moved ``shift`` columns."""
    leading = text[: len(text) - len(text.lstrip(" \t"))]
    if shift is not None and not leading.strip(" "):
        width = len(leading) + shift
        return " " * width + text[len(leading) :] if width >= 0 else text
    if text.startswith(base):
        return indent + text[len(base) :]
    return text


def _code_part(text: str) -> str:
    """``text`` without a trailing comment (a ``#`` outside quotes), right-stripped."""
    quote = ""
    escaped = False
    for index, character in enumerate(text):
        if quote:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == quote:
                quote = ""
        elif character in "'\"":
            quote = character
        elif character == "#":
            return text[:index].rstrip()
    return text.rstrip()


def started_patcher(
    tree: SyntaxTree,
    call: ast.expr,
    patcher: str,
    *,
    holder: str | None,
    indent: str,
    receiver: str,
) -> list[str]:
    """``p = patch(...)``, ``holder = p.start()`` (``p.start()`` without a holder) and
    ``self.addCleanup(p.stop)``, for statements indented by ``indent``."""
    start = f"{patcher}.start()"
    return [
        f"{patcher} = {reindented(tree, call, indent, len(patcher) + 3)}",
        start if holder is None else f"{holder} = {start}",
        f"{receiver}.addCleanup({patcher}.stop)",
    ]


def last_line_width(text: str) -> int:
    """How many characters the last line of ``text`` has."""
    return len(split_lines(text)[-1])


def written(lines: Iterable[str], indent: str, newline: str) -> str:
    """Statements as text: each line indented by ``indent``, each ended by ``newline``."""
    return "".join(f"{indent}{line}{newline}" if line else newline for line in lines)


# --- the body -------------------------------------------------------------------------------


def block_end(tree: SyntaxTree, statement: ast.stmt, indent: str) -> int:
    """The last line of ``statement`` and of the comment lines after it indented by at least
    ``indent`` (they read as the end of its body)."""
    end = tree.last_line(statement)
    number = end + 1
    while number < len(tree.lines):
        text = tree.line(number)
        if text.strip():
            if not (text.lstrip().startswith("#") and text.startswith(indent)):
                break
            end = number
        number += 1
    return end


def rewrite_block(
    tree: SyntaxTree, block: PatchBlock, lines: list[str], indent: str, body_indent: str
) -> list[TextEdit]:
    """Replace the block's headers with ``lines`` (indented by ``indent``) and move its body
    to ``body_indent``."""
    start = body_start(block, tree)
    header = written(lines, indent, tree.newline)
    if start.character:  # the body was on the header's line: it gets a line of its own
        header += body_indent
    edits = [TextEdit(Span(Position(tree.first_line(block.outer), 0), start), header)]
    if not start.character:
        old = tree.indentation(start.line)
        end = block_end(tree, block.outer, old)
        edits.extend(
            shifted_lines(
                tree, range(start.line, end + 1), old, body_indent, tree.string_lines(block.outer)
            )
        )
    return edits


def shifted_lines(
    tree: SyntaxTree, lines: range, old: str, new: str, inside_strings: frozenset[int]
) -> list[TextEdit]:
    """Edits that move ``lines`` from indentation ``old`` to ``new``: lines that start with
    ``old`` (blank lines, string contents and continuation lines written further left stay)."""
    if old == new:
        return []
    edits: list[TextEdit] = []
    for number in lines:
        text = tree.line(number)
        if number in inside_strings or not text.strip() or not text.startswith(old):
            continue
        edits.append(TextEdit(Span.of(number, 0, number, len(old)), new))
    return edits


# --- names ----------------------------------------------------------------------------------


def names_in(node: ast.AST) -> set[str]:
    """Every name used or bound under ``node``, parameters included."""
    found = {name.id for name in walk_names(node)}
    for child in ast.walk(node):
        if isinstance(child, ast.arg):
            found.add(child.arg)
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(child.name)
    return found


def patcher_name(item: PatchItem) -> str:
    """A name for the patcher of ``item``: ``charge_patcher`` for ``as mock_charge`` or for
    ``patch('shop.orders.charge')``."""
    stem = ""
    if isinstance(item.target, ast.Name):
        stem = item.target.id
        for affix in _MOCK_AFFIXES:
            if stem != affix.strip("_") and (stem.startswith(affix) or stem.endswith(affix)):
                stem = stem.removeprefix(affix).removesuffix(affix)
    else:
        site = item.site
        written_target = site.target_text(None)
        if written_target is None and site.kind is PatchKind.DICT and site.args:
            written_target = site.args[0].text
        if written_target is not None:
            stem = written_target.rpartition(".")[2]
    if not _IDENTIFIER.fullmatch(stem):
        return "patcher"
    return f"{stem}_patcher"


def fresh_names(wanted: Iterable[str], taken: set[str]) -> list[str]:
    """``wanted`` made unique against ``taken`` and each other (``p``, ``p_2``, ...)."""
    chosen: list[str] = []
    for name in wanted:
        candidate, number = name, 2
        while candidate in taken:
            candidate = f"{name}_{number}"
            number += 1
        taken.add(candidate)
        chosen.append(candidate)
    return chosen


# --- what else could tell the difference ----------------------------------------------------


def registers_cleanups(nodes: Iterable[ast.AST]) -> bool:
    """Whether ``nodes`` register cleanups of their own (``self.addCleanup(...)``...): run
    last-in first-out, those registered after the patches would now run before they stop."""
    return any(
        isinstance(node, ast.Attribute) and node.attr in _CLEANUPS
        for root in nodes
        for node in ast.walk(root)
    )


def decorator_sites(model: ModuleModel, function: str, klass: str | None) -> list[PatchSite]:
    """The patches the decorators of ``function`` (a qualified name) and of its class apply."""
    return [
        site
        for site in model.patch_sites
        if (site.use is PatchUse.FUNCTION_DECORATOR and site.scope == function)
        or (site.use is PatchUse.CLASS_DECORATOR and klass is not None and site.scope == klass)
    ]


def overlapping(sites: Iterable[PatchSite], others: Iterable[PatchSite]) -> bool:
    """Whether a patch of ``sites`` and one of ``others`` replace the same thing (as written):
    moving when one of them stops would undo them in the wrong order."""
    keys = {_patched(site) for site in sites}
    return any(_patched(other) in keys for other in others)


def _patched(site: PatchSite) -> str:
    """What a patch replaces, as written (``'shop.orders.charge'``, ``'Inventory.release'``)."""
    if site.target_object is not None:
        return f"{site.target_object.text}.{site.target_text(None) or ''}"
    written = site.target_text(None)
    if written is None and site.args:
        written = site.args[0].text
    return written or site.span.__repr__()


# --- what runs after a block ----------------------------------------------------------------


def runs_nothing_after(
    statements: Iterable[ast.stmt],
    mocks: set[str],
    receiver: str | None,
    model: ModuleModel,
    module_names: set[str],
) -> bool:
    """Whether ``statements`` only look at mocks and compare (so they cannot tell whether the
    patches are still in place): assertions on the mocks named ``mocks``, ``self.assert...``
    calls, ``assert`` statements, plain assignments of such values."""
    helpers = _call_helpers(model)
    is_safe_call: Callable[[ast.Call], bool] = lambda call: _is_safe_call(  # noqa: E731
        call, mocks, receiver, helpers, module_names
    )
    for statement in statements:
        values = _values(statement)
        if values is None:
            return False
        for value in values:
            for node in ast.walk(value):
                if isinstance(node, ast.Await | ast.Yield | ast.YieldFrom | ast.NamedExpr):
                    return False
                if isinstance(node, ast.Call) and not is_safe_call(node):
                    return False
    return True


def _values(statement: ast.stmt) -> list[ast.AST] | None:
    """What a statement evaluates, when it is one that only evaluates (else ``None``)."""
    if isinstance(statement, ast.Pass):
        return []
    if isinstance(statement, ast.Expr | ast.Assert):
        return [statement]
    if isinstance(statement, ast.Assign) and all(
        isinstance(target, ast.Name) for target in statement.targets
    ):
        return [statement.value]
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return [] if statement.value is None else [statement.value]
    return None


def _call_helpers(model: ModuleModel) -> tuple[frozenset[str], frozenset[str]]:
    """The names ``call`` is imported as, and the names of the mock module itself."""
    calls = frozenset(item.local_name for item in model.imports if item.member == _CALL_HELPER)
    modules = frozenset(item.local_name for item in model.imports if not item.member)
    return calls, modules


def _is_safe_call(
    call: ast.Call,
    mocks: set[str],
    receiver: str | None,
    helpers: tuple[frozenset[str], frozenset[str]],
    module_names: set[str],
) -> bool:
    function = call.func
    if isinstance(function, ast.Attribute) and function.attr in ASSERT_METHODS:
        return True  # m.assert_called_once_with(...), self.m.x.assert_not_called()
    path: list[str] = []
    node: ast.expr = function
    while isinstance(node, ast.Attribute | ast.Call):
        if isinstance(node, ast.Attribute):
            path.append(node.attr)
            node = node.value
        else:
            path.clear()  # call(1).save(...): only where the chain starts matters
            node = node.func
    if not isinstance(node, ast.Name):
        return False
    path.reverse()
    root = node.id
    calls, modules = helpers
    if root in mocks or root in calls or (root in modules and path[:1] == [_CALL_HELPER]):
        return True
    if root == receiver:
        return len(path) == 1 and bool(_SAFE_ASSERTIONS.fullmatch(path[0]))
    return (
        not path and root in _SAFE_BUILTINS and root not in module_names and hasattr(builtins, root)
    )

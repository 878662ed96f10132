"""Flatten nested ``with patch(...)`` blocks in one test.

In a ``unittest.TestCase`` test method the patches become patchers started where the block
was and stopped by ``self.addCleanup``; in a pytest test that takes ``mocker`` they become
``mocker.patch`` calls. Both keep the start order, so the patches stop in reverse order as
before, and both are offered only when what runs after the block cannot tell that the
patches now stay until the test ends. Elsewhere (a test without ``mocker``, a block after
which real code runs, a block in a loop) nested blocks can still be merged into one ``with``
or entered on one ``contextlib.ExitStack``, which change nothing about when patches apply.
"""

from __future__ import annotations

import ast

from mockls.analysis.model import PatchKind
from mockls.fixes.enclosing_test import EnclosingTest, Framework, enclosing_test, tears_down
from mockls.fixes.patch_blocks import (
    PatchBlock,
    PatchItem,
    context_manager_sites,
    decorator_sites,
    fresh_names,
    header_pieces,
    in_headers,
    last_line_width,
    names_in,
    overlapping,
    patch_block,
    patcher_name,
    registers_cleanups,
    reindented,
    rewrite_block,
    runs_nothing_after,
    started_patcher,
)
from mockls.fixes.refactoring import ParsedModule, Refactoring
from mockls.spans import Position, Span, TextEdit
from mockls.syntax.tree import SyntaxTree, module_level_names, walk_names

__all__ = [
    "ADD_CLEANUP",
    "EXIT_STACK",
    "MERGE",
    "USE_MOCKER",
    "flatten_patches",
]

ADD_CLEANUP = "Flatten the `with patch` blocks: patchers stopped by `addCleanup`"
USE_MOCKER = "Flatten the `with patch` blocks: `mocker.patch` calls"
MERGE = "Merge the nested `with patch` blocks into one `with`"
EXIT_STACK = "Enter the nested patches on one `contextlib.ExitStack`"

ONE_LINE_WITH = 88
"""The longest a merged ``with`` is written on one line; longer ones get parentheses."""

_MOCKER_CALLEES = {
    PatchKind.PATCH: "patch",
    PatchKind.OBJECT: "patch.object",
    PatchKind.DICT: "patch.dict",
    PatchKind.MULTIPLE: "patch.multiple",
}
_CONTEXTLIB = "contextlib"
_EXIT_STACK = "ExitStack"
_FUTURE = "__future__"


def flatten_patches(module: ParsedModule, selection: Span) -> list[Refactoring]:
    """The rewrites of the patch block whose headers hold the selection's start."""
    tree = module.tree
    block = _block_at(module, selection.start.line)
    if block is None:
        return []
    test = enclosing_test(tree, tree.first_line(block.outer), module.snapshot.test_naming)
    if test is not None and test.statement is not block.outer:
        test = None
    tests = (test.name,) if test is not None else ()
    flattened = _flattened(module, block, test) if test is not None else None
    if flattened is not None:
        return [flattened]
    if len(block.statements) < 2:
        return []
    return [
        refactoring
        for refactoring in (_merged(tree, block, tests), _on_exit_stack(module, block, tests))
        if refactoring is not None
    ]


def _block_at(module: ParsedModule, line: int) -> PatchBlock | None:
    """The outermost patch block with ``line`` in its headers."""
    tree = module.tree
    withs = [statement for statement in tree.path_to(line) if isinstance(statement, ast.With)]
    if not any(line <= _header_end(tree, statement) for statement in withs):
        return None  # not on a `with` header: no need for the model
    sites = context_manager_sites(module.model)
    for statement in withs:
        block = patch_block(statement, tree, sites)
        if block is not None and in_headers(block, tree, line):
            return block
    return None


def _header_end(tree: SyntaxTree, statement: ast.With) -> int:
    """The line a `with` statement's header ends on (where its colon is)."""
    item = statement.items[-1]
    return tree.span(item.optional_vars or item.context_expr).end.line


def _flattened(module: ParsedModule, block: PatchBlock, test: EnclosingTest) -> Refactoring | None:
    tree = module.tree
    function = test.function
    after = function.body[function.body.index(block.outer) + 1 :]
    mocks = {name.id for item in block.items for name in walk_names(item.target or ast.Pass())}
    if not runs_nothing_after(after, mocks, test.receiver, module.model, module_level_names(tree)):
        return None
    indent = tree.indentation(tree.first_line(block.outer))
    klass = test.klass.name if test.klass is not None else None
    decorators = decorator_sites(module.model, test.name, klass)
    if overlapping((item.site for item in block.items), decorators):
        return None  # the decorators' patches stop first now: the same target undone wrongly
    if test.framework is Framework.UNITTEST and test.receiver is not None:
        if test.klass is None or tears_down(tree, test.klass):
            return None
        if registers_cleanups([*block.body, *after]):
            return None
        patchers = fresh_names((patcher_name(item) for item in block.items), names_in(function))
        receiver = test.receiver
        statements = {
            id(item): started_patcher(
                tree,
                item.call,
                patcher,
                holder=None if item.target is None else reindented(tree, item.target, indent),
                indent=indent,
                receiver=receiver,
            )
            for item, patcher in zip(block.items, patchers, strict=True)
        }
        title = ADD_CLEANUP
    elif test.framework is Framework.PYTEST and test.mocker is not None:
        statements = {}
        for item in block.items:
            call = _mocker_call(tree, item, test.mocker, indent)
            if call is None:
                return None
            statements[id(item)] = [call]
        title = USE_MOCKER
    else:
        return None
    lines = _header_lines(tree, block, statements)
    if lines is None:
        return None
    edits = rewrite_block(tree, block, lines, indent, indent)
    return Refactoring(title, tuple(edits), (test.name,))


def _mocker_call(tree: SyntaxTree, item: PatchItem, mocker: str, indent: str) -> str | None:
    """``m = mocker.patch(...)``: the same arguments, given to pytest-mock's patcher."""
    call = item.call
    if not isinstance(call, ast.Call):
        return None
    callee = tree.span(call.func)
    if callee.start.line != callee.end.line:
        return None
    written_callee = tree.text_of(callee)
    new_callee = f"{mocker}.{_MOCKER_CALLEES[item.site.kind]}"
    target = "" if item.target is None else f"{reindented(tree, item.target, indent)} = "
    prefix = last_line_width(target) + len(new_callee) - len(written_callee)
    text = reindented(tree, call, indent, prefix)
    if not text.startswith(written_callee):
        return None
    return f"{target}{new_callee}{text[len(written_callee) :]}"


def _header_lines(
    tree: SyntaxTree, block: PatchBlock, statements: dict[int, list[str]]
) -> list[str] | None:
    """The block's headers as ``statements`` per patch, with the headers' comments and blank
    lines kept where they stood (a comment after a patch follows its first statement)."""
    pieces = header_pieces(block, tree)
    if pieces is None:
        return None
    lines: list[str] = []
    for piece in pieces:
        if piece.item is None:
            lines.append(piece.comment)
            continue
        first, *rest = statements[id(piece.item)]
        lines.append(f"{first}  {piece.comment}" if piece.comment else first)
        lines.extend(rest)
    return lines


def _merged(tree: SyntaxTree, block: PatchBlock, tests: tuple[str, ...]) -> Refactoring | None:
    """``with a:`` / ``with b:`` as ``with a, b:`` (in parentheses when long or commented)."""
    indent = tree.indentation(tree.first_line(block.outer))
    inner = tree.indentation(tree.first_line(block.statements[1]))
    pieces = header_pieces(block, tree)
    if pieces is None:
        return None
    parts = [_with_item(tree, piece.item, inner) for piece in pieces if piece.item is not None]
    one_line = f"with {', '.join(parts)}:"
    if (
        len(pieces) == len(parts)
        and all("\n" not in part and "\r" not in part for part in parts)
        and len(indent) + len(one_line) <= ONE_LINE_WITH
    ):
        lines = [one_line]
    else:
        step = inner[len(indent) :] if inner.startswith(indent) else "    "
        lines = ["with ("]
        for piece in pieces:
            if piece.item is None:
                lines.append(f"{step}{piece.comment}" if piece.comment else "")
                continue
            part = f"{step}{_with_item(tree, piece.item, inner)},"
            lines.append(f"{part}  {piece.comment}" if piece.comment else part)
        lines.append("):")
    return Refactoring(MERGE, tuple(rewrite_block(tree, block, lines, indent, inner)), tests)


def _with_item(tree: SyntaxTree, item: PatchItem, indent: str) -> str:
    text = reindented(tree, item.call, indent)
    if item.target is not None:
        text += f" as {reindented(tree, item.target, indent, last_line_width(text) + 4)}"
    return text


def _on_exit_stack(
    module: ParsedModule, block: PatchBlock, tests: tuple[str, ...]
) -> Refactoring | None:
    """``with ExitStack() as stack:`` and ``m = stack.enter_context(patch(...))`` per patch."""
    tree = module.tree
    indent = tree.indentation(tree.first_line(block.outer))
    inner = tree.indentation(tree.first_line(block.statements[1]))
    imported = _exit_stack_name(tree)
    exit_stack = imported or f"{_CONTEXTLIB}.{_EXIT_STACK}"
    scope = _enclosing_scope(tree, block.outer)
    (stack,) = fresh_names(["stack"], names_in(scope) | module_level_names(tree))
    statements: dict[int, list[str]] = {}
    for item in block.items:
        target = "" if item.target is None else f"{reindented(tree, item.target, inner)} = "
        opening = f"{target}{stack}.enter_context("
        call = reindented(tree, item.call, inner, last_line_width(opening))
        statements[id(item)] = [f"{opening}{call})"]
    lines = _header_lines(tree, block, statements)
    if lines is None:
        return None
    edits = rewrite_block(tree, block, lines, inner, inner)
    opening = f"{indent}with {exit_stack}() as {stack}:{tree.newline}"
    edits[0] = TextEdit(edits[0].span, opening + edits[0].new_text)
    if imported is None and _CONTEXTLIB not in module_level_names(tree):
        edits.insert(0, _import_contextlib(tree))
    return Refactoring(EXIT_STACK, tuple(edits), tests)


def _exit_stack_name(tree: SyntaxTree) -> str | None:
    """The module-level name ``contextlib.ExitStack`` is imported as, if it is."""
    for statement in tree.module.body:
        if isinstance(statement, ast.ImportFrom) and statement.module == _CONTEXTLIB:
            for alias in statement.names:
                if alias.name == _EXIT_STACK:
                    return alias.asname or alias.name
    return None


def _import_contextlib(tree: SyntaxTree) -> TextEdit:
    """``import contextlib`` before the module's first import (after ``__future__`` ones)."""
    line = 0
    body = tree.module.body
    for index, statement in enumerate(body):
        is_future = isinstance(statement, ast.ImportFrom) and statement.module == _FUTURE
        if isinstance(statement, ast.Import | ast.ImportFrom) and not is_future:
            line = tree.first_line(statement)
            break
        if is_future or (index == 0 and _is_docstring(statement)):
            line = tree.last_line(statement) + 1
    position = Position(line, 0)
    return TextEdit(Span(position, position), f"import {_CONTEXTLIB}{tree.newline}")


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _enclosing_scope(tree: SyntaxTree, statement: ast.stmt) -> ast.AST:
    """The innermost function holding ``statement`` (the module when there is none)."""
    path = tree.path_to(tree.first_line(statement))
    functions = [node for node in path if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    return functions[-1] if functions else tree.module

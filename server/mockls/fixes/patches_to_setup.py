"""Move the patches every test method of a ``unittest.TestCase`` opens into ``setUp``.

Two shapes are moved: each test method's body opening with the same ``with patch(...)``
block, and each test method carrying the same ``@patch`` decorators. Both become patchers
started at the end of ``setUp`` (a new one calls ``super().setUp()`` first) and stopped with
``self.addCleanup``, their mocks kept as ``self.<name>``, which the test bodies then use.

The move is offered only where the tests cannot tell the difference: no ``tearDown`` (it
would now run with the patches in place), no subclass in the module (its tests would get
the patches too), no cleanups registered by the tests themselves (they would now run before
the patches stop), nothing but assertions after a ``with`` block, and no ``self.<name>``
the class already uses.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mockls.analysis.discovery import collected_methods, is_test_case
from mockls.analysis.model import PatchedFunction, PatchSite, PatchUse
from mockls.fixes.enclosing_test import subclassed, tears_down
from mockls.fixes.patch_blocks import (
    PatchBlock,
    PatchItem,
    block_end,
    context_manager_sites,
    decorator_sites,
    fresh_names,
    header_pieces,
    in_headers,
    names_in,
    overlapping,
    patch_block,
    patcher_name,
    registers_cleanups,
    rewrite_block,
    runs_nothing_after,
    started_patcher,
    written,
)
from mockls.fixes.refactoring import ParsedModule, Refactoring
from mockls.spans import Position, Span, TextEdit
from mockls.syntax.tree import SyntaxTree, module_level_names, walk_names

__all__ = ["MOVE_DECORATORS", "MOVE_WITH_BLOCKS", "patches_to_setup"]

MOVE_WITH_BLOCKS = "Move the `with patch` block every test opens into `setUp`"
MOVE_DECORATORS = "Move the `@patch` decorators every test carries into `setUp` patchers"

_SETUP = "setUp"
_ASYNC_SETUP = "asyncSetUp"  # runs after setUp: it would now see the patches
_ENDINGS = (ast.Return, ast.Raise)

Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True, slots=True)
class _Moved:
    """A patch moved into ``setUp``: the call written in the first test, and the name its
    mock is kept under (``None``: the mock is not kept)."""

    call: ast.expr
    name: str | None
    patcher: str


def patches_to_setup(module: ParsedModule, selection: Span) -> list[Refactoring]:
    """The moves into ``setUp`` offered for the class at the selection's start."""
    tree = module.tree
    line = selection.start.line
    path = tree.path_to(line)
    if not path or not isinstance(path[0], ast.ClassDef):
        return []
    klass = path[0]
    methods = collected_methods(tree.module.body, klass, module.snapshot.test_naming)
    if len(methods) < 2 or not _near_the_patches(tree, klass, path, line):
        return []
    if not _is_movable_class(tree, klass, methods):
        return []
    found: list[Refactoring] = []
    for mover in (_moved_with_blocks, _moved_decorators):
        refactoring = mover(module, klass, methods, line)
        if refactoring is not None:
            found.append(refactoring)
    return found


def _is_movable_class(tree: SyntaxTree, klass: ast.ClassDef, methods: list[Function]) -> bool:
    if (
        not is_test_case(tree.module.body, klass)
        or subclassed(tree, klass)
        or tears_down(tree, klass)
    ):
        return False
    if _ASYNC_SETUP in _class_members(klass):
        return False
    # One name for `self` everywhere (a new setUp's is `self`): the moved calls may use it.
    setup = _setup(klass)
    receivers = {_receiver(method) for method in methods}
    receivers.add(_receiver(setup) if setup is not None else "self")
    return len(receivers) == 1 and not registers_cleanups(methods)


def _near_the_patches(
    tree: SyntaxTree, klass: ast.ClassDef, path: list[ast.stmt], line: int
) -> bool:
    """Whether ``line`` is where a move is offered: the class's header, a test method's
    decorators, or the header of the `with` a test method opens with (checked cheaply
    first: editors ask at every move of the cursor)."""
    if _in_class_header(tree, klass, line):
        return True
    method = path[1] if len(path) > 1 else None
    if not isinstance(method, Function):
        return False
    if line < method.lineno - 1:
        return True  # on its decorators
    first = method.body[1 if _has_docstring(method) and len(method.body) > 1 else 0]
    return isinstance(first, ast.With) and tree.first_line(first) <= line <= _innermost_body(
        tree, first
    )


def _innermost_body(tree: SyntaxTree, statement: ast.With) -> int:
    """The first line of the body inside a `with` and the `with` statements nested in it as
    its only statement: where their headers end (at the latest)."""
    inner: ast.stmt = statement
    while isinstance(inner, ast.With) and len(inner.body) == 1:
        inner = inner.body[0]
    body = inner.body if isinstance(inner, ast.With) else [inner]
    return tree.first_line(body[0])


def _in_class_header(tree: SyntaxTree, klass: ast.ClassDef, line: int) -> bool:
    return tree.first_line(klass) <= line < tree.first_line(klass.body[0])


# --- with blocks ----------------------------------------------------------------------------


def _moved_with_blocks(
    module: ParsedModule, klass: ast.ClassDef, methods: list[Function], line: int
) -> Refactoring | None:
    tree = module.tree
    sites = context_manager_sites(module.model)
    blocks: list[PatchBlock] = []
    for method in methods:
        first = (
            method.body[1] if _has_docstring(method) and len(method.body) > 1 else method.body[0]
        )
        block = patch_block(first, tree, sites) if isinstance(first, ast.With) else None
        if block is None:
            return None
        blocks.append(block)
    at_a_block = any(in_headers(block, tree, line) for block in blocks)
    if not (at_a_block or _in_class_header(tree, klass, line)):
        return None
    shape = _shape(blocks[0].items)
    if any(_shape(block.items) != shape for block in blocks[1:]):
        return None
    items = blocks[0].items
    if any(item.target is not None and not isinstance(item.target, ast.Name) for item in items):
        return None
    names = [item.target.id if isinstance(item.target, ast.Name) else None for item in items]
    kept = {name for name in names if name is not None}
    if not _attributes_free(klass, kept) or any(names_in(item.call) & kept for item in items):
        return None  # a patch given another's mock (`patch.object(m, ...)`): `m` is not in setUp
    module_names = module_level_names(tree)
    edits: list[TextEdit] = []
    for method, block in zip(methods, blocks, strict=True):
        decorators = decorator_sites(module.model, f"{klass.name}.{method.name}", klass.name)
        if overlapping((item.site for item in block.items), decorators):
            return None  # the decorators' patches would now stop first: undone in wrong order
        receiver = _receiver(method)
        after = method.body[method.body.index(block.outer) + 1 :]
        if receiver is None or not runs_nothing_after(
            after, kept, receiver, module.model, module_names
        ):
            return None
        renames = _renamed_loads(
            tree, method, kept, receiver, exclude=[item.target for item in block.items]
        )
        comments = _kept_comments(tree, block)
        if renames is None or comments is None:
            return None
        indent = tree.indentation(tree.first_line(block.outer))
        edits.extend(rewrite_block(tree, block, comments, indent, indent))
        edits.extend(renames)
    moved = [
        _Moved(item.call, name, patcher_name(item)) for item, name in zip(items, names, strict=True)
    ]
    setup = _setup_edits(tree, klass, moved)
    if setup is None:
        return None
    edits.extend(setup)
    return Refactoring(MOVE_WITH_BLOCKS, tuple(edits), _test_names(klass, methods))


def _has_docstring(function: Function) -> bool:
    first = function.body[0]
    return (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )


def _shape(items: Iterable[PatchItem]) -> list[tuple[str, str]]:
    """What a block's patches are, whatever their layout: the calls and ``as`` targets."""
    return [
        (ast.dump(item.call), ast.dump(item.target) if item.target is not None else "")
        for item in items
    ]


def _kept_comments(tree: SyntaxTree, block: PatchBlock) -> list[str] | None:
    """The comments of a block's headers, each on a line of its own where the block was."""
    pieces = header_pieces(block, tree)
    if pieces is None:
        return None
    return [piece.comment for piece in pieces if piece.comment]


# --- decorators -----------------------------------------------------------------------------


def _moved_decorators(
    module: ParsedModule, klass: ast.ClassDef, methods: list[Function], line: int
) -> Refactoring | None:
    tree = module.tree
    model = module.model
    if any(
        site.use is PatchUse.CLASS_DECORATOR and site.scope == klass.name
        for site in model.patch_sites
    ):
        return None  # a class decorator hands its mocks after the methods' own
    by_span = {
        site.span: site for site in model.patch_sites if site.use is PatchUse.FUNCTION_DECORATOR
    }
    patched = {
        (function.name, function.name_span.start.line): function
        for function in model.patched_functions
    }
    per_method: list[list[ast.expr]] = []
    for method in methods:
        decorators = [d for d in method.decorator_list if tree.span(d) in by_span]
        if not decorators:
            return None
        per_method.append(decorators)
    on_a_decorator = any(
        tree.span(decorator).start.line <= line <= tree.span(decorator).end.line
        for decorators in per_method
        for decorator in decorators
    )
    if not (on_a_decorator or _in_class_header(tree, klass, line)):
        return None
    shape = [ast.dump(decorator) for decorator in per_method[0]]
    if any(
        [ast.dump(decorator) for decorator in decorators] != shape for decorators in per_method[1:]
    ):
        return None
    if any(names_in(decorator) & _class_members(klass) for decorator in per_method[0]):
        return None  # a name of the class body: seen by a decorator, not from inside setUp
    names: list[str] | None = None
    edits: list[TextEdit] = []
    for method, decorators in zip(methods, per_method, strict=True):
        receiver = _receiver(method)
        injected = _injected_names(tree, method, patched, decorators, by_span)
        if receiver is None or injected is None:
            return None
        if names is None:
            names = injected
        elif injected != names:
            return None
        renames = _renamed_loads(tree, method, set(injected), receiver, exclude=[])
        if renames is None:
            return None
        edits.extend(_removed_decorators(tree, decorators))
        edits.extend(_removed_parameters(tree, method))
        edits.extend(renames)
    if names is None or not _attributes_free(klass, set(names)):
        return None
    # Stacked decorators apply bottom-up: the bottom one starts first and hands the first mock.
    bottom_up = list(reversed(per_method[0]))
    injecting = [by_span[tree.span(decorator)].injects_mock for decorator in bottom_up]
    holders = iter(names)
    moved = [
        _Moved(
            decorator,
            next(holders) if injects else None,
            patcher_name(PatchItem(by_span[tree.span(decorator)], decorator, None)),
        )
        for decorator, injects in zip(bottom_up, injecting, strict=True)
    ]
    setup = _setup_edits(tree, klass, moved)
    if setup is None:
        return None
    edits.extend(setup)
    return Refactoring(MOVE_DECORATORS, tuple(edits), _test_names(klass, methods))


def _injected_names(
    tree: SyntaxTree,
    method: Function,
    patched: dict[tuple[str, int], PatchedFunction],
    decorators: list[ast.expr],
    sites: dict[Span, PatchSite],
) -> list[str] | None:
    """The parameters that receive the decorators' mocks, when they are all the parameters
    after ``self`` (no defaults, no others, no comments among them); else ``None``."""
    arguments = method.args
    if arguments.vararg or arguments.kwarg or arguments.kwonlyargs or arguments.posonlyargs:
        return None
    positional = [argument.arg for argument in arguments.args[1:]]
    injecting = [decorator for decorator in decorators if sites[tree.span(decorator)].injects_mock]
    if len(positional) != len(injecting) or arguments.defaults:
        return None
    if not positional:
        return []
    function = patched.get((method.name, method.lineno - 1))
    if function is None or [parameter.name for _, parameter in function.injected] != positional:
        return None
    span = _parameters_after_receiver(tree, method)
    comments = tree.comments(span.start.line, span.end.line)
    if comments is None or any(
        span.contains(Position(comment.line, comment.character)) for comment in comments
    ):
        return None
    return positional


def _removed_decorators(tree: SyntaxTree, decorators: Sequence[ast.expr]) -> list[TextEdit]:
    """Edits taking each decorator's lines out (a comment after one stays, on its own line)."""
    edits: list[TextEdit] = []
    for decorator in decorators:
        span = tree.span(decorator)
        first, last = span.start.line, span.end.line
        rest = tree.line(last)[span.end.character :].strip()
        kept = f"{tree.indentation(first)}{rest}{tree.newline}" if rest.startswith("#") else ""
        edits.append(TextEdit(Span(Position(first, 0), Position(last + 1, 0)), kept))
    return edits


def _removed_parameters(tree: SyntaxTree, method: Function) -> list[TextEdit]:
    """The edit taking the parameters after ``self`` out."""
    if len(method.args.args) < 2:
        return []
    return [TextEdit(_parameters_after_receiver(tree, method), "")]


def _parameters_after_receiver(tree: SyntaxTree, method: Function) -> Span:
    """From the end of ``self`` to the end of the last parameter."""
    arguments = method.args.args
    return Span(tree.span(arguments[0]).end, tree.span(arguments[-1]).end)


# --- what both share ------------------------------------------------------------------------


def _receiver(method: Function) -> str | None:
    arguments = method.args.args
    return arguments[0].arg if arguments else None


def _attributes_free(klass: ast.ClassDef, names: set[str]) -> bool:
    """Whether no ``x.<name>`` and no member ``<name>`` appears in the class already."""
    for node in ast.walk(klass):
        if isinstance(node, ast.Attribute) and node.attr in names:
            return False
    return not names & _class_members(klass)


def _class_members(klass: ast.ClassDef) -> set[str]:
    names: set[str] = set()
    for statement in klass.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(statement.name)
        elif isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names.update(name.id for target in targets for name in walk_names(target))
    return names


def _renamed_loads(
    tree: SyntaxTree,
    method: Function,
    names: set[str],
    receiver: str,
    exclude: Sequence[ast.expr | None],
) -> list[TextEdit] | None:
    """Edits reading each of ``names`` in ``method`` as ``self.<name>``; ``None`` when one of
    them is also bound there in another way (assigned, a parameter of a nested function...)."""
    if not names:
        return []
    excluded = {id(node) for target in exclude if target is not None for node in ast.walk(target)}
    edits: list[TextEdit] = []
    for node in ast.walk(method):
        if isinstance(node, ast.Global | ast.Nonlocal) and names & set(node.names):
            return None
        if isinstance(node, ast.arg) and node.arg in names and node not in method.args.args:
            return None
        if (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.name in names
        ):
            return None
        if not isinstance(node, ast.Name) or node.id not in names or id(node) in excluded:
            continue
        if not isinstance(node.ctx, ast.Load):
            return None
        edits.append(TextEdit(tree.span(node), f"{receiver}.{node.id}"))
    return edits


def _setup(klass: ast.ClassDef) -> ast.FunctionDef | None:
    """The class's own ``setUp``, if it defines one."""
    return next(
        (
            member
            for member in klass.body
            if isinstance(member, ast.FunctionDef) and member.name == _SETUP
        ),
        None,
    )


def _setup_edits(
    tree: SyntaxTree, klass: ast.ClassDef, moved: list[_Moved]
) -> list[TextEdit] | None:
    """Edits starting the moved patches at the end of ``setUp`` (a new one when there is none)."""
    setup = _setup(klass)
    if setup is not None:
        return _appended_to_setup(tree, setup, moved)
    first_method = next(
        (
            member
            for member in klass.body
            if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef)
        ),
        None,
    )
    if first_method is None or not first_method.body:
        return None
    member_indent = tree.indentation(tree.first_line(first_method))
    body_line = tree.first_line(first_method.body[0])
    if body_line == first_method.lineno - 1:
        return None  # a body on the def line: no indentation to learn from
    body_indent = tree.indentation(body_line)
    receiver = "self"
    patchers = fresh_names([item.patcher for item in moved], {receiver, "super"} | _read(moved))
    lines = [
        f"def {_SETUP}({receiver}):",
        *_indented(["super().setUp()"], body_indent, member_indent),
    ]
    lines.extend(
        _indented(
            _started_lines(tree, moved, patchers, receiver, body_indent), body_indent, member_indent
        )
    )
    lines.append("")
    at = Position(_leading_comments_start(tree, first_method), 0)
    return [TextEdit(Span(at, at), written(lines, member_indent, tree.newline))]


def _appended_to_setup(
    tree: SyntaxTree, setup: ast.FunctionDef, moved: list[_Moved]
) -> list[TextEdit] | None:
    receiver = _receiver(setup)
    last = setup.body[-1]
    if (
        receiver is None
        or isinstance(last, _ENDINGS)
        or tree.first_line(setup.body[0]) == setup.lineno - 1
    ):
        return None
    indent = tree.indentation(tree.first_line(setup.body[0]))
    patchers = fresh_names([item.patcher for item in moved], names_in(setup) | _read(moved))
    lines = _started_lines(tree, moved, patchers, receiver, indent)
    end = tree.end_of_line(block_end(tree, last, indent))
    text = "".join(f"{tree.newline}{indent}{line}" for line in lines)
    return [TextEdit(Span(end, end), text)]


def _read(moved: list[_Moved]) -> set[str]:
    """The names the moved calls read: no patcher may hide one of them."""
    return {name for item in moved for name in names_in(item.call)}


def _started_lines(
    tree: SyntaxTree, moved: list[_Moved], patchers: list[str], receiver: str, indent: str
) -> list[str]:
    lines: list[str] = []
    for item, patcher in zip(moved, patchers, strict=True):
        holder = None if item.name is None else f"{receiver}.{item.name}"
        lines.extend(
            started_patcher(
                tree, item.call, patcher, holder=holder, indent=indent, receiver=receiver
            )
        )
    return lines


def _indented(lines: list[str], indent: str, base: str) -> list[str]:
    """``lines`` written one level deeper than ``base`` (``indent`` without ``base``)."""
    step = indent[len(base) :] if indent.startswith(base) else indent
    return [f"{step}{line}" for line in lines]


def _leading_comments_start(tree: SyntaxTree, statement: ast.stmt) -> int:
    """The first line of the comment lines right above ``statement`` (its own first line
    when there are none)."""
    line = tree.first_line(statement)
    while line > 0 and tree.line(line - 1).lstrip().startswith("#"):
        line -= 1
    return line


def _test_names(klass: ast.ClassDef, methods: list[Function]) -> tuple[str, ...]:
    return tuple(f"{klass.name}.{method.name}" for method in methods)

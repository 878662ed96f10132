"""Add ``autospec=True`` to a patch of a function, method or class.

An autospecced mock has the real signature: calls the real object would refuse raise, and
assertions compare arguments the way the real call binds them. That makes the test stricter,
so the action says in its title when calls or assertions already in the module would then
fail to bind (:func:`~mockls.resolve.call_binding.unbindable_calls` on the changed text), and
it is a ``stricter`` refactoring: a test that ends differently with it is reported, not hidden.

Not offered where ``autospec`` cannot go or would change nothing knowable: ``new``,
``new_callable``, ``spec``, ``spec_set`` or ``autospec`` already given, ``*args``/``**kwargs``
in the call, ``patch.dict``/``patch.multiple``, or a target that cannot be resolved to a
function, method or class.
"""

from __future__ import annotations

import ast

from mockls.analysis.builder import build_model
from mockls.analysis.model import PatchKind, PatchSite
from mockls.fixes.edits import apply_edits
from mockls.fixes.refactoring import ParsedModule, Refactoring
from mockls.resolve.call_binding import patched_target, unbindable_calls
from mockls.resolve.resolution import Resolved, TargetKind
from mockls.spans import Position, Span, TextEdit
from mockls.syntax.lines import SourceLines
from mockls.syntax.tree import SyntaxTree

__all__ = ["ADD_AUTOSPEC", "add_autospec"]

ADD_AUTOSPEC = "Add `autospec=True`"

_AUTOSPEC = "autospec=True"
_EXCLUSIVE = frozenset({"autospec", "new", "new_callable", "spec", "spec_set"})
_POSITIONAL_LIMIT = {PatchKind.PATCH: 1, PatchKind.OBJECT: 2}  # a further one would be `new`
_SPECCABLE = frozenset(
    {
        TargetKind.FUNCTION,
        TargetKind.METHOD,
        TargetKind.CLASSMETHOD,
        TargetKind.STATICMETHOD,
        TargetKind.CLASS,
    }
)


def add_autospec(module: ParsedModule, selection: Span) -> list[Refactoring]:
    """``autospec=True`` for the patch call that holds the selection's start."""
    project = module.project
    if project is None or not _in_a_call(module.tree, selection.start):
        return []
    site = _site_at(module, selection.start)
    if site is None:
        return []
    target, _owner = patched_target(site, project)
    if target is None:
        return []
    resolved = project.resolve_target(target)
    if not isinstance(resolved, Resolved) or resolved.kind not in _SPECCABLE:
        return []
    call = _call_node(module.tree, site)
    if call is None:
        return []
    edits = _keyword_added(module.tree, call)
    if edits is None:
        return []
    context, site_start = _changed_context(module.tree, site, edits)
    failing = [
        found
        for found in unbindable_calls(build_model(context), project)
        if found.call.binding.patch_site is not None
        and found.call.binding.patch_site.span.start == site_start
    ]
    title = ADD_AUTOSPEC
    if failing:
        count = len(failing)
        title += (
            f" (warning: {count} call{'s' if count > 1 else ''} on the mock already in this "
            f"module would then fail to match `{failing[0].callee.name}`)"
        )
    return [Refactoring(title, tuple(edits), _tests_of(module, site), stricter=True)]


def _tests_of(module: ParsedModule, site: PatchSite) -> tuple[str, ...]:
    """The tests of the module the patch may apply in (the module's tests as the code lens
    and ``--verify`` see them): its own test, every test of the class whose decorators,
    ``setUp`` or helpers hold it, the tests taking the fixture that makes it."""
    return tuple(test.name for test in module.snapshot.tests if site in test.patches)


def _changed_context(
    tree: SyntaxTree, site: PatchSite, edits: list[TextEdit]
) -> tuple[str, Position]:
    """The module's imports and, after them, the top-level statement of the patch with the
    edits applied: all a binding's calls can be in (a mock lives in the test or class that
    patches it), at a fraction of the module's analysis. Also where the patch starts in it."""
    first, last = tree.top_level_lines(site.span.start.line)
    imports = [
        tree.source(statement)
        for statement in tree.module.body
        if isinstance(statement, ast.Import | ast.ImportFrom)
        and not first <= tree.first_line(statement) <= last
    ]
    prefix = "".join(f"{text}{tree.newline}" for text in imports)
    shift = SourceLines(prefix).count - 1 - first
    region = tree.text_of(Span(Position(first, 0), tree.end_of_line(last)))
    moved = [
        TextEdit(
            Span(
                Position(edit.span.start.line - first, edit.span.start.character),
                Position(edit.span.end.line - first, edit.span.end.character),
            ),
            edit.new_text,
        )
        for edit in edits
    ]
    start = Position(site.span.start.line + shift, site.span.start.character)
    return prefix + apply_edits(region, moved), start


def _in_a_call(tree: SyntaxTree, position: Position) -> bool:
    """Whether ``position`` is inside a call of the statement it is on (checked on the tree
    before the model is needed)."""
    path = tree.path_to(position.line)
    if not path:
        return False
    statement = path[-1]
    nodes = [*getattr(statement, "decorator_list", []), *getattr(statement, "items", [])]
    nodes += [node for node in ast.iter_child_nodes(statement) if isinstance(node, ast.expr)]
    return any(
        isinstance(node, ast.Call) and tree.span(node).contains(position)
        for root in nodes
        for node in ast.walk(root)
    )


def _site_at(module: ParsedModule, position: Position) -> PatchSite | None:
    """The innermost patch or patch.object call around ``position`` that can take autospec."""
    around = [
        site
        for site in module.model.patch_sites
        if site.span.contains(position) and site.kind in _POSITIONAL_LIMIT
    ]
    if not around:
        return None
    site = max(around, key=lambda each: each.span.start)
    if site.has_star_args or _EXCLUSIVE & set(site.keywords):
        return None
    if len(site.args) > _POSITIONAL_LIMIT[site.kind]:
        return None
    return site


def _call_node(tree: SyntaxTree, site: PatchSite) -> ast.Call | None:
    line = site.span.start.line
    for statement in reversed(tree.path_to(line)):
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and tree.span(node) == site.span:
                return node
    return None


def _keyword_added(tree: SyntaxTree, call: ast.Call) -> list[TextEdit] | None:
    """Edits adding ``autospec=True`` after the call's last argument, in the call's layout:
    on the same line, or on a line of its own when the arguments are one per line."""
    arguments: list[ast.AST] = [*call.args, *call.keywords]
    if not arguments:
        return None
    last_end = max(tree.span(argument).end for argument in arguments)
    closing = tree.span(call).end
    between = tree.text_of(Span(last_end, Position(closing.line, closing.character - 1)))
    comma = between.lstrip().startswith(",")
    if closing.line == last_end.line:
        if comma:
            after_comma = Position(last_end.line, last_end.character + between.index(",") + 1)
            return [TextEdit(Span(after_comma, after_comma), f" {_AUTOSPEC}")]
        return [TextEdit(Span(last_end, last_end), f", {_AUTOSPEC}")]
    # One argument per line: a line of its own after the last argument's line (its comma, a
    # comment), indented like the line the last argument starts on.
    last_start = max(tree.span(argument).start for argument in arguments)
    indent = tree.indentation(last_start.line)
    line_end = tree.end_of_line(last_end.line)
    edits = [] if comma else [TextEdit(Span(last_end, last_end), ",")]
    added = f"{tree.newline}{indent}{_AUTOSPEC}{',' if comma else ''}"
    edits.append(TextEdit(Span(line_end, line_end), added))
    return edits

"""patcher-not-stopped: ``patcher.start()`` with nothing that ever stops the patcher.

A started patch stays in place until ``stop()``: the mock leaks into every test that runs
afterwards, which then pass or fail depending on the order the tests run in. A patch of an
object the same function just made and stored nowhere (``service = Service()``) is left
alone: no other test can ever reach that object.

The rule writes its own fix, ``self.addCleanup(p.stop)``: on the line after the statement that
starts the patcher, indented like it, so the cleanup is registered exactly when the patch is
applied. It is offered in the methods of a ``unittest.TestCase`` (``setUpClass`` gets
``cls.addClassCleanup``), where the test case runs cleanups; elsewhere there is no test case to
stop the patcher and no fix is given. Adding the cleanup changes nothing a passing test does
while it runs, so the fix is safe for ``mockls check --fix``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mockls.analysis.discovery import is_test_case
from mockls.analysis.model import PatchSite, PatchUse
from mockls.findings import Finding, Fix, Severity
from mockls.rules.rule import Rule, RuleContext
from mockls.spans import Span, TextEdit
from mockls.syntax.tree import SyntaxTree

CODE = "patcher-not-stopped"

_START = "start"
_SET_UP_CLASS = "setUpClass"
_CLASSMETHOD = "classmethod"
_STATICMETHOD = "staticmethod"
_SIMPLE = (ast.Expr, ast.Assign, ast.AnnAssign)
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Started patchers with no ``stop()``, ``addCleanup(p.stop)`` or ``patch.stopall()``."""
    model = ctx.model
    if any(stop.patcher is None for stop in model.stop_calls):
        return  # patch.stopall() stops every started patcher
    stopped = {stop.patcher for stop in model.stop_calls}
    trees: list[SyntaxTree | None] = []  # read on the first finding that may have a fix
    for site in model.patch_sites:
        if site.use is not PatchUse.STARTED or site.via_mocker or site.object_made_here:
            continue  # a patch of an object no other test can reach leaks nowhere
        if site.patcher is None:
            message = (
                f"this patch of {_what(site)} is started but nothing can stop it (no name "
                "holds the patcher): it stays in place for every later test; keep the patcher "
                "in a name and stop it (e.g. `self.addCleanup(patcher.stop)`), or call "
                "`patch.stopall()`"
            )
        elif site.patcher.name in stopped or site.patcher.name in model.escaped_patchers:
            continue
        else:
            name = site.patcher.name
            message = (
                f"patcher `{name}` is started but never stopped: {_what(site)} stays patched "
                f"for every later test; stop it with `self.addCleanup({name}.stop)` right "
                f"after starting it, `{name}.stop()` in tearDown or after a fixture's yield, "
                "or `patch.stopall()`"
            )
        fixes: tuple[Fix, ...] = ()
        if site.patcher is not None:
            if not trees:
                trees.append(ctx.syntax_tree())
            fix = _cleanup_fix(trees[0], site) if trees[0] is not None else None
            fixes = () if fix is None else (fix,)
        yield Finding(
            code=CODE,
            message=message,
            span=site.span,
            severity=RULE.default_severity,
            fixes=fixes,
        )


def _what(site: PatchSite) -> str:
    if site.target is None:
        return "the target"
    if site.target_object is not None:
        return f"`{site.target_object.text}.{site.target}`"
    return f"`{site.target}`"


def _cleanup_fix(tree: SyntaxTree, site: PatchSite) -> Fix | None:
    patcher = site.patcher
    if patcher is None:
        return None
    started = _starting_statement(tree, site, patcher.name)
    if started is None:
        return None
    statement, method, klass = started
    if not is_test_case(tree.module.body, klass):
        return None
    decorators = {ast.unparse(decorator) for decorator in method.decorator_list}
    arguments = method.args.args
    if _STATICMETHOD in decorators or not arguments:
        return None
    receiver = arguments[0].arg
    if _CLASSMETHOD in decorators:
        if method.name != _SET_UP_CLASS:
            return None
        register = f"{receiver}.addClassCleanup"
    else:
        register = f"{receiver}.addCleanup"
    first = tree.start(statement)
    if tree.line(first.line)[: first.character].strip():
        return None  # after a colon or a semicolon: no line of its own to follow
    cleanup = f"{register}({patcher.name}.stop)"
    end = tree.end_of_line(tree.last_line(statement))
    edit = TextEdit(Span(end, end), f"{tree.newline}{tree.indentation(first.line)}{cleanup}")
    title = f"Stop the patcher when the test ends: `{cleanup}`"
    return Fix(title, (edit,), is_preferred=True, safe=True)


def _starting_statement(
    tree: SyntaxTree, site: PatchSite, patcher: str
) -> tuple[ast.stmt, ast.FunctionDef | ast.AsyncFunctionDef, ast.ClassDef] | None:
    """The first statement at or after the patch that calls ``<patcher>.start()``, with the
    method and class it is in (a ``self.p`` patcher may be started in another method)."""
    path = tree.path_to(site.span.start.line)
    if not path or not isinstance(path[0], ast.ClassDef):
        return None
    klass = path[0]
    for member in klass.body:
        if not isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if "." not in patcher and member not in path:
            continue  # a local patcher is started in its own function
        for node in ast.walk(member):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == _START
                and not node.args
                and ast.unparse(node.func.value) == patcher
                and tree.start(node) >= site.span.start
            ):
                around = tree.path_to(tree.start(node).line)
                statement = around[-1]
                if not isinstance(statement, _SIMPLE) or any(
                    isinstance(outer, _DEFINITIONS) for outer in around[2:]
                ):
                    return None  # in a compound statement's header, or in a nested function
                return statement, member, klass
    return None


RULE = Rule(
    code=CODE,
    summary="A patcher started with start() that nothing stops, so the patch leaks.",
    default_severity=Severity.WARNING,
    check=check,
)

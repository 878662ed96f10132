"""The quick-fix of ``patcher-not-stopped``: stop the patcher with ``self.addCleanup(p.stop)``.

The cleanup goes on the line after the statement that starts the patcher, indented like it,
so it is registered exactly when the patch is applied. It is offered in the methods of a
``unittest.TestCase`` (``setUpClass`` gets ``cls.addClassCleanup``), where the test case
runs cleanups; elsewhere there is no test case to stop the patcher and no fix is offered.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import replace

from mockls.analysis.model import PatchSite, PatchUse
from mockls.findings import Finding, Fix
from mockls.fixes.enclosing_test import is_test_case
from mockls.fixes.refactoring import ParsedModule
from mockls.spans import Span, TextEdit
from mockls.syntax.tree import SyntaxTree

__all__ = ["CODE", "with_cleanup_fixes"]

CODE = "patcher-not-stopped"

_START = "start"
_SET_UP_CLASS = "setUpClass"
_CLASSMETHOD = "classmethod"
_STATICMETHOD = "staticmethod"
_SIMPLE = (ast.Expr, ast.Assign, ast.AnnAssign)
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def with_cleanup_fixes(module: ParsedModule, findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` in order, each ``patcher-not-stopped`` one given its cleanup fix when one
    can be written."""
    findings = list(findings)
    if not any(finding.code == CODE for finding in findings):
        return findings
    sites = {
        site.span: site
        for site in module.model.patch_sites
        if site.use is PatchUse.STARTED and site.patcher is not None
    }
    fixed: list[Finding] = []
    for finding in findings:
        site = sites.get(finding.span) if finding.code == CODE else None
        fix = _cleanup_fix(module.tree, site) if site is not None else None
        fixed.append(finding if fix is None else replace(finding, fixes=(*finding.fixes, fix)))
    return fixed


def _cleanup_fix(tree: SyntaxTree, site: PatchSite) -> Fix | None:
    patcher = site.patcher
    if patcher is None:
        return None
    started = _starting_statement(tree, site, patcher.name)
    if started is None:
        return None
    statement, method, klass = started
    if not is_test_case(tree, klass):
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
    return Fix(f"Stop the patcher when the test ends: `{cleanup}`", (edit,), is_preferred=True)


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

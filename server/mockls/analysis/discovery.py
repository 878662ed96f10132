"""The tests a module defines, one by one, with the patches that may be active in each.

A test is what pytest collects, as the project configures it (:class:`TestNaming`: its
``python_classes`` and ``python_functions``; by default ``Test*`` and ``test*``): a
module-level test function, or a test method of a class that is a test class by name or by
having a base class (a ``unittest.TestCase``, whose methods named ``test*`` are tests).
Its patches are those written in it (decorators and body), in its class outside any other
test (class decorators, ``setUp``, helpers), in the pytest fixtures it takes by parameter
name, and in ``setUpModule``. Broken code gives the tests the parser could recover.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TypeGuard

from mockls.analysis.model import ModuleModel, PatchSite
from mockls.pytest_options import TestNaming
from mockls.spans import Span
from mockls.syntax.recovery import RecoveredModule, recover_module
from mockls.syntax.source_text import SourceText

__all__ = ["TestItem", "find_tests"]

_MODULE_SETUP = "setUpModule"
PYTEST_DEFAULTS = TestNaming()
_UNITTEST_PREFIX = "test"  # unittest's loader: TestLoader.testMethodPrefix


@dataclass(frozen=True, slots=True)
class TestItem:
    """One test: ``name`` is ``test_x`` or ``Class.test_x``; ``span`` covers the name in its
    ``def``."""

    __test__ = False  # not a pytest test class

    name: str
    span: Span
    patches: tuple[PatchSite, ...]


def find_tests(
    source: str | RecoveredModule, model: ModuleModel, naming: TestNaming = PYTEST_DEFAULTS
) -> tuple[TestItem, ...]:
    """The tests of the module ``source`` (its text, or the text already parsed; its model
    is ``model``), in source order, named as ``naming`` says pytest collects them."""
    recovered = recover_module(source) if isinstance(source, str) else source
    lines = recovered.source
    tests: list[TestItem] = []
    for statement in recovered.statements:
        if _is_function(statement) and naming.is_test_function(statement.name):
            shared = frozenset({_MODULE_SETUP, *_parameters(statement)})
            tests.append(_item(statement, statement.name, model, lines, shared))
        elif isinstance(statement, ast.ClassDef) and (
            statement.bases or naming.is_test_class(statement.name)
        ):
            methods = [
                member
                for member in statement.body
                if _is_function(member)
                and (
                    naming.is_test_function(member.name)
                    or (bool(statement.bases) and member.name.startswith(_UNITTEST_PREFIX))
                )
            ]
            names = frozenset(f"{statement.name}.{method.name}" for method in methods)
            shared = frozenset({statement.name, _MODULE_SETUP})
            for method in methods:
                name = f"{statement.name}.{method.name}"
                tests.append(_item(method, name, model, lines, shared, others=names - {name}))
    return tuple(tests)


def _item(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    name: str,
    model: ModuleModel,
    lines: SourceText,
    shared: frozenset[str],
    *,
    others: frozenset[str] = frozenset(),
) -> TestItem:
    """The test ``name``: patches written in it, or in ``shared`` scopes outside ``others``."""
    patches = tuple(
        site
        for site in model.patch_sites
        if _within(site.scope, name)
        or (
            not any(_within(site.scope, other) for other in others)
            and any(_within(site.scope, scope) for scope in shared)
        )
    )
    return TestItem(name, lines.function_name_span(node), patches)


def _within(scope: str, name: str) -> bool:
    return scope == name or scope.startswith(f"{name}.")


def _is_function(node: ast.stmt) -> TypeGuard[ast.FunctionDef | ast.AsyncFunctionDef]:
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)


def _parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    arguments = node.args
    return [
        argument.arg
        for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
    ]

"""Which test a line of a test module belongs to: a ``unittest.TestCase`` method or a pytest
function, with what the refactorings need to know about it (its receiver, its ``mocker``).

What is a test is :mod:`mockls.analysis.discovery`'s answer, as the project's pytest
configuration names tests: the refactorings' affected tests are the tests the code lens and
``--verify`` run."""

from __future__ import annotations

import ast
import enum
from dataclasses import dataclass

from mockls.analysis.discovery import (
    TestClassKind,
    class_bases,
    class_collection,
    collected_methods,
    is_test_case,
    local_classes,
)
from mockls.pytest_options import TestNaming
from mockls.syntax.tree import SyntaxTree

__all__ = [
    "EnclosingTest",
    "Framework",
    "enclosing_test",
    "subclassed",
    "tears_down",
]

_TEARDOWNS = frozenset({"tearDown", "asyncTearDown"})
_NOT_METHODS = frozenset({"staticmethod", "classmethod"})
_MOCKER = "mocker"
_MOCKER_ANNOTATIONS = frozenset({"MockerFixture", "MockFixture"})

Function = ast.FunctionDef | ast.AsyncFunctionDef


class Framework(enum.Enum):
    """How the test is written."""

    UNITTEST = "unittest"  # a test method of a TestCase: self.addCleanup is there
    PYTEST = "pytest"  # a function (or method of a plain Test* class) pytest collects


@dataclass(frozen=True, slots=True)
class EnclosingTest:
    """The test around a line, and the statement of its body that holds the line."""

    framework: Framework
    function: Function
    klass: ast.ClassDef | None
    statement: ast.stmt
    """The statement directly in the test's body that holds the line."""
    receiver: str | None = None
    """The name of ``self`` in a test method."""
    mocker: str | None = None
    """The parameter that receives pytest-mock's function-scoped ``mocker`` fixture."""

    @property
    def name(self) -> str:
        """The test's qualified name in its module (``'OrderTests.test_pay'``)."""
        if self.klass is None:
            return self.function.name
        return f"{self.klass.name}.{self.function.name}"


def enclosing_test(tree: SyntaxTree, line: int, naming: TestNaming) -> EnclosingTest | None:
    """The test whose body holds ``line`` directly (not in a nested function), if any; tests
    are named as ``naming`` says the project's pytest collects them."""
    path = tree.path_to(line)
    for depth in range(len(path) - 2, -1, -1):
        function = path[depth]
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if path[depth + 1] not in function.body:
            return None
        return _test(tree, path[:depth], function, path[depth + 1], naming)
    return None


def _test(
    tree: SyntaxTree,
    outer: list[ast.stmt],
    function: Function,
    statement: ast.stmt,
    naming: TestNaming,
) -> EnclosingTest | None:
    if not outer:
        if not naming.is_test_function(function.name):
            return None
        return EnclosingTest(Framework.PYTEST, function, None, statement, mocker=_mocker(function))
    klass = outer[-1]
    if len(outer) != 1 or not isinstance(klass, ast.ClassDef):
        return None  # a function nested in a function, or a class nested in a class
    if _decorator_names(function) & _NOT_METHODS:
        return None
    positional = [*function.args.posonlyargs, *function.args.args]
    body = tree.module.body
    if not positional or function not in collected_methods(body, klass, naming):
        return None
    if is_test_case(body, klass):
        receiver = positional[0].arg
        return EnclosingTest(Framework.UNITTEST, function, klass, statement, receiver=receiver)
    if class_collection(body, klass, naming) is TestClassKind.PYTEST:
        return EnclosingTest(Framework.PYTEST, function, klass, statement, mocker=_mocker(function))
    return None  # a base from elsewhere may or may not make it a unittest.TestCase


def tears_down(tree: SyntaxTree, klass: ast.ClassDef) -> bool:
    """Whether ``klass`` or a base of it in this module defines ``tearDown``: it would run
    while patches moved out of a test's ``with`` block are still in place."""
    body = tree.module.body
    classes = local_classes(body)
    seen = [klass, *(classes[name] for name in class_bases(body, klass) if name in classes)]
    return any(
        isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef) and member.name in _TEARDOWNS
        for each in seen
        for member in each.body
    )


def subclassed(tree: SyntaxTree, klass: ast.ClassDef) -> bool:
    """Whether another module-level class derives from ``klass``."""
    body = tree.module.body
    return any(
        isinstance(other, ast.ClassDef)
        and other is not klass
        and klass.name in class_bases(body, other)
        for other in body
    )


def _decorator_names(function: Function) -> set[str]:
    return {ast.unparse(decorator).rpartition(".")[2] for decorator in function.decorator_list}


def _mocker(function: Function) -> str | None:
    arguments = function.args
    for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
        annotation = argument.annotation
        annotated = annotation is not None and (
            ast.unparse(annotation).strip("'\"").rpartition(".")[2] in _MOCKER_ANNOTATIONS
        )
        if argument.arg == _MOCKER or annotated:
            return argument.arg
    return None

"""Which test a line of a test module belongs to: a ``unittest.TestCase`` method or a pytest
function, with what the refactorings need to know about it (its receiver, its ``mocker``)."""

from __future__ import annotations

import ast
import enum
from collections.abc import Iterator
from dataclasses import dataclass

from mockls.syntax.tree import SyntaxTree

__all__ = [
    "TEST_PREFIX",
    "EnclosingTest",
    "Framework",
    "enclosing_test",
    "is_test_case",
    "local_classes",
    "subclassed",
    "tears_down",
    "test_methods",
]

TEST_PREFIX = "test"
"""What the name of a test method or function starts with (unittest's and pytest's default)."""

_TEST_CASE_SUFFIX = "TestCase"  # unittest.TestCase, IsolatedAsyncioTestCase, django's TestCase
_TEST_CLASS_PREFIX = "Test"  # pytest collects classes named so
_TEARDOWNS = frozenset({"tearDown", "asyncTearDown"})
_NOT_METHODS = frozenset({"staticmethod", "classmethod"})
_MOCKER = "mocker"
_MOCKER_ANNOTATIONS = frozenset({"MockerFixture", "MockFixture"})
_MAX_BASES = 20

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


def enclosing_test(tree: SyntaxTree, line: int) -> EnclosingTest | None:
    """The test whose body holds ``line`` directly (not in a nested function), if any."""
    path = tree.path_to(line)
    for depth in range(len(path) - 2, -1, -1):
        function = path[depth]
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if not function.name.startswith(TEST_PREFIX) or path[depth + 1] not in function.body:
            return None
        return _test(tree, path[:depth], function, path[depth + 1])
    return None


def _test(
    tree: SyntaxTree, outer: list[ast.stmt], function: Function, statement: ast.stmt
) -> EnclosingTest | None:
    if not outer:
        return EnclosingTest(Framework.PYTEST, function, None, statement, mocker=_mocker(function))
    klass = outer[-1]
    if len(outer) != 1 or not isinstance(klass, ast.ClassDef):
        return None  # a function nested in a function, or a class nested in a class
    if _decorator_names(function) & _NOT_METHODS:
        return None
    positional = [*function.args.posonlyargs, *function.args.args]
    if not positional:
        return None
    if is_test_case(tree, klass):
        receiver = positional[0].arg
        return EnclosingTest(Framework.UNITTEST, function, klass, statement, receiver=receiver)
    if klass.name.startswith(_TEST_CLASS_PREFIX) and not klass.bases:
        return EnclosingTest(Framework.PYTEST, function, klass, statement, mocker=_mocker(function))
    return None


def is_test_case(tree: SyntaxTree, klass: ast.ClassDef) -> bool:
    """Whether ``klass`` derives from a ``...TestCase`` class (through classes of this module)."""
    return any(_is_test_case_base(base) for base in _bases(tree, klass))


def tears_down(tree: SyntaxTree, klass: ast.ClassDef) -> bool:
    """Whether ``klass`` or a base of it in this module defines ``tearDown``: it would run
    while patches moved out of a test's ``with`` block are still in place."""
    classes = local_classes(tree)
    seen = [klass, *(classes[name] for name in _bases(tree, klass) if name in classes)]
    return any(
        isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef) and member.name in _TEARDOWNS
        for each in seen
        for member in each.body
    )


def subclassed(tree: SyntaxTree, klass: ast.ClassDef) -> bool:
    """Whether another module-level class derives from ``klass``."""
    return any(
        isinstance(other, ast.ClassDef) and other is not klass and klass.name in _base_names(other)
        for other in tree.module.body
    )


def test_methods(klass: ast.ClassDef) -> list[Function]:
    """The test methods a class defines itself, in order."""
    return [
        member
        for member in klass.body
        if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef)
        and member.name.startswith(TEST_PREFIX)
    ]


def local_classes(tree: SyntaxTree) -> dict[str, ast.ClassDef]:
    """The module-level classes by name (the last definition of a name wins, as in Python)."""
    return {
        statement.name: statement
        for statement in tree.module.body
        if isinstance(statement, ast.ClassDef)
    }


def _bases(tree: SyntaxTree, klass: ast.ClassDef) -> Iterator[str]:
    """The dotted names of ``klass``'s bases and, for bases defined in this module, theirs."""
    classes = local_classes(tree)
    pending = list(_base_names(klass))
    seen: set[str] = set()
    while pending and len(seen) < _MAX_BASES:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        yield name
        local = classes.get(name)
        if local is not None and local is not klass:
            pending.extend(_base_names(local))


def _base_names(klass: ast.ClassDef) -> list[str]:
    return [ast.unparse(base) for base in klass.bases]


def _is_test_case_base(name: str) -> bool:
    return name.rpartition(".")[2].endswith(_TEST_CASE_SUFFIX)


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

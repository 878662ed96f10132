"""The tests a module defines, one by one, with the patches that may be active in each.

This is the one definition of "is this a test" that the code lens, ``--verify`` and the
refactorings' affected tests share. A test is what pytest collects, as the project configures
it (:class:`TestNaming`: its ``python_classes`` and ``python_functions``; by default
``Test*`` and ``test*``): a module-level function named as ``python_functions`` says, a
method of a ``unittest.TestCase`` subclass (whatever its name) named ``test*`` (pytest hands
those classes to unittest's loader, which ignores ``python_functions``), or a method named as
``python_functions`` says of another class named as ``python_classes`` says (whatever its
bases). A class with a base that this module does not define and whose name does not say
``TestCase`` may be either: it counts when either reading collects it.
Its patches are those written in it (decorators and body), in its class outside any other
test (class decorators, ``setUp``, helpers), in the pytest fixtures it takes by parameter
name, and in ``setUpModule``. Broken code gives the tests the parser could recover.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeGuard

from mockls.analysis.model import ModuleModel, PatchSite
from mockls.pytest_options import TestNaming
from mockls.spans import Span
from mockls.syntax.recovery import RecoveredModule, recover_module
from mockls.syntax.source_text import SourceText

__all__ = [
    "TestClassKind",
    "TestItem",
    "class_bases",
    "class_collection",
    "collected_methods",
    "find_tests",
    "is_test_case",
    "local_classes",
]

_MODULE_SETUP = "setUpModule"
PYTEST_DEFAULTS = TestNaming()
_UNITTEST_PREFIX = "test"  # unittest's loader: TestLoader.testMethodPrefix
_TEST_CASE_SUFFIX = "TestCase"  # unittest.TestCase, IsolatedAsyncioTestCase, django's TestCase
_PLAIN_BASES = frozenset({"object", "builtins.object"})
_MAX_BASES = 20

Function = ast.FunctionDef | ast.AsyncFunctionDef


class TestClassKind(enum.Enum):
    """How pytest collects a class's tests."""

    __test__ = False  # not a pytest test class

    UNITTEST = "unittest"
    """A ``unittest.TestCase``: its methods named ``test*``."""
    PYTEST = "pytest"
    """A plain class named as ``python_classes`` says: its methods named as
    ``python_functions`` says."""
    EITHER = "either"
    """A class with a base from elsewhere that may be a ``TestCase``: the methods either
    reading collects."""


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
    body = recovered.statements
    tests: list[TestItem] = []
    for statement in body:
        if _is_function(statement) and naming.is_test_function(statement.name):
            shared = frozenset({_MODULE_SETUP, *_parameters(statement)})
            tests.append(_item(statement, statement.name, model, lines, shared))
        elif isinstance(statement, ast.ClassDef):
            methods = collected_methods(body, statement, naming)
            names = frozenset(f"{statement.name}.{method.name}" for method in methods)
            shared = frozenset({statement.name, _MODULE_SETUP})
            for method in methods:
                name = f"{statement.name}.{method.name}"
                tests.append(_item(method, name, model, lines, shared, others=names - {name}))
    return tuple(tests)


def class_collection(
    body: Sequence[ast.stmt], klass: ast.ClassDef, naming: TestNaming
) -> TestClassKind | None:
    """How pytest collects the tests of ``klass``, a class of the module whose statements are
    ``body``; ``None`` when it collects none. A class whose name is not a test class's but
    whose bases come from elsewhere is read as a ``TestCase``: pytest collects it only if it
    is one."""
    if is_test_case(body, klass):
        return TestClassKind.UNITTEST
    if not naming.is_test_class(klass.name):
        return None if _plain(body, klass) else TestClassKind.UNITTEST
    return TestClassKind.PYTEST if _plain(body, klass) else TestClassKind.EITHER


def collected_methods(
    body: Sequence[ast.stmt], klass: ast.ClassDef, naming: TestNaming
) -> list[Function]:
    """The test methods ``klass`` defines itself, in order, as pytest collects them."""
    kind = class_collection(body, klass, naming)
    if kind is None:
        return []
    return [
        member
        for member in klass.body
        if _is_function(member)
        and (
            (kind is not TestClassKind.PYTEST and member.name.startswith(_UNITTEST_PREFIX))
            or (kind is not TestClassKind.UNITTEST and naming.is_test_function(member.name))
        )
    ]


def is_test_case(body: Sequence[ast.stmt], klass: ast.ClassDef) -> bool:
    """Whether ``klass`` derives from a ``...TestCase`` class (through classes of the module
    whose statements are ``body``)."""
    return any(_is_test_case_base(base) for base in class_bases(body, klass))


def local_classes(body: Sequence[ast.stmt]) -> dict[str, ast.ClassDef]:
    """The module-level classes by name (the last definition of a name wins, as in Python)."""
    return {statement.name: statement for statement in body if isinstance(statement, ast.ClassDef)}


def _plain(body: Sequence[ast.stmt], klass: ast.ClassDef) -> bool:
    """Whether every base of ``klass`` is ``object`` or a class of this module: it is no
    ``unittest.TestCase`` unless :func:`is_test_case` says so."""
    classes = local_classes(body)
    return all(name in classes or name in _PLAIN_BASES for name in class_bases(body, klass))


def class_bases(body: Sequence[ast.stmt], klass: ast.ClassDef) -> Iterator[str]:
    """The dotted names of ``klass``'s bases and, for bases defined in this module, theirs."""
    classes = local_classes(body)
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
    """The bases written in ``klass``'s header (keywords such as ``metaclass=`` aside)."""
    return [ast.unparse(base) for base in klass.bases]


def _is_test_case_base(name: str) -> bool:
    return name.rpartition(".")[2].endswith(_TEST_CASE_SUFFIX)


def _item(
    node: Function,
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


def _is_function(node: ast.stmt) -> TypeGuard[Function]:
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)


def _parameters(node: Function) -> list[str]:
    arguments = node.args
    return [
        argument.arg
        for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
    ]

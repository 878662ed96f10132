"""Patch targets built from parts: ``f'{__name__}.helper'``, ``BASE + '.charge'``, ``TARGET``.

A target is *built* when, instead of one string literal, it is an expression of string
literals, the module's own ``__name__``, an imported module's ``__name__``
(``pricing.__name__``, qualified later through the project) and the module's string
constants, joined with ``+``
or in an f-string. A string constant is a name assigned exactly once in the whole module, by a
top-level ``NAME = <built string>``; a name bound anywhere else too (a parameter, a loop
variable, a second assignment, ``global``) could hold anything, so it makes the target
unknown, like a call or an attribute does.

The module's bindings are counted only when a target needs them, once per module.
"""

from __future__ import annotations

import ast
from collections import Counter

from mockls.analysis.model import TargetPart
from mockls.syntax.source_text import SourceText
from mockls.syntax.tree import dotted_parts

_MODULE_NAME = "__name__"
_MAX_DEPTH = 32
"""How deep a target expression or a chain of constants is followed."""


class BuiltTargets:
    """Reads target expressions of one module into :class:`TargetPart` tuples."""

    __slots__ = ("_binding_counts", "_constants", "_resolving", "_source", "_statements")

    def __init__(self, statements: list[ast.stmt], source: SourceText) -> None:
        self._statements = statements
        self._source = source
        self._binding_counts: Counter[str] | None = None
        self._constants: dict[str, tuple[TargetPart, ...] | None] = {}
        self._resolving: set[str] = set()

    def parts(self, node: ast.expr) -> tuple[TargetPart, ...] | None:
        """The parts of a built target, or ``None`` when ``node`` is not one.

        A plain string literal is not a built target (the patch site's ``target`` holds it).
        """
        if isinstance(node, ast.Constant):
            return None
        return self._parts(node, 0)

    def _parts(self, node: ast.expr, depth: int) -> tuple[TargetPart, ...] | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, ast.Constant):
            if not isinstance(node.value, str):
                return None
            return (TargetPart(node.value, self._source.string_contents_span(node)),)
        if isinstance(node, ast.Name):
            return self._name(node.id, depth)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self._parts(node.left, depth + 1)
            right = self._parts(node.right, depth + 1) if left is not None else None
            return None if left is None or right is None else left + right
        if isinstance(node, ast.JoinedStr):
            return self._formatted(node, depth)
        if isinstance(node, ast.Attribute) and node.attr == _MODULE_NAME:
            # ``pricing.__name__``: an imported module's name, bound once (by its import)
            owner = dotted_parts(node.value)
            if owner is not None and self._counts()[owner[0]] == 1:
                return (TargetPart("", name_of=".".join(owner)),)
        return None

    def _formatted(self, node: ast.JoinedStr, depth: int) -> tuple[TargetPart, ...] | None:
        parts: list[TargetPart] = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                # Literal pieces of an f-string have no position of their own before Python
                # 3.12, and may hold ``{{``: they are not edited in place.
                parts.append(TargetPart(value.value))
            elif (
                isinstance(value, ast.FormattedValue)
                and value.conversion == -1
                and value.format_spec is None
            ):
                inner = self._parts(value.value, depth + 1)
                if inner is None:
                    return None
                parts.extend(inner)
            else:  # !r, !s or a format spec: not a plain string any more
                return None
        return tuple(parts)

    def _name(self, name: str, depth: int) -> tuple[TargetPart, ...] | None:
        counts = self._counts()
        if name == _MODULE_NAME:
            return (TargetPart("", is_module_name=True),) if counts[name] == 0 else None
        if counts[name] != 1:
            return None
        if name in self._constants:
            return self._constants[name]
        if name in self._resolving:  # A = B; B = A
            return None
        self._resolving.add(name)
        try:
            value = self._constant_value(name)
            parts = None if value is None else self._parts(value, depth + 1)
        finally:
            self._resolving.discard(name)
        self._constants[name] = parts
        return parts

    def _constant_value(self, name: str) -> ast.expr | None:
        """The value of a top-level ``name = value`` (or ``name: T = value``)."""
        for statement in self._statements:
            if (
                isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
                and statement.targets[0].id == name
            ):
                return statement.value
            if (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and statement.target.id == name
            ):
                return statement.value
        return None

    def _counts(self) -> Counter[str]:
        if self._binding_counts is None:
            self._binding_counts = _binding_counts(self._statements)
        return self._binding_counts


def _binding_counts(statements: list[ast.stmt]) -> Counter[str]:
    """How many times each name is bound anywhere in the module (any scope, any way)."""
    counts: Counter[str] = Counter()
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name):
                if not isinstance(node.ctx, ast.Load):
                    counts[node.id] += 1
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                counts[node.name] += 1
            elif isinstance(node, ast.arg):
                counts[node.arg] += 1
            elif isinstance(node, ast.alias):
                counts[(node.asname or node.name).split(".")[0]] += 1
            elif isinstance(node, ast.Global | ast.Nonlocal):
                counts.update(node.names)
            elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
                counts[node.name] += 1
            elif isinstance(node, ast.MatchMapping) and node.rest:
                counts[node.rest] += 1
    return counts

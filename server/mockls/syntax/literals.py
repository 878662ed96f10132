"""Numbers read from syntax trees as :func:`ast.literal_eval` reads them, without calling it.

``literal_eval``'s nested functions refer to each other, so each call leaves a reference cycle
behind for the cyclic garbage collector; the analysis of a big module called it thousands of
times. What is read here is freed by reference counting alone.
"""

from __future__ import annotations

import ast

__all__ = ["literal_number"]

Number = int | float | complex


def literal_number(node: ast.expr) -> Number | None:
    """The value of a number literal as ``literal_eval`` reads it: ``1``, ``-2.5``, ``+3j``,
    ``1 - 2j``; ``None`` for anything else (``True`` is no number here, as there)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
        operand = _unsigned_number(node.operand)
        if operand is None:
            return None
        return +operand if isinstance(node.op, ast.UAdd) else -operand
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
        # Only a real number and an imaginary one: literal_eval's complex literals.
        left = None if isinstance(node.left, ast.BinOp) else literal_number(node.left)
        right = _unsigned_number(node.right)
        if left is None or isinstance(left, complex) or not isinstance(right, complex):
            return None
        return left + right if isinstance(node.op, ast.Add) else left - right
    return _unsigned_number(node)


def _unsigned_number(node: ast.expr) -> Number | None:
    value = node.value if isinstance(node, ast.Constant) else None
    if isinstance(value, int | float | complex) and not isinstance(value, bool):
        return value
    return None

"""One source text as the refactorings read it: its syntax tree with code-point spans, its lines
with their breaks and indentation, its comments, and the lines that lie inside string literals.

Nothing here changes text; the refactorings build their edits from these facts.
"""

from __future__ import annotations

import ast
import bisect
import tokenize
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from mockls.spans import LineIndex, Position, Span
from mockls.syntax.lines import BOM, split_lines_keeping_breaks

__all__ = [
    "Comment",
    "SyntaxTree",
    "child_blocks",
    "dotted_parts",
    "module_level_names",
    "walk_names",
]


@dataclass(frozen=True, slots=True)
class Comment:
    """A ``# ...`` comment: where it starts and its text up to the end of the line."""

    line: int
    character: int
    text: str
    own_line: bool
    """Whether only whitespace precedes it on its line."""


class SyntaxTree:
    """A parsed module (see :meth:`of_statements`) with the conversions refactorings need.

    Lines are 0-based and end at ``\\r\\n``, ``\\r`` or ``\\n``, as in the rest of mockls.
    """

    __slots__ = ("_comments", "_index", "_shift", "_starts", "breaks", "lines", "module", "text")

    def __init__(self, text: str, module: ast.Module, first_line_shift: int) -> None:
        self.text = text
        self.module = module
        self.lines, self.breaks = split_lines_keeping_breaks(text)
        self._index = LineIndex(text[first_line_shift:])
        self._shift = first_line_shift
        self._starts = [_first_line(statement) for statement in module.body]
        self._comments: dict[int, list[Comment] | None] = {}

    @classmethod
    def of_statements(cls, text: str, statements: list[ast.stmt]) -> SyntaxTree:
        """The tree of ``text``, which parsed cleanly into ``statements`` (as
        :func:`~mockls.syntax.recovery.recover_module` gives them)."""
        shift = 1 if text.startswith(BOM) else 0
        return cls(text, ast.Module(body=statements, type_ignores=[]), shift)

    # --- lines --------------------------------------------------------------------------------

    @property
    def newline(self) -> str:
        """The line break new lines get: the file's first one (``\\n`` for a one-line file)."""
        return next((item for item in self.breaks if item), "\n")

    def line(self, number: int) -> str:
        """The text of 0-based line ``number`` without its break ('' past the end)."""
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    def indentation(self, number: int) -> str:
        """The whitespace line ``number`` starts with."""
        text = self.line(number)
        return text[: len(text) - len(text.lstrip(" \t\f"))]

    def is_blank(self, number: int) -> bool:
        """Whether line ``number`` holds nothing but whitespace."""
        return not self.line(number).strip()

    def end_of_line(self, number: int) -> Position:
        """The position just before line ``number``'s break."""
        return Position(number, len(self.line(number)))

    # --- nodes --------------------------------------------------------------------------------

    def start(self, node: ast.AST) -> Position:
        """Where a node with a position starts."""
        return self.span(node).start

    def span(self, node: ast.AST) -> Span:
        """The code-point span of a node with a position."""
        lineno: int = getattr(node, "lineno", 1)
        end_lineno: int = getattr(node, "end_lineno", None) or lineno
        col: int = getattr(node, "col_offset", 0)
        end_col: int = getattr(node, "end_col_offset", None) or col
        found = self._index.span(lineno, col, end_lineno, end_col)
        if not self._shift:
            return found
        start, end = found.start, found.end
        if start.line == 0:
            start = Position(0, start.character + self._shift)
        if end.line == 0:
            end = Position(0, end.character + self._shift)
        return Span(start, end)

    def text_of(self, span: Span) -> str:
        """The text in ``span``, with the line breaks it holds."""
        start, end = span.start, span.end
        if start.line == end.line:
            return self.line(start.line)[start.character : end.character]
        parts = [self.line(start.line)[start.character :], self.breaks[start.line]]
        for number in range(start.line + 1, end.line):
            parts.extend((self.line(number), self.breaks[number]))
        parts.append(self.line(end.line)[: end.character])
        return "".join(parts)

    def source(self, node: ast.AST) -> str:
        """The text a node was parsed from."""
        return self.text_of(self.span(node))

    def path_to(self, line: int) -> list[ast.stmt]:
        """The statements that hold ``line``, outermost first (decorators count as their
        definition's lines; a line between statements belongs to none of them)."""
        path: list[ast.stmt] = []
        statements: Sequence[ast.stmt] = self.module.body
        starts: Sequence[int] = self._starts
        while statements:
            index = bisect.bisect_right(starts, line) - 1
            if index < 0:
                break
            statement = statements[index]
            if line > _last_line(statement):
                break
            path.append(statement)
            inner = next(
                (
                    block
                    for block in child_blocks(statement)
                    if _first_line(block[0]) <= line <= _last_line(block[-1])
                ),
                None,
            )
            if inner is None:
                break
            statements = inner
            starts = [_first_line(child) for child in statements]
        return path

    def first_line(self, statement: ast.stmt) -> int:
        """The 0-based first line of a statement, its decorators included."""
        return _first_line(statement)

    def last_line(self, statement: ast.stmt) -> int:
        """The 0-based last line of a statement."""
        return _last_line(statement)

    # --- comments and strings -----------------------------------------------------------------

    def comments(self, first: int, last: int) -> list[Comment] | None:
        """The comments on lines ``first`` to ``last``; ``None`` when they cannot be read."""
        found: list[Comment] = []
        index = max(bisect.bisect_right(self._starts, first) - 1, 0)
        while index < len(self._starts) and self._region(index)[0] <= last:
            region = self._region_comments(index)
            if region is None:
                return None
            found.extend(comment for comment in region if first <= comment.line <= last)
            index += 1
        if not self._starts:
            region = self._tokenized_comments(0, len(self.lines) - 1)
            if region is None:
                return None
            found.extend(comment for comment in region if first <= comment.line <= last)
        return found

    def string_lines(self, node: ast.AST) -> frozenset[int]:
        """The lines inside ``node`` that continue a string literal begun on an earlier line:
        their text, indentation included, belongs to the string and must not change."""
        inside: set[int] = set()
        for child in ast.walk(node):
            if isinstance(child, ast.JoinedStr) or (
                isinstance(child, ast.Constant) and isinstance(child.value, str | bytes)
            ):
                span = self.span(child)
                inside.update(range(span.start.line + 1, span.end.line + 1))
        return frozenset(inside)

    def top_level_lines(self, line: int) -> tuple[int, int]:
        """The lines of the top-level statement that holds ``line``, with the comments and
        blank lines up to the next one (lines before the first statement count as its)."""
        if not self._starts:
            return 0, len(self.lines) - 1
        index = max(bisect.bisect_right(self._starts, line) - 1, 0)
        first, last = self._region(index)
        return min(first, line), last

    def _region(self, index: int) -> tuple[int, int]:
        """The lines of top-level statement ``index`` and of the comments up to the next one."""
        first = self._starts[index]
        if index + 1 < len(self._starts):
            return first, self._starts[index + 1] - 1
        return first, len(self.lines) - 1

    def _region_comments(self, index: int) -> list[Comment] | None:
        if index not in self._comments:
            self._comments[index] = self._tokenized_comments(*self._region(index))
        return self._comments[index]

    def _tokenized_comments(self, first: int, last: int) -> list[Comment] | None:
        lines = iter([f"{self.line(number)}\n" for number in range(first, last + 1)])
        found: list[Comment] = []
        try:
            for token in tokenize.generate_tokens(lambda: next(lines, "")):
                if token.type == tokenize.COMMENT:
                    line = first + token.start[0] - 1
                    column = token.start[1]
                    own_line = not self.line(line)[:column].strip()
                    found.append(Comment(line, column, token.string, own_line))
        except (tokenize.TokenError, SyntaxError):
            return None
        return found


def child_blocks(statement: ast.stmt) -> Iterator[list[ast.stmt]]:
    """The blocks of statements a compound statement holds (bodies, branches, handlers)."""
    for name in ("body", "orelse", "finalbody"):
        block = getattr(statement, name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            yield block
    for handler in getattr(statement, "handlers", ()):
        yield handler.body
    for case in getattr(statement, "cases", ()):
        yield case.body


def module_level_names(tree: SyntaxTree) -> set[str]:
    """The names the module binds at its top level (definitions, imports, assignments)."""
    names: set[str] = set()
    for statement in tree.module.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(statement.name)
        elif isinstance(statement, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in statement.names)
        elif isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                names.update(node.id for node in ast.walk(target) if isinstance(node, ast.Name))
    return names


def dotted_parts(node: ast.expr) -> list[str] | None:
    """``a.b.c`` as ``['a', 'b', 'c']``; ``None`` for anything but names and attributes."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    parts.reverse()
    return parts


def walk_names(node: ast.AST) -> Iterator[ast.Name]:
    """Every ``Name`` under ``node`` (``node`` included)."""
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            yield child


def _first_line(statement: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(statement, "decorator_list", [])
    lines = [statement.lineno, *(decorator.lineno for decorator in decorators)]
    return min(lines) - 1


def _last_line(statement: ast.stmt) -> int:
    return (statement.end_lineno or statement.lineno) - 1

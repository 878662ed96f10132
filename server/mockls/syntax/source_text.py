"""Source text as the analysis reads it: sanitized for :mod:`ast`, with spans and texts of nodes."""

from __future__ import annotations

import ast
import re

from mockls.spans import LineIndex, Position, Span
from mockls.syntax.lines import BOM, split_lines

_DEF_KEYWORD = re.compile(r"(?:async\s+)?def\s+")


def sanitize(source: str) -> tuple[str, str | None, int]:
    """Text :func:`ast.parse` accepts with the same lines and code-point columns as ``source``.

    Null bytes become spaces and lone surrogates (which cannot be encoded as UTF-8) question
    marks; a leading byte-order mark is dropped, and the third item (1, else 0) says by how
    many code points the first line's columns must move to count it again. The second item
    says what was replaced that makes the source invalid Python, if anything.
    """
    text = source
    problem: str | None = None
    shift = 0
    if text.startswith(BOM):
        text = text[1:]
        shift = 1
    if "\0" in text:
        text = text.replace("\0", " ")
        problem = "source code cannot contain null bytes"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", errors="replace").decode("utf-8")
        problem = problem or "source code contains characters that are not valid Unicode"
    return text, problem, shift


def _is_identifier_character(character: str) -> bool:
    return ("a" + character).isidentifier()


class SourceText:
    """The sanitized text of a module with the conversions the builder needs.

    ``first_line_shift`` counts a byte-order mark the parser did not see: positions on the
    first line move right by it, and the first line's text starts with it again.
    """

    __slots__ = ("_shift", "index", "lines")

    def __init__(self, text: str, first_line_shift: int = 0) -> None:
        self.lines = split_lines(text)
        self.index = LineIndex(text)
        self._shift = first_line_shift
        if first_line_shift:
            self.lines[0] = BOM * first_line_shift + self.lines[0]

    def line(self, line: int) -> str:
        """The text of 0-based ``line`` ('' past the end)."""
        return self.lines[line] if 0 <= line < len(self.lines) else ""

    def character(self, line: int, utf8_column: int) -> int:
        """The code-point column of byte column ``utf8_column`` on 0-based ``line``."""
        column = self.index.character(line, utf8_column)
        return column + self._shift if line == 0 else column

    def start(self, node: ast.AST) -> Position:
        """Where a node that carries positions starts."""
        line: int = getattr(node, "lineno", 1) - 1
        return Position(line, self.character(line, getattr(node, "col_offset", 0)))

    def span(self, node: ast.AST) -> Span:
        """The span of a node that carries positions (expressions, statements, args, aliases)."""
        lineno: int = getattr(node, "lineno", 1)
        end_lineno: int | None = getattr(node, "end_lineno", None)
        col: int = getattr(node, "col_offset", 0)
        end_col: int | None = getattr(node, "end_col_offset", None)
        if end_lineno is None or end_col is None:
            end_lineno, end_col = lineno, col
        return Span.of(
            lineno - 1,
            self.character(lineno - 1, col),
            end_lineno - 1,
            self.character(end_lineno - 1, end_col),
        )

    def text(self, node: ast.AST) -> str:
        """The source text a node was parsed from (lines joined with ``\\n``)."""
        span = self.span(node)
        return self.text_of(span)

    def text_of(self, span: Span) -> str:
        """The text covered by ``span``."""
        start, end = span.start, span.end
        if start.line == end.line:
            return self.line(start.line)[start.character : end.character]
        parts = [self.line(start.line)[start.character :]]
        parts.extend(self.line(number) for number in range(start.line + 1, end.line))
        parts.append(self.line(end.line)[: end.character])
        return "\n".join(parts)

    def identifier_at(self, line: int, character: int, name: str) -> Span:
        """The span of the identifier ``name`` written from (``line``, ``character``) on.

        The parser normalizes identifiers (NFKC), so the written name can be longer or shorter
        than ``name``; the span follows the characters actually written.
        """
        text = self.line(line)
        if text[character : character + len(name)] == name:  # written as parsed: most names
            return Span.of(line, character, line, character + len(name))
        end = character
        while end < len(text) and _is_identifier_character(text[end]):
            end += 1
        if end == character:
            end = character + len(name)
        return Span.of(line, character, line, end)

    def identifier_before(self, line: int, character: int, name: str) -> Span:
        """The span of the identifier ``name`` written up to (``line``, ``character``)."""
        text = self.line(line)
        if character >= len(name) and text[character - len(name) : character] == name:
            return Span.of(line, character - len(name), line, character)
        start = character
        while start > 0 and _is_identifier_character(text[start - 1]):
            start -= 1
        if start == character:
            start = max(0, character - len(name))
        return Span.of(line, start, line, character)

    def attribute_name_span(self, node: ast.Attribute) -> Span:
        """The span of the attribute name alone in ``value.name``."""
        end = self.span(node).end
        return self.identifier_before(end.line, end.character, node.attr)

    def function_name_span(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Span:
        """The span of the name in ``def name(...)``."""
        start = self.start(node)
        match = _DEF_KEYWORD.match(self.line(start.line), start.character)
        column = match.end() if match else start.character
        return self.identifier_at(start.line, column, node.name)

    def name_span(self, node: ast.AST, name: str) -> Span:
        """The span of ``name`` written at the start of ``node`` (a parameter or keyword)."""
        start = self.start(node)
        return self.identifier_at(start.line, start.character, name)

    def string_contents_span(self, node: ast.expr) -> Span | None:
        """The span inside the quotes of a plain single-line string literal, else ``None``.

        Plain means one literal, no escapes, not an f-string: the characters between the
        quotes are exactly the string's value, so an edit there renames just the value.
        """
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            return None
        span = self.span(node)
        if span.start.line != span.end.line:
            return None
        written = self.text_of(span)
        prefix_length = 0
        while prefix_length < len(written) and written[prefix_length] in "rRuU":
            prefix_length += 1
        body = written[prefix_length:]
        for quote in ('"""', "'''", '"', "'"):
            if (
                len(body) >= 2 * len(quote)
                and body.startswith(quote)
                and body.endswith(quote)
                and body[len(quote) : len(body) - len(quote)] == node.value
            ):
                start = span.start.character + prefix_length + len(quote)
                return Span.of(
                    span.start.line, start, span.end.line, span.end.character - len(quote)
                )
        return None

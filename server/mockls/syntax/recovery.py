"""Parsing that never fails: the statements of a module, recovered around syntax errors.

A half-typed line is the normal state of a file in an editor, so when the module does not
parse, the parser is helped along in bounded steps that keep every line number (and every
column of the lines kept) as written:

1. *repair*: the line the error points at is replaced with ``pass`` (or ``if True:`` when an
   indented block follows it) and the text parsed again, a few times;
2. *split*: the text is cut into chunks at its outermost indentation (top-level statements,
   or the members of a class body) and each chunk recovered on its own;
3. *descend*: a single broken compound statement (``class``, ``def``, ``with``, ...) keeps its
   header and gets its body recovered member by member.

Whatever still does not parse is left out.
"""

from __future__ import annotations

import ast
import re
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from mockls.syntax.collector import paused
from mockls.syntax.lines import split_lines, split_lines_keeping_breaks
from mockls.syntax.source_text import SourceText, sanitize

__all__ = [
    "RecoveredModule",
    "describe_parse_failure",
    "parse_module",
    "recover_module",
]

_PARSE_FAILURES = (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError)

_MAX_DEPTH = 8
"""How many times a region may be split or descended into."""

_REPAIR_BUDGET_LINES = 40_000
"""Repair attempts on a region are bounded so that they parse about this many lines in all."""

_MAX_REPAIRS = 8

_MAX_HEADER_LINES = 40

_CONTINUATION = re.compile(r"(?:else|elif|except|finally)\b|[)\]}]")
"""Line starts that continue the statement above them rather than start a new one."""

_WRAPPER = "if True:"

_WARNINGS_LOCK = threading.Lock()
_PARSE_ATTEMPTS = 3

PIECE_CHARACTERS = 1 << 17
"""A text longer than this (128 Ki characters) may be parsed in pieces of whole top-level
statements of about this size, with a pause between two: one ``ast.parse`` of a module of
megabytes holds the interpreter's lock for seconds, stopping every other thread."""

_PIECE_RETRIES = 2
"""Pieces that fail in a row before the whole text is parsed in one go instead."""

_MISSING_BLOCK = re.compile(r"expected an indented block after .* on line (\d+)")

_ErrorPlace = tuple[int, bool]
"""A 0-based line to repair, and whether the error is an empty block after that line."""

_Compound = (
    ast.FunctionDef
    | ast.AsyncFunctionDef
    | ast.ClassDef
    | ast.With
    | ast.AsyncWith
    | ast.For
    | ast.AsyncFor
    | ast.While
    | ast.If
    | ast.Try
)
_COMPOUND = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.With,
    ast.AsyncWith,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.If,
    ast.Try,
)
"""Statements with a ``body`` the recovery can fill."""


@dataclass(frozen=True, slots=True)
class RecoveredModule:
    """A module's text as the analysis reads it: sanitized, parsed around its syntax errors.

    ``problem`` says why the text is not valid Python (the parser's message, else what
    sanitizing replaced), ``None`` when it is.
    """

    source: SourceText
    statements: list[ast.stmt]
    problem: str | None


def recover_module(text: str, between_pieces: Callable[[], None] | None = None) -> RecoveredModule:
    """``text`` sanitized and parsed, recovering around syntax errors; never raises (but
    for what ``between_pieces`` raises: see :func:`parse_module`)."""
    sanitized, problem, first_line_shift = sanitize(text)
    # A large module's tree is millions of objects, none of them garbage until the end:
    # collecting cycles meanwhile only walks them again and again.
    with paused():
        statements, error = parse_module(sanitized, between_pieces)
    return RecoveredModule(SourceText(sanitized, first_line_shift), statements, error or problem)


def let_others_run() -> None:
    """A pause between pieces that only lets other threads take the interpreter's lock (for
    work that may hold a lock others wait for, where it must neither wait nor stop)."""
    time.sleep(0)


def parse_module(
    text: str, between_pieces: Callable[[], None] | None = None
) -> tuple[list[ast.stmt], str | None]:
    """The module's statements and, when it did not parse cleanly, what the parser said.

    With ``between_pieces``, a text over :data:`PIECE_CHARACTERS` is parsed in pieces and
    ``between_pieces`` is called between two (to let other threads run, or to raise when the
    parse is no longer wanted); the statements are the same as in one go.
    """
    if between_pieces is not None and len(text) > PIECE_CHARACTERS:
        statements = _parse_in_pieces(text, between_pieces)
        if statements is not None:
            return statements, None
    try:
        return parse_quietly(text).body, None
    except _PARSE_FAILURES as error:
        message = describe_parse_failure(error)
        place = _error_place(error, 0)
    lines = split_lines(text)
    try:
        return _recover(lines, 0, len(lines), 0, place), message
    except RecursionError:
        return [], message


def parse_quietly(text: str) -> ast.Module:
    """:func:`ast.parse`, one call at a time, without its warnings (``invalid escape
    sequence``, ``is`` with a literal, ...): they are about the user's code, and under
    ``-W error`` they would raise.

    The warning filters are global, so changing them is serialized; parsing holds the GIL
    anyway, so the lock costs no parallelism. Serializing also keeps CPython 3.11's
    ``SystemError: AST constructor recursion depth mismatch`` away (gh-106905: ``ast.parse``
    from several threads); should it happen all the same, the parse is tried again.
    """
    for attempt in range(_PARSE_ATTEMPTS):
        try:
            with _WARNINGS_LOCK, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ast.parse(text)
        except SystemError:
            if attempt == _PARSE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _parse_in_pieces(text: str, between_pieces: Callable[[], None]) -> list[ast.stmt] | None:
    """The statements of ``text`` parsed piece by piece; ``None`` when a piece does not parse.

    Pieces are cut where :func:`_chunks` cuts, at lines written at the outermost indentation.
    A cut inside a string, brackets or a continued line leaves a piece that cannot parse, so
    every piece parsing means every cut fell between statements. A piece that does not parse
    is parsed again with the next one; after :data:`_PIECE_RETRIES` failures in a row (a
    syntax error, most likely) the caller parses the whole text instead. Each piece is parsed
    after as many blank lines as precede it, so that its line numbers are the whole text's.
    """
    lines, breaks = split_lines_keeping_breaks(text)
    if not any(_is_code(line) for line in lines):
        return None
    statements: list[ast.stmt] = []
    piece_start = 0
    size = 0
    failures = 0
    chunks = _chunks(lines, 0, len(lines))
    for index, (start, end) in enumerate(chunks):
        size += sum(len(line) + 1 for line in lines[start:end])
        if size < PIECE_CHARACTERS and index < len(chunks) - 1:
            continue
        piece = "".join(
            line + brk
            for line, brk in zip(lines[piece_start:end], breaks[piece_start:end], strict=True)
        )
        try:
            statements.extend(parse_quietly("\n" * piece_start + piece).body)
        except _PARSE_FAILURES:
            failures += 1
            if failures > _PIECE_RETRIES or index == len(chunks) - 1:
                return None
            size = 0  # parsed again with the next piece
            continue
        piece_start, size, failures = end, 0, 0
        between_pieces()
    return statements


def describe_parse_failure(error: BaseException) -> str:
    """A one-line message for a failed parse, with its 1-based line when known."""
    if isinstance(error, SyntaxError):
        message = error.msg or "invalid syntax"
        return f"{message} (line {error.lineno})" if error.lineno else message
    if isinstance(error, RecursionError | MemoryError):
        return "source code is nested too deeply to parse"
    return str(error) or type(error).__name__


def _recover(
    lines: list[str], start: int, end: int, depth: int, error: _ErrorPlace | None = None
) -> list[ast.stmt]:
    """The statements of ``lines[start:end]`` (line numbers as in the whole text).

    ``error`` is where a parse of exactly this region already failed, if known.
    """
    if not any(_is_code(lines[number]) for number in range(start, end)):
        return []
    region = lines[start:end]
    body = _parse_with_repairs(region, start, error)
    if body is not None or depth >= _MAX_DEPTH:
        return body or []
    chunks = _chunks(lines, start, end)
    if len(chunks) > 1:
        statements: list[ast.stmt] = []
        for chunk_start, chunk_end in chunks:
            statements.extend(_recover(lines, chunk_start, chunk_end, depth + 1))
        return statements
    return _recover_compound(lines, start, end, depth)


def _parse_with_repairs(
    region: list[str], offset: int, error: _ErrorPlace | None
) -> list[ast.stmt] | None:
    attempts = max(1, min(_MAX_REPAIRS, _REPAIR_BUDGET_LINES // max(1, len(region))))
    repaired: set[int] = set()
    for attempt in range(attempts + 1):
        if attempt or error is None:
            body, error = _parse_region(region, offset)
            if body is not None:
                return body
        if error is None:
            return None
        number, block_missing = error
        if number in repaired or not 0 <= number < len(region):
            return None
        repaired.add(number)
        header = region[number].rstrip()
        if block_missing and header.endswith(":"):
            region[number] = header + " pass"  # ``with patch(...) as m:`` typed, body not yet
        else:
            region[number] = _replacement(region, number)
    return None


def _parse_region(
    region: list[str], offset: int
) -> tuple[list[ast.stmt] | None, _ErrorPlace | None]:
    """Parse lines that start at 0-based line ``offset``; on failure, where the error is."""
    indented = _first_code_indent(region) > 0
    text = "\n".join([_WRAPPER, *region] if indented else region)
    shift = 1 if indented else 0
    try:
        tree = parse_quietly(text)
    except _PARSE_FAILURES as error:
        return None, _error_place(error, shift)
    body = tree.body
    if indented:
        wrapper = body[0] if len(body) == 1 else None
        if not isinstance(wrapper, ast.If):
            return None, None
        body = wrapper.body
    if offset != shift:
        for statement in body:
            ast.increment_lineno(statement, offset - shift)
    return body, None


def _error_place(error: BaseException, shift: int) -> _ErrorPlace | None:
    """Where a parse failure points, in the region's own 0-based numbering.

    A block left empty is placed on its header line (the parser points past it).
    """
    if not isinstance(error, SyntaxError) or error.lineno is None:
        return None
    missing = _MISSING_BLOCK.match(error.msg or "")
    if missing is not None:
        return int(missing.group(1)) - 1 - shift, True
    return error.lineno - 1 - shift, False


def _replacement(region: list[str], number: int) -> str:
    """What replaces a broken line: ``pass``, or an opener when an indented block follows."""
    text = region[number]
    indent = text[: len(text) - len(text.lstrip())]
    following = next((line for line in region[number + 1 :] if _is_code(line)), None)
    if following is not None and _indent_of(following) > len(indent):
        return indent + _WRAPPER
    return indent + "pass"


def _chunks(lines: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """Cut a region at the lines written at its outermost indentation."""
    outermost = min(_indent_of(lines[n]) for n in range(start, end) if _is_code(lines[n]))
    chunks: list[tuple[int, int]] = []
    chunk_start = start
    after_decorator = False
    for number in range(start, end):
        line = lines[number]
        if not _is_code(line) or _indent_of(line) != outermost:
            continue
        stripped = line.lstrip()
        if number > chunk_start and not after_decorator and not _CONTINUATION.match(stripped):
            chunks.append((chunk_start, number))
            chunk_start = number
        after_decorator = stripped.startswith("@")
    chunks.append((chunk_start, end))
    return chunks


def _recover_compound(lines: list[str], start: int, end: int, depth: int) -> list[ast.stmt]:
    """Keep the header of one broken compound statement and recover its body."""
    header_end = _header_end(lines, start, end)
    if header_end is None or header_end + 1 >= end:
        return []
    body_start = header_end + 1
    header_lines = lines[start:body_start]
    outer_indent = lines[header_end][: _indent_of(lines[header_end])]
    body_indent = next(
        (line[: _indent_of(line)] for line in lines[body_start:end] if _is_code(line)),
        outer_indent + "    ",
    )
    placeholder = body_indent + "pass"
    compound = _parse_header(header_lines, placeholder, outer_indent, start)
    if compound is None:
        return []
    body = _recover(lines, body_start, end, depth + 1)
    if body:
        compound.body = body
        last = body[-1]
        compound.end_lineno = last.end_lineno
        compound.end_col_offset = last.end_col_offset
    return [compound]


def _parse_header(
    header_lines: list[str], placeholder: str, outer_indent: str, offset: int
) -> _Compound | None:
    candidates = (
        [*header_lines, placeholder],
        # ``try:`` needs a handler to parse.
        [*header_lines, placeholder, outer_indent + "finally:", placeholder],
    )
    for candidate in candidates:
        body, _ = _parse_region(candidate, offset)
        if body is not None and len(body) == 1 and isinstance(body[0], _COMPOUND):
            return body[0]
    return None


def _header_end(lines: list[str], start: int, end: int) -> int | None:
    """The last line of the header (decorators, ``def ...:``) that opens the region's block."""
    for number in range(start, min(end, start + _MAX_HEADER_LINES)):
        line = lines[number]
        if _is_code(line) and not line.lstrip().startswith("@") and _opens_block(line):
            return number
    return None


def _opens_block(line: str) -> bool:
    code = line.rstrip()
    if code.endswith(":"):
        return True
    if "#" in code:
        return code[: code.rindex("#")].rstrip().endswith(":")
    return False


def _is_code(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip())


def _first_code_indent(region: list[str]) -> int:
    return next((_indent_of(line) for line in region if _is_code(line)), 0)

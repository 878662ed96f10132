"""``# mockls: ignore`` and ``# mockls: ignore[code, ...]`` comments, by line."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator, Mapping

ALL_CODES: frozenset[str] = frozenset({"*"})
"""Stands for every code on a line with a bare ``# mockls: ignore``."""

_DIRECTIVE = re.compile(r"#\s*mockls:\s*ignore\b(?:\[(?P<codes>[^\]]*)\])?")


def suppressions(source: str) -> Mapping[int, frozenset[str]]:
    """The codes suppressed on each 0-based line; :data:`ALL_CODES` for a bare ignore.

    Only real comments count (not text inside strings); when the source does not tokenize,
    the lines read so far are kept and the rest are scanned as plain text.
    """
    found: dict[int, frozenset[str]] = {}
    if _DIRECTIVE.search(source) is None:
        return found  # the common case: no directive at all, no need to tokenize
    for line, comment in _comments(source):
        match = _DIRECTIVE.search(comment)
        if match is None:
            continue
        listed = match.group("codes")
        codes = (
            ALL_CODES
            if listed is None
            else frozenset(code.strip() for code in listed.split(",") if code.strip())
        )
        found[line] = found.get(line, frozenset()) | codes
    return found


def is_suppressed(table: Mapping[int, frozenset[str]], line: int, code: str) -> bool:
    """Whether ``code`` is silenced on 0-based ``line``."""
    codes = table.get(line)
    return codes is not None and (codes is ALL_CODES or "*" in codes or code in codes)


def _comments(source: str) -> Iterator[tuple[int, str]]:
    last_line = -1
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                last_line = token.start[0] - 1
                yield last_line, token.string
    except (tokenize.TokenError, SyntaxError, ValueError):
        # Broken code: fall back to a plain scan of the lines not yet tokenized.
        for number, text in enumerate(source.splitlines()):
            if number > last_line and "#" in text:
                yield number, text[text.index("#") :]

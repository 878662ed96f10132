"""A long text parsed in pieces gives exactly the tree of one parse, pausing between pieces;
where a cut would fall inside a statement, or the text is broken, the result is still the
one parse's."""

from __future__ import annotations

import ast

import pytest

from mockls.syntax.recovery import PIECE_CHARACTERS, parse_module

TEST = '''
@decorated
def test_{n}(m):
    """A docstring."""
    m.call(1)
    if m:
        pass
    else:
        pass
'''

TAILS = {
    "whole-statements": "",
    "a-string-with-column-0-code-lines": 'TEXT = """\n'
    + "class Inside:\n    pass\n" * 3000
    + '"""\n',
    "brackets-over-column-0-lines": "VALUES = [\n" + "1,\n" * 30000 + "]\n",
    "a-crlf-line-in-a-string": 'CR = """a\r\nb"""\n',
}


def long_text(tail: str) -> str:
    body = "".join(TEST.format(n=n) for n in range(PIECE_CHARACTERS * 3 // len(TEST) // 2))
    return f"import x\n{body}{tail}{body}"


def dumped(statements: list[ast.stmt]) -> str:
    return ast.dump(ast.Module(body=statements, type_ignores=[]), include_attributes=True)


@pytest.mark.parametrize("tail", TAILS.values(), ids=TAILS)
def test_pieces_give_the_tree_of_one_parse_with_pauses_between_them(tail: str) -> None:
    text = long_text(tail)
    pauses: list[None] = []
    statements, problem = parse_module(text, lambda: pauses.append(None))
    assert problem is None
    assert dumped(statements) == dumped(ast.parse(text).body)
    assert len(pauses) >= 2  # pieces of whole statements: a bad cut is retried with the next


def test_a_broken_long_text_is_recovered_as_in_one_parse() -> None:
    text = long_text("def broken(:\n    pass\n")
    statements, problem = parse_module(text, lambda: None)
    in_one_go, problem_in_one_go = parse_module(text)
    assert problem is not None
    assert (dumped(statements), problem) == (dumped(in_one_go), problem_in_one_go)


def test_a_short_text_is_parsed_in_one_go() -> None:
    pauses: list[None] = []
    parse_module(TEST.format(n=1), lambda: pauses.append(None))
    assert pauses == []

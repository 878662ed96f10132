"""Broken and odd input: a syntax error gives partial results, odd text never an exception."""

from __future__ import annotations

import textwrap

import pytest

from mockls.analysis.builder import build_model
from mockls.analysis.model import ModuleModel

HEADER = "from unittest.mock import patch, Mock\n"


def recovered(source: str) -> tuple[bool, list[tuple[str, str, int]]]:
    """Whether a syntax error was reported, and the uses found as (binding, chain, line)."""
    model = build_model(source)
    return model.syntax_error is not None, [
        (use.binding.name, ".".join(use.chain), use.span.start.line) for use in model.attribute_uses
    ]


BROKEN = [
    pytest.param(
        """\
        class T:
            def test_a(self):
                m = Mock()
                m.
            def test_b(self):
                n = Mock()
                n.assert_called_once()
        """,
        [("n", "assert_called_once", 7)],
        id="trailing-dot",
    ),
    pytest.param(
        """\
        class T:
            def test_a(self):
                m = Mock()
                m.assert_called_with(1,
            def test_b(self):
                n = Mock()
                n.assert_called_once()
        """,
        [("n", "assert_called_once", 7)],
        id="unclosed-call-before-the-next-method",
    ),
    pytest.param(
        """\
        @patch('a.b')
        def test_a(m_b
            m_b.first()
        def test_b():
            n = Mock()
            n.second()
        """,
        [("n", "second", 6)],
        id="unfinished-def-header",
    ),
    pytest.param(
        """\
        def test_a():
            with patch('a.b') as
                pass
            with patch('a.c') as m_c:
                m_c.kept()
        """,
        [("m_c", "kept", 5)],
        id="unfinished-with-item",
    ),
    pytest.param(
        """\
        class T:
            def test_a(self):
                with patch('a.b') as m_b:
            def test_b(self):
                m_b = Mock()
                m_b.kept()
        """,
        [("m_b", "kept", 6)],
        id="with-statement-typed-before-its-body",
    ),
    pytest.param(
        """\
        def test_a():
            m = Mock()
            m.before()
            \"\"\"an unterminated docstring
            m.after()
        """,
        [("m", "before", 3), ("m", "after", 5)],
        id="unterminated-string",
    ),
    pytest.param(
        """\
        def test_a():
            m = Mock()
            m.kept()
          m.badly_indented()
        def test_b():
            n = Mock()
            n.kept()
        """,
        [("m", "kept", 3), ("m", "badly_indented", 4), ("n", "kept", 7)],
        id="bad-dedent",
    ),
    pytest.param(
        """\
        def test_a():
            m = Mock()
            try:
                m.broken(
            except KeyError:
                pass
            m.kept()
        """,
        [("m", "kept", 7)],
        id="broken-line-in-try",
    ),
    pytest.param(
        """\
        )))
        def test_b():
            n = Mock()
            n.kept()
        x = = 1
        """,
        [("n", "kept", 4)],
        id="garbage-around-good-code",
    ),
]


@pytest.mark.parametrize(("body", "expected"), BROKEN)
def test_broken_code_gives_the_uses_around_the_error(
    body: str, expected: list[tuple[str, str, int]]
) -> None:
    assert recovered(HEADER + textwrap.dedent(body)) == (True, expected)


def test_a_block_typed_without_its_body_keeps_its_header() -> None:
    model = build_model(HEADER + "def test():\n    with patch('a.b') as m_b:\n")
    assert [(site.target, site.mock.name if site.mock else None) for site in model.patch_sites] == [
        ("a.b", "m_b")
    ]


def test_syntax_error_message_names_the_line() -> None:
    model = build_model("x = (\n")
    assert model.syntax_error == "'(' was never closed (line 1)"
    assert model.patch_sites == ()


ODD_TEXT = [
    pytest.param("", id="empty"),
    pytest.param("\n\n\n", id="blank-lines"),
    pytest.param("\0" * 10, id="null-bytes"),
    pytest.param("\ufeff" + HEADER, id="byte-order-mark"),
    pytest.param("x = '\ud800'\n", id="lone-surrogate"),
    pytest.param("\x0c\x0b\x1c\x1d\x1e\x85\u2028\u2029", id="unusual-line-breaks"),
    pytest.param("(" * 500, id="deep-parentheses"),
    pytest.param("-" * 100_000 + "1", id="deep-unary"),
    pytest.param("x = " + "+".join(["a"] * 50_000), id="long-binary-chain"),
    pytest.param("m" + ".a" * 20_000, id="long-attribute-chain"),
    pytest.param("f" + "()" * 20_000, id="long-call-chain"),
    pytest.param(
        "def f():\n" + "".join(" " * i + "if x:\n" for i in range(1, 120)), id="deep-blocks"
    ),
    pytest.param("\t\tdef f(:\n\t  pass\n  \tx", id="mixed-tabs"),
    pytest.param("\xff\xfe garbage \x00\x01", id="binary-looking"),
]


@pytest.mark.parametrize("source", ODD_TEXT)
def test_odd_text_never_raises(source: str) -> None:
    assert isinstance(build_model(source), ModuleModel)


def test_code_the_compiler_warns_about_is_analysed_without_warnings() -> None:
    # pytest runs with warnings as errors: a warning escaping the parser would fail here.
    model = build_model(
        HEADER + "x = '\\d'\ny = 1if x else 2\nz = x is 'a'\nm = Mock()\nm.kept()\n"
    )
    assert (model.syntax_error, [use.attribute for use in model.attribute_uses]) == (None, ["kept"])


def test_a_long_chain_of_local_base_classes_is_followed_only_so_far() -> None:
    classes = "".join(f"class C{n}(C{n - 1}):\n    a{n} = 1\n" for n in range(1, 2_000))
    source = HEADER + "class C0:\n    pass\n" + classes + "m = Mock(spec=C1999)\nm.x\n"
    model = build_model(source)
    assert (model.classes["C10"].complete, model.classes["C1999"].complete) == (True, False)
    assert [use.attribute for use in model.attribute_uses] == ["x"]


def test_long_chains_on_a_mock_are_analysed() -> None:
    model = build_model(HEADER + "m = Mock()\nm" + ".a" * 500 + "\n")
    assert len(model.attribute_uses) == 500


def test_null_bytes_are_reported_and_the_rest_analysed() -> None:
    model = build_model(HEADER + "m = Mock()\x00\nm.kept()\n")
    assert model.syntax_error == "source code cannot contain null bytes"
    assert [use.attribute for use in model.attribute_uses] == ["kept"]


LINE_ENDINGS = [
    pytest.param("\r\n", id="crlf"),
    pytest.param("\r", id="cr"),
    pytest.param("\n", id="lf"),
]


@pytest.mark.parametrize("ending", LINE_ENDINGS)
def test_positions_count_lines_like_python_and_lsp(ending: str) -> None:
    source = ending.join([HEADER.rstrip("\n"), "m = Mock()  # \x0c form feed", "m.kept()", ""])
    model = build_model(source)
    assert [
        (use.attribute, use.span.start.line, use.span.start.character)
        for use in model.attribute_uses
    ] == [("kept", 2, 2)]


def test_byte_order_mark_keeps_columns() -> None:
    model = build_model("\ufeff" + "from unittest.mock import patch; patch('a.b')\n")
    [site] = model.patch_sites
    assert site.target_span is not None
    assert site.target_span.start.character == 41  # after the mark itself

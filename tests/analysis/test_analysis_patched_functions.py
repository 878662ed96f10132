"""Patched functions: which parameter receives the mock of which patch decorator."""

from __future__ import annotations

import textwrap

from mockls.analysis.builder import build_model
from mockls.spans import Span


def patched(snippet: str) -> list[tuple[object, ...]]:
    """Each function as (name, parameters, [(target, parameter)], name span, parameters span)."""
    source = textwrap.dedent(snippet)
    lines = source.split("\n")

    def written(span: Span) -> str:
        assert span.start.line == span.end.line
        return (
            f"{lines[span.start.line][span.start.character : span.end.character]}@{span.start.line}"
        )

    return [
        (
            function.name,
            [parameter.name for parameter in function.parameters],
            [(site.target, parameter.name) for site, parameter in function.injected],
            written(function.name_span),
            written(function.parameters_span),
        )
        for function in build_model(source).patched_functions
    ]


def test_stacked_decorators_inject_bottom_most_first_after_self() -> None:
    assert patched(
        """\
        from unittest import mock
        class T:
            @mock.patch('a.first')
            @mock.patch.object(Shop, 'second')
            @mock.patch('a.third')
            def test(self, m_third, m_second, m_first):
                pass
        """
    ) == [
        (
            "test",
            ["self", "m_third", "m_second", "m_first"],
            [("a.third", "m_third"), ("second", "m_second"), ("a.first", "m_first")],
            "test@5",
            "self, m_third, m_second, m_first@5",
        )
    ]


def test_plain_functions_get_mocks_first_and_fixtures_after() -> None:
    assert patched(
        """\
        from unittest.mock import patch
        @patch('a.b')
        async def test_pytest_style(m_b, tmp_path, mocker):
            pass
        """
    ) == [
        (
            "test_pytest_style",
            ["m_b", "tmp_path", "mocker"],
            [("a.b", "m_b")],
            "test_pytest_style@2",
            "m_b, tmp_path, mocker@2",
        )
    ]


def test_decorators_that_inject_nothing_are_skipped() -> None:
    assert patched(
        """\
        from unittest.mock import patch
        class T:
            @patch('a.one')
            @patch.dict('os.environ', {'A': '1'})
            @patch('a.two', new=3)
            @patch.multiple('a', x=4)
            @patch('a.three')
            def test(self, m_three, m_one):
                pass
        """
    ) == [
        (
            "test",
            ["self", "m_three", "m_one"],
            [("a.three", "m_three"), ("a.one", "m_one")],
            "test@7",
            "self, m_three, m_one@7",
        )
    ]


def test_class_decorators_inject_after_method_decorators_into_test_methods_only() -> None:
    assert patched(
        """\
        from unittest.mock import patch
        @patch('a.outer')
        @patch('a.inner')
        class T:
            @patch('a.method')
            def test_one(self, m_method, m_inner, m_outer):
                pass

            def test_two(self, m_inner, m_outer):
                pass

            def helper(self, value):
                pass

            @staticmethod
            def test_static(m_inner, m_outer):
                pass
        """
    ) == [
        (
            "test_one",
            ["self", "m_method", "m_inner", "m_outer"],
            [("a.method", "m_method"), ("a.inner", "m_inner"), ("a.outer", "m_outer")],
            "test_one@5",
            "self, m_method, m_inner, m_outer@5",
        ),
        (
            "test_two",
            ["self", "m_inner", "m_outer"],
            [("a.inner", "m_inner"), ("a.outer", "m_outer")],
            "test_two@8",
            "self, m_inner, m_outer@8",
        ),
        (
            "test_static",
            ["m_inner", "m_outer"],
            [("a.inner", "m_inner"), ("a.outer", "m_outer")],
            "test_static@15",
            "m_inner, m_outer@15",
        ),
    ]


def test_fewer_parameters_than_mocks_pairs_what_it_can() -> None:
    assert patched(
        """\
        from unittest.mock import patch
        class T:
            @patch('a.one')
            @patch('a.two')
            def test_star(self, m_two, *mocks):
                pass

            @patch('a.three')
            def test_none(self):
                pass
        """
    ) == [
        ("test_star", ["self", "m_two"], [("a.two", "m_two")], "test_star@4", "self, m_two@4"),
    ]


def test_parameters_span_keeps_annotations_and_defaults() -> None:
    assert patched(
        """\
        from unittest.mock import patch, MagicMock
        class T:
            @patch('a.b')
            def test(self, m_b: MagicMock, flag: bool = True, *, key=None):
                pass
        """
    ) == [
        (
            "test",
            ["self", "m_b", "flag"],
            [("a.b", "m_b")],
            "test@3",
            "self, m_b: MagicMock, flag: bool = True@3",
        )
    ]


def test_no_patch_decorators_no_patched_function() -> None:
    assert (
        patched(
            """\
            import functools
            from unittest.mock import patch
            @functools.wraps(f)
            def test(self, m):
                with patch('a.b') as m:
                    pass
            """
        )
        == []
    )


def test_each_parameter_knows_its_whole_text_and_whether_it_has_a_default() -> None:
    source = textwrap.dedent(
        """\
        from unittest.mock import patch, MagicMock
        class T:
            @patch('a.b')
            def test(self, m_b: MagicMock, flag: bool = (
                    True), /, other=1):
                pass
        """
    )
    (function,) = build_model(source).patched_functions
    lines = source.split("\n")
    assert [
        (
            parameter.text,
            parameter.has_default,
            (parameter.extent.start.line, parameter.extent.start.character),
            lines[parameter.extent.end.line][: parameter.extent.end.character].endswith(
                parameter.text.split("\n")[-1]
            ),
        )
        for parameter in function.parameters
    ] == [
        ("self", False, (3, 13), True),
        ("m_b: MagicMock", False, (3, 19), True),
        # The extent ends with the default's node: its enclosing parentheses are not part of it.
        ("flag: bool = (\n            True", True, (3, 35), True),
        ("other=1", True, (4, 22), True),
    ]

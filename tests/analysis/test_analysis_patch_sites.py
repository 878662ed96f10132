"""Patch sites: every patch-family call, however mock was imported, with its use and spans."""

from __future__ import annotations

import textwrap

import pytest

from mockls.analysis.builder import build_model
from mockls.analysis.model import PatchSite
from mockls.spans import Span


def _at(source: str, span: Span | None) -> str | None:
    """A span as ``text@line:column``: what it covers and where it starts."""
    if span is None:
        return None
    lines = source.split("\n")
    start, end = span.start, span.end
    if start.line == end.line:
        text = lines[start.line][start.character : end.character]
    else:
        middle = lines[start.line + 1 : end.line]
        text = "\n".join(
            [lines[start.line][start.character :], *middle, lines[end.line][: end.character]]
        )
    return f"{text}@{start.line}:{start.character}"


def _site_view(source: str, site: PatchSite) -> tuple[object, ...]:
    return (
        site.kind.value,
        site.use.value,
        site.target,
        _at(source, site.target_span),
        site.target_object.text if site.target_object else None,
        site.patcher.name if site.patcher else None,
        site.mock.name if site.mock else None,
    )


def sites(snippet: str) -> list[tuple[object, ...]]:
    source = textwrap.dedent(snippet)
    return [_site_view(source, site) for site in build_model(source).patch_sites]


IMPORT_FORMS = [
    pytest.param(
        """\
        from unittest import mock
        @mock.patch('a.b')
        def test(m): pass
        """,
        id="from-unittest-import-mock",
    ),
    pytest.param(
        """\
        import unittest.mock as um
        @um.patch('a.b')
        def test(m): pass
        """,
        id="import-unittest-mock-as",
    ),
    pytest.param(
        """\
        import unittest.mock
        @unittest.mock.patch('a.b')
        def test(m): pass
        """,
        id="import-unittest-mock",
    ),
    pytest.param(
        """\
        import unittest
        @unittest.mock.patch('a.b')
        def test(m): pass
        """,
        id="import-unittest",
    ),
    pytest.param(
        """\
        from unittest.mock import patch
        @patch('a.b')
        def test(m): pass
        """,
        id="from-unittest-mock-import-patch",
    ),
    pytest.param(
        """\
        from unittest.mock import patch as p
        @p('a.b')
        def test(m): pass
        """,
        id="renamed-patch",
    ),
    pytest.param(
        """\
        import mock
        @mock.patch('a.b')
        def test(m): pass
        """,
        id="backport",
    ),
    pytest.param(
        """\
        from mock import patch
        @patch('a.b')
        def test(m): pass
        """,
        id="from-backport",
    ),
    pytest.param(
        """\
        from unittest.mock import *
        @patch('a.b')
        def test(m): pass
        """,
        id="star-import",
    ),
    pytest.param(
        """\
        def test():
            from unittest.mock import patch
            with patch('a.b') as m:
                pass
        """,
        id="import-inside-function",
    ),
]


@pytest.mark.parametrize("snippet", IMPORT_FORMS)
def test_each_import_form_finds_the_patch(snippet: str) -> None:
    [(kind, _use, target, _span, _object, _patcher, _mock)] = sites(snippet)
    assert (kind, target) == ("patch", "a.b")


def test_patch_without_a_mock_import_is_not_a_patch_site() -> None:
    assert (
        sites(
            """\
            from somewhere import patch
            @patch('a.b')
            def test(m): pass
            requests.patch('https://x')
            """
        )
        == []
    )


def test_decorators_context_managers_and_started_patchers() -> None:
    assert sites(
        """\
        from unittest import mock
        from unittest.mock import patch

        @patch('a.Klass')
        class T:
            @patch.object(Shop, 'pay')
            @mock.patch.dict('os.environ', {'A': '1'})
            @patch.multiple('a.mod', x=mock.DEFAULT)
            def test_x(self, mock_pay, mock_klass):
                with patch('a.one') as one, patch('a.two'):
                    pass

            async def test_y(self, mock_klass):
                async with patch('a.three') as three:
                    pass

            def setUp(self):
                self.p = patch('a.four')
                self.m = self.p.start()
                p = patch('a.five')
                five = p.start()
                six = patch('a.six').start()
                patch('a.seven').start()
                patchers = [patch('a.eight')]
        """
    ) == [
        ("patch", "class-decorator", "a.Klass", "a.Klass@3:8", None, None, None),
        ("patch.object", "function-decorator", "pay", "pay@5:25", "Shop", None, "mock_pay"),
        ("patch.dict", "function-decorator", "os.environ", "os.environ@6:22", None, None, None),
        ("patch.multiple", "function-decorator", "a.mod", "a.mod@7:21", None, None, None),
        ("patch", "context-manager", "a.one", "a.one@9:20", None, None, "one"),
        ("patch", "context-manager", "a.two", "a.two@9:43", None, None, None),
        ("patch", "context-manager", "a.three", "a.three@13:26", None, None, "three"),
        ("patch", "started", "a.four", "a.four@17:24", None, "self.p", "self.m"),
        ("patch", "started", "a.five", "a.five@19:19", None, "p", "five"),
        ("patch", "started", "a.six", "a.six@21:21", None, None, "six"),
        ("patch", "started", "a.seven", "a.seven@22:15", None, None, None),
        ("patch", "other", "a.eight", "a.eight@23:27", None, None, None),
    ]


def test_class_decorator_mock_is_the_one_test_method_parameter() -> None:
    assert sites(
        """\
        from unittest.mock import patch

        @patch('a.b')
        class T:
            def test_one(self, m_b): pass
            def helper(self, x): pass
        """
    ) == [("patch", "class-decorator", "a.b", "a.b@2:8", None, None, "m_b")]


def test_pytest_mock_fixtures() -> None:
    assert sites(
        """\
        from pytest_mock import MockerFixture

        def test_a(mocker):
            m = mocker.patch('a.b', return_value=3)
            mocker.patch.object(Shop, 'pay')
            mocker.patch.dict('os.environ', {})
            mocker.patch.multiple('a.mod', x=1)

        def test_b(class_mocker, module_mocker, session_mocker, fixture: MockerFixture):
            class_mocker.patch('c.one')
            module_mocker.patch('c.two')
            session_mocker.patch('c.three')
            fixture.patch('c.four')

        def test_c(other):
            other.patch('not.a.mocker')
        """
    ) == [
        ("patch", "mocker", "a.b", "a.b@3:22", None, None, "m"),
        ("patch.object", "mocker", "pay", "pay@4:31", "Shop", None, None),
        ("patch.dict", "mocker", "os.environ", "os.environ@5:23", None, None, None),
        ("patch.multiple", "mocker", "a.mod", "a.mod@6:27", None, None, None),
        ("patch", "mocker", "c.one", "c.one@9:24", None, None, None),
        ("patch", "mocker", "c.two", "c.two@10:25", None, None, None),
        ("patch", "mocker", "c.three", "c.three@11:26", None, None, None),
        ("patch", "mocker", "c.four", "c.four@12:19", None, None, None),
    ]


def test_target_span_is_the_string_contents_only_for_plain_literals() -> None:
    assert sites(
        """\
        from unittest.mock import patch
        patch("a.b")
        patch(r'a.c')
        patch('''a.d''')
        patch('a' '.e')
        patch('a\\x2ef')
        patch(f'{x}.g')
        patch(TARGET)
        patch(target='a.h')
        patch.dict(os.environ)
        """
    ) == [
        ("patch", "other", "a.b", "a.b@1:7", None, None, None),
        ("patch", "other", "a.c", "a.c@2:8", None, None, None),
        ("patch", "other", "a.d", "a.d@3:9", None, None, None),
        ("patch", "other", "a.e", "'a' '.e'@4:6", None, None, None),
        ("patch", "other", "a.f", "'a\\x2ef'@5:6", None, None, None),
        ("patch", "other", None, "f'{x}.g'@6:6", None, None, None),
        ("patch", "other", None, "TARGET@7:6", None, None, None),
        ("patch", "other", "a.h", "a.h@8:14", None, None, None),
        ("patch.dict", "other", None, "os.environ@9:11", None, None, None),
    ]


def test_arguments_keywords_and_star_arguments() -> None:
    source = textwrap.dedent(
        """\
        from unittest.mock import patch
        patch('a.b', None, spec=True, new_callable=Foo, create=1.5)
        patch(*targets)
        patch('a.c', **options)
        patch.object(target=Foo, attribute='bar', new=-1)
        """
    )
    views = [
        (
            [(a.text, a.is_constant, a.value) for a in site.args],
            {k: (a.text, a.is_constant, a.value) for k, a in site.keywords.items()},
            site.has_star_args,
            _at(source, site.span),
            _at(source, site.callee_span),
        )
        for site in build_model(source).patch_sites
    ]
    assert views == [
        (
            [("'a.b'", True, "a.b"), ("None", True, None)],
            {
                "spec": ("True", True, True),
                "new_callable": ("Foo", False, None),
                "create": ("1.5", True, 1.5),
            },
            False,
            "patch('a.b', None, spec=True, new_callable=Foo, create=1.5)@1:0",
            "patch@1:0",
        ),
        ([], {}, True, "patch(*targets)@2:0", "patch@2:0"),
        ([("'a.c'", True, "a.c")], {}, True, "patch('a.c', **options)@3:0", "patch@3:0"),
        (
            [],
            {
                "target": ("Foo", False, None),
                "attribute": ("'bar'", True, "bar"),
                "new": ("-1", True, -1),
            },
            False,
            "patch.object(target=Foo, attribute='bar', new=-1)@4:0",
            "patch.object@4:0",
        ),
    ]


def test_patcher_used_as_a_context_manager_or_entered_in_an_exit_stack() -> None:
    assert sites(
        """\
        from unittest.mock import patch
        def test(self):
            p = patch('a.b')
            with p as m:
                pass
            with contextlib.ExitStack() as stack:
                n = stack.enter_context(patch('a.c'))
            o = self.enterContext(patch('a.d'))
        """
    ) == [
        ("patch", "context-manager", "a.b", "a.b@2:15", None, "p", "m"),
        ("patch", "context-manager", "a.c", "a.c@6:39", None, None, "n"),
        ("patch", "context-manager", "a.d", "a.d@7:33", None, None, "o"),
    ]


def test_patch_with_new_hands_over_no_mock() -> None:
    assert sites(
        """\
        from unittest.mock import patch
        def test(mocker):
            with patch('a.b', new=3) as three, patch.object(A, 'b', 4) as four:
                pass
            fake = mocker.patch('a.c', new=Fake())
            d = mocker.patch.dict('os.environ', {})
        """
    ) == [
        ("patch", "context-manager", "a.b", "a.b@2:16", None, None, None),
        ("patch.object", "context-manager", "b", "b@2:56", "A", None, None),
        ("patch", "mocker", "a.c", "a.c@4:25", None, None, None),
        ("patch.dict", "mocker", "os.environ", "os.environ@5:27", None, None, None),
    ]


def test_non_ascii_text_before_a_target_counts_code_points() -> None:
    assert sites(
        """\
        from unittest.mock import patch
        é = "😀"; patch("ünï.cödé")
        """
    ) == [("patch", "other", "ünï.cödé", "ünï.cödé@1:16", None, None, None)]

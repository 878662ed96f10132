"""Mock bindings: which names, parameters and ``self`` attributes hold a mock, and its facts."""

from __future__ import annotations

import textwrap

import pytest

from mockls.analysis.builder import build_model


def bindings(snippet: str) -> list[tuple[object, ...]]:
    """Each binding as (name, line, scope, factory, mock class, spec text, spec kind)."""
    model = build_model(textwrap.dedent(snippet))
    return [
        (
            binding.name,
            binding.span.start.line,
            binding.scope,
            binding.factory.value,
            binding.mock_class,
            binding.spec.text if binding.spec else None,
            binding.spec_kind.value if binding.spec_kind else None,
        )
        for binding in model.bindings
    ]


def configured(snippet: str) -> list[tuple[str, list[str]]]:
    model = build_model(textwrap.dedent(snippet))
    return [(binding.name, sorted(binding.configured)) for binding in model.bindings]


def test_mock_classes_and_autospecs() -> None:
    assert bindings(
        """\
        from unittest import mock
        from unittest.mock import MagicMock as MM, create_autospec
        a = mock.Mock()
        b = MM()
        c = mock.AsyncMock()
        d = mock.NonCallableMock()
        e = mock.NonCallableMagicMock()
        f = mock.PropertyMock(return_value=3)
        g = create_autospec(Shop, instance=True)
        h = mock.create_autospec(spec=Shop)
        """
    ) == [
        ("a", 2, "<module>", "mock-class", "Mock", None, None),
        ("b", 3, "<module>", "mock-class", "MagicMock", None, None),
        ("c", 4, "<module>", "mock-class", "AsyncMock", None, None),
        ("d", 5, "<module>", "mock-class", "NonCallableMock", None, None),
        ("e", 6, "<module>", "mock-class", "NonCallableMagicMock", None, None),
        ("f", 7, "<module>", "mock-class", "PropertyMock", None, None),
        ("g", 8, "<module>", "create_autospec", None, "Shop", "autospec"),
        ("h", 9, "<module>", "create_autospec", None, "Shop", "autospec"),
    ]


def test_specs_of_mock_classes() -> None:
    assert bindings(
        """\
        from unittest.mock import Mock
        a = Mock(spec=Shop)
        b = Mock(spec_set=Shop)
        c = Mock(Shop)
        d = Mock(spec=Shop, spec_set=Other)
        e = Mock(spec=None)
        f = Mock(spec=shop.Shop)
        """
    ) == [
        ("a", 1, "<module>", "mock-class", "Mock", "Shop", "spec"),
        ("b", 2, "<module>", "mock-class", "Mock", "Shop", "spec_set"),
        ("c", 3, "<module>", "mock-class", "Mock", "Shop", "spec"),
        ("d", 4, "<module>", "mock-class", "Mock", "Other", "spec_set"),
        ("e", 5, "<module>", "mock-class", "Mock", None, None),
        ("f", 6, "<module>", "mock-class", "Mock", "shop.Shop", "spec"),
    ]


def test_mocks_made_by_patchers() -> None:
    assert bindings(
        """\
        from unittest.mock import patch, AsyncMock, PropertyMock
        class T:
            @patch('a.b', autospec=True)
            @patch('a.c', spec=True)
            @patch('a.d', spec_set=True)
            @patch('a.e', spec=Shop)
            @patch('a.f', new_callable=AsyncMock)
            @patch.object(Shop, 'pay', autospec=True)
            @patch.object(Shop, 'total', new_callable=PropertyMock)
            def test(self, m_total, m_pay, m_f, m_e, m_d, m_c, m_b):
                with patch('a.g', autospec=False) as m_g:
                    pass
        """
    ) == [
        ("m_total", 9, "T.test", "patch", "PropertyMock", None, None),
        ("m_pay", 9, "T.test", "patch", None, "Shop.pay", "autospec"),
        ("m_f", 9, "T.test", "patch", "AsyncMock", None, None),
        ("m_e", 9, "T.test", "patch", "MagicMock", "Shop", "spec"),
        ("m_d", 9, "T.test", "patch", "MagicMock", "'a.d'", "spec_set"),
        ("m_c", 9, "T.test", "patch", "MagicMock", "'a.c'", "spec"),
        ("m_b", 9, "T.test", "patch", None, "'a.b'", "autospec"),
        ("m_g", 10, "T.test", "patch", "MagicMock", None, None),
    ]


def test_patchers_that_hand_over_no_mock_bind_nothing() -> None:
    assert (
        bindings(
            """\
            from unittest.mock import patch
            @patch('a.b', new_callable=list)
            @patch('a.c', new=3)
            def test(m_b, *args):
                with patch.dict('os.environ') as environ, patch.multiple('a', x=1) as values:
                    pass
                p = patch('a.d')
                q = p
                r = patch('a.e', Fake())
                s = r.start()
                t = patch.object(A, 'b', 3).start()
            """
        )
        == []
    )


def test_started_patchers_and_pytest_mock() -> None:
    assert bindings(
        """\
        from unittest.mock import patch
        class T:
            def setUp(self):
                self.patcher = patch('a.b')
                self.m_b = self.patcher.start()
                p = patch('a.c', spec=True)
                m_c = p.start()
                m_d = patch('a.d').start()

        def test(mocker):
            m_e = mocker.patch('a.e', autospec=True)
            m_f = mocker.patch.object(Shop, 'pay')
            g = mocker.MagicMock(spec=Shop)
            h = mocker.Mock()
            i = mocker.stub()
            j = mocker.async_stub()
            k = mocker.spy(Shop, 'pay')
            l = mocker.create_autospec(Shop)
        """
    ) == [
        ("self.m_b", 4, "T", "patch", "MagicMock", None, None),
        ("m_c", 6, "T.setUp", "patch", "MagicMock", "'a.c'", "spec"),
        ("m_d", 7, "T.setUp", "patch", "MagicMock", None, None),
        ("m_e", 10, "test", "patch", None, "'a.e'", "autospec"),
        ("m_f", 11, "test", "patch", "MagicMock", None, None),
        ("g", 12, "test", "mocker", "MagicMock", "Shop", "spec"),
        ("h", 13, "test", "mocker", "Mock", None, None),
        ("i", 14, "test", "mocker", "MagicMock", None, None),
        ("j", 15, "test", "mocker", "AsyncMock", None, None),
        ("k", 16, "test", "mocker", None, "Shop.pay", "autospec"),
        ("l", 17, "test", "mocker", None, "Shop", "autospec"),
    ]


def test_assignment_forms() -> None:
    assert bindings(
        """\
        from unittest.mock import Mock
        class T:
            shared = Mock()

            @classmethod
            def setUpClass(cls):
                cls.klass_mock = Mock()

            def test(self):
                a, b = Mock(), Mock()
                c = d = Mock()
                e: Mock = Mock()
                if (f := Mock()):
                    pass
                x, y = pair_of_mocks()

                def inner():
                    g = Mock()
        """
    ) == [
        ("shared", 2, "T", "mock-class", "Mock", None, None),
        ("cls.klass_mock", 6, "T", "mock-class", "Mock", None, None),
        ("a", 9, "T.test", "mock-class", "Mock", None, None),
        ("b", 9, "T.test", "mock-class", "Mock", None, None),
        ("c", 10, "T.test", "mock-class", "Mock", None, None),
        ("d", 10, "T.test", "mock-class", "Mock", None, None),
        ("e", 11, "T.test", "mock-class", "Mock", None, None),
        ("f", 12, "T.test", "mock-class", "Mock", None, None),
        ("g", 17, "T.test.inner", "mock-class", "Mock", None, None),
    ]


AMBIGUOUS = [
    pytest.param(
        """\
        from unittest.mock import Mock
        m = Mock()
        m = Real()
        """,
        id="rebound-to-a-real-object",
    ),
    pytest.param(
        """\
        from unittest.mock import Mock
        def test(m):
            m = Mock()
        """,
        id="also-a-parameter",
    ),
    pytest.param(
        """\
        from unittest.mock import Mock
        def test():
            for m in things:
                pass
            m = Mock()
        """,
        id="also-a-loop-variable",
    ),
    pytest.param(
        """\
        from unittest.mock import Mock
        def test():
            m = Mock()
            m += 1
        """,
        id="augmented",
    ),
    pytest.param(
        """\
        from unittest.mock import Mock
        def test():
            with open('f') as m:
                pass
            m = Mock()
        """,
        id="also-a-with-target",
    ),
    pytest.param(
        """\
        from unittest.mock import Mock
        class T:
            def setUp(self):
                self.m = Mock()
            def test(self):
                self.m = Real()
        """,
        id="self-attribute-set-to-a-real-object-in-another-method",
    ),
    pytest.param(
        """\
        from unittest.mock import Mock
        m = Mock()
        def set_up():
            global m
            m = Real()
        """,
        id="global-rebound-in-a-function",
    ),
    pytest.param(
        """\
        from unittest.mock import Mock
        try:
            m = Mock()
        except Exception as m:
            pass
        """,
        id="also-an-exception-name",
    ),
    pytest.param(
        """\
        from unittest.mock import Mock
        m = Mock()
        import m
        """,
        id="also-an-import",
    ),
    pytest.param(
        """\
        from unittest.mock import Mock
        def test(thread):
            m = thread.start()
            m = Mock()
        """,
        id="start-of-something-that-is-not-a-patcher",
    ),
]


@pytest.mark.parametrize("snippet", AMBIGUOUS)
def test_a_name_also_bound_to_something_else_is_no_binding(snippet: str) -> None:
    assert bindings(snippet) == []


def test_same_name_in_different_scopes_is_kept_apart() -> None:
    assert bindings(
        """\
        from unittest.mock import Mock
        m = Mock()
        def test_a():
            m = Real()
        def test_b():
            m = Mock(spec=Shop)
        """
    ) == [
        ("m", 1, "<module>", "mock-class", "Mock", None, None),
        ("m", 5, "test_b", "mock-class", "Mock", "Shop", "spec"),
    ]


def test_mock_class_itself_or_a_mock_passed_on_is_no_binding() -> None:
    assert (
        bindings(
            """\
            from unittest.mock import Mock, patch
            klass = Mock
            wrapper = Wrapper(Mock())
            factory = lambda: Mock()
            sentinel_ = Mock.return_value
            items = [Mock() for _ in range(3)]
            """
        )
        == []
    )


def test_configured_names_come_from_keywords_and_configure_mock() -> None:
    assert configured(
        """\
        from unittest.mock import Mock, patch, create_autospec
        a = Mock(spec=Shop, name='a', return_value=1, side_effect=None, **{'pay.return_value': 2})
        a.configure_mock(total=3, **{'items.side_effect': KeyError})
        a.child.configure_mock(ignored_for_a=1)
        b = create_autospec(Shop, instance=True, spec_set=True, total=3)

        @patch('a.c', autospec=True, return_value=4, new_callable=None)
        def test(c):
            pass
        """
    ) == [
        ("a", ["items.side_effect", "pay.return_value", "return_value", "side_effect", "total"]),
        ("b", ["total"]),
        ("c", ["return_value"]),
    ]


def test_class_decorator_mock_goes_to_each_test_method() -> None:
    assert bindings(
        """\
        from unittest.mock import patch
        @patch('a.b')
        class T:
            @patch('a.c')
            def test_one(self, m_c, m_b):
                pass
            @staticmethod
            @patch('a.d')
            def test_two(m_d, m_b):
                pass
            def helper(self, not_a_mock):
                pass
        """
    ) == [
        ("m_c", 4, "T.test_one", "patch", "MagicMock", None, None),
        ("m_b", 4, "T.test_one", "patch", "MagicMock", None, None),
        ("m_d", 8, "T.test_two", "patch", "MagicMock", None, None),
        ("m_b", 8, "T.test_two", "patch", "MagicMock", None, None),
    ]


def test_binding_span_covers_the_name_as_written() -> None:
    source = textwrap.dedent(
        """\
        from unittest.mock import Mock, patch
        class T:
            @patch('a.b')
            def test(self, mock_b: 'Mock' = None):
                self.mock_c = Mock()
                with patch('a.d') as mock_d:
                    pass
        """
    )
    lines = source.split("\n")
    written = [
        (binding.name, lines[start.line][start.character : end.character])
        for binding in build_model(source).bindings
        for start, end in [(binding.span.start, binding.span.end)]
    ]
    assert written == [("mock_b", "mock_b"), ("self.mock_c", "self.mock_c"), ("mock_d", "mock_d")]


def test_model_records_can_be_hashed_and_compared() -> None:
    snippet = """\
        from unittest.mock import patch
        @patch('a.b', return_value=1)
        def test(m_b):
            m_b.x()
        """
    first, second = build_model(textwrap.dedent(snippet)), build_model(textwrap.dedent(snippet))
    records = {*first.patch_sites, *first.bindings, *first.attribute_uses}
    assert records == {*second.patch_sites, *second.bindings, *second.attribute_uses}
    assert len(records) == 4  # the site, the binding, m_b.x and the return_value keyword
    assert first.patch_sites[0].keywords == {
        "return_value": first.patch_sites[0].keywords["return_value"]
    }

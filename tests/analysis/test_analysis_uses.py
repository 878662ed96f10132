"""Attribute uses: the chains reached from mock bindings, with their kind and exact span."""

from __future__ import annotations

import textwrap

from mockls.analysis.builder import build_model


def uses(snippet: str) -> list[tuple[str, str, str, str]]:
    """Each use as (binding, dotted chain, kind, ``text@line:column`` of its span)."""
    source = textwrap.dedent(snippet)
    lines = source.split("\n")
    found = []
    for use in build_model(source).attribute_uses:
        start, end = use.span.start, use.span.end
        assert start.line == end.line
        written = lines[start.line][start.character : end.character]
        found.append(
            (
                use.binding.name,
                ".".join(use.chain),
                use.kind.value,
                f"{written}@{start.line}:{start.character}",
            )
        )
    return found


def test_a_chain_gives_one_use_per_attribute() -> None:
    assert uses(
        """\
        from unittest.mock import Mock
        m = Mock()
        m.return_value.save.assert_called_once_with(1)
        m().total
        m.a().b().c
        """
    ) == [
        ("m", "return_value", "load", "return_value@2:2"),
        ("m", "return_value.save", "load", "save@2:15"),
        ("m", "return_value.save.assert_called_once_with", "call", "assert_called_once_with@2:20"),
        ("m", "().total", "load", "total@3:4"),
        ("m", "a", "call", "a@4:2"),
        ("m", "a.().b", "call", "b@4:6"),
        ("m", "a.().b.().c", "load", "c@4:10"),
    ]


def test_stores_deletes_and_calls_inside_arguments() -> None:
    assert uses(
        """\
        from unittest.mock import Mock
        m = Mock()
        m.return_value = 1
        m.a.b = 2
        del m.c
        print(m.d, [m.e], {m.f: m.g()})
        """
    ) == [
        ("m", "return_value", "store", "return_value@2:2"),
        ("m", "a", "load", "a@3:2"),
        ("m", "a.b", "store", "b@3:4"),
        ("m", "c", "delete", "c@4:6"),
        ("m", "d", "load", "d@5:8"),
        ("m", "e", "load", "e@5:14"),
        ("m", "f", "load", "f@5:21"),
        ("m", "g", "call", "g@5:26"),
    ]


def test_constructor_keywords_and_configure_mock_are_configure_uses() -> None:
    assert uses(
        """\
        from unittest.mock import Mock, patch
        m = Mock(spec=Shop, return_value=Mock(), retrun_value=3, **{'pay.side_efect': KeyError})
        m.configure_mock(total=1, **{'items.return_value': Mock()})
        m.child.configure_mock(x=1)

        @patch('a.b', side_efect=KeyError)
        def test(mock_b):
            pass
        """
    ) == [
        ("m", "return_value", "configure", "return_value@1:20"),
        ("m", "retrun_value", "configure", "retrun_value@1:41"),
        ("m", "pay", "configure", "pay@1:61"),
        ("m", "pay.side_efect", "configure", "side_efect@1:65"),
        ("m", "configure_mock", "call", "configure_mock@2:2"),
        ("m", "total", "configure", "total@2:17"),
        ("m", "items", "configure", "items@2:30"),
        ("m", "items.return_value", "configure", "return_value@2:36"),
        ("m", "child", "load", "child@3:2"),
        ("m", "child.configure_mock", "call", "configure_mock@3:8"),
        ("m", "child.x", "configure", "x@3:23"),
        ("mock_b", "side_efect", "configure", "side_efect@5:14"),
    ]


def test_chains_stop_where_the_value_is_no_longer_a_mock() -> None:
    assert uses(
        """\
        from unittest.mock import Mock
        m = Mock()
        m.call_args.kwargs
        m.call_args_list[0].args
        m.side_effect.args
        m.assert_called().whatever
        m.configure_mock().whatever
        m.mock_calls.count(1)
        """
    ) == [
        ("m", "call_args", "load", "call_args@2:2"),
        ("m", "call_args_list", "load", "call_args_list@3:2"),
        ("m", "side_effect", "load", "side_effect@4:2"),
        ("m", "assert_called", "call", "assert_called@5:2"),
        ("m", "configure_mock", "call", "configure_mock@6:2"),
        ("m", "mock_calls", "load", "mock_calls@7:2"),
    ]


def test_chains_through_an_attribute_set_to_a_real_value_end_there() -> None:
    assert uses(
        """\
        from unittest.mock import Mock
        m = Mock()
        m.return_value = [1]
        m.return_value.append(2)
        m().append(3)
        m.items = Mock()
        m.items.get('k')
        n = Mock(return_value={})
        n().get('k')
        n.configure_mock(**{'a.b': 'text'})
        n.a.b.upper()
        n.a.c
        """
    ) == [
        ("m", "return_value", "store", "return_value@2:2"),
        ("m", "return_value", "load", "return_value@3:2"),
        ("m", "items", "store", "items@5:2"),
        ("m", "items", "load", "items@6:2"),
        ("m", "items.get", "call", "get@6:8"),
        ("n", "return_value", "configure", "return_value@7:9"),
        ("n", "configure_mock", "call", "configure_mock@9:2"),
        ("n", "a", "configure", "a@9:21"),
        ("n", "a.b", "configure", "b@9:23"),
        ("n", "a", "load", "a@10:2"),
        ("n", "a.b", "load", "b@10:4"),
        ("n", "a", "load", "a@11:2"),
        ("n", "a.c", "load", "c@11:4"),
    ]


def test_uses_follow_python_scopes() -> None:
    assert uses(
        """\
        from unittest.mock import Mock
        m = Mock()

        def uses_the_module_mock():
            m.a()
            return lambda: m.b

        def rebinds_it(m):
            m.not_a_use()

        def comprehension_shadows_it():
            return [m.not_a_use for m in range(3)] + [m.c for _ in range(3)]

        class T:
            m = Real()

            def method_sees_the_module_mock(self):
                m.d
        """
    ) == [
        ("m", "a", "call", "a@4:6"),
        ("m", "b", "load", "b@5:21"),
        ("m", "c", "load", "c@11:48"),
        ("m", "d", "load", "d@17:10"),
    ]


def test_self_attribute_uses_in_every_method_and_in_subclasses() -> None:
    assert uses(
        """\
        import unittest
        from unittest.mock import patch

        class Base(unittest.TestCase):
            def setUp(self):
                self.mock_charge = patch('shop.charge').start()
                self.addCleanup(patch.stopall)

            def helper(self):
                return self.mock_charge.call_count

        class T(Base):
            def test_pay(self):
                self.mock_charge.assert_called_once()

                def nested():
                    self.mock_charge.reset_mock()

            def test_other(this):
                this.mock_charge.x
        """
    ) == [
        ("self.mock_charge", "call_count", "load", "call_count@9:32"),
        ("self.mock_charge", "assert_called_once", "call", "assert_called_once@13:25"),
        ("self.mock_charge", "reset_mock", "call", "reset_mock@16:29"),
        ("self.mock_charge", "x", "load", "x@19:25"),
    ]


def test_each_use_goes_to_the_binding_in_force_where_it_is() -> None:
    source = textwrap.dedent(
        """\
        from unittest.mock import Mock
        m = Mock()
        m.first
        m = Mock(spec=Shop)
        m.second
        """
    )
    model = build_model(source)
    assert [
        (use.attribute, use.binding.span.start.line, use.binding.spec is not None)
        for use in model.attribute_uses
    ] == [("first", 1, False), ("second", 3, True)]


def test_spans_of_multi_line_and_non_ascii_chains() -> None:
    assert uses(
        """\
        from unittest.mock import Mock
        mö = Mock()
        é = "😀"; mö.réturn_value.sàve(
            1)
        (mö
            .child
            .assert_called())
        """
    ) == [
        ("mö", "réturn_value", "load", "réturn_value@2:12"),
        ("mö", "réturn_value.sàve", "call", "sàve@2:25"),
        ("mö", "child", "load", "child@5:5"),
        ("mö", "child.assert_called", "call", "assert_called@6:5"),
    ]


def test_await_and_async_with() -> None:
    assert uses(
        """\
        from unittest.mock import AsyncMock
        async def test():
            m = AsyncMock()
            await m.fetch()
            async with m.session() as session:
                pass
            m.fetch.assert_awaited_once()
        """
    ) == [
        ("m", "fetch", "call", "fetch@3:12"),
        ("m", "session", "call", "session@4:17"),
        ("m", "fetch", "load", "fetch@6:6"),
        ("m", "fetch.assert_awaited_once", "call", "assert_awaited_once@6:12"),
    ]


def test_real_objects_with_mock_like_attribute_names_have_no_uses() -> None:
    assert (
        uses(
            """\
            from unittest.mock import Mock
            class Fake:
                def __init__(self):
                    self.call_args_list = []
            fake = Fake()
            fake.call_args_list.append(1)
            fake.retrun_value = 3
            m = Mock
            m.assret_called()
            """
        )
        == []
    )


def test_class_body_mock_is_reached_through_self() -> None:
    assert uses(
        """\
        from unittest.mock import Mock
        class T:
            shared = Mock()
            shared.configured_here = 1

            def test(self):
                self.shared.used_here()
        """
    ) == [
        ("shared", "configured_here", "store", "configured_here@3:11"),
        ("shared", "used_here", "call", "used_here@6:20"),
    ]


def test_mock_from_a_module_patcher_started_in_set_up_module() -> None:
    assert uses(
        """\
        from unittest.mock import patch
        patcher = patch('shop.charge')

        def setUpModule():
            global mock_charge
            mock_charge = patcher.start()

        def test_pay():
            mock_charge.assert_called_once()
        """
    ) == [("mock_charge", "assert_called_once", "call", "assert_called_once@8:16")]


def test_mocker_patch_entered_with_as_binds_nothing() -> None:
    assert (
        uses(
            """\
            def test(mocker):
                with mocker.patch('a.b') as entered:
                    entered.x()
            """
        )
        == []
    )


def test_spans_follow_identifiers_as_written_when_python_normalizes_them() -> None:
    # "ﬁ" (a ligature) is read as "fi": the chain has the name, the span the written text.
    assert uses(
        """\
        from unittest.mock import Mock
        m = Mock()
        m.ﬁle.assert_called()
        """
    ) == [
        ("m", "file", "load", "ﬁle@2:2"),
        ("m", "file.assert_called", "call", "assert_called@2:6"),
    ]

"""Stop calls and escaped patchers: what stops patchers, and which patchers leave our sight."""

from __future__ import annotations

import textwrap

from mockls.analysis.builder import build_model


def stops(snippet: str) -> list[tuple[str | None, str]]:
    """Each stop as (patcher name, ``text@line`` of its span)."""
    source = textwrap.dedent(snippet)
    lines = source.split("\n")
    found = []
    for stop in build_model(source).stop_calls:
        start, end = stop.span.start, stop.span.end
        assert start.line == end.line
        found.append(
            (stop.patcher, f"{lines[start.line][start.character : end.character]}@{start.line}")
        )
    return found


def escaped(snippet: str) -> list[str]:
    return sorted(build_model(textwrap.dedent(snippet)).escaped_patchers)


def test_every_form_of_stopping() -> None:
    assert stops(
        """\
        import unittest
        from unittest import mock
        from unittest.mock import patch

        class T(unittest.TestCase):
            def setUp(self):
                self.p = patch('a.b')
                self.p.start()
                self.addCleanup(self.p.stop)
                q = patch('a.c')
                q.start()
                self.addCleanup(q.stop)
                self.addCleanup(patch.stopall)
                self.addCleanup(mock.patch.stopall)

            def tearDown(self):
                self.p.stop()
                mock.patch.stopall()

        def tearDownModule():
            patch.stopall()
            r.stop()
        """
    ) == [
        ("self.p", "self.addCleanup(self.p.stop)@8"),
        ("q", "self.addCleanup(q.stop)@11"),
        (None, "self.addCleanup(patch.stopall)@12"),
        (None, "self.addCleanup(mock.patch.stopall)@13"),
        ("self.p", "self.p.stop()@16"),
        (None, "mock.patch.stopall()@17"),
        (None, "patch.stopall()@20"),
        ("r", "r.stop()@21"),
    ]


def test_stopall_of_something_else_is_no_stop() -> None:
    assert (
        stops(
            """\
            from somewhere import patch
            patch.stopall()
            def test(mocker):
                mocker.stopall()
            """
        )
        == []
    )


def test_patchers_that_escape() -> None:
    assert escaped(
        """\
        from unittest.mock import patch

        def returned():
            p = patch('a.b')
            return p

        def yielded():
            p2 = patch('a.b')
            yield p2

        def passed_on(stack):
            p3 = patch('a.b')
            stack.enter_context(p3)

        def stored(self):
            p4 = patch('a.b')
            self.patchers.append(p4)
            patchers = [p4]
            other = p4

        class T:
            def setUp(self):
                self.p5 = patch('a.b')
                register(self.p5)
        """
    ) == ["p", "p2", "p3", "p4", "self.p5"]


def test_patchers_that_do_not_escape() -> None:
    assert (
        escaped(
            """\
            from unittest.mock import patch

            def started(self):
                p = patch('a.b')
                p.start()
                self.addCleanup(p.stop)
                with p:
                    pass
                if p is not None:
                    pass

            def not_a_patcher():
                q = make()
                return q
            """
        )
        == []
    )

"""Where patch sites point: targets built from `__name__` and string constants, and the scope
each patch applies in."""

from __future__ import annotations

import textwrap

import pytest

from mockls.analysis.builder import build_model
from mockls.analysis.model import PatchSite

MODULE = "tests.test_shop"
"""The ``__name__`` the tables below give the module."""


def _part_view(source: str, site: PatchSite) -> list[tuple[str, str | None]]:
    """Each part as ``(text, what its span covers@line:column)``; ``__name__`` as its name."""
    lines = source.split("\n")
    view: list[tuple[str, str | None]] = []
    for part in site.built_target:
        if part.is_module_name:
            view.append(("__name__", None))
            continue
        where = None
        if part.span is not None:
            start, end = part.span.start, part.span.end
            written = lines[start.line][start.character : end.character]
            where = f"{written}@{start.line}:{start.character}"
        view.append((part.text, where))
    return view


def targets(snippet: str) -> list[tuple[str | None, list[tuple[str, str | None]]]]:
    """``(target text, parts)`` of each patch site, in order."""
    source = textwrap.dedent(snippet)
    return [
        (site.target_text(MODULE), _part_view(source, site))
        for site in build_model(source).patch_sites
    ]


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        pytest.param(
            """\
            from unittest.mock import patch
            @patch('shop.orders.charge')
            def test(m): ...
            """,
            [("shop.orders.charge", [])],
            id="a-literal-is-not-built",
        ),
        pytest.param(
            """\
            from unittest.mock import patch
            @patch(f'{__name__}.helper')
            def test(m): ...
            """,
            [("tests.test_shop.helper", [("__name__", None), (".helper", None)])],
            id="f-string-with-module-name",
        ),
        pytest.param(
            """\
            from unittest.mock import patch
            with patch(__name__ + '.helper'): ...
            """,
            [("tests.test_shop.helper", [("__name__", None), (".helper", ".helper@1:23")])],
            id="module-name-plus-literal",
        ),
        pytest.param(
            """\
            from unittest import mock
            TARGET = 'shop.orders.charge'
            def test(mocker):
                mocker.patch(TARGET)
                with mock.patch.object(Gateway, ATTRIBUTE): ...
            ATTRIBUTE: str = "charge"
            """,
            [
                ("shop.orders.charge", [("shop.orders.charge", "shop.orders.charge@1:10")]),
                ("charge", [("charge", "charge@5:18")]),
            ],
            id="module-constants-edit-at-their-definition",
        ),
        pytest.param(
            """\
            from unittest.mock import patch
            ORDERS = 'shop.orders'
            CHARGE = ORDERS + '.charge'
            p = patch(f'{ORDERS}.refund')
            q = patch(CHARGE)
            """,
            [
                ("shop.orders.refund", [("shop.orders", "shop.orders@1:10"), (".refund", None)]),
                (
                    "shop.orders.charge",
                    [("shop.orders", "shop.orders@1:10"), (".charge", ".charge@2:19")],
                ),
            ],
            id="constants-built-from-constants",
        ),
    ],
)
def test_built_targets_are_read(snippet: str, expected: list[object]) -> None:
    assert targets(snippet) == expected


@pytest.mark.parametrize(
    "snippet",
    [
        pytest.param(
            """\
            from unittest.mock import patch
            def test(target):
                with patch(target): ...
            """,
            id="a-parameter",
        ),
        pytest.param(
            """\
            from unittest.mock import patch
            TARGET = 'shop.a'
            TARGET = 'shop.b'
            p = patch(TARGET)
            """,
            id="a-name-assigned-twice",
        ),
        pytest.param(
            """\
            from unittest.mock import patch
            TARGET = 'shop.a'
            def configure():
                global TARGET
            p = patch(TARGET)
            """,
            id="a-name-declared-global-elsewhere",
        ),
        pytest.param(
            """\
            from unittest.mock import patch
            for TARGET in ('shop.a', 'shop.b'):
                p = patch(TARGET)
            """,
            id="a-loop-variable",
        ),
        pytest.param(
            """\
            from unittest.mock import patch
            __name__ = 'elsewhere'
            p = patch(__name__ + '.helper')
            """,
            id="a-rebound-module-name",
        ),
        pytest.param(
            """\
            from unittest.mock import patch
            BASE = make_base()
            p = patch(BASE + '.x')
            q = patch(f'{__name__!r}.x')
            r = patch('%s.x' % __name__)
            s = patch(settings.TARGET)
            """,
            id="calls-conversions-formatting-and-attributes",
        ),
        pytest.param(
            """\
            from unittest.mock import patch
            A = B
            B = A
            p = patch(A)
            """,
            id="constants-in-a-cycle",
        ),
    ],
)
def test_unknown_targets_are_not_built(snippet: str) -> None:
    assert all(target is None for target, _ in targets(snippet))


def test_module_name_unknown_leaves_the_target_unknown() -> None:
    source = "from unittest.mock import patch\np = patch(f'{__name__}.helper')\n"
    (site,) = build_model(source).patch_sites
    assert site.target_text(None) is None
    assert site.target_text("pkg.mod") == "pkg.mod.helper"


def test_an_imported_module_name_is_qualified_by_the_caller() -> None:
    source = (
        "from unittest.mock import patch\nfrom shop import pricing\n"
        "p = patch(f'{pricing.__name__}.tax')\n"
    )
    (site,) = build_model(source).patch_sites
    assert [(part.text, part.name_of) for part in site.built_target] == [
        ("", "pricing"),
        (".tax", ""),
    ]
    assert site.target_text(MODULE) is None
    qualified = {"pricing": "shop.pricing"}
    assert site.target_text(MODULE, qualified.get) == "shop.pricing.tax"


def test_each_site_knows_where_it_applies() -> None:
    source = textwrap.dedent(
        """\
        from unittest import mock
        p = mock.patch('a.started_at_module_level')
        @mock.patch('a.on_a_class')
        class Tests:
            def setUp(self):
                self.p = mock.patch('a.in_set_up')
            @mock.patch('a.on_a_method')
            def test_pay(self, m):
                with mock.patch('a.in_a_with'): ...
        def test_mocker(mocker):
            mocker.patch('a.by_mocker')
        """
    )
    assert [(site.target, site.scope) for site in build_model(source).patch_sites] == [
        ("a.started_at_module_level", "<module>"),
        ("a.on_a_class", "Tests"),
        ("a.in_set_up", "Tests.setUp"),
        ("a.on_a_method", "Tests.test_pay"),
        ("a.in_a_with", "Tests.test_pay"),
        ("a.by_mocker", "test_mocker"),
    ]


def test_patch_object_knows_when_its_object_is_a_local_name() -> None:
    source = textwrap.dedent(
        """\
        from unittest import mock
        from shop import payments
        class Foo: ...
        p = mock.patch.object(Foo, 'x')
        def test_a():
            class Foo: ...
            @mock.patch.object(Foo, 'woot')
            def inner(): ...
            with mock.patch.object(payments.gateway, 'charge'): ...
        class Tests:
            def test_b(self, gateway):
                mock.patch.object(self.repo, 'save')
                mock.patch.object(gateway, 'charge')
                mock.patch.object(Foo, 'x')
        """
    )
    assert [
        (site.target_object.text, site.object_is_local)
        for site in build_model(source).patch_sites
        if site.target_object is not None
    ] == [
        ("Foo", False),
        ("Foo", True),
        ("payments.gateway", False),
        ("self.repo", True),
        ("gateway", True),
        ("Foo", False),
    ]

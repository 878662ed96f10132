"""Hover cards on patch target strings and on the mocks patchers hand over."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from mockls.analysis.builder import build_model
from mockls.navigation import HoverCard, hover_card
from mockls.resolve.project import Project, ProjectFile

if TYPE_CHECKING:
    from conftest import Cursors

PROJECT_ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "navigation_project"
TEST_MODULE = PROJECT_ROOT / "tests" / "test_orders.py"
SOURCE = TEST_MODULE.read_text(encoding="utf-8")
MODEL = build_model(SOURCE)

CHARGE_SIGNATURE = '```python\ncharge(amount, currency="EUR", *, idempotency_key=None)\n```'


@pytest.fixture
def card_at(project: Project, cursors: Cursors) -> Callable[[str], HoverCard | None]:
    """The card at the cursor written into a piece of the fixture's test module."""

    def card(marked: str) -> HoverCard | None:
        return hover_card(MODEL, cursors.find(SOURCE, marked), ProjectFile(project, TEST_MODULE))

    return card


def covered(card: HoverCard | None) -> str | None:
    """The text the card's span covers."""
    if card is None:
        return None
    lines = SOURCE.split("\n")
    assert card.span.start.line == card.span.end.line
    return lines[card.span.start.line][card.span.start.character : card.span.end.character]


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        pytest.param(
            '"shop.payments.ch|arge", autospec',
            "function `shop.payments.charge`\n\n"
            f"{CHARGE_SIGNATURE}\n\n"
            "Defined in `shop/payments.py:6`.\n\n"
            "Looked up by:\n"
            "- `shop/orders.py:4` binds it with `from shop.payments import charge`: "
            "**not reached** by this patch; patch `'shop.orders.charge'` for it",
            id="definition-site-with-a-binder-patched-in-another-test",
        ),
        pytest.param(
            '"shop.orders.char|ge"',
            "function `shop.payments.charge`\n\n"
            "Patched as `shop.orders.charge`.\n\n"
            f"{CHARGE_SIGNATURE}\n\n"
            "Defined in `shop/payments.py:6`.\n\n"
            "Looked up by:\n"
            "- `shop/orders.py:4` binds it with `from shop.payments import charge`: "
            "reached by this patch",
            id="lookup-site",
        ),
        pytest.param(
            '"shop.notifications.|send_receipt"',
            "function `shop.notifications.send_receipt`\n\n"
            '```python\nsend_receipt(order, channel="email")\n```\n\n'
            "Defined in `shop/notifications.py:4`.\n\n"
            "Looked up by:\n"
            "- `shop.orders` looks it up through `shop.notifications`: reached by this patch",
            id="looked-up-through-its-module",
        ),
        pytest.param(
            '"|shop.orders.Order.empty"',
            "class method `shop.orders.Order.empty`\n\n"
            "```python\nempty(customer)\n```\n\n"
            "Defined in `shop/orders.py:20`.",
            id="class-method-without-cls",
        ),
        pytest.param(
            '"shop.orders.Order.currency|"',
            "static method `shop.orders.Order.currency`\n\n"
            "```python\ncurrency()\n```\n\n"
            "Defined in `shop/orders.py:24`.",
            id="static-method",
        ),
        pytest.param(
            '"tot|al", autospec',
            "method `shop.orders.Order.total`\n\n"
            "```python\ntotal(self, tax_rate=0.2)\n```\n\n"
            "Defined in `shop/orders.py:16`.",
            id="patch-object-attribute-keeps-self",
        ),
        pytest.param(
            '"shop.re|fund"',
            "function `shop.payments.refund`\n\n"
            "Patched as `shop.refund`.\n\n"
            "```python\nrefund(payment_id)\n```\n\n"
            "Defined in `shop/payments.py:11`.",
            id="re-export",
        ),
        pytest.param(
            '"shop.pay|mnts.charge"',
            "`shop.paymnts.charge` cannot be found: `shop` has no attribute `paymnts`. "
            "Did you mean `payments`?",
            id="unresolved",
        ),
        pytest.param(
            '"shop.payments.charg|ee", create=True',
            "`shop.payments.chargee` does not exist: `create=True` adds `chargee` to "
            "`shop.payments` while the patch is active.",
            id="created",
        ),
        pytest.param(
            '"os.envi|ron"',
            "attribute `os.environ` (standard library)\n\nDefined in `os.py:769`.",
            id="standard-library",
        ),
        pytest.param(
            "def test_place_charges_the_total(mock_|charge)",
            "`mock_charge`: mock of `shop.payments.charge`, autospecced "
            "(calls must match the signature)\n\n"
            "function `shop.payments.charge`\n\n"
            f"{CHARGE_SIGNATURE}\n\n"
            "Defined in `shop/payments.py:6`.",
            id="injected-autospecced-mock",
        ),
        pytest.param(
            "def test_place_sends_a_receipt(mock_send_receipt, mock_charge|)",
            "`mock_charge`: mock of `shop.orders.charge` — a `MagicMock` that "
            "accepts any call\n\n"
            "function `shop.payments.charge`\n\n"
            f"{CHARGE_SIGNATURE}\n\n"
            "Defined in `shop/payments.py:6`.",
            id="injected-mock-bottom-decorator-order",
        ),
        pytest.param(
            "as mock_to|tal",
            "`mock_total`: mock of `Order.total`, autospecced "
            "(calls must match the signature)\n\n"
            "method `shop.orders.Order.total`\n\n"
            "```python\ntotal(self, tax_rate=0.2)\n```\n\n"
            "Defined in `shop/orders.py:16`.",
            id="with-as-name",
        ),
    ],
)
def test_hover_card(card_at: Callable[[str], HoverCard | None], marked: str, expected: str) -> None:
    card = card_at(marked)
    assert card is not None
    assert card.markdown == expected


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        ('"shop.payments.ch|arge", autospec', "shop.payments.charge"),
        ("(mock_send_receipt, mock_|charge)", "mock_charge"),
    ],
)
def test_the_card_covers_the_whole_target_or_name(
    card_at: Callable[[str], HoverCard | None], marked: str, expected: str
) -> None:
    assert covered(card_at(marked)) == expected


@pytest.mark.parametrize(
    "marked",
    [
        pytest.param('Order("a|da", [10])', id="another-string"),
        pytest.param("mock_send_receipt.assert_called_|once()", id="a-use-of-the-mock"),
        pytest.param("patch.object(Or|der", id="patch-object-owner"),
        pytest.param('"shop.payments.charge"|, autospec', id="after-the-closing-quote"),
        pytest.param("@mock.pa|tch.dict", id="the-patcher"),
    ],
)
def test_no_card_elsewhere(card_at: Callable[[str], HoverCard | None], marked: str) -> None:
    assert card_at(marked) is None


def test_no_card_for_targets_without_a_project(cursors: Cursors) -> None:
    assert hover_card(MODEL, cursors.find(SOURCE, '"shop.orders.char|ge"'), None) is None


def test_a_mock_without_a_project_names_its_target(cursors: Cursors) -> None:
    card = hover_card(MODEL, cursors.find(SOURCE, "(mock_send_receipt|, mock_charge)"), None)
    assert card is not None
    assert card.markdown == (
        "`mock_send_receipt`: mock of `shop.notifications.send_receipt` — a `MagicMock` that "
        "accepts any call"
    )


def test_a_target_built_from_the_module_name(fresh_project: Project, cursors: Cursors) -> None:
    source, position = cursors.take(
        "from unittest import mock\n\n\n"
        "def helper():\n    pass\n\n\n"
        "@mock.patch(__name__ + '.hel|per')\n"
        "def test_helper(mock_helper):\n    pass\n"
    )
    fresh_project.update_file(TEST_MODULE, source)
    card = hover_card(build_model(source), position, ProjectFile(fresh_project, TEST_MODULE))
    assert card is not None
    assert card.markdown == (
        "function `tests.test_orders.helper`\n\n"
        "```python\nhelper()\n```\n\n"
        "Defined in `tests/test_orders.py:4`."
    )
    assert card.span.start == cursors.position(source, source.index(".helper"))


def test_a_missing_top_level_module_names_the_environment(
    fresh_project: Project, cursors: Cursors
) -> None:
    source, position = cursors.take(
        "from unittest import mock\n\n\n@mock.patch('shopp.pay|ments.charge')\n"
        "def test_it(mock_charge):\n    pass\n"
    )
    fresh_project.update_file(TEST_MODULE, source)
    card = hover_card(build_model(source), position, ProjectFile(fresh_project, TEST_MODULE))
    assert card is not None
    assert card.markdown == (
        "`shopp.payments.charge` cannot be found: no module named `shopp` in the workspace or "
        "in the Python environment mockls reads (the `python` setting names its interpreter). "
        "Did you mean `shop`?"
    )


@pytest.mark.parametrize(
    ("earlier_test", "reach"),
    [
        pytest.param(
            "",
            "not reached by this patch (patched on line 6)",
            id="patched-again-in-the-same-test",
        ),
        pytest.param(
            "@mock.patch('shop.orders.charge')\ndef test_other(mock_charge):\n    pass\n\n\n",
            "not reached by this patch (patched on line 11)",
            id="the-patch-of-the-same-test-not-the-earlier-one-of-another",
        ),
    ],
)
def test_a_binder_another_patch_of_the_test_reaches(
    fresh_project: Project, cursors: Cursors, earlier_test: str, reach: str
) -> None:
    source, position = cursors.take(
        "from unittest import mock\n\nfrom shop.orders import place\n\n\n"
        + earlier_test
        + "@mock.patch('shop.orders.charge')\n"
        "@mock.patch('shop.payments.ch|arge')\n"
        "def test_both(mock_payments_charge, mock_orders_charge):\n    pass\n"
    )
    fresh_project.update_file(TEST_MODULE, source)
    card = hover_card(build_model(source), position, ProjectFile(fresh_project, TEST_MODULE))
    assert card is not None
    assert card.markdown.endswith(
        "- `shop/orders.py:4` binds it with `from shop.payments import charge`: " + reach
    )


def test_a_patch_of_the_binder_in_another_test_does_not_reach(
    fresh_project: Project, cursors: Cursors
) -> None:
    source, position = cursors.take(
        "from unittest import mock\n\nfrom shop.orders import place\n\n\n"
        "@mock.patch('shop.payments.ch|arge')\n"
        "def test_one(mock_charge):\n    pass\n\n\n"
        "@mock.patch('shop.orders.charge')\n"
        "def test_other(mock_charge):\n    pass\n"
    )
    fresh_project.update_file(TEST_MODULE, source)
    card = hover_card(build_model(source), position, ProjectFile(fresh_project, TEST_MODULE))
    assert card is not None
    assert card.markdown.endswith(
        "- `shop/orders.py:4` binds it with `from shop.payments import charge`: "
        "**not reached** by this patch; patch `'shop.orders.charge'` for it"
    )


ANNOTATED_ORDERS = (
    (PROJECT_ROOT / "shop" / "orders.py")
    .read_text(encoding="utf-8")
    .replace("def size(self):", "def size(self) -> int:")
)


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        pytest.param(
            "mock.patch('shop.orders.Order.si|ze')",
            "property `shop.orders.Order.size`\n\n```python\nsize: int\n```\n\n"
            "Defined in `shop/orders.py:28`.",
            id="target",
        ),
        pytest.param(
            "as mock_si|ze",
            "`mock_size`: mock of `Order.size` — a `PropertyMock` that accepts any call\n\n"
            "property `shop.orders.Order.size`\n\n```python\nsize: int\n```\n\n"
            "Defined in `shop/orders.py:28`.",
            id="mock",
        ),
    ],
)
def test_a_property_shows_its_type(
    fresh_project: Project, cursors: Cursors, marked: str, expected: str
) -> None:
    fresh_project.update_file(PROJECT_ROOT / "shop" / "orders.py", ANNOTATED_ORDERS)
    text = (
        "from unittest import mock\n\nfrom shop.orders import Order\n\n\n"
        "def test_size():\n"
        "    with mock.patch('shop.orders.Order.size'):\n        pass\n"
        "    with mock.patch.object(Order, 'size', new_callable=mock.PropertyMock) as mock_size:\n"
        "        pass\n"
    )
    position = cursors.find(text, marked)
    fresh_project.update_file(TEST_MODULE, text)
    card = hover_card(build_model(text), position, ProjectFile(fresh_project, TEST_MODULE))
    assert card is not None
    assert card.markdown == expected

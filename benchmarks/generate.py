"""Realistic generated test modules for the benchmarks: TestCase classes full of patches and mocks.

The modules read like the tests in ``examples/shop``: stacked ``@patch`` decorators, ``with
patch(...)`` blocks, patchers started in ``setUp``, ``Mock(spec=...)`` objects, chains of
``return_value`` and assertion calls, and one mistake about every eight test methods (a
misspelled assertion, a misspelled configuration attribute, swapped decorator parameters, an
invalid ``patch`` argument, a patcher nobody stops), so the rules have work to do.
"""

from __future__ import annotations

from collections.abc import Callable

HEADER = '''\
"""Generated tests for the mockls benchmarks (not meant to be run)."""

import unittest
from unittest.mock import MagicMock, Mock, call, patch

from shop.inventory import Inventory, OutOfStock
from shop.orders import Order, OrderRepository, OrderService
from shop.payments import PaymentDeclined

PRICES = {"mug": 1200, "poster": 800}
'''

CLASS_HEADER = """

class OrderTests{n}(unittest.TestCase):
    def setUp(self):
        patcher = patch("shop.orders.send_receipt")
        self.mock_send_receipt = patcher.start()
        self.addCleanup(patcher.stop)
        self.inventory = Inventory({{"mug": 50, "poster": 20}})
        self.service = OrderService(OrderRepository(), self.inventory)
"""

LEAKY_CLASS_HEADER = """

class LeakyOrderTests{n}(unittest.TestCase):
    def setUp(self):
        self.receipt_patcher = patch("shop.orders.send_receipt")
        self.mock_send_receipt = self.receipt_patcher.start()
        self.inventory = Inventory({{"mug": 50, "poster": 20}})
        self.service = OrderService(OrderRepository(), self.inventory)
"""

METHODS_PER_CLASS = 8
MISTAKE_EVERY = 8


def _place(n: int, mistake: bool) -> str:
    first, second = ("mock_send", "mock_charge") if mistake else ("mock_charge", "mock_send")
    return f"""
    @patch("shop.orders.send_receipt")
    @patch("shop.orders.charge")
    def test_place_{n}(self, {first}, {second}):
        mock_charge.return_value = "ch_{n}"
        order = self.service.place("o-{n}", "u{n}@example.com", "4242", {{"mug": 2}}, PRICES)
        mock_charge.assert_called_once_with("4242", 2400)
        mock_send.assert_called_once_with("u{n}@example.com", order)
        self.assertEqual(order.charge_id, "ch_{n}")
"""


def _cancel(n: int, mistake: bool) -> str:
    assertion = "assert_called_once_wtih" if mistake else "assert_called_once_with"
    return f"""
    def test_cancel_{n}(self):
        repository = Mock(spec=OrderRepository)
        repository.get.return_value = Order("o-{n}", "u@x.io", {{"mug": 1}}, 1200, "ch_{n}", "paid")
        with patch("shop.orders.refund") as mock_refund, patch.object(
            Inventory, "release"
        ) as mock_release:
            order = OrderService(repository, self.inventory).cancel("o-{n}")
        mock_refund.{assertion}("ch_{n}")
        mock_release.assert_called_once_with({{"mug": 1}})
        repository.save.assert_called_once_with(order)
        self.assertEqual(repository.save.call_count, 1)
"""


def _gateway(n: int, mistake: bool) -> str:
    attribute = "side_efect" if mistake else "side_effect"
    return f"""
    def test_gateway_{n}(self):
        gateway = MagicMock()
        gateway.create_charge.{attribute} = ["ch_{n}", PaymentDeclined("declined")]
        with patch("shop.payments.gateway", gateway):
            self.service.place("o-{n}", "u@example.com", "4242", {{"poster": 1}}, PRICES)
            with self.assertRaises(PaymentDeclined):
                self.service.place("p-{n}", "u@example.com", "4242", {{"poster": 2}}, PRICES)
        gateway.create_charge.assert_has_calls([call("4242", 800), call("4242", 1600)])
        self.assertEqual(self.inventory.available("poster"), 19)
"""


def _stock(n: int, mistake: bool) -> str:
    keyword = "autospect" if mistake else "autospec"
    return f"""
    @patch("shop.orders.charge", {keyword}=True)
    def test_stock_{n}(self, mock_charge):
        with self.assertRaises(OutOfStock):
            self.service.place("o-{n}", "u@example.com", "4242", {{"poster": 99}}, PRICES)
        mock_charge.assert_not_called()
        self.mock_send_receipt.assert_not_called()
        self.assertFalse(mock_charge.called)
"""


def _receipt(n: int, mistake: bool) -> str:
    attribute = "retrun_value" if mistake else "return_value"
    return f"""
    def test_receipt_{n}(self):
        with patch("shop.orders.charge") as mock_charge:
            mock_charge.{attribute} = "ch_{n}"
            order = self.service.place("o-{n}", "u{n}@example.com", "4242", {{"mug": 1}}, PRICES)
        self.mock_send_receipt.assert_called_once_with("u{n}@example.com", order)
        args, kwargs = self.mock_send_receipt.call_args
        self.assertEqual(args[1].total_cents, 1200)
        self.assertEqual(kwargs, {{}})
"""


TEMPLATES: tuple[Callable[[int, bool], str], ...] = (_place, _cancel, _gateway, _stock, _receipt)


def generate_test_module(target_lines: int) -> str:
    """A test module of about ``target_lines`` lines (never fewer), deterministic for a size."""
    parts = [HEADER]
    lines = HEADER.count("\n")
    method = 0
    while lines < target_lines:
        if method % METHODS_PER_CLASS == 0:
            number = method // METHODS_PER_CLASS
            # Every fifth class forgets to stop its patcher.
            header = LEAKY_CLASS_HEADER if number % 5 == 4 else CLASS_HEADER
            parts.append(header.format(n=number))
            lines += header.count("\n")
        template = TEMPLATES[method % len(TEMPLATES)]
        # 8 and 5 share no factor, so the mistakes rotate through every template.
        text = template(method, method % MISTAKE_EVERY == MISTAKE_EVERY - 1)
        parts.append(text)
        lines += text.count("\n")
        method += 1
    return "".join(parts)

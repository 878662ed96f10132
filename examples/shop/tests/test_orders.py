"""Placing orders, tested with unittest and ``@patch`` decorators.

Tests marked ``MISTAKE`` are deliberately wrong: each one passes (or fails for the wrong
reason) while not testing what its name says. mockls reports every one of them.
"""

import unittest
from unittest.mock import Mock, patch

from shop.inventory import Inventory, OutOfStock
from shop.orders import OrderRepository, OrderService
from shop.payments import PaymentDeclined

PRICES = {"mug": 1200, "poster": 800}


class PlaceOrderTests(unittest.TestCase):
    def setUp(self):
        self.inventory = Inventory({"mug": 5, "poster": 2})
        self.service = OrderService(OrderRepository(), self.inventory)

    @patch("shop.orders.send_receipt")
    @patch("shop.orders.charge")
    def test_place_charges_the_total(self, mock_charge, mock_send_receipt):
        mock_charge.return_value = "ch_42"

        order = self.service.place("o-1", "ann@example.com", "4242", {"mug": 2}, PRICES)

        mock_charge.assert_called_once_with("4242", 2400)
        mock_send_receipt.assert_called_once_with("ann@example.com", order)
        self.assertEqual(order.charge_id, "ch_42")

    @patch("shop.orders.send_receipt")
    @patch("shop.orders.charge")
    def test_place_sends_one_receipt(self, mock_send_receipt, mock_charge):
        # MISTAKE patch-argument-order: the bottom decorator's mock is the first parameter, so
        # "mock_send_receipt" is really the charge mock; this checks that the card was charged.
        self.service.place("o-2", "ann@example.com", "4242", {"poster": 1}, PRICES)

        mock_send_receipt.assert_called_once()

    @patch("shop.orders.charge", return_value="ch_3")
    def test_place_charges_price_times_quantity(self, mock_charge):
        self.service.place("o-3", "ann@example.com", "4242", {"mug": 3}, PRICES)

        # MISTAKE misspelled-assert: "wtih" is not an assertion.
        mock_charge.assert_called_once_wtih("4242", 3600)

    def test_declined_card_puts_the_stock_back(self):
        with patch("shop.orders.charge", side_effect=PaymentDeclined("declined")) as mock_charge:
            with self.assertRaises(PaymentDeclined):
                self.service.place("o-4", "ann@example.com", "4000000000000000", {"mug": 1}, PRICES)

        # MISTAKE misspelled-assert: "assret" is not an assertion.
        mock_charge.assret_called_with("4000000000000000", 1200)
        self.assertEqual(self.inventory.available("mug"), 5)

    def test_receipt_goes_to_the_customer(self):
        with patch("shop.orders.charge", return_value="ch_5"), patch(
            "shop.orders.send_receipt"
        ) as mock_send:
            order = self.service.place("o-5", "bob@example.com", "4242", {"mug": 1}, PRICES)

        # MISTAKE misspelled-assert: without "assert_" this only creates a child mock; before
        # Python 3.12 it never fails.
        mock_send.called_once_with("bob@example.com", order)

    @patch("shop.orders.send_receipt")
    @patch("shop.orders.charge")
    def test_place_saves_the_paid_order(self, mock_charge, mock_send_receipt):
        # MISTAKE misspelled-mock-attribute: "retrun_value" just sets a new attribute; charge()
        # still returns a MagicMock, and nothing below notices.
        mock_charge.retrun_value = "ch_6"
        repository = Mock()
        service = OrderService(repository, self.inventory)

        order = service.place("o-6", "ann@example.com", "4242", {"mug": 1}, PRICES)

        repository.save.assert_called_once_with(order)
        mock_send_receipt.assert_called_once()
        self.assertEqual(order.status, "paid")

    @patch("shop.orders.send_receipt")
    @patch("shop.orders.charge", return_value="ch_7")
    def test_nothing_is_charged_when_out_of_stock(self, mock_charge, mock_send_receipt):
        with self.assertRaises(OutOfStock):
            self.service.place("o-7", "ann@example.com", "4242", {"poster": 3}, PRICES)

        mock_charge.assert_not_called()
        mock_send_receipt.assert_not_called()
        self.assertEqual(mock_charge.call_count, 0)


if __name__ == "__main__":
    unittest.main()

"""Refunds, tested the way tests often grow: one more ``with patch(...)`` for each new concern.

Put the cursor on the first ``with`` below: mockls offers the refactoring "Flatten the `with
patch` blocks: patchers stopped by `addCleanup`", which starts the three patchers at the top
of the test and stops them when it ends, in reverse order, as the nested blocks did.
"""

import unittest
from unittest import mock

from shop.inventory import Inventory
from shop.orders import Order, OrderRepository, OrderService


class RefundTests(unittest.TestCase):
    def test_cancelling_a_paid_order_refunds_it(self):
        repository = OrderRepository()
        repository.save(Order("o-9", "bo@example.com", {"mug": 2}, 2400, "ch_9", status="paid"))
        inventory = Inventory({"mug": 1})

        with mock.patch("shop.orders.refund") as mock_refund:
            with mock.patch.object(Inventory, "release", autospec=True) as mock_release:
                # Cancelling sends no receipt.
                with mock.patch("shop.orders.send_receipt") as mock_send_receipt:
                    order = OrderService(repository, inventory).cancel("o-9")

                    mock_refund.assert_called_once_with("ch_9")
                    mock_release.assert_called_once_with(inventory, {"mug": 2})
                    mock_send_receipt.assert_not_called()
                    self.assertEqual(inventory.available("mug"), 1)  # release() was the mock

        self.assertEqual(order.status, "cancelled")

"""Cancelling and shipping orders: patchers started in ``setUp``, and an async notifier.

Tests marked ``MISTAKE`` are deliberately wrong; mockls reports each of them.
"""

import unittest
from unittest import mock

from shop.inventory import Inventory
from shop.orders import Order, OrderRepository, OrderService


def paid_order(order_id="o-1"):
    return Order(order_id, "ann@example.com", {"mug": 1}, 1200, "ch_1", status="paid")


class CancelOrderTests(unittest.TestCase):
    def setUp(self):
        # MISTAKE patcher-not-stopped: nothing stops this patcher, so shop.orders.refund stays
        # a mock for every test that runs after this class.
        self.refund_patcher = mock.patch("shop.orders.refund")
        self.mock_refund = self.refund_patcher.start()
        self.inventory = Inventory({"mug": 4})

    def test_cancel_refunds_a_paid_order(self):
        mock_repo = mock.Mock(spec=OrderRepository)
        mock_repo.configure_mock(**{"get.return_value": paid_order()})
        service = OrderService(mock_repo, self.inventory)

        order = service.cancel("o-1")

        self.mock_refund.assert_called_once_with("ch_1")
        mock_repo.save.assert_called_once_with(order)
        self.assertEqual(self.inventory.available("mug"), 5)

    def test_cancel_of_unknown_order_fails(self):
        mock_repo = mock.Mock()
        # MISTAKE misspelled-mock-attribute: "side_efect" configures nothing; get() returns a
        # MagicMock and cancel() goes on as if the order existed.
        mock_repo.get.side_efect = KeyError("o-404")
        service = OrderService(mock_repo, self.inventory)

        with self.assertRaises(KeyError):
            service.cancel("o-404")


class CancelUnpaidOrderTests(unittest.TestCase):
    def setUp(self):
        patcher = mock.patch("shop.orders.refund")
        self.mock_refund = patcher.start()
        self.addCleanup(patcher.stop)

    def test_unpaid_order_is_not_refunded(self):
        repository = OrderRepository()
        repository.save(Order("o-2", "ann@example.com", {"mug": 1}, 1200))

        order = OrderService(repository, Inventory()).cancel("o-2")

        self.mock_refund.assert_not_called()
        self.assertEqual(order.status, "cancelled")


class ShipOrderTests(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        self.notice_patcher = mock.patch(
            "shop.orders.send_shipping_notice", new_callable=mock.AsyncMock
        )
        self.mock_notice = self.notice_patcher.start()
        self.repository = OrderRepository()
        self.service = OrderService(self.repository, Inventory())

    def tearDown(self):
        self.notice_patcher.stop()

    async def test_ship_tells_the_customer(self):
        self.repository.save(paid_order())

        self.assertTrue(await self.service.ship("o-1"))

        self.mock_notice.assert_awaited_once_with("ann@example.com", "o-1")

    async def test_unpaid_order_is_not_shipped(self):
        self.repository.save(Order("o-3", "ann@example.com", {"mug": 1}, 1200))

        self.assertFalse(await self.service.ship("o-3"))

        self.mock_notice.assert_not_awaited()

    async def test_shipping_notice_without_new_callable(self):
        # patch() sees that send_shipping_notice is "async def" and makes an AsyncMock itself.
        with mock.patch("shop.orders.send_shipping_notice") as mock_notice:
            self.repository.save(paid_order("o-4"))
            await self.service.ship("o-4")

        mock_notice.assert_awaited_once()
        self.assertEqual(mock_notice.await_count, 1)


if __name__ == "__main__":
    unittest.main()

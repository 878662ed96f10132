"""Placing, cancelling and shipping orders.

Note the imports: ``charge``, ``refund``, ``send_receipt`` and ``send_shipping_notice`` are
bound into this module's namespace, so tests must patch ``shop.orders.charge``, not
``shop.payments.charge``.
"""

from __future__ import annotations

from dataclasses import dataclass

from shop.emails import send_receipt, send_shipping_notice
from shop.inventory import Inventory
from shop.payments import charge, refund


@dataclass
class Order:
    order_id: str
    email: str
    items: dict[str, int]
    total_cents: int
    charge_id: str = ""
    status: str = "new"


class OrderRepository:
    """Orders by id (in memory; a real shop would use a database)."""

    def __init__(self) -> None:
        self._orders: dict[str, Order] = {}

    def save(self, order: Order) -> None:
        self._orders[order.order_id] = order

    def get(self, order_id: str) -> Order:
        return self._orders[order_id]


class OrderService:
    def __init__(self, repository: OrderRepository, inventory: Inventory) -> None:
        self.repository = repository
        self.inventory = inventory

    def place(self, order_id: str, email: str, card: str, items: dict[str, int],
              prices: dict[str, int]) -> Order:
        """Reserve the items, charge the card, save the order and send the receipt."""
        total = sum(prices[sku] * quantity for sku, quantity in items.items())
        self.inventory.reserve(items)
        try:
            charge_id = charge(card, total)
        except Exception:
            self.inventory.release(items)
            raise
        order = Order(order_id, email, items, total, charge_id, status="paid")
        self.repository.save(order)
        send_receipt(email, order)
        return order

    def cancel(self, order_id: str) -> Order:
        order = self.repository.get(order_id)
        if order.status == "paid":
            refund(order.charge_id)
            self.inventory.release(order.items)
        order.status = "cancelled"
        self.repository.save(order)
        return order

    async def ship(self, order_id: str) -> bool:
        """Mark a paid order shipped and tell the customer; anything else is not shipped."""
        order = self.repository.get(order_id)
        if order.status != "paid":
            return False
        order.status = "shipped"
        self.repository.save(order)
        await send_shipping_notice(order.email, order.order_id)
        return True

"""Stock levels: reserve items for an order, release them when it is cancelled."""

from __future__ import annotations


class OutOfStock(Exception):
    """Raised when an order asks for more of an item than the shop has."""


class Inventory:
    """Stock per SKU, kept in memory."""

    def __init__(self, stock: dict[str, int] | None = None) -> None:
        self._stock = dict(stock or {})

    def available(self, sku: str) -> int:
        return self._stock.get(sku, 0)

    def reserve(self, items: dict[str, int]) -> None:
        """Take every item out of stock, or none of them."""
        for sku, quantity in items.items():
            if self.available(sku) < quantity:
                raise OutOfStock(f"only {self.available(sku)} of {sku} left")
        for sku, quantity in items.items():
            self._stock[sku] -= quantity

    def release(self, items: dict[str, int]) -> None:
        for sku, quantity in items.items():
            self._stock[sku] = self.available(sku) + quantity

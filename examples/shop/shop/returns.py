"""Returns: items a customer sends back go back into stock."""

from __future__ import annotations

from shop.inventory import Inventory


def accept_return(inventory: Inventory, sku: str, quantity: int) -> None:
    """Put returned items back on the shelf."""
    # A bug that tests/test_inventory.py lets through: Inventory.release takes one dict
    # ({sku: quantity}), so with a real Inventory this line raises TypeError.
    inventory.release(sku, quantity)

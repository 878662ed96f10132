"""Customer e-mails: receipts and shipping notices."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shop.orders import Order

OUTBOX: list[tuple[str, str]] = []
"""Sent messages as (address, subject); a real shop would talk to an SMTP server here."""


def send_receipt(email: str, order: Order) -> None:
    OUTBOX.append((email, f"Receipt for order {order.order_id}: {order.total_cents / 100:.2f}"))


async def send_shipping_notice(email: str, order_id: str) -> None:
    await asyncio.sleep(0)  # the mail API is asynchronous
    OUTBOX.append((email, f"Order {order_id} is on its way"))

"""Card payments through the payment provider's gateway."""

from __future__ import annotations

import itertools
import os


class PaymentDeclined(Exception):
    """The provider refused the charge."""


class PaymentGateway:
    """The provider's API client (a sandbox stand-in: it keeps charges in memory)."""

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self._ids = itertools.count(1)
        self.charges: dict[str, int] = {}

    def create_charge(self, card: str, amount_cents: int) -> str:
        if card.endswith("0000"):
            raise PaymentDeclined(f"card ending {card[-4:]} was declined")
        charge_id = f"ch_{next(self._ids)}"
        self.charges[charge_id] = amount_cents
        return charge_id

    def refund(self, charge_id: str) -> None:
        del self.charges[charge_id]


gateway = PaymentGateway(api_key=os.environ.get("SHOP_PAYMENT_KEY", "sk_test"))


def charge(card: str, amount_cents: int) -> str:
    """Charge the card and return the charge id."""
    if amount_cents <= 0:
        raise ValueError("amount must be positive")
    return gateway.create_charge(card, amount_cents)


def refund(charge_id: str) -> None:
    gateway.refund(charge_id)

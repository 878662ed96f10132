"""Resolving patch targets that name workspace code, on the ``layered`` fixture project."""

from __future__ import annotations

import pytest

from mockls.resolve.project import Project

from .conftest import FIXTURES, describe

ROOT = FIXTURES / "layered"

CHARGE = (
    'function shop.payments.charge (amount: float, currency: str = "EUR", *,'
    " idempotency_key: str | None = None) -> str @ shop/payments.py:12:5"
)

CASES = [
    # modules and packages
    ("shop", "module shop @ shop/__init__.py:1:1"),
    ("shop.payments", "module shop.payments @ shop/payments.py:1:1"),
    ("shop.utils.helpers", "module shop.utils.helpers @ shop/utils/helpers.py:1:1"),
    # module-level definitions of every kind
    ("shop.payments.charge", CHARGE),
    (
        "shop.payments.refund",
        'function shop.payments.refund (payment_id, /, reason="", **metadata)'
        " @ shop/payments.py:16:5",
    ),
    ("shop.payments.settle", "function shop.payments.settle (*batches) @ shop/payments.py:20:11"),
    ("shop.payments.TAX_RATE", "constant shop.payments.TAX_RATE @ shop/payments.py:7:1"),
    (
        "shop.payments.DEFAULT_CURRENCY",
        "constant shop.payments.DEFAULT_CURRENCY @ shop/payments.py:8:1",
    ),
    ("shop.payments.log", "attribute shop.payments.log @ shop/payments.py:9:1"),
    (
        "shop.payments.Gateway",
        "class shop.payments.Gateway (api_key, retries=3) @ shop/payments.py:24:7",
    ),
    # class members of every kind
    (
        "shop.payments.Gateway.authorize",
        "method shop.payments.Gateway.authorize (self, amount) @ shop/payments.py:34:9",
    ),
    (
        "shop.payments.Gateway.from_settings",
        "classmethod shop.payments.Gateway.from_settings (cls, settings) @ shop/payments.py:38:9",
    ),
    (
        "shop.payments.Gateway.checksum",
        "staticmethod shop.payments.Gateway.checksum (payload: bytes) -> int"
        " @ shop/payments.py:42:9",
    ),
    (
        "shop.payments.Gateway.is_live",
        "property shop.payments.Gateway.is_live @ shop/payments.py:46:9",
    ),
    (
        "shop.payments.Gateway.timeout",
        "constant shop.payments.Gateway.timeout @ shop/payments.py:27:5",
    ),
    (
        "shop.payments.Gateway.session",
        "attribute shop.payments.Gateway.session @ shop/payments.py:32:14",
    ),
    ("shop.payments.Gateway.Error", "class shop.payments.Gateway.Error @ shop/payments.py:49:11"),
    # inherited members, overridden members, the constructor inherited
    (
        "shop.payments.SandboxGateway",
        "class shop.payments.SandboxGateway (api_key, retries=3) @ shop/payments.py:53:7",
    ),
    (
        "shop.payments.SandboxGateway.timeout",
        "constant shop.payments.Gateway.timeout @ shop/payments.py:27:5",
    ),
    (
        "shop.payments.SandboxGateway.authorize",
        "method shop.payments.SandboxGateway.authorize (self, amount, *, dry_run=True)"
        " @ shop/payments.py:54:9",
    ),
    # names bound by import: followed to the definition
    (
        "shop.orders.charge",
        CHARGE,
    ),
    (
        "shop.charge",
        CHARGE,
    ),
    (
        "shop.billing.pay",
        CHARGE,
    ),
    ("shop.orders.payments", "module shop.payments @ shop/payments.py:1:1"),
    ("shop.orders.payments.TAX_RATE", "constant shop.payments.TAX_RATE @ shop/payments.py:7:1"),
    ("shop.Order.pay", "method shop.orders.Order.pay (self) @ shop/orders.py:11:9"),
    # aliases
    ("shop.aliases.pay_mod", "module shop.payments @ shop/payments.py:1:1"),
    ("shop.aliases.pay_mod.charge", CHARGE),
    (
        "shop.aliases.PaymentGateway.authorize",
        "method shop.payments.Gateway.authorize (self, amount) @ shop/payments.py:34:9",
    ),
    (
        "shop.aliases.issue_refund",
        'function shop.payments.refund (payment_id, /, reason="", **metadata)'
        " @ shop/payments.py:16:5",
    ),
    ("shop.aliases.refund", "unresolved at 2 after 'shop.aliases': refund_all, issue_refund"),
    # a package that imports its own submodule, reached through that package
    (
        "shop.notify_users.email.send",
        'function shop.notify.email.send (to, subject, body="") @ shop/notify/email.py:4:5',
    ),
    ("shop.notify.email", "module shop.notify.email @ shop/notify/email.py:1:1"),
    # star imports honour __all__
    (
        "shop.utils.slugify",
        "function shop.utils.helpers.slugify (text) @ shop/utils/helpers.py:6:5",
    ),
    ("shop.utils.hidden", "unresolved at 2 after 'shop.utils'"),
    # circular imports
    ("shop.cycle_a.ping", "function shop.cycle_a.ping () @ shop/cycle_a.py:6:5"),
    ("shop.cycle_a.cycle_b.pong", "function shop.cycle_b.pong () @ shop/cycle_b.py:6:5"),
    ("shop.loop_a.pong", "unknown"),
    # missing names: the failing segment and the closest names
    ("shop.paymnts.charge", "unresolved at 1 after 'shop': payments"),
    ("shop.payments.chrage", "unresolved at 2 after 'shop.payments': charge"),
    (
        "shop.payments.SandboxGateway.authorise",
        "unresolved at 3 after 'shop.payments.SandboxGateway': authorize",
    ),
    ("shop.payments.Gateway.nope", "unresolved at 3 after 'shop.payments.Gateway'"),
    ("shop.payments..charge", "unresolved at 2 after 'shop.payments'"),
    # what cannot be told is unknown, not missing
    ("shop.dynamic.anything", "unknown"),
    ("shop.receipts.Gateway", "unknown"),
    ("shop.payments.charge.__wrapped__", "unknown"),
]


@pytest.mark.parametrize(("target", "expected"), CASES, ids=[case[0] for case in CASES])
def test_workspace_target_resolves_to(layered: Project, target: str, expected: str) -> None:
    assert describe(layered.resolve_target(target), ROOT) == expected

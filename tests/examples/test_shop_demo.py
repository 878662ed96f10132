"""The demo project ``examples/shop``: ``mockls check`` finds each planted mistake and no more.

(``test_newsletter_demo.py`` checks that the two demos together show every rule.)

Both tables below are golden: the findings of the real ``mockls check`` command, and what the
shop's own tests do when they run (the mistakes that pass are the reason mockls exists).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

REPOSITORY = Path(__file__).resolve().parents[2]
SHOP = REPOSITORY / "examples" / "shop"

ORDERS = "tests/test_orders.py"
CANCEL = "tests/test_cancel_and_ship.py"
PAYMENTS = "tests/test_payments.py"
INVENTORY = "tests/test_inventory.py"

EXPECTED_FINDINGS: list[tuple[str, int, str]] = [
    # (path in examples/shop, 1-based line, code): one row per planted mistake.
    # setUp starts refund_patcher and nothing ever stops it (reported at the patch call).
    (CANCEL, 21, "patcher-not-stopped"),
    # mock_repo.get.side_efect = KeyError(...): a typo of side_effect.
    (CANCEL, 40, "misspelled-mock-attribute"),
    # @patch(send_receipt) @patch(charge) -> (self, mock_send_receipt, mock_charge): swapped,
    # one finding for the function.
    (ORDERS, 35, "patch-argument-order"),
    # mock_charge.assert_called_once_wtih(...)
    (ORDERS, 47, "misspelled-assert"),
    # mock_charge.assret_called_with(...)
    (ORDERS, 55, "misspelled-assert"),
    # mock_send.called_once_with(...): no assert_ prefix, a truthy child mock.
    (ORDERS, 66, "misspelled-assert"),
    # mock_charge.retrun_value = "ch_6": a typo of return_value.
    (ORDERS, 73, "misspelled-mock-attribute"),
    # mocker.patch("shop.payments.gateway", autospect=True): not a patch() argument.
    (PAYMENTS, 29, "invalid-patch-arguments"),
    # mocker.patch.object(payments, "gateway", new=..., autospec=True): new with autospec.
    (PAYMENTS, 38, "invalid-patch-arguments"),
    # mock_charge.side_efect = PaymentDeclined(...): a typo of side_effect.
    (PAYMENTS, 59, "misspelled-mock-attribute"),
    # mocker.patch("shop.payments.charge"), but shop.orders did "from shop.payments import
    # charge": the mock never reaches OrderService.place.
    (PAYMENTS, 69, "ineffective-patch"),
    # mocker.patch("shop.paymnets.gateway"): no such module.
    (PAYMENTS, 111, "unresolved-patch-target"),
    # inventory.release.assert_called_once_with("mug", 2) on a Mock(spec=Inventory), but
    # release(items) takes one dict: the test passes, and so does the bug in shop/returns.py.
    (INVENTORY, 21, "signature-mismatch"),
    # mock_charge.assert_called_once_with("4242", amount_cent=2400): charge has amount_cents.
    (INVENTORY, 33, "signature-mismatch"),
]


def run_mockls_check() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mockls", "check", "examples/shop", "--format", "json"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def shop_relative(path: str) -> str:
    """A reported path (relative to the working directory or absolute) relative to the shop."""
    return (REPOSITORY / path).resolve().relative_to(SHOP).as_posix()


def test_check_finds_every_planted_mistake_and_nothing_else() -> None:
    result = run_mockls_check()

    assert result.returncode == 1, result.stderr
    found = sorted(
        (shop_relative(entry["path"]), entry["line"], entry["code"])
        for entry in json.loads(result.stdout)
    )
    assert found == sorted(EXPECTED_FINDINGS)


MOCKER = "passed"
"""What a correct ``mocker`` test does (pytest-mock is a dev dependency, so it really runs)."""
MOCKER_MISTAKE = "failed"
PREFIXLESS = "failed" if sys.version_info >= (3, 12) else "passed"
"""Python 3.12 made ``called_once_with`` and friends raise; before, they pass silently."""

EXPECTED_OUTCOMES: dict[str, str] = {
    # Correct tests pass.
    "test_orders.PlaceOrderTests.test_place_charges_the_total": "passed",
    "test_orders.PlaceOrderTests.test_nothing_is_charged_when_out_of_stock": "passed",
    "test_cancel_and_ship.CancelOrderTests.test_cancel_refunds_a_paid_order": "passed",
    "test_cancel_and_ship.CancelUnpaidOrderTests.test_unpaid_order_is_not_refunded": "passed",
    "test_cancel_and_ship.ShipOrderTests.test_ship_tells_the_customer": "passed",
    "test_cancel_and_ship.ShipOrderTests.test_unpaid_order_is_not_shipped": "passed",
    "test_cancel_and_ship.ShipOrderTests.test_shipping_notice_without_new_callable": "passed",
    "test_payments.test_charge_goes_through_the_gateway": MOCKER,
    "test_payments.test_zero_amount_never_reaches_the_gateway": MOCKER,
    "test_payments.test_placed_order_keeps_the_charge_id": MOCKER,
    "test_payments.test_charge_with_a_hand_written_fake": "passed",
    "test_payments.test_a_new_setting_can_be_patched_in": MOCKER,
    "test_inventory.test_place_reserves_the_items": "passed",
    "test_inventory.test_cancelling_an_unpaid_order_keeps_the_stock": "passed",
    "test_refunds.RefundTests.test_cancelling_a_paid_order_refunds_it": "passed",
    # Mistakes that pass while testing nothing: the reason mockls exists.
    "test_orders.PlaceOrderTests.test_place_sends_one_receipt": "passed",
    "test_orders.PlaceOrderTests.test_place_saves_the_paid_order": "passed",
    "test_orders.PlaceOrderTests.test_receipt_goes_to_the_customer": PREFIXLESS,
    "test_inventory.test_returned_items_go_back_on_the_shelf": "passed",
    "test_payments.test_placed_order_is_paid": MOCKER,
    # Mistakes that fail, for a reason that does not point at the mistake.
    "test_orders.PlaceOrderTests.test_place_charges_price_times_quantity": "failed",
    "test_orders.PlaceOrderTests.test_declined_card_puts_the_stock_back": "failed",
    "test_cancel_and_ship.CancelOrderTests.test_cancel_of_unknown_order_fails": "failed",
    "test_payments.test_charge_returns_the_gateway_id": MOCKER_MISTAKE,
    "test_payments.test_refund_goes_through_the_gateway": MOCKER_MISTAKE,
    "test_payments.test_declined_card_is_not_an_order": MOCKER_MISTAKE,
    "test_payments.test_refund_goes_back_through_the_gateway": MOCKER_MISTAKE,
    "test_inventory.test_place_charges_the_card": "failed",
}


def test_the_shop_tests_run_and_only_the_intended_ones_fail(tmp_path: Path) -> None:
    outcomes = {
        f"{case.get('classname')}.{case.get('name')}".removeprefix("tests."): outcome(case)
        for case in run_demo_tests(SHOP, tmp_path)
    }
    assert outcomes == EXPECTED_OUTCOMES


def run_demo_tests(project: Path, tmp_path: Path) -> list[ElementTree.Element]:
    """Run a demo project's own tests with pytest; its JUnit test cases."""
    report = tmp_path / "report.xml"
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", f"--junitxml={report}"],
        cwd=project,
        env=environment,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return list(ElementTree.parse(report).getroot().iter("testcase"))


def outcome(case: ElementTree.Element) -> str:
    for child, name in (("failure", "failed"), ("error", "failed"), ("skipped", "skipped")):
        if case.find(child) is not None:
            return name
    return "passed"


# --- mockls check --fix on the shop ----------------------------------------------------------

REMAINING_AFTER_FIX = [
    (INVENTORY, 21, "signature-mismatch"),
    (INVENTORY, 33, "signature-mismatch"),
    (PAYMENTS, 38, "invalid-patch-arguments"),
    (PAYMENTS, 69, "ineffective-patch"),
    (PAYMENTS, 111, "unresolved-patch-target"),
]
"""The planted mistakes ``--fix`` leaves: no fix (``new`` with ``autospec``, a call the
signature refuses), or one that is not safe without proof (renaming an asserted keyword, a
retarget, a renamed target: --verify proves those, --unsafe-fixes applies them). The others'
fixes are safe: a typo of a mock name, the parameter order, the missing cleanup."""

OUTCOMES_AFTER_FIX: dict[str, str] = {
    **dict.fromkeys(EXPECTED_OUTCOMES, "passed"),
    # The remaining mistakes, failing for what they are (their findings remain).
    "test_inventory.test_place_charges_the_card": "AssertionError: expected call not found.",
    "test_payments.test_refund_goes_through_the_gateway": (
        "TypeError: autospec creates the mock for you. Can't specify autospec and new."
    ),
    "test_payments.test_refund_goes_back_through_the_gateway": (
        "AttributeError: module 'shop' has no attribute 'paymnets'"
    ),
}
"""What the shop's tests do once ``--fix`` ran: the fixed assertions now check what they say
and pass (the code is right), and only the mistakes --fix leaves fail, with their own error.
The two that pass while testing nothing (``test_returned_items_go_back_on_the_shelf``,
``test_placed_order_is_paid``) still pass, and their findings remain."""


def shop_outcomes(shop: Path, tmp_path: Path) -> dict[str, str]:
    """Each test of the shop at ``shop``: ``passed``, or the first line of its failure."""
    outcomes = {}
    for case in run_demo_tests(shop, tmp_path):
        name = f"{case.get('classname')}.{case.get('name')}".removeprefix("tests.")
        failure = case.find("failure")
        outcomes[name] = outcome(case) if failure is None else failure.get("message", "")
    return {name: result.splitlines()[0] for name, result in outcomes.items()}


def fix_shop(shop: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mockls", "check", "--fix", "--format", "json", "."],
        cwd=shop,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_fix_repairs_the_safe_mistakes_and_the_tests_then_say_why_they_fail(
    tmp_path: Path,
) -> None:
    shop = Path(
        shutil.copytree(SHOP, tmp_path / "shop", ignore=shutil.ignore_patterns("__pycache__"))
    )

    fixed = fix_shop(shop)

    fixed_count = len(EXPECTED_FINDINGS) - len(REMAINING_AFTER_FIX)
    # The last line is the summary (the one before names the interpreter that resolves targets).
    summary = fixed.stderr.splitlines()[-1]
    assert summary == f"Fixed {fixed_count} problems ({len(REMAINING_AFTER_FIX)} remaining)."
    assert fixed.returncode == 1
    remaining = sorted(
        (entry["path"], entry["line"], entry["code"]) for entry in json.loads(fixed.stdout)
    )
    assert remaining == REMAINING_AFTER_FIX
    assert shop_outcomes(shop, tmp_path) == OUTCOMES_AFTER_FIX


def test_a_second_fix_of_the_shop_changes_nothing(tmp_path: Path) -> None:
    shop = Path(
        shutil.copytree(SHOP, tmp_path / "shop", ignore=shutil.ignore_patterns("__pycache__"))
    )
    fix_shop(shop)
    after_first = {path: path.read_bytes() for path in sorted(shop.rglob("*.py"))}

    again = fix_shop(shop)

    assert again.stderr.splitlines()[-1] == "Fixed 0 problems (5 remaining)."
    assert {path: path.read_bytes() for path in sorted(shop.rglob("*.py"))} == after_first

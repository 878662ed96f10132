"""Payments, tested with pytest and pytest-mock's ``mocker`` fixture.

Tests marked ``MISTAKE`` are deliberately wrong; mockls reports each of them.
"""

import pytest

from shop import payments
from shop.inventory import Inventory
from shop.orders import OrderRepository, OrderService
from shop.payments import PaymentDeclined, PaymentGateway, charge


@pytest.fixture
def service():
    return OrderService(OrderRepository(), Inventory({"mug": 5}))


def test_charge_goes_through_the_gateway(mocker):
    mock_gateway = mocker.patch("shop.payments.gateway", autospec=True)
    mock_gateway.create_charge.return_value = "ch_1"

    assert charge("4242", 500) == "ch_1"
    mock_gateway.create_charge.assert_called_once_with("4242", 500)


def test_charge_returns_the_gateway_id(mocker):
    # MISTAKE invalid-patch-arguments: "autospect" is not a patch() argument.
    mock_gateway = mocker.patch("shop.payments.gateway", autospect=True)
    mock_gateway.create_charge.return_value = "ch_2"

    assert charge("4242", 500) == "ch_2"


def test_refund_goes_through_the_gateway(mocker):
    # MISTAKE invalid-patch-arguments: patch() refuses "new" together with "autospec".
    fake_gateway = mocker.patch.object(
        payments, "gateway", new=PaymentGateway("sk_test"), autospec=True
    )
    fake_gateway.charges["ch_3"] = 900

    payments.refund("ch_3")

    assert fake_gateway.charges == {}


def test_zero_amount_never_reaches_the_gateway(mocker):
    mock_create = mocker.patch.object(payments.gateway, "create_charge")

    with pytest.raises(ValueError, match="positive"):
        charge("4242", 0)

    mock_create.assert_not_called()


def test_declined_card_is_not_an_order(mocker, service):
    mock_charge = mocker.patch("shop.orders.charge")
    # MISTAKE misspelled-mock-attribute: "side_efect" is a new attribute, not the side effect.
    mock_charge.side_efect = PaymentDeclined("card declined")

    with pytest.raises(PaymentDeclined):
        service.place("o-1", "ann@example.com", "4242", {"mug": 1}, {"mug": 1200})


def test_placed_order_is_paid(mocker, service):
    # MISTAKE ineffective-patch: shop.orders did "from shop.payments import charge", so
    # OrderService.place still calls the real charge and the real gateway. The test passes;
    # the mock is never used.
    mocker.patch("shop.payments.charge", return_value="ch_test")

    order = service.place("o-2", "ann@example.com", "4242", {"mug": 1}, {"mug": 1200})

    assert order.status == "paid"


def test_placed_order_keeps_the_charge_id(mocker, service):
    mock_charge = mocker.patch("shop.orders.charge", return_value="ch_test")
    mocker.patch("shop.orders.send_receipt")

    order = service.place("o-3", "ann@example.com", "4242", {"mug": 2}, {"mug": 1200})

    mock_charge.assert_called_once()
    assert mock_charge.call_args == mocker.call("4242", 2400)
    assert order.charge_id == "ch_test"


class RecordingGateway:
    """A hand-written fake: its attribute names only look like a mock's."""

    def __init__(self):
        self.call_args_list = []
        self.return_values = ["ch_10", "ch_11"]

    def create_charge(self, card, amount_cents):
        self.call_args_list.append((card, amount_cents))
        return self.return_values.pop(0)


def test_charge_with_a_hand_written_fake(monkeypatch):
    fake = RecordingGateway()
    monkeypatch.setattr(payments, "gateway", fake)

    assert charge("4242", 700) == "ch_10"
    assert fake.call_args_list == [("4242", 700)]
    assert fake.return_values == ["ch_11"]


def test_refund_goes_back_through_the_gateway(mocker):
    # MISTAKE unresolved-patch-target: there is no module "shop.paymnets", so the patch fails
    # when it starts, before the test runs its first line.
    mock_gateway = mocker.patch("shop.paymnets.gateway")

    payments.refund("ch_7")

    mock_gateway.refund.assert_called_once_with("ch_7")


def test_a_new_setting_can_be_patched_in(mocker):
    # create=True adds the missing last attribute: nothing to report.
    mocker.patch("shop.payments.RETRIES", 3, create=True)

    assert payments.RETRIES == 3

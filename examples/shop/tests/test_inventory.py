"""Stock, tested with mocks that carry a spec, so they know the real signatures.

Tests marked ``MISTAKE`` are deliberately wrong; mockls reports each of them.
"""

from unittest.mock import Mock, call, create_autospec, patch

from shop.inventory import Inventory
from shop.orders import Order, OrderRepository, OrderService
from shop.returns import accept_return


def test_returned_items_go_back_on_the_shelf():
    inventory = Mock(spec=Inventory)

    accept_return(inventory, "mug", 2)

    # MISTAKE signature-mismatch: Inventory.release takes one dict, {sku: quantity}. The
    # methods of a Mock(spec=...) accept any arguments, so this passes, and so does the bug
    # in accept_return that a real Inventory refuses.
    inventory.release.assert_called_once_with("mug", 2)


@patch("shop.orders.send_receipt", autospec=True)
@patch("shop.orders.charge", autospec=True, return_value="ch_1")
def test_place_charges_the_card(mock_charge, mock_send_receipt):
    service = OrderService(OrderRepository(), Inventory({"mug": 5}))

    service.place("o-1", "bob@example.com", "4242", {"mug": 2}, {"mug": 1200})

    # MISTAKE signature-mismatch: charge(card, amount_cents) has no parameter "amount_cent".
    # The assertion can never pass, and its failure does not name the typo.
    mock_charge.assert_called_once_with("4242", amount_cent=2400)


def test_place_reserves_the_items():
    inventory = create_autospec(Inventory, instance=True)
    service = OrderService(create_autospec(OrderRepository, instance=True), inventory)

    with patch("shop.orders.charge", autospec=True, return_value="ch_2"), patch(
        "shop.orders.send_receipt", autospec=True
    ):
        service.place("o-2", "ann@example.com", "4242", {"mug": 2}, {"mug": 1200})

    inventory.reserve.assert_called_once_with({"mug": 2})


def test_cancelling_an_unpaid_order_keeps_the_stock():
    inventory = create_autospec(Inventory, instance=True)
    repository = create_autospec(OrderRepository, instance=True)
    order = Order("o-3", "cy@example.com", {"mug": 1}, 1200)
    repository.get.return_value = order
    service = OrderService(repository, inventory)

    service.cancel("o-3")

    inventory.release.assert_not_called()
    repository.assert_has_calls([call.get("o-3"), call.save(order)])

"""``patch``, ``patch.object`` and ``patch.multiple``: what they replace, with what, and how
exactly they put it back; their documented errors."""

from __future__ import annotations

import builtins
import os
import sys
from typing import Any

import pytest

import mockengine
from mockengine import (
    DEFAULT,
    AsyncMock,
    MagicMock,
    Mock,
    NonCallableMagicMock,
    PropertyMock,
    patch,
    sentinel,
)
from tests.mockengine.conftest import WriteModules

SHOP = """
import os

RATE = 10


def price(item):
    return 10


async def fetch(item):
    return item


class Base:
    def inherited(self):
        return "base"


class Cart(Base):
    \"\"\"A cart.\"\"\"

    def __init__(self, owner="me"):
        self.owner = owner

    def add(self, item):
        return f"added {item}"

    @staticmethod
    def tax(amount):
        return amount // 10

    @classmethod
    def empty(cls):
        return cls()

    @property
    def size(self):
        return 0

    async def checkout(self):
        return "paid"


def report():
    return open("report.txt").read()


def cwd():
    return os.getcwd()
"""


@pytest.fixture
def shop(write_modules: WriteModules) -> Any:
    return write_modules(shop=SHOP)


# -- what is replaced, and put back ----------------------------------------------------------


def test_patch_replaces_a_module_attribute_and_restores_the_same_object(shop: Any) -> None:
    original = shop.price
    with patch("shop.price", return_value=1) as price:
        assert shop.price is price
        assert shop.price("x") == 1
    assert shop.price is original


def test_patch_reaches_through_packages_classes_and_attributes(shop: Any) -> None:
    original = shop.Cart.add
    with patch("shop.Cart.add", return_value="mocked"):
        assert shop.Cart().add("x") == "mocked"
    assert shop.Cart.add is original


def test_a_class_dict_attribute_comes_back_where_it_was(shop: Any) -> None:
    static, klass, prop = (shop.Cart.__dict__[name] for name in ("tax", "empty", "size"))
    with (
        patch.object(shop.Cart, "tax"),
        patch.object(shop.Cart, "empty"),
        patch.object(shop.Cart, "size", new_callable=PropertyMock, return_value=3),
    ):
        assert shop.Cart().size == 3
    # The staticmethod, classmethod and property objects themselves, not what they give.
    assert shop.Cart.__dict__["tax"] is static
    assert shop.Cart.__dict__["empty"] is klass
    assert shop.Cart.__dict__["size"] is prop
    assert shop.Cart.tax(100) == 10
    assert isinstance(shop.Cart.empty(), shop.Cart)


def test_an_inherited_attribute_is_patched_on_the_class_and_then_removed(shop: Any) -> None:
    with patch.object(shop.Cart, "inherited", return_value="patched"):
        assert "inherited" in shop.Cart.__dict__
        assert shop.Cart().inherited() == "patched"
        assert shop.Base().inherited() == "base"
    assert "inherited" not in shop.Cart.__dict__
    assert shop.Cart().inherited() == "base"


def test_an_instance_attribute_is_set_on_the_instance_and_removed(shop: Any) -> None:
    cart = shop.Cart()
    with patch.object(cart, "add", return_value="instance"):
        assert cart.add(1) == "instance"
        assert shop.Cart().add(1) == "added 1"
    assert "add" not in vars(cart)
    assert cart.add(1) == "added 1"


def test_the_doc_of_a_class_is_put_back_although_it_is_not_inherited(shop: Any) -> None:
    with patch.object(shop.Cart, "__doc__", "patched"):
        assert shop.Cart.__doc__ == "patched"
    assert shop.Cart.__doc__ == "A cart."


def test_create_makes_a_missing_attribute_and_removes_it(shop: Any) -> None:
    with pytest.raises(AttributeError, match="does not have the attribute 'missing'"):
        patch("shop.missing").start()
    with patch("shop.missing", create=True) as missing:
        assert shop.missing is missing
    assert not hasattr(shop, "missing")


def test_a_builtin_name_can_be_patched_on_a_module_without_create(shop: Any) -> None:
    assert "open" not in vars(shop)
    with patch("shop.open", mockengine.mock_open(read_data="data")):
        assert shop.report() == "data"
    assert "open" not in vars(shop)


def test_builtins_themselves_are_patched_and_restored(shop: Any) -> None:
    original = builtins.open
    with patch("builtins.open", mockengine.mock_open(read_data="all")) as opener:
        assert shop.report() == "all"
    opener.assert_called_once_with("report.txt")
    assert builtins.open is original


def test_patch_object_and_string_targets_agree(shop: Any) -> None:
    with patch.object(os, "getcwd", return_value="/object"):
        assert shop.cwd() == "/object"
    with patch("os.getcwd", return_value="/string"):
        assert shop.cwd() == "/string"
    assert shop.cwd() == os.getcwd()


def test_patch_multiple_passes_the_mocks_it_made_by_name(shop: Any) -> None:
    with patch.multiple("shop", price=DEFAULT, RATE=20, cwd=DEFAULT) as made:
        assert set(made) == {"price", "cwd"}
        assert shop.price is made["price"]
        assert shop.RATE == 20
    assert shop.RATE == 10

    @patch.multiple(shop.Cart, add=DEFAULT, tax=sentinel.tax)
    def check(add: MagicMock) -> None:
        assert shop.Cart.add is add
        assert shop.Cart.tax is sentinel.tax

    check()
    assert shop.Cart.tax(100) == 10


# -- what it is replaced with ------------------------------------------------------------------


def test_the_default_replacement_is_a_named_magic_mock(shop: Any) -> None:
    with patch("shop.price") as price:
        assert type(price).__mro__[1] is MagicMock
        assert repr(price).startswith("<MagicMock name='price'")


def test_an_async_function_is_replaced_by_an_async_mock(shop: Any) -> None:
    with patch("shop.fetch") as fetch, patch.object(shop.Cart, "checkout") as checkout:
        assert isinstance(fetch, AsyncMock)
        assert isinstance(checkout, AsyncMock)


def test_new_is_used_as_it_is_and_not_passed_to_a_decorated_function(shop: Any) -> None:
    @patch("shop.price", sentinel.price)
    def check(*args: Any) -> tuple[Any, ...]:
        assert shop.price is sentinel.price
        return args

    assert check() == ()


def test_new_callable_makes_the_replacement(shop: Any) -> None:
    with patch("shop.RATE", new_callable=lambda: 42) as rate:
        assert rate == 42
        assert shop.RATE == 42
    with patch("shop.price", new_callable=NonCallableMagicMock) as price:
        assert isinstance(price, NonCallableMagicMock)
        with pytest.raises(TypeError):
            shop.price()


def test_keywords_configure_the_mock_made(shop: Any) -> None:
    with patch("shop.Cart", **{"return_value.add.return_value": "configured"}) as cart:
        assert shop.Cart().add(1) == "configured"
    cart.return_value.add.assert_called_once_with(1)


def test_spec_true_specs_the_mock_and_its_instances_on_the_original(shop: Any) -> None:
    original = shop.Cart
    with patch("shop.Cart", spec=True) as cart:
        instance = shop.Cart()
        assert instance is cart.return_value
        assert isinstance(instance, original)
        instance.add(1)
        with pytest.raises(AttributeError):
            instance.remove  # noqa: B018  (not an attribute of Cart)


def test_spec_set_refuses_new_attributes(shop: Any) -> None:
    with patch("shop.Cart", spec_set=True), pytest.raises(AttributeError):
        shop.Cart.extra = 1


def test_autospec_on_a_method_passes_self_and_checks_the_signature(shop: Any) -> None:
    with patch.object(shop.Cart, "add", autospec=True) as add:
        cart = shop.Cart()
        cart.add("apple")
        add.assert_called_once_with(cart, "apple")
        with pytest.raises(TypeError):
            cart.add()


def test_autospec_on_a_class_checks_constructor_and_method_calls(shop: Any) -> None:
    with patch("shop.Cart", autospec=True) as cart:
        instance = shop.Cart()
        instance.add("pear")
        with pytest.raises(TypeError):
            shop.Cart("ann", "bob")
        with pytest.raises(AttributeError):
            instance.remove  # noqa: B018  (not an attribute of Cart)
    cart.return_value.add.assert_called_once_with("pear")


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["nodots", 42, None])
def test_a_target_that_is_not_a_dotted_string_is_refused(target: Any) -> None:
    with pytest.raises(TypeError, match=r"Need a valid target to patch\. You supplied: "):
        patch(target)


def test_a_target_that_does_not_import_fails_when_the_patch_starts() -> None:
    patcher = patch("no_such_module_for_mockengine.name")
    with pytest.raises(ModuleNotFoundError):
        patcher.start()


def test_patch_object_wants_the_object_not_its_name() -> None:
    with pytest.raises(TypeError, match="'os' must be the actual object to be patched, not a str"):
        patch.object("os", "getcwd")


def test_patch_multiple_wants_at_least_one_attribute() -> None:
    with pytest.raises(ValueError, match="Must supply at least one keyword argument"):
        patch.multiple("os")


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"new": 1, "new_callable": list}, ValueError, "Cannot use 'new' and 'new_callable'"),
        ({"autospec": True, "new_callable": list}, ValueError, "'autospec' and 'new_callable'"),
    ],
)
def test_options_that_exclude_each_other_are_refused_at_once(
    options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        patch("os.getcwd", **options)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"new": 1, "autospec": True}, "autospec creates the mock for you"),
        ({"spec": True, "autospec": True}, "Can't specify spec and autospec"),
        ({"spec": list, "spec_set": list}, "Can't provide explicit spec_set"),
        ({"create": True, "spec": True}, "Can't use 'spec' with create=True"),
        ({"create": True, "autospec": True}, "Can't use 'autospec' with create=True"),
        ({"new": 1, "return_value": 2}, "Can't pass kwargs to a mock we aren't creating"),
    ],
)
def test_options_that_cannot_work_together_fail_when_the_patch_starts(
    shop: Any, options: dict[str, Any], message: str
) -> None:
    attribute = "missing" if options.get("create") else "price"
    patcher = patch(f"shop.{attribute}", **options)
    with pytest.raises(TypeError, match=message):
        patcher.start()
    assert not hasattr(shop, "missing")
    assert shop.price("x") == 10


@pytest.mark.parametrize("keyword", ["autospect", "auto_spec", "set_spec"])
def test_misspelled_keywords_are_refused_unless_unsafe(shop: Any, keyword: str) -> None:
    with pytest.raises(RuntimeError, match=f"'{keyword}' might be a typo; use unsafe=True"):
        patch("shop.price", **{keyword: True})
    with pytest.raises(RuntimeError, match="might be a typo"):
        patch.object(shop, "price", **{keyword: True})
    with patch("shop.price", unsafe=True, **{keyword: True}) as price:
        assert getattr(price, keyword) is True


@pytest.mark.skipif(sys.version_info < (3, 10), reason="unittest.mock refuses it from 3.10")
def test_a_mock_cannot_be_a_spec_or_an_autospec_target(shop: Any) -> None:
    with pytest.raises(mockengine.InvalidSpecError, match="has already been mocked out"):
        patch("shop.price", spec=Mock())
    with patch("shop.price"), pytest.raises(mockengine.InvalidSpecError, match="mocked out"):
        patch("shop.price", autospec=True).start()

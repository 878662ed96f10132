"""How long a patch lasts: decorated functions, coroutine functions and classes (with
``patch.TEST_PREFIX``), ``with`` blocks, ``start()``/``stop()`` and ``patch.stopall()``."""

from __future__ import annotations

import asyncio
import unittest
from typing import Any

import pytest

from mockengine import DEFAULT, AsyncMock, MagicMock, patch
from tests.mockengine.conftest import WriteModules

SHOP = """
def price(item):
    return 10


def tax(amount):
    return 1


async def fetch(item):
    return "real"
"""


@pytest.fixture
def shop(write_modules: WriteModules) -> Any:
    return write_modules(shop=SHOP)


# -- decorated functions ---------------------------------------------------------------------


def test_a_decorated_function_runs_patched_and_gets_the_mock_last(shop: Any) -> None:
    @patch("shop.price", return_value=1)
    def check(first: str, price: MagicMock) -> str:
        assert shop.price("x") == 1
        assert price is shop.price
        return first

    assert check("given") == "given"
    assert shop.price("x") == 10


def test_stacked_decorators_pass_their_mocks_bottom_up(shop: Any) -> None:
    seen = {}

    @patch("shop.price")
    @patch("shop.tax")
    def check(tax: MagicMock, price: MagicMock) -> None:
        seen.update(tax=tax, price=price)
        assert shop.tax is tax
        assert shop.price is price

    check()
    assert repr(seen["tax"]).startswith("<MagicMock name='tax'")
    assert repr(seen["price"]).startswith("<MagicMock name='price'")


def test_each_call_of_a_decorated_function_gets_fresh_mocks(shop: Any) -> None:
    made = []

    @patch("shop.price")
    def check(price: MagicMock) -> None:
        price(len(made))
        made.append(price)

    check()
    check()
    assert made[0] is not made[1]
    made[1].assert_called_once_with(1)


def test_the_patch_is_undone_when_the_function_raises(shop: Any) -> None:
    @patch("shop.price")
    def check(price: MagicMock) -> None:
        raise KeyError("inside")

    with pytest.raises(KeyError, match="inside"):
        check()
    assert shop.price("x") == 10


def test_patch_multiple_as_a_decorator_passes_mocks_as_keywords(shop: Any) -> None:
    @patch("shop.fetch")
    @patch.multiple("shop", price=DEFAULT, tax=DEFAULT)
    def check(fetch: AsyncMock, price: MagicMock, tax: MagicMock) -> None:
        assert (shop.fetch, shop.price, shop.tax) == (fetch, price, tax)

    check()


def test_a_decorated_coroutine_function_is_patched_while_it_runs(shop: Any) -> None:
    @patch("shop.fetch", return_value="mocked")
    @patch("shop.price", return_value=1)
    async def check(price: MagicMock, fetch: AsyncMock) -> tuple[Any, ...]:
        await asyncio.sleep(0)
        return (shop.price("x"), await shop.fetch("y"))

    assert asyncio.iscoroutinefunction(check)
    assert asyncio.run(check()) == (1, "mocked")
    assert asyncio.run(shop.fetch("y")) == "real"
    assert shop.price("x") == 10


def test_patch_dict_decorates_functions_and_coroutine_functions() -> None:
    settings = {"mode": "real"}

    @patch.dict(settings, mode="test")
    def check() -> str:
        return settings["mode"]

    @patch.dict(settings, mode="async")
    async def check_async() -> str:
        await asyncio.sleep(0)
        return settings["mode"]

    assert check() == "test"
    assert asyncio.run(check_async()) == "async"
    assert settings == {"mode": "real"}


# -- decorated classes -----------------------------------------------------------------------


def test_a_decorated_class_patches_each_test_method_with_its_own_mock(shop: Any) -> None:
    @patch("shop.price", return_value=1)
    class Tests:
        made: list[MagicMock] = []  # noqa: RUF012  (shared on purpose, to compare the mocks)

        def test_one(self, price: MagicMock) -> None:
            assert shop.price("x") == 1
            self.made.append(price)

        def test_two(self, price: MagicMock) -> None:
            self.made.append(price)

        def helper(self) -> int:
            return shop.price("x")

        test_value = 3  # not callable: left alone

    tests = Tests()
    tests.test_one()
    tests.test_two()
    assert tests.made[0] is not tests.made[1]
    assert tests.helper() == 10
    assert Tests.test_value == 3
    assert shop.price("x") == 10


def test_a_decorated_test_case_runs_its_tests_patched(shop: Any) -> None:
    @patch("shop.price", return_value=2)
    class PriceTests(unittest.TestCase):
        def test_price(self, price: MagicMock) -> None:
            assert shop.price("x") == 2
            price.assert_called_once_with("x")

        def setUp(self) -> None:  # not a test: runs unpatched
            self.seen = shop.price("x")

        def test_set_up_was_unpatched(self, price: MagicMock) -> None:
            assert self.seen == 10

    result = unittest.TextTestRunner(stream=_Discard(), verbosity=0).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(PriceTests)
    )
    assert (result.testsRun, result.failures, result.errors) == (2, [], [])


def test_test_prefix_chooses_the_methods_a_class_decorator_patches(
    shop: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patch, "TEST_PREFIX", "check_")

    @patch("shop.price", return_value=3)
    class Checks:
        def check_price(self, price: MagicMock) -> int:
            return shop.price("x")

        def test_price(self) -> int:
            return shop.price("x")

    assert Checks().check_price() == 3
    assert Checks().test_price() == 10


def test_patch_dict_decorates_the_test_methods_of_a_class() -> None:
    settings = {"mode": "real"}

    @patch.dict(settings, mode="test")
    class Tests:
        def test_mode(self) -> str:
            return settings["mode"]

        def other(self) -> str:
            return settings["mode"]

    assert Tests().test_mode() == "test"
    assert Tests().other() == "real"


# -- with, start/stop, stopall ---------------------------------------------------------------


def test_with_gives_the_mock_and_undoes_the_patch_after_an_exception(shop: Any) -> None:
    def use() -> None:
        with patch("shop.price") as price:
            assert shop.price is price
            raise KeyError("inside")

    with pytest.raises(KeyError, match="inside"):
        use()
    assert shop.price("x") == 10


def test_start_gives_the_mock_and_stop_undoes_it(shop: Any) -> None:
    patcher = patch("shop.price", return_value=4)
    price = patcher.start()
    assert shop.price("x") == 4
    assert shop.price is price
    patcher.stop()
    assert shop.price("x") == 10
    assert patcher.stop() is None  # stopping again changes nothing


def test_a_started_patch_cannot_start_again(shop: Any) -> None:
    # As in the mock backport 5.2 (unittest.mock of 3.13 would patch a second time, and
    # stopping once would leave the first mock in place).
    patcher = patch("shop.price")
    patcher.start()
    try:
        with pytest.raises(RuntimeError, match="Patch is already started"):
            patcher.start()
    finally:
        patcher.stop()


def test_stopall_undoes_started_patches_last_first(shop: Any) -> None:
    first = patch("shop.price", return_value=1)
    second = patch("shop.price", return_value=2)
    first.start()
    second.start()
    assert shop.price("x") == 2
    patch.stopall()
    # Had the first been stopped first, the second would have put the first's mock back.
    assert shop.price("x") == 10


def test_stopall_leaves_patches_of_with_blocks_alone(shop: Any) -> None:
    with patch("shop.tax", return_value=0):
        patch("shop.price", return_value=1).start()
        patch.stopall()
        assert shop.price("x") == 10
        assert shop.tax(5) == 0


def test_stopall_also_stops_started_dict_patches() -> None:
    settings = {"mode": "real"}
    patch.dict(settings, mode="test").start()
    assert settings["mode"] == "test"
    patch.stopall()
    assert settings == {"mode": "real"}


class _Discard:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass

"""mockengine.instrumentation: patch start/stop and mock-call events, and the Recorder."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import mockengine
from mockengine import DEFAULT, AsyncMock, Mock, call, patch
from mockengine.instrumentation import (
    Observer,
    PatchInfo,
    Recorder,
    add_observer,
    remove_observer,
)
from tests.mockengine.conftest import WriteModules

SHOP = """
import functools


def price(item):
    return 10


def logged(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)

    return wrapper


@logged
def tax(amount):
    return amount // 10


@logged
def discount(amount):
    return 0


class Cart:
    def __init__(self):
        self.items = []

    def add(self, item):
        self.items.append(item)

    @property
    def size(self):
        return len(self.items)


TAX_RATE = 10
"""

CHECKOUT = """
from shop import price, tax, Cart
import shop


def total(item):
    return price(item) + tax(100)


def total_through_module(item):
    return shop.price(item)


def fill():
    cart = Cart()
    cart.add("apple")
    return cart
"""


class Events(Observer):
    """Every event, in order, as plain tuples."""

    def __init__(self) -> None:
        self.events: list[tuple[str, PatchInfo, Any]] = []

    def patch_started(self, patch: PatchInfo) -> None:
        self.events.append(("started", patch, None))

    def mock_called(self, patch: PatchInfo, mock: Any, call: Any) -> None:
        self.events.append(("called", patch, call))

    def mock_rejected(self, patch: PatchInfo, mock: Any, error: TypeError) -> None:
        self.events.append(("rejected", patch, str(error)))

    def patch_stopped(self, patch: PatchInfo) -> None:
        self.events.append(("stopped", patch, None))

    def kinds(self) -> list[tuple[str, Any]]:
        return [(kind, detail) for kind, _, detail in self.events]


@pytest.fixture
def events() -> Iterator[Events]:
    observer = Events()
    add_observer(observer)
    yield observer
    remove_observer(observer)


@pytest.fixture
def shop(write_modules: WriteModules) -> Any:
    """A small project on disk: ``shop`` and ``checkout`` (which imports names from shop)."""
    return write_modules(shop=SHOP, checkout=CHECKOUT)


@pytest.fixture
def checkout(shop: Any) -> Any:
    return sys.modules["checkout"]


# -- events ---------------------------------------------------------------------------------


def test_a_patch_by_name_reports_start_calls_and_stop_in_order(events: Events, shop: Any) -> None:
    original = shop.price
    with patch("shop.price", return_value=1) as price:
        shop.price("apple")
    assert events.kinds() == [("started", None), ("called", call("apple")), ("stopped", None)]
    info = events.events[0][1]
    assert (info.kind, info.target, info.module, info.attribute) == (
        "patch",
        "shop.price",
        "shop",
        "price",
    )
    assert info.owner is shop
    assert info.new is price
    assert info.mock is price
    assert info.original is original
    assert info.existed is True
    assert all(event[1] is info for event in events.events)


def test_calls_below_the_mock_are_reported_as_its_mock_calls_name_them(
    events: Events, shop: Any
) -> None:
    with patch.object(shop, "Cart") as cart_class:
        cart = shop.Cart()
        cart.add("pear")
        cart.items.clear()
        len(cart)
    called = [detail for kind, detail in events.kinds() if kind == "called"]
    assert called == [call(), call().add("pear"), call().items.clear(), call().__len__()]
    assert called == cart_class.mock_calls


def test_a_class_attribute_patch_is_named_after_the_class(events: Events, shop: Any) -> None:
    with patch.object(shop.Cart, "add"):
        pass
    info = events.events[0][1]
    assert (info.kind, info.target, info.module) == ("patch.object", "shop.Cart.add", "shop")


def test_an_instance_attribute_patch_has_no_dotted_name(events: Events, shop: Any) -> None:
    cart = shop.Cart()
    with patch.object(cart, "remove", create=True):
        cart.remove(1)
    info = events.events[0][1]
    assert (info.target, info.module, info.owner) == (None, None, cart)
    assert info.existed is False
    assert info.original is None
    assert events.kinds()[1] == ("called", call(1))


def test_patch_multiple_reports_each_attribute(events: Events, shop: Any) -> None:
    with patch.multiple("shop", price=DEFAULT, TAX_RATE=20) as mocks:
        shop.price(1)
    started = [info for kind, info, _ in events.events if kind == "started"]
    assert [(info.kind, info.target, info.attribute) for info in started] == [
        ("patch.multiple", "shop.price", "price"),
        ("patch.multiple", "shop.TAX_RATE", "TAX_RATE"),
    ]
    assert started[0].mock is mocks["price"]
    assert started[1].new == 20
    assert started[1].mock is None
    assert [kind for kind, _, _ in events.events].count("stopped") == 2


def test_an_autospecced_function_reports_calls_to_the_mock_behind_it(
    events: Events, shop: Any
) -> None:
    with patch("shop.price", autospec=True) as price:
        shop.price("fig")
    info = events.events[0][1]
    assert info.new is price
    assert info.mock is price.mock
    assert events.kinds()[1] == ("called", call("fig"))


@pytest.mark.parametrize(
    ("target", "call_it"),
    [
        ("shop.price", lambda shop: shop.price()),  # an autospecced function
        ("shop.Cart", lambda shop: shop.Cart(1)),  # a class mock
        ("shop.Cart", lambda shop: shop.Cart().add()),  # a method of its instances
    ],
)
def test_a_call_autospec_refuses_is_reported_before_its_type_error_propagates(
    events: Events, shop: Any, target: str, call_it: Callable[[Any], Any]
) -> None:
    with patch(target, autospec=True), pytest.raises(TypeError) as raised:
        call_it(shop)
    refused = [(kind, patch, detail) for kind, patch, detail in events.events if kind != "called"]
    assert [(kind, detail) for kind, _, detail in refused] == [
        ("started", None), ("rejected", str(raised.value)), ("stopped", None)
    ]  # fmt: skip
    assert refused[1][1] is refused[0][1]


def test_a_call_autospec_accepts_is_not_reported_as_refused(events: Events, shop: Any) -> None:
    with patch("shop.Cart", autospec=True):
        shop.Cart().add("fig")
    assert "rejected" not in [kind for kind, _ in events.kinds()]


def test_an_async_mock_is_reported_when_called(events: Events, shop: Any) -> None:
    with patch.object(shop, "price", new_callable=AsyncMock) as price:
        awaitable = shop.price("kiwi")
        assert events.kinds()[-1] == ("called", call("kiwi"))
        awaitable.close()
    price.assert_not_awaited()


def test_calls_to_mocks_that_no_patch_made_are_not_reported(events: Events) -> None:
    Mock()(1)
    with patch.dict(os.environ, {"MOCKLS": "1"}):
        Mock().child()
    assert events.events == []


def test_a_decorated_function_starts_a_new_patch_on_each_call(events: Events, shop: Any) -> None:
    @patch("shop.price")
    def check(price: Any) -> None:
        shop.price()

    check()
    check()
    started = [info for kind, info, _ in events.events if kind == "started"]
    assert len(started) == 2
    assert started[0] is not started[1]
    assert started[0].mock is not started[1].mock


def test_a_mock_shared_by_two_patches_reports_each_call_to_both(events: Events, shop: Any) -> None:
    shared = Mock()
    with patch("shop.price", shared), patch("shop.tax", shared):
        shop.tax(1)
    called = [(info.attribute, detail) for kind, info, detail in events.events if kind == "called"]
    assert called == [("price", call(1)), ("tax", call(1))]


def test_an_observer_that_fails_at_start_undoes_the_patch(shop: Any) -> None:
    class Failing(Observer):
        def patch_started(self, patch: PatchInfo) -> None:
            raise RuntimeError("observer bug")

    original = shop.price
    observer = Failing()
    add_observer(observer)
    try:
        with pytest.raises(RuntimeError, match="observer bug"), patch("shop.price"):
            pass  # pragma: no cover
    finally:
        remove_observer(observer)
    assert shop.price is original


def test_adding_twice_gives_one_event_and_removing_stops_them(shop: Any) -> None:
    observer = Events()
    add_observer(observer)
    add_observer(observer)
    with patch("shop.price"):
        pass
    remove_observer(observer)
    remove_observer(observer)
    with patch("shop.price"):
        shop.price()
    assert [kind for kind, _ in observer.kinds()] == ["started", "stopped"]


def test_without_observers_the_call_path_is_the_plain_one(shop: Any) -> None:
    plain = Mock._increment_mock_call
    with Recorder():
        assert Mock._increment_mock_call is not plain
    assert Mock._increment_mock_call is plain


# -- the recorder ---------------------------------------------------------------------------


def test_the_recorder_tells_used_and_unused_patches(shop: Any, checkout: Any) -> None:
    with Recorder() as recorder:
        with patch("shop.price", return_value=1), patch("checkout.tax", return_value=0):
            checkout.total("apple")
        with patch("shop.price"):
            pass
    summary = [(usage.patch.target, usage.used, usage.call_count) for usage in recorder.patches]
    assert summary == [
        ("shop.price", False, 0),
        ("checkout.tax", True, 1),
        ("shop.price", False, 0),
    ]
    assert [usage.active for usage in recorder.patches] == [False, False, False]
    assert recorder.patches[1].calls == [call(100)]


def test_the_recorder_only_keeps_patches_started_while_it_records(shop: Any) -> None:
    patcher = patch("shop.price")
    patcher.start()
    try:
        with Recorder() as recorder:
            shop.price()
    finally:
        patcher.stop()
    assert recorder.patches == []


def test_the_original_of_an_ineffective_patch_is_seen_running(shop: Any, checkout: Any) -> None:
    with Recorder(trace_originals=True) as recorder:
        with patch("shop.price", return_value=1):
            checkout.total("apple")  # checkout imported price itself: the real one runs
        with patch("checkout.price", return_value=1):
            checkout.total("apple")
    assert [usage.original_called for usage in recorder.patches] == [True, False]
    assert [usage.used for usage in recorder.patches] == [False, True]


def test_the_recorder_says_where_the_original_was_called_from(shop: Any, checkout: Any) -> None:
    with Recorder(trace_originals=True) as recorder:
        with patch("shop.price"):
            checkout.total("apple")
        with patch("shop.tax"):  # wrapped: who called the wrapper is reported
            checkout.total("apple")
    total_line = CHECKOUT.splitlines().index("    return price(item) + tax(100)") + 1
    where = (checkout.__file__, total_line)
    assert [usage.original_callers for usage in recorder.patches] == [[where], [where]]


def test_a_patch_knows_the_line_that_made_it(shop: Any) -> None:
    with Recorder() as recorder, patch("shop.price"):
        line = sys._getframe().f_lineno - 1  # the line of the `with`
    assert recorder.patches[0].patch.made_at[0] == (__file__, line)


def test_a_patch_that_fails_to_start_is_reported_with_its_error(shop: Any) -> None:
    with Recorder() as recorder:
        with pytest.raises(AttributeError), patch("shop.notifier"):
            pass
        with pytest.raises(ModuleNotFoundError), patch("no_such_module.name"):
            pass
    assert recorder.patches == []
    assert [(failure.target, type(failure.error)) for failure in recorder.failures] == [
        ("shop.notifier", AttributeError),
        ("no_such_module.name", ModuleNotFoundError),
    ]
    assert all(failure.made_at[0][0] == __file__ for failure in recorder.failures)


def test_an_original_only_counts_while_it_is_patched_out(shop: Any, checkout: Any) -> None:
    with Recorder(trace_originals=True) as recorder:
        checkout.total("apple")
        with patch("shop.price"):
            pass
        checkout.total("apple")
    assert recorder.patches[0].original_called is False


def test_a_wrapped_original_is_told_apart_from_others_with_the_same_wrapper(
    shop: Any, checkout: Any
) -> None:
    with Recorder(trace_originals=True) as recorder:
        with patch("shop.discount"):
            checkout.total("apple")  # runs tax, wrapped by the same decorator as discount
        with patch("shop.tax"):
            checkout.total("apple")
    assert [usage.original_called for usage in recorder.patches] == [False, True]


def test_a_class_original_counts_as_called_when_its_methods_run(shop: Any, checkout: Any) -> None:
    with Recorder(trace_originals=True) as recorder, patch("shop.Cart"):
        checkout.fill()
    assert recorder.patches[0].original_called is True


def test_a_property_original_counts_as_called_when_read(shop: Any) -> None:
    cart = shop.Cart()
    size = shop.Cart.__dict__["size"]
    with Recorder(trace_originals=True) as recorder, patch.object(shop.Cart, "size", 3):
        size.__get__(cart)
    assert recorder.patches[0].original_called is True


def test_a_builtin_original_counts_as_called(shop: Any) -> None:
    getcwd = os.getcwd
    with Recorder(trace_originals=True) as recorder:
        with patch("os.getcwd", return_value="/"):
            getcwd()
        with patch("os.getcwd", return_value="/"):
            os.getcwd()
    assert [usage.original_called for usage in recorder.patches] == [True, False]


def test_originals_whose_running_cannot_be_seen_are_unknown(shop: Any) -> None:
    with Recorder(trace_originals=True) as recorder:
        with patch("shop.TAX_RATE", 0), patch("shop.missing", create=True):
            pass
        with patch.object(shop, "price", Mock()), patch("shop.price"):
            pass
    assert [usage.original_called for usage in recorder.patches] == [None, None, False, None]


def test_without_tracing_originals_are_unknown(shop: Any, checkout: Any) -> None:
    with Recorder() as recorder, patch("shop.price"):
        checkout.total("apple")
    assert recorder.patches[0].original_called is None


def test_an_original_run_in_a_thread_started_during_the_patch_is_seen(
    shop: Any, checkout: Any
) -> None:
    with Recorder(trace_originals=True) as recorder, patch("shop.price"):
        worker = threading.Thread(target=checkout.total, args=("apple",))
        worker.start()
        worker.join()
    assert recorder.patches[0].original_called is True


def watching(function: Any, code: Any) -> bool:
    """Whether the engine watches ``function`` (whose own code is ``code``) run: through
    ``sys.monitoring`` (3.12+) or a trampoline in its ``__code__`` (before)."""
    monitoring: Any = getattr(sys, "monitoring", None)
    if monitoring is None:
        return function.__code__ is not code
    tools = [tool for tool in range(6) if monitoring.get_tool(tool) == "mockengine"]
    return any(monitoring.get_local_events(tool, code) for tool in tools)


def test_watching_ends_with_the_last_watched_patch_and_leaves_profilers_alone(shop: Any) -> None:
    def profiler(frame: Any, event: str, arg: Any) -> None:
        pass

    price = shop.price
    code = price.__code__
    sys.setprofile(profiler)
    try:
        with Recorder(trace_originals=True):
            with patch("shop.price"):
                assert watching(price, code)
                assert sys.getprofile() is profiler
            assert not watching(price, code)
            assert price.__code__ is code
            started = patch("shop.price")
            started.start()
        # The recorder stops watching a patch still active when it ends.
        assert not watching(price, code)
        assert price.__code__ is code
        started.stop()
    finally:
        sys.setprofile(None)


def test_a_builtin_original_is_watched_through_a_profile_hook_until_its_patch_stops() -> None:
    with Recorder(trace_originals=True):
        with patch("os.getcwd"):
            assert sys.getprofile() is not None
        assert sys.getprofile() is None


def test_an_original_the_mock_wraps_counts_as_called(shop: Any) -> None:
    with Recorder(trace_originals=True) as recorder, patch("shop.price", wraps=shop.price):
        assert shop.price("apple") == 10
    assert recorder.patches[0].original_called is True
    assert recorder.patches[0].used is True


def test_a_partial_original_is_seen_through(shop: Any) -> None:
    shop.priced = functools.partial(shop.price, "apple")
    priced = shop.priced
    with Recorder(trace_originals=True) as recorder, patch("shop.priced"):
        priced()
    assert recorder.patches[0].original_called is True


def test_importing_mockengine_leaves_instrumentation_unloaded() -> None:
    script = "import sys, mockengine; print('mockengine.instrumentation' in sys.modules)"
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(mockengine.__file__).parent.parent,
    )
    assert completed.stdout.strip() == "False"

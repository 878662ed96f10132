"""mockengine._trampolines: a function's code swapped for one that reports its calls, with
everything a caller, ``inspect`` or ``pickle`` sees of the function kept."""

from __future__ import annotations

import asyncio
import inspect
import pickle
import sys
import types
from collections.abc import Callable, Generator
from typing import Any, cast

import pytest

from mockengine._trampolines import Trampoline
from tests.mockengine.conftest import WriteModules

KINDS = """
import functools


def plain(a, b=2):
    return a + b


def every_kind_of_parameter(a, /, b, c=3, *rest, d, e=5, **others):
    return (a, b, c, rest, d, e, others)


def only_keywords(*, key="k"):
    return key


def scaled(factor):
    def scale(value, by=1):
        return value * factor * by

    return scale


scale = scaled(10)


def numbers(limit):
    received = yield 0
    for number in range(1, limit):
        received = yield number + (received or 0)
    return "done"


async def fetch(value):
    return value * 2


class Base:
    def name(self):
        return "base"


class Child(Base):
    def name(self, suffix="!"):
        return "child of " + super().name() + suffix


def fails(message):
    raise ValueError(message)


async def stream():
    yield 1


def frames_above():
    import sys

    return sys._getframe(1), sys._getframe(2)
"""


@pytest.fixture
def kinds(write_modules: WriteModules) -> Any:
    return write_modules(kinds=KINDS)


def install(function: Any) -> tuple[Trampoline, list[tuple[str, int]]]:
    """A trampoline on ``function`` that keeps the function and line of each caller."""
    callers: list[tuple[str, int]] = []

    def on_call(caller: types.FrameType | None) -> None:
        assert caller is not None
        callers.append((caller.f_code.co_name, caller.f_lineno))

    trampoline = Trampoline.install(function, on_call)
    assert trampoline is not None
    return trampoline, callers


def run(call: Callable[[], Any]) -> Any:
    result: Any = call()
    if inspect.iscoroutine(result):
        return asyncio.run(result)
    if inspect.isgenerator(result):
        generator = cast("Generator[int, int, str]", result)
        values = [next(generator), generator.send(5), generator.send(7)]
        return values, list(generator)
    return result


CALLS: dict[str, Callable[[Any], Any]] = {
    "plain": lambda kinds: kinds.plain(1),
    "every_kind_of_parameter": lambda kinds: kinds.every_kind_of_parameter(1, 2, 9, 8, d=4, z=0),
    "only_keywords": lambda kinds: kinds.only_keywords(key="x"),
    "scale": lambda kinds: kinds.scale(3, by=2),
    "numbers": lambda kinds: kinds.numbers(5),
    "fetch": lambda kinds: kinds.fetch(21),
    "Child.name": lambda kinds: kinds.Child().name("?"),
}


def function_of(kinds: Any, name: str) -> Any:
    owner, _, attribute = name.rpartition(".")
    return getattr(getattr(kinds, owner) if owner else kinds, attribute)


def what_callers_see(function: Any, *, pickled: bool) -> tuple[object, ...]:
    """What a trampoline must leave as it was: signature, kind, names, source, pickling."""
    return (
        inspect.signature(function),
        inspect.iscoroutinefunction(function),
        inspect.isgeneratorfunction(function),
        function.__name__,
        function.__qualname__,
        inspect.getsourcelines(function),
        pickle.dumps(function) if pickled else None,
    )


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_trampoline_reports_each_call_and_changes_nothing_a_caller_sees(
    kinds: Any, name: str
) -> None:
    function = function_of(kinds, name)
    code = function.__code__
    expected = run(lambda: CALLS[name](kinds))
    seen_before = what_callers_see(function, pickled=name != "scale")
    trampoline, callers = install(function)
    assert function.__code__ is not code
    assert run(lambda: CALLS[name](kinds)) == expected
    assert function_of(kinds, name) is function
    assert len(callers) == 1
    assert seen_before == what_callers_see(function, pickled=name != "scale")
    trampoline.remove()
    assert function.__code__ is code
    assert run(lambda: CALLS[name](kinds)) == expected
    assert len(callers) == 1


def test_the_caller_reported_is_the_code_that_called_the_function(kinds: Any) -> None:
    _, callers = install(kinds.plain)
    line = sys._getframe().f_lineno + 1
    assert kinds.plain(1) == 3
    assert callers == [("test_the_caller_reported_is_the_code_that_called_the_function", line)]


def test_an_exception_of_the_original_reaches_the_caller_unchanged(kinds: Any) -> None:
    install(kinds.fails)
    with pytest.raises(ValueError, match=r"^boom$") as raised:
        kinds.fails("boom")
    assert raised.traceback[-1].name == "fails"


def test_frames_of_the_trampoline_are_hidden_from_pytest_tracebacks(kinds: Any) -> None:
    install(kinds.fails)
    with pytest.raises(ValueError, match="boom") as raised:
        kinds.fails("boom")
    shown = [entry.name for entry in raised.traceback.filter(raised)]
    assert shown == ["test_frames_of_the_trampoline_are_hidden_from_pytest_tracebacks", "fails"]


def test_an_async_generator_gets_no_trampoline(kinds: Any) -> None:
    code = kinds.stream.__code__
    assert Trampoline.install(kinds.stream, lambda caller: None) is None
    assert kinds.stream.__code__ is code


def test_removing_leaves_code_that_someone_else_put_there_since(kinds: Any) -> None:
    trampoline, _ = install(kinds.plain)
    replacement = kinds.only_keywords.__code__
    kinds.plain.__code__ = replacement
    trampoline.remove()
    assert kinds.plain.__code__ is replacement


def test_the_original_runs_one_frame_below_its_caller_in_a_frame_of_its_own_module(
    kinds: Any,
) -> None:
    install(kinds.frames_above)
    trampoline, caller = kinds.frames_above()
    assert trampoline.f_globals is vars(kinds)
    assert trampoline.f_code.co_name == "frames_above"
    assert caller.f_code.co_name == sys._getframe().f_code.co_name

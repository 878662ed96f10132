"""The cyclic garbage collector is kept off a big text's analysis, and gets everything back.

``mockls.syntax.collector``: pauses shared by threads end when the last of them ends; a big
snapshot's facts are frozen once built; a frozen snapshot that is dropped is freed at once (by
reference counting) and the last one dropped empties the permanent generation. The size of a
big text is lowered for these tests, so that a small module counts as one.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from mockls.analysis.snapshot import ModuleSnapshot
from mockls.syntax import collector

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import generate_test_module

MODULE = generate_test_module(200)


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    """Each test starts with the collector on and nothing frozen, and leaves it so."""
    gc.unfreeze()
    gc.collect()
    gc.enable()
    yield
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


@pytest.fixture
def small_texts_are_big() -> Iterator[None]:
    with mock.patch.object(collector, "BIG_TEXT_CHARACTERS", len(MODULE) - 1):
        yield


def test_the_collector_is_back_on_only_when_the_last_pausing_thread_is_done() -> None:
    first_in = threading.Event()
    first_may_leave = threading.Event()
    states: list[bool] = []

    def first() -> None:
        with collector.paused():
            first_in.set()
            first_may_leave.wait(30)
        states.append(gc.isenabled())  # the main thread still pauses it

    thread = threading.Thread(target=first)
    thread.start()
    assert first_in.wait(30)
    with collector.paused():
        assert not gc.isenabled()
        first_may_leave.set()
        thread.join(30)
        assert not gc.isenabled()
    assert states == [False]
    assert gc.isenabled()


def test_a_pause_ends_when_its_block_raises() -> None:
    with pytest.raises(ValueError, match="broken"), collector.paused():
        raise ValueError("broken")
    assert gc.isenabled()


def test_a_pause_leaves_a_collector_that_was_off_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_small_texts_facts_are_left_to_the_collector() -> None:
    snapshot = ModuleSnapshot(MODULE)
    assert snapshot.model.patch_sites
    assert gc.get_freeze_count() == 0


@pytest.mark.usefixtures("small_texts_are_big")
def test_a_big_texts_facts_are_frozen_while_it_lives_and_freed_when_it_is_dropped() -> None:
    first = ModuleSnapshot(MODULE)
    assert first.model.patch_sites
    frozen_with_first = gc.get_freeze_count()
    assert frozen_with_first > 0
    assert gc.get_objects(generation=2) == []  # what was tracked was frozen: nothing to walk

    second = ModuleSnapshot(MODULE)
    assert second.model.patch_sites
    frozen_with_both = gc.get_freeze_count()
    one_snapshot = frozen_with_both - frozen_with_first
    assert one_snapshot > 0

    del first  # frozen, yet freed by reference counting: no collection runs
    assert gc.get_freeze_count() <= frozen_with_both - one_snapshot // 2
    assert gc.get_freeze_count() > 0  # the second one is still kept off the collector

    del second  # the last one: the collector gets everything back
    assert gc.get_freeze_count() == 0


@pytest.mark.usefixtures("small_texts_are_big")
def test_a_big_text_whose_build_fails_is_neither_frozen_nor_left_paused() -> None:
    snapshot = ModuleSnapshot(MODULE)
    with (
        mock.patch("mockls.analysis.snapshot.recover_module", side_effect=KeyboardInterrupt),
        pytest.raises(KeyboardInterrupt),
    ):
        _ = snapshot.recovered
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0

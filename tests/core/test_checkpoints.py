"""Checkpoints: cancelled work stops at the next one, background work gives way to requests
about other documents, and the linter and the analysis reach them."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from mockls.checkpoints import Abandoned, Requests, Work, checkpoint, working
from mockls.config import Settings
from mockls.linter import lint_source

WAIT = 30.0  # hang guard only

TEST = "def test_{n}():\n    m = mock.Mock()\n    m.assert_called_once_wtih({n})\n\n"
BIG = "from unittest import mock\n\n" + "".join(TEST.format(n=n) for n in range(50))


def test_a_checkpoint_outside_any_work_does_nothing() -> None:
    checkpoint()


def test_cancelled_work_is_abandoned_at_its_next_checkpoint() -> None:
    work = Work("file:///a.py")
    with working(work):
        checkpoint()
        work.cancel()
        with pytest.raises(Abandoned):
            checkpoint()


def test_a_lint_running_as_cancelled_work_stops_instead_of_finishing() -> None:
    work = Work("file:///a.py")
    work.cancel()
    with working(work), pytest.raises(Abandoned):
        lint_source(BIG, "tests/test_a.py", Settings())
    assert len(lint_source(BIG, "tests/test_a.py", Settings())) == 50  # outside: unaffected


def test_background_work_waits_while_a_request_about_another_document_is_served() -> None:
    requests = Requests()
    background = Work("file:///big.py", requests)
    events: list[str] = []
    request_started = threading.Event()
    finish_request = threading.Event()

    def request() -> None:
        with requests.serving("file:///small.py"):
            request_started.set()
            finish_request.wait(WAIT)
            events.append("request answered")

    def lint() -> None:
        request_started.wait(WAIT)
        with working(background):
            checkpoint()  # waits for the request
        events.append("lint went on")

    with ThreadPoolExecutor(2) as pool:
        answered = pool.submit(request)
        linted = pool.submit(lint)
        request_started.wait(WAIT)
        finish_request.set()
        answered.result(WAIT)
        linted.result(WAIT)
    assert events == ["request answered", "lint went on"]


def test_background_work_does_not_wait_for_a_request_about_its_own_document() -> None:
    requests = Requests()
    with requests.serving("file:///big.py"), working(Work("file:///big.py", requests)):
        checkpoint()  # a code action on the big document waits for this very lint


def test_cancelling_background_work_that_gives_way_wakes_it() -> None:
    requests = Requests()
    background = Work("file:///big.py", requests)
    waiting = threading.Event()

    def give_way() -> bool:
        waiting.set()
        requests.give_way(background, timeout=2 * WAIT)  # only the cancel ends it in time
        return background.cancelled

    with requests.serving("file:///small.py"), ThreadPoolExecutor(1) as pool:
        woken = pool.submit(give_way)
        waiting.wait(WAIT)
        background.cancel()
        assert woken.result(WAIT)
        with working(background), pytest.raises(Abandoned):
            checkpoint()


def test_a_pause_is_bounded_so_work_a_request_waits_for_goes_on() -> None:
    requests = Requests()
    background = Work("file:///big.py", requests)
    with requests.serving("file:///small.py"), ThreadPoolExecutor(1) as pool:
        pool.submit(requests.give_way, background, 0.01).result(WAIT)  # returns, served or not

"""The ``run_test`` request in real interpreters: one test run with mockengine in place of
``unittest.mock``, how it ended, and what became of each of its patches."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mockls.sandbox import (
    FaultKind,
    PatchUsage,
    RunOutcome,
    RuntimeObject,
    SandboxFault,
    SandboxPool,
    TestRun,
)

from .conftest import INTERPRETERS, PROJECTS, interpreter_for

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
LOOKUPS = FIXTURES / "runtime_lookups"
RUNS = PROJECTS / "runs"
OUTCOMES = RUNS / "suite" / "test_outcomes.py"
HASHING = PROJECTS / "hashing_plugins"


def run_in(pool: SandboxPool, path: Path, name: str, module: str) -> TestRun:
    run = pool.run_test(path, name, module)
    assert isinstance(run, TestRun), run
    return run


def has_pytest(python: str) -> bool:
    return python == sys.executable  # the server's venv has pytest; pyenv's Pythons do not


@pytest.mark.parametrize("python", INTERPRETERS)
def test_the_planted_patch_misses_and_the_original_is_called_from_checkout(
    open_pool: Callable[..., SandboxPool], python: str
) -> None:
    pool = open_pool(LOOKUPS, python)
    checkout = LOOKUPS / "tests" / "test_checkout.py"
    missed = run_in(
        pool, checkout, "CheckoutTests.test_pay_sends_the_charge", "tests.test_checkout"
    )
    reached = run_in(
        pool, checkout, "CheckoutTests.test_pay_returns_the_charge_id", "tests.test_checkout"
    )
    runner = "pytest" if has_pytest(python) else "unittest"
    caller = (str(LOOKUPS / "billing" / "checkout.py"), 13)
    assert missed == TestRun(
        runner,
        RunOutcome.PASSED,
        "",
        (
            PatchUsage(
                "patch",
                "billing.gateway.send_charge",
                "billing.gateway",
                "send_charge",
                call_count=0,
                original_called=True,
                callers=(caller,),
            ),
        ),
    )
    assert reached.patches == (
        PatchUsage(
            "patch",
            "billing.checkout._send",
            "billing.checkout",
            "_send",
            call_count=1,
            original_called=False,
        ),
    )


@pytest.mark.parametrize("python", INTERPRETERS)
@pytest.mark.parametrize("import_mode", ["prepend", "importlib"])
def test_a_source_override_runs_an_edited_test_file_that_is_not_on_disk(
    open_pool: Callable[..., SandboxPool],
    project_copy: Callable[[str], Path],
    python: str,
    import_mode: str,
) -> None:
    root = project_copy("runs")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text() + f'addopts = ["--import-mode={import_mode}"]\n', encoding="utf-8"
    )
    outcomes = root / "suite" / "test_outcomes.py"
    on_disk = outcomes.read_text(encoding="utf-8")
    fixed = on_disk.replace('assert prices.price("mug") == 13', 'assert prices.price("mug") == 12')
    pool = open_pool(root, python, size=1)
    run = pool.run_test(outcomes, "Outcomes.test_fails", "suite.test_outcomes", source=fixed)
    assert isinstance(run, TestRun), run
    assert run.outcome is RunOutcome.PASSED, run
    before = run_in(pool, outcomes, "Outcomes.test_fails", "suite.test_outcomes")
    assert before.outcome is RunOutcome.FAILED
    assert outcomes.read_text(encoding="utf-8") == on_disk


def test_pytest_functions_run_with_pytest(open_pool: Callable[..., SandboxPool]) -> None:
    pool = open_pool(LOOKUPS)
    orders = LOOKUPS / "tests" / "test_orders.py"
    run = run_in(pool, orders, "test_place_charges_the_card", "tests.test_orders")
    assert (run.runner, run.outcome) == ("pytest", RunOutcome.PASSED)
    assert run.patches == (
        PatchUsage(
            "patch",
            "billing.payments.charge",
            "billing.payments",
            "charge",
            call_count=0,
            original_called=True,
            callers=((str(LOOKUPS / "billing" / "orders.py"), 7),),
        ),
    )
    unused = run_in(pool, orders, "test_nothing_is_charged_for_nothing", "tests.test_orders")
    assert [(usage.call_count, usage.original_called) for usage in unused.patches] == [(0, False)]


OUTCOME_CASES = [
    ("Outcomes.test_passes", RunOutcome.PASSED, ""),
    ("Outcomes.test_fails", RunOutcome.FAILED, "AssertionError: the mug costs 12"),
    ("Outcomes.test_raises", RunOutcome.ERROR, "KeyError: 'no such item'"),
    ("Outcomes.test_is_skipped", RunOutcome.SKIPPED, "not today"),
    ("Outcomes.test_runs_with_mockengine", RunOutcome.PASSED, ""),
    ("Outcomes.test_does_not_exist", RunOutcome.NOT_FOUND, None),
]


@pytest.mark.parametrize("python", INTERPRETERS)
@pytest.mark.parametrize(("name", "outcome", "message"), OUTCOME_CASES)
def test_how_a_test_ended(
    open_pool: Callable[..., SandboxPool],
    python: str,
    name: str,
    outcome: RunOutcome,
    message: str | None,
) -> None:
    pool = open_pool(RUNS, python, size=1)
    run = run_in(pool, OUTCOMES, name, "suite.test_outcomes")
    assert run.outcome is outcome, run
    if message is not None:
        assert run.message == message, run


@pytest.mark.parametrize("python", INTERPRETERS)
def test_a_pytest_function_needs_pytest(open_pool: Callable[..., SandboxPool], python: str) -> None:
    pool = open_pool(RUNS, python, size=1)
    run = run_in(pool, OUTCOMES, "test_a_pytest_function", "suite.test_outcomes")
    if has_pytest(python):
        assert run.outcome is RunOutcome.PASSED
        assert [(usage.target, usage.call_count) for usage in run.patches] == [
            ("suite.prices.price", 2)
        ]
    else:
        assert (run.outcome, run.message) == (
            RunOutcome.UNAVAILABLE,
            "pytest is not installed in this interpreter",
        )


def test_the_worker_s_pytest_plugins_can_be_hashed(open_pool: Callable[..., SandboxPool]) -> None:
    # pluggy says plugins must hash; pytest 9.0 keeps them in a set (so does the conftest)
    pool = open_pool(HASHING, size=1)
    run = run_in(pool, HASHING / "test_hashing.py", "test_patches", "test_hashing")
    assert (run.runner, run.outcome, run.message) == ("pytest", RunOutcome.PASSED, "")
    assert [(usage.target, usage.call_count) for usage in run.patches] == [("os.getcwd", 1)]


def test_a_test_that_never_ends_is_stopped_and_the_next_one_runs_on_a_fresh_worker(
    open_pool: Callable[..., SandboxPool],
) -> None:
    # unittest runs a test in a blink, pytest takes seconds on a loaded machine: the deadline
    # must let a test that ends end.
    python = interpreter_for("3.13") or interpreter_for("3.9") or sys.executable
    deadline = 30.0 if has_pytest(python) else 3.0
    pool = open_pool(RUNS, python, size=1, test_deadline=deadline)
    stuck = pool.run_test(OUTCOMES, "Outcomes.test_never_ends", "suite.test_outcomes")
    assert isinstance(stuck, SandboxFault)
    assert stuck.kind is FaultKind.TIMEOUT
    assert stuck.message.startswith("the sandbox worker did not answer run_test")
    assert stuck.message.endswith(f"within {deadline:g} s and was stopped")
    assert run_in(pool, OUTCOMES, "Outcomes.test_passes", "suite.test_outcomes").outcome is (
        RunOutcome.PASSED
    )


def test_each_test_runs_in_a_worker_that_imported_nothing_before(
    open_pool: Callable[..., SandboxPool],
) -> None:
    pool = open_pool(RUNS, size=1)
    # the warm worker imports the test module, and with it the real unittest.mock
    imported = pool.resolve("suite.test_outcomes.Outcomes")
    assert isinstance(imported, RuntimeObject)
    run = run_in(pool, OUTCOMES, "Outcomes.test_runs_with_mockengine", "suite.test_outcomes")
    assert run.outcome is RunOutcome.PASSED, run


def test_running_a_test_leaves_the_workspace_as_it_was(
    open_pool: Callable[..., SandboxPool], project_copy: Callable[[str], Path]
) -> None:
    root = project_copy("runs")
    before = sorted(path.relative_to(root) for path in root.rglob("*"))
    pool = open_pool(root, size=1)
    outcomes = root / "suite" / "test_outcomes.py"
    run_in(pool, outcomes, "test_a_pytest_function", "suite.test_outcomes")
    run_in(pool, outcomes, "Outcomes.test_fails", "suite.test_outcomes")
    assert sorted(path.relative_to(root) for path in root.rglob("*")) == before

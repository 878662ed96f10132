"""The hooks of a ``pytest --mockls`` run: loaded by the plugin (``plugin.py``) only then.

:class:`RuntimeChecks` installs mockengine, records the run with a
:class:`~mockls.runtime.recording.RunRecording`, gathers xdist workers' facts in the
controller, settles them (the same facts whatever the scheduling), writes them to pytest's cache
and reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Generator

    from mockls.runtime.facts import RunFacts
    from mockls.runtime.recording import RunRecording

__all__ = ["WORKER_OUTPUT_KEY", "RuntimeChecks"]

WORKER_OUTPUT_KEY = "mockls_facts"
"""Where an xdist worker hands its facts to the controller."""


class RuntimeChecks:
    """The hooks of a ``--mockls`` run (a plugin object: one per run)."""

    def __init__(self, config: pytest.Config) -> None:
        import mockengine  # noqa: PLC0415  (only a --mockls run pays for the engine)
        from mockengine.instrumentation import add_observer  # noqa: PLC0415
        from mockls.runtime.facts import RunFacts  # noqa: PLC0415
        from mockls.runtime.recording import RunRecording  # noqa: PLC0415

        self.config = config
        self.root = Path(config.rootpath)
        mockengine.install()
        self.recording: RunRecording = RunRecording(self.root)
        add_observer(self.recording)
        self.facts: RunFacts = RunFacts()
        self.order: list[str] = []
        """The run's tests in order, as xdist's workers collected them (serial: the session's)."""

    @property
    def is_worker(self) -> bool:
        """Whether this is a pytest-xdist worker (it gets its ``workerinput`` after the
        plugin started)."""
        return hasattr(self.config, "workerinput")

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logstart(self, nodeid: str) -> None:
        self.recording.test_starting(nodeid)

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        self.recording.test_finished(nodeid)

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef: Any) -> Generator[None, Any, Any]:
        with self.recording.fixture_setup(fixturedef.argname, fixturedef.scope):
            return (yield)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        """xdist's controller: the run's tests in order (every worker collects them all)."""
        if not self.order:
            self.order = list(ids)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """xdist's controller: a worker finished and sent its facts."""
        from mockls.runtime.facts import RunFacts  # noqa: PLC0415

        sent = RunFacts.from_json(getattr(node, "workeroutput", {}).get(WORKER_OUTPUT_KEY))
        if sent is not None:
            self.facts.merge(sent)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        from mockengine.instrumentation import remove_observer  # noqa: PLC0415
        from mockls.runtime.store import CACHE_KEY  # noqa: PLC0415

        remove_observer(self.recording)
        self.facts.merge(self.recording.finish())
        if self.is_worker:
            self.config.workeroutput[WORKER_OUTPUT_KEY] = self.facts.to_json()  # type: ignore[attr-defined]
            return
        self.facts = self.facts.settled(self.order or [item.nodeid for item in session.items])
        cache = getattr(self.config, "cache", None)
        if cache is not None:
            cache.set(CACHE_KEY, self.facts.to_json())

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.is_worker:
            return
        from mockls.runtime.reporting import report_run  # noqa: PLC0415

        report_run(self.facts, self.root, terminalreporter, self.config.option.mockls_report)

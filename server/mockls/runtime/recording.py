"""Watches a pytest run for ``--mockls``: who starts each patch, what its mock and its
original saw, whether it outlived its test, and ``AsyncMock`` calls never awaited.

A :class:`RunRecording` is a ``mockengine.instrumentation.Recorder`` that also knows where
the run is (the test running, the fixtures being set up), told by the plugin's hooks. A patch
becomes a :class:`~mockls.runtime.facts.PatchFact` when it stops, or at the end of the run.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockengine import AsyncMock
from mockengine.instrumentation import PatchFailure, PatchInfo, PatchUsage, Recorder
from mockls.dataclass_slots import SLOTS
from mockls.runtime.facts import PatchFact, RejectedCall, RunFacts, Site, file_digest

__all__ = ["RunRecording"]

_SKIPPED_DIRECTORIES = (f"{os.sep}_pytest{os.sep}", f"{os.sep}pluggy{os.sep}")
"""Frames of code that runs tests, not the tests' own: never a site."""


@dataclass(**SLOTS)
class _Started:
    """A patch that started, with who started it; a fact once it stops."""

    usage: PatchUsage
    site: Site | None
    test: str | None
    owner: str
    scope: str
    async_calls: dict[int, tuple[Any, list[Site]]] = field(default_factory=dict)
    rejected_calls: dict[RejectedCall, None] = field(default_factory=dict)
    leaked_after: str | None = None


class RunRecording(Recorder):
    """Records every patch of a pytest run, with its owner and fate, as :class:`RunFacts`."""

    def __init__(self, root: Path) -> None:
        super().__init__(trace_originals=True)
        self.root = root
        self.facts = RunFacts()
        self._test: str | None = None
        self._fixtures: list[tuple[str, str]] = []
        self._started: dict[int, _Started] = {}
        self._skipped_directories: tuple[str, ...] | None = None

    # -- where the run is (told by the plugin) -------------------------------------------

    def test_starting(self, nodeid: str) -> None:
        """``nodeid``'s setup begins: patches started from now on are its (or its fixtures')."""
        self._test = nodeid

    def test_finished(self, nodeid: str) -> None:
        """``nodeid``'s teardown ended: what it or its function fixtures left active leaked."""
        for started in self._started.values():
            if (
                started.test == nodeid
                and started.scope == "function"
                and started.leaked_after is None
            ):
                started.leaked_after = nodeid
        self._test = None

    @contextlib.contextmanager
    def fixture_setup(self, name: str, scope: str) -> Iterator[None]:
        """Patches started inside belong to the fixture ``name``."""
        self._fixtures.append((name, scope))
        try:
            yield
        finally:
            self._fixtures.pop()

    def finish(self) -> RunFacts:
        """The facts of the run so far, the patches still active included."""
        for key in list(self._started):
            self._stop(key)
        for path in {site.path for fact in self.facts.patches for site in _sites_of(fact)}:
            digest = file_digest(self.root / path)
            if digest is not None:
                self.facts.digests[path] = digest
        return self.facts

    # -- instrumentation events ------------------------------------------------------------

    def patch_started(self, patch: PatchInfo) -> None:
        super().patch_started(patch)
        usage = self.patches.pop()  # the recorder keeps it for calls; the facts are kept here
        owner, scope = self._owner()
        self._started[id(usage)] = _Started(
            usage,
            self._site(patch.made_at),
            self._test if scope == "function" else None,
            owner,
            scope,
        )

    def mock_called(self, patch: PatchInfo, mock: Any, call: Any) -> None:
        super().mock_called(patch, mock, call)
        if isinstance(mock, AsyncMock):
            for started in self._started.values():
                if started.usage.patch is patch:
                    _, sites = started.async_calls.setdefault(id(mock), (mock, []))
                    sites.append(self._caller_site())

    def mock_rejected(self, patch: PatchInfo, mock: Any, error: TypeError) -> None:
        for started in self._started.values():
            if started.usage.patch is patch:
                started.rejected_calls[RejectedCall(self._caller_site(), str(error))] = None

    def patch_stopped(self, patch: PatchInfo) -> None:
        super().patch_stopped(patch)
        for key, started in list(self._started.items()):
            if started.usage.patch is patch:
                self._stop(key)

    def patch_failed(self, failure: PatchFailure) -> None:
        owner, scope = self._owner()
        self.facts.patches.append(
            PatchFact(
                target=failure.target or failure.attribute,
                site=self._site(failure.made_at),
                test=self._test if scope == "function" else None,
                owner=owner,
                scope=scope,
                error=f"{type(failure.error).__name__}: {failure.error}",
            )
        )

    # -- helpers ------------------------------------------------------------------------

    def _stop(self, key: int) -> None:
        started = self._started.pop(key)
        usage = started.usage
        never_awaited: list[Site] = []
        for mock, sites in started.async_calls.values():
            never_awaited.extend(sites[mock.await_count :])
        patch = usage.patch
        self.facts.patches.append(
            PatchFact(
                target=patch.target or f"{patch.module or '?'}.{patch.attribute}",
                site=started.site,
                test=started.test,
                owner=started.owner,
                scope=started.scope,
                call_count=usage.call_count,
                original_called=usage.original_called,
                original_callers=tuple(
                    self._relative(path, line) for path, line in usage.original_callers
                ),
                leaked_after=started.leaked_after,
                stopped_during=None if started.leaked_after is None else self._test,
                never_awaited=tuple(dict.fromkeys(never_awaited)),
                rejected_calls=tuple(started.rejected_calls),
                called=tuple(dict.fromkeys(_call_name(call) for call in usage.calls)),
            )
        )

    def _owner(self) -> tuple[str, str]:
        if self._fixtures:
            name, scope = self._fixtures[-1]
            return f"fixture {name}", scope
        return "test", "function"

    def _site(self, frames: tuple[tuple[str, int], ...]) -> Site | None:
        for path, line in frames:
            if not self._skipped(path):
                return self._relative(path, line)
        return None

    def _caller_site(self) -> Site:
        """The first frame outside mockengine, this package and pytest: who called the mock."""
        frame = sys._getframe(1)
        engine = os.path.dirname(sys.modules["mockengine"].__file__ or "")
        while frame.f_back is not None and (
            frame.f_code.co_filename.startswith((engine, os.path.dirname(__file__)))
            or self._skipped(frame.f_code.co_filename)
        ):
            frame = frame.f_back
        return self._relative(frame.f_code.co_filename, frame.f_lineno)

    def _skipped(self, path: str) -> bool:
        """Whether a frame of ``path`` makes or calls patches on a test's behalf (pytest,
        pluggy, ``contextlib``, pytest-mock's ``mocker``) rather than being the test's code."""
        if self._skipped_directories is None:
            pytest_mock = sys.modules.get("pytest_mock")
            mocker = () if pytest_mock is None else (os.path.dirname(pytest_mock.__file__ or ""),)
            self._skipped_directories = (*_SKIPPED_DIRECTORIES, *mocker)
        return path.endswith("contextlib.py") or any(
            directory in path for directory in self._skipped_directories
        )

    def _relative(self, path: str, line: int) -> Site:
        absolute = Path(os.path.abspath(path))
        shown = absolute.relative_to(self.root) if absolute.is_relative_to(self.root) else absolute
        return Site(shown.as_posix(), line)


def _sites_of(fact: PatchFact) -> Iterator[Site]:
    if fact.site is not None:
        yield fact.site
    yield from fact.original_callers
    yield from fact.never_awaited
    yield from (rejected.site for rejected in fact.rejected_calls)


def _call_name(call: Any) -> str:
    """``"get"`` for ``call.get(...)``, ``"().get"`` for ``call().get(...)``, ``""`` for
    ``call(...)``: the name ``mock_calls`` gives it."""
    return str(call[0]) if len(call) == 3 else ""

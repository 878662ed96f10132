"""What a ``pytest --mockls`` run recorded of each patch: plain data, JSON in and out.

Paths are posix paths relative to the run's root directory (absolute for files outside it).
A :class:`RunFacts` also keeps the content digest of every file its facts name, so that a
reader can drop the facts of a file changed since the run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from mockls.dataclass_slots import SLOTS

__all__ = [
    "FACTS_VERSION",
    "PatchFact",
    "RejectedCall",
    "RunFacts",
    "Site",
    "content_digest",
    "file_digest",
]

FACTS_VERSION = 1
"""The version of the JSON form; a reader ignores facts of another version."""


@dataclass(frozen=True, **SLOTS)
class Site:
    """A place in a file: ``path`` (see the module docstring) and a 1-based ``line``."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, **SLOTS)
class RejectedCall:
    """A call an autospecced mock refused: its arguments cannot bind to the real signature."""

    site: Site
    """Where the call is (in the test, or in the code under test)."""
    message: str
    """The ``TypeError`` autospec raised (``"missing a required argument: 'body'"``)."""


@dataclass(frozen=True, **SLOTS)
class PatchFact:
    """One start (or failed start) of one patch during the run."""

    target: str
    """The dotted name of the patched attribute (``shop.payments.charge``)."""
    site: Site | None
    """Where the patch was made: the ``patch(...)`` call, decorator, ``with`` or
    ``mocker.patch`` line; ``None`` when no frame of the run's files made it."""
    test: str | None
    """The node id of the test during which it started (``None``: at import or collection)."""
    owner: str
    """Who started it: ``"test"`` or ``"fixture <name>"``."""
    scope: str
    """The owner's scope: ``"function"`` for a test, the fixture's scope otherwise."""
    error: str | None = None
    """What starting it raised (``"AttributeError: ..."``); ``None`` when it started."""
    call_count: int = 0
    """Calls to its mock (and the mocks below it) while it was active."""
    original_called: bool | None = None
    """Whether the original ran while patched out (``None``: cannot be seen)."""
    original_callers: tuple[Site, ...] = ()
    """Where the code that called the original instead is."""
    leaked_after: str | None = None
    """The test after whose teardown it was still active (a leak), if any."""
    stopped_during: str | None = None
    """The later test during which a leaked patch was stopped; ``None``: it stayed active to
    the end of the run (or of the xdist worker that ran it)."""
    later_tests: int = 0
    """How many tests of the run come after ``leaked_after`` up to ``stopped_during``, in the
    run's order: the tests that ran with the leak in a serial run (see :meth:`RunFacts.settled`)."""
    later_test_names: tuple[str, ...] = ()
    """The first few of those tests."""
    never_awaited: tuple[Site, ...] = ()
    """Where an ``AsyncMock`` of the patch was called and its coroutine never awaited."""
    rejected_calls: tuple[RejectedCall, ...] = ()
    """The calls its autospecced mock (or one below it) refused, each place once."""
    called: tuple[str, ...] = ()
    """What of its mock was called, as ``mock_calls`` names it: ``""`` the mock itself,
    ``"get"`` its child, ``"().get"`` the child of its return value (each once)."""

    @property
    def started(self) -> bool:
        return self.error is None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PatchFact:
        def site(value: Any) -> Site | None:
            return None if value is None else Site(str(value["path"]), int(value["line"]))

        def sites(values: Iterable[Any]) -> tuple[Site, ...]:
            return tuple(found for found in map(site, values) if found is not None)

        return cls(
            target=str(data["target"]),
            site=site(data.get("site")),
            test=data.get("test"),
            owner=str(data.get("owner", "test")),
            scope=str(data.get("scope", "function")),
            error=data.get("error"),
            call_count=int(data.get("call_count", 0)),
            original_called=data.get("original_called"),
            original_callers=sites(data.get("original_callers", ())),
            leaked_after=data.get("leaked_after"),
            stopped_during=data.get("stopped_during"),
            later_tests=int(data.get("later_tests", 0)),
            later_test_names=tuple(data.get("later_test_names", ())),
            never_awaited=sites(data.get("never_awaited", ())),
            called=tuple(str(name) for name in data.get("called", ())),
            rejected_calls=tuple(
                RejectedCall(
                    Site(str(entry["site"]["path"]), int(entry["site"]["line"])),
                    str(entry["message"]),
                )
                for entry in data.get("rejected_calls", ())
            ),
        )


@dataclass(**SLOTS)
class RunFacts:
    """Everything one run (or several merged: xdist workers, CI shards) recorded."""

    patches: list[PatchFact] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)
    """``path`` -> the content digest of that file when the run read it."""

    def merge(self, other: RunFacts) -> None:
        """Add ``other``'s facts (from another worker or shard of the same suite)."""
        self.patches.extend(other.patches)
        self.digests.update(other.digests)

    def settled(self, order: Sequence[str]) -> RunFacts:
        """The facts of the whole run, the same whatever worker ran which test (serial or
        pytest-xdist): ``order`` is the run's test node ids in the order pytest runs them.

        - The starts of one patch site by a fixture wider than a test (and those at import or
          collection time), which each xdist worker makes for itself, are one fact: their
          calls added up, the original called if any start saw it.
        - A leak's later tests are counted in ``order``: the tests after the one it leaked
          from, up to the one that stopped it (or the end). That is who ran with it in a
          serial run; under xdist some of them ran in another worker. A leak stopped by a
          test another worker ran is counted to the end: that stop is not seen.
        - A patch made while a leak of its target was active (in ``order``) has its original
          unseen (``original_called`` is ``None``): in a serial run that original is the
          leak's mock; under xdist it may have been the real one.
        - The facts are sorted.
        """
        shared: dict[tuple[Any, ...], list[PatchFact]] = {}
        own: list[PatchFact] = []
        position = {nodeid: index for index, nodeid in enumerate(order)}
        for fact in self.patches:
            if fact.test is None:
                key = (fact.site, fact.target, fact.owner, fact.scope, fact.error)
                shared.setdefault(key, []).append(fact)
            else:
                own.append(_with_later_tests(fact, order, position))
        leaks = [
            (fact.target, set(_later(fact, order, position)))
            for fact in own
            if fact.leaked_after is not None
        ]
        settled = [
            _behind_leak(fact)
            if any(fact.target == target and fact.test in later for target, later in leaks)
            else fact
            for fact in own
        ]
        settled.extend(_combined(starts) for starts in shared.values())
        settled.sort(key=lambda fact: json.dumps(fact.to_json(), sort_keys=True))
        return RunFacts(settled, dict(self.digests))

    def judged_paths(self) -> set[str]:
        """The files the facts can give findings in: where patches were made, and where their
        autospecced mocks refused calls."""
        paths = {fact.site.path for fact in self.patches if fact.site is not None}
        paths.update(
            rejected.site.path for fact in self.patches for rejected in fact.rejected_calls
        )
        return paths

    def of_file(self, path: str) -> list[PatchFact]:
        """The facts of the patches made in ``path``."""
        return [fact for fact in self.patches if fact.site is not None and fact.site.path == path]

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FACTS_VERSION,
            "patches": [fact.to_json() for fact in self.patches],
            "digests": dict(sorted(self.digests.items())),
        }

    @classmethod
    def from_json(cls, data: Any) -> RunFacts | None:
        """The facts in ``data``; ``None`` when it is not facts of this version."""
        if not isinstance(data, dict) or data.get("version") != FACTS_VERSION:
            return None
        try:
            return cls(
                patches=[PatchFact.from_json(entry) for entry in data.get("patches", [])],
                digests={str(key): str(value) for key, value in data.get("digests", {}).items()},
            )
        except (KeyError, TypeError, ValueError):
            return None


def content_digest(data: bytes) -> str:
    """The digest facts keep of a file's content."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    """The digest of the file at ``path``; ``None`` when it cannot be read."""
    try:
        return content_digest(path.read_bytes())
    except OSError:
        return None


LATER_TESTS_NAMED = 3
"""How many of the tests that ran with a leaked patch are named."""

CALLERS_KEPT = 3
"""How many places that called a patched-out original a combined fact keeps."""


def _later(fact: PatchFact, order: Sequence[str], position: Mapping[str, int]) -> list[str]:
    """The tests that ran with ``fact``'s leaked patch in a serial run of ``order``."""
    if fact.leaked_after is None or fact.leaked_after not in position:
        return []
    first = position[fact.leaked_after] + 1
    last = position.get(fact.stopped_during or "", len(order) - 1)
    return list(order[first : last + 1])


def _with_later_tests(
    fact: PatchFact, order: Sequence[str], position: Mapping[str, int]
) -> PatchFact:
    if fact.leaked_after is None:
        return fact
    later = _later(fact, order, position)
    return replace(fact, later_tests=len(later), later_test_names=tuple(later[:LATER_TESTS_NAMED]))


def _behind_leak(fact: PatchFact) -> PatchFact:
    """A patch made while a leak of its target was active: in a serial run its original is
    the leak's mock, whose running is not watched; under xdist it may be the real one."""
    return replace(fact, original_called=None, original_callers=())


def _combined(starts: Sequence[PatchFact]) -> PatchFact:
    """One fact for several starts of one shared patch site."""
    seen = [fact.original_called for fact in starts if fact.original_called is not None]
    return replace(
        starts[0],
        call_count=sum(fact.call_count for fact in starts),
        original_called=any(seen) if seen else None,
        original_callers=tuple(
            sorted({site for fact in starts for site in fact.original_callers}, key=str)
        )[:CALLERS_KEPT],
        never_awaited=tuple(
            sorted({site for fact in starts for site in fact.never_awaited}, key=str)
        ),
        rejected_calls=tuple(
            sorted({call for fact in starts for call in fact.rejected_calls}, key=str)
        ),
        called=tuple(sorted({name for fact in starts for name in fact.called})),
    )

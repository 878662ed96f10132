"""jedi is not thread-safe and keeps caches for the whole process: the jedi work of every
environment (two projects, or a project made again for new settings beside the old one) runs
one at a time."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unittest import mock

import pytest

from mockls.resolve.environment import EnvironmentResolver
from mockls.resolve.resolution import Resolution


def test_the_jedi_work_of_two_environments_never_overlaps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOCKLS_CACHE_DIR", str(tmp_path / "cache"))
    running: list[str] = []
    overlaps: list[tuple[str, ...]] = []
    guard = threading.Lock()

    def working_out(_environment: EnvironmentResolver, target: str) -> Resolution:
        with guard:
            if running:
                overlaps.append((*running, target))
            running.append(target)
        time.sleep(0.02)  # long enough for the other thread to come in, were it let in
        with guard:
            running.remove(target)
        return None

    environments = [EnvironmentResolver(tmp_path / name, None) for name in ("first", "second")]
    asked = [
        (environment, f"module_{index}.name") for index in range(5) for environment in environments
    ]
    with (
        mock.patch.object(EnvironmentResolver, "_resolve", working_out),
        ThreadPoolExecutor(2) as pool,
    ):
        answers = list(pool.map(lambda pair: pair[0].resolve(pair[1]), asked))
    assert answers == [None] * len(asked)
    assert overlaps == []

"""The sandbox pools of a workspace: one per project root, running the project's interpreter.

Both front ends keep theirs here: the server (pools started on first use, replaced when a
project's interpreter changes, closed when the settings change and at shutdown) and
``mockls check --verify`` (closed when the check ends).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from pathlib import Path

from mockls.sandbox.pool import SandboxPool

__all__ = ["SandboxPools"]


class SandboxPools:
    """The pools of a workspace's projects, by root and interpreter. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pools: dict[Path | None, tuple[str | None, SandboxPool]] = {}
        self._closed = False

    def pool_for(
        self, root: Path | None, python: str | None, source_roots: Sequence[Path] | None = None
    ) -> SandboxPool | None:
        """The pool of the project at ``root`` running ``python`` (started now if need be),
        with ``source_roots`` on its workers' ``sys.path`` (default: what the project
        declares); a pool for the same root with another interpreter is closed. ``None`` once
        shut down."""
        stale: SandboxPool | None = None
        with self._lock:
            if self._closed:
                return None
            known = self._pools.get(root)
            if known is not None and known[0] == python:
                return known[1]
            if known is not None:
                stale = known[1]
            pool = SandboxPool(root, python, source_roots=source_roots)
            self._pools[root] = (python, pool)
        if stale is not None:
            threading.Thread(target=stale.close, name="mockls-sandbox-close").start()
        pool.start()
        return pool

    def file_changed(self, path: Path) -> None:
        """A file changed on disk: the workers that imported it are replaced."""
        for pool in self._all():
            pool.notify_file_changed(path)

    async def close(self, *, for_good: bool = False) -> None:
        """Close every pool (they start again when needed, unless ``for_good``)."""
        with self._lock:
            pools = [pool for _, pool in self._pools.values()]
            self._pools.clear()
            self._closed = self._closed or for_good
        await asyncio.gather(*(pool.close_async() for pool in pools))

    def _all(self) -> list[SandboxPool]:
        with self._lock:
            return [pool for _, pool in self._pools.values()]

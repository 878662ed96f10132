"""Sandbox replies kept by request, valid while the workspace files they read are unchanged.

A reply depends on the content of every workspace file its worker had imported
(:attr:`~mockls.sandbox.protocol.Reply.depends_on`, path -> digest). A cached reply is
served only while each of those files still has that digest; digests are recomputed only
when a file's ``stat`` changes. A reply that reports something *missing* may also change
when a file appears, which no digest can show: such replies are dropped on every reported
file change.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockls.sandbox.protocol import Reply
from mockls.sandbox.worker import file_digest

__all__ = ["FileDigests", "ResultCache"]

CACHE_LIMIT = 4096
"""Replies kept; the least recently used go first."""


class FileDigests:
    """Content digests of files, computed again only when a file's ``stat`` changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[str, tuple[tuple[int, int, int], str | None]] = {}

    def digest(self, path: str) -> str | None:
        """The digest of the file's content now; ``None`` when it cannot be read."""
        try:
            status = os.stat(path)
        except OSError:
            return None
        stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
        with self._lock:
            known = self._known.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        digest = file_digest(path)
        with self._lock:
            self._known[path] = (stamp, digest)
        return digest

    def unchanged(self, files: Mapping[str, str | None]) -> bool:
        """Whether every file still has the digest it had."""
        return all(self.digest(path) == digest for path, digest in files.items())

    def forget(self, path: str) -> None:
        """Read ``path`` again next time, whatever its ``stat`` says."""
        with self._lock:
            self._known.pop(path, None)


@dataclass(frozen=True, slots=True)
class _Entry:
    reply: Reply
    reports_missing: bool


class ResultCache:
    """Replies by (method, parameters). Thread-safe."""

    def __init__(self, digests: FileDigests, limit: int = CACHE_LIMIT) -> None:
        self._digests = digests
        self._limit = limit
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    def get(self, method: str, params: Mapping[str, Any]) -> Reply | None:
        """The cached reply, if the files it depends on are unchanged."""
        key = _key(method, params)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
        if entry is None:
            return None
        if not self._digests.unchanged(entry.reply.depends_on):
            with self._lock:
                if self._entries.get(key) is entry:
                    del self._entries[key]
            return None
        return entry.reply

    def put(
        self, method: str, params: Mapping[str, Any], reply: Reply, *, reports_missing: bool
    ) -> None:
        """Keep ``reply``; ``reports_missing``: it says something does not exist (a new file
        may change it)."""
        key = _key(method, params)
        with self._lock:
            self._entries[key] = _Entry(reply, reports_missing)
            self._entries.move_to_end(key)
            while len(self._entries) > self._limit:
                self._entries.popitem(last=False)

    def file_changed(self, path: str) -> None:
        """Drop the replies that read ``path``, and every reply that reports something missing."""
        with self._lock:
            stale = [
                key
                for key, entry in self._entries.items()
                if entry.reports_missing or path in entry.reply.depends_on
            ]
            for key in stale:
                del self._entries[key]

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


def _key(method: str, params: Mapping[str, Any]) -> str:
    return f"{method} {json.dumps(params, sort_keys=True)}"

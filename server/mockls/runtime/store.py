"""Where the facts of the last ``pytest --mockls`` run are kept: pytest's cache.

The plugin writes them with ``config.cache.set(CACHE_KEY, ...)``, which pytest keeps as JSON
in ``<rootdir>/.pytest_cache/v/mockls/facts``; ``mockls check`` and the server read that
file for a project root, again only when it changed.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from mockls.runtime.facts import RunFacts

__all__ = ["CACHE_KEY", "facts_file", "load_run_facts"]

log = logging.getLogger(__name__)

CACHE_KEY = "mockls/facts"
"""The key of the facts in pytest's cache."""

_loaded: dict[Path, tuple[tuple[int, int], RunFacts | None]] = {}
_lock = threading.Lock()


def facts_file(root: Path) -> Path:
    """The file pytest's cache keeps the facts in, for a run whose rootdir is ``root``."""
    return root / ".pytest_cache" / "v" / CACHE_KEY


def load_run_facts(root: Path) -> RunFacts | None:
    """The facts of the last run in ``root`` (``None``: no run, or unreadable), read again
    only when the file changed."""
    path = facts_file(root)
    try:
        status = path.stat()
    except OSError:
        return None
    stamp = (status.st_mtime_ns, status.st_size)
    with _lock:
        known = _loaded.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
    try:
        facts = RunFacts.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        log.warning("cannot read the facts of the last pytest --mockls run in %s", path)
        facts = None
    with _lock:
        _loaded[path] = (stamp, facts)
    return facts

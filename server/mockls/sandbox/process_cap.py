"""A cap on the processes a worker and what it starts may run: a fork bomb stops at it.

Two mechanisms, whichever the platform and the user allow:

- ``RLIMIT_NPROC``, which the worker sets itself (``--process-cap``) to the tasks its user
  already runs plus the cap. The kernel counts every process and thread of the user, and
  ignores the limit for root.
- As root, a cgroup of the v1 ``pids`` controller per worker (:class:`PidsCgroup`, its
  ``pids.max`` is the cap), created below the server's own cgroup; the worker joins it
  (``--cgroup``) before it runs any user code. Killing the worker also kills every process
  left in it, even one that left the worker's process group with ``setsid``. The cgroups of
  a server that was killed before it could remove its own are reclaimed (what runs in them
  killed, then removed) when the next server makes one.

Where neither applies (root on a system with cgroup v2 only, or without write access to the
``pids`` hierarchy; macOS) a fork bomb is stopped only by the deadline and the kill of the
worker's process group; docs/sandbox.md says so.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import signal
import time
from pathlib import Path

log = logging.getLogger(__name__)

__all__ = ["PIDS_HIERARCHY", "PidsCgroup"]

PIDS_HIERARCHY = Path("/sys/fs/cgroup/pids")
"""Where the cgroup v1 ``pids`` controller is mounted on Linux."""

_PREFIX = "mockls-"
_numbers = itertools.count(1)


class PidsCgroup:
    """A ``pids`` cgroup holding one worker and its descendants."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def create(cls, cap: int, hierarchy: Path = PIDS_HIERARCHY) -> PidsCgroup | None:
        """A new cgroup allowing ``cap`` tasks, below the server's own; ``None`` when the
        server is not root (``RLIMIT_NPROC`` works then) or cannot create one."""
        if not hasattr(os, "geteuid") or os.geteuid() != 0:
            return None
        own = _own_cgroup(hierarchy)
        if own is None:
            return None
        _remove_abandoned(own)
        path = own / f"{_PREFIX}{os.getpid()}-{next(_numbers)}"
        try:
            path.mkdir()
            (path / "pids.max").write_text(str(cap), encoding="ascii")
        except OSError as error:
            log.debug("no pids cgroup for a sandbox worker: %s", error)
            with contextlib.suppress(OSError):
                path.rmdir()
            return None
        return cls(path)

    def members(self) -> list[int]:
        """The processes in the cgroup now."""
        try:
            text = (self.path / "cgroup.procs").read_text(encoding="ascii")
        except OSError:
            return []
        return [int(line) for line in text.split()]

    def kill(self) -> None:
        """SIGKILL every process in the cgroup (those that left the process group too)."""
        for _ in range(3):  # a process may fork while the others are being killed
            members = self.members()
            if not members:
                return
            for pid in members:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)

    def remove(self) -> None:
        """Remove the cgroup once its processes have ended (give up after a second)."""
        for _ in range(20):
            try:
                self.path.rmdir()
            except FileNotFoundError:
                return
            except OSError:
                self.kill()
                time.sleep(0.05)
            else:
                return
        log.warning("could not remove the sandbox cgroup %s", self.path)


def _remove_abandoned(directory: Path) -> None:
    """Reclaim the cgroups of servers that ended without removing theirs (killed): kill what
    still runs in them, then remove them."""
    try:
        entries = list(directory.iterdir())
    except OSError:
        return
    for entry in entries:
        server = entry.name.removeprefix(_PREFIX).partition("-")[0]
        if entry.name.startswith(_PREFIX) and server.isdigit() and not _alive(int(server)):
            log.info("reclaiming the sandbox cgroup %s of a server that is gone", entry)
            PidsCgroup(entry).remove()  # kills its processes until it can be removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _own_cgroup(hierarchy: Path) -> Path | None:
    """The directory of the server's own cgroup in the ``pids`` hierarchy, if it is there."""
    try:
        lines = Path("/proc/self/cgroup").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if "pids" in controllers.split(","):
            directory = hierarchy / path.lstrip("/")
            return directory if (directory / "cgroup.procs").is_file() else None
    return None

"""``SLOTS``: ``@dataclass(**SLOTS)`` gives a class ``__slots__`` where Python can (3.10+).

The modules that the sandbox workers bring along (``sandbox/process.py``'s ``RUNTIME_FILES``)
run in the user's interpreter, down to CPython 3.9, whose ``dataclass`` has no ``slots``.
Standard library only.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["SLOTS"]

SLOTS: dict[str, Any] = {"slots": True} if sys.version_info >= (3, 10) else {}
"""The ``dataclass`` keywords for a slotted class on this Python (none on 3.9)."""

"""Settings: one typed, defaulted tree, from defaults <- pyproject ``[tool.mockls]`` <- editor."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from mockls.findings import Severity


@dataclass(frozen=True, slots=True)
class Settings:
    """What the user configured; every field has a working default."""

    select: frozenset[str] | None = None
    """Rule codes to run; ``None`` runs every rule."""

    ignore: frozenset[str] = frozenset()
    """Rule codes never to run (applied after ``select``)."""

    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    """``(glob, codes)`` pairs: codes ignored in files whose workspace-relative path matches."""

    exclude: tuple[str, ...] = ()
    """``.gitignore``-style patterns of paths ``mockls check`` does not walk into."""

    severity: Mapping[str, Severity] = field(default_factory=dict)
    """Per-code severity overrides."""

    sandbox: bool = True
    """Whether the sandbox may run user code (only ever in a trusted workspace)."""

    python: str | None = None
    """The interpreter for the sandbox and for resolving targets; ``None`` finds one."""

    def enabled_codes(self, all_codes: frozenset[str], relative_path: str) -> frozenset[str]:
        """The codes to run on the file at ``relative_path`` (posix, relative to the root)."""
        codes = all_codes if self.select is None else all_codes & self.select
        codes -= self.ignore
        path = PurePosixPath(relative_path)
        for pattern, ignored in self.per_file_ignores:
            if path.match(pattern) or fnmatch.fnmatch(relative_path, pattern):
                codes -= ignored
        return codes

    def severity_for(self, code: str, default: Severity) -> Severity:
        """The severity to report ``code`` with."""
        return self.severity.get(code, default)

"""Run the running CPython's own ``unittest.mock`` test suite (``testmock``) against mockengine.

Every CPython ships the tests of its ``unittest.mock`` in its ``test`` package
(``unittest.test.testmock`` up to 3.11, ``test.test_unittest.testmock`` from 3.12). This
installs mockengine as ``unittest.mock`` first, so those tests exercise the engine as it
behaves on this interpreter, and exits 1 unless every one of them passes. Standard library
only: it runs under each CPython 3.9-3.13 (``scripts/engine_pythons.py`` does that).

    python3.X scripts/cpython_testmock.py
"""

from __future__ import annotations

import sys
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def suite_name() -> str:
    """Where this interpreter keeps the tests of its ``unittest.mock``."""
    if sys.version_info >= (3, 12):
        return "test.test_unittest.testmock"
    return "unittest.test.testmock"


def main() -> int:
    sys.path.insert(0, str(REPO))
    import mockengine  # noqa: PLC0415  (from the checkout put on sys.path above)

    mockengine.install()
    suite = unittest.defaultTestLoader.loadTestsFromName(suite_name())
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=1).run(suite)
    version = ".".join(map(str, sys.version_info[:3]))
    print(
        f"CPython {version}'s testmock against mockengine: {result.testsRun} tests, "
        f"{len(result.failures)} failures, {len(result.errors)} errors, "
        f"{len(result.skipped)} skipped"
    )
    return 0 if result.wasSuccessful() and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())

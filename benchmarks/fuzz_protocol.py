"""The long fuzz of the real server: many seeded runs of ``tests/e2e/fuzzing.py``.

``make test`` runs two short seeds (``tests/e2e/test_fuzz.py``); this runs ``--runs`` seeds of
``--edits`` edits, ``--requests`` requests and ``--malformed`` malformed messages each,
prints each run's counts and time, and exits 1 when a run failed (its seed replays it:
``MOCKLS_FUZZ_SEED=<seed> .venv/bin/pytest tests/e2e/test_fuzz.py``, or ``--first-seed``).
Run it from the repository root: ``.venv/bin/python benchmarks/fuzz_protocol.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests package

from tests.e2e.fuzzing import run_fuzz


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--malformed", type=int, default=500)
    arguments = parser.parse_args()
    failed = 0
    print(f"{'seed':>6} {'edits':>6} {'requests':>8} {'malformed':>9} {'seconds':>8}  result")
    for seed in range(arguments.first_seed, arguments.first_seed + arguments.runs):
        started = time.perf_counter()
        report = run_fuzz(
            seed,
            edits=arguments.edits,
            requests=arguments.requests,
            malformed=arguments.malformed,
        )
        seconds = time.perf_counter() - started
        result = "ok" if not report.failures else "FAILED: " + report.failures[0][:200]
        failed += bool(report.failures)
        print(
            f"{seed:>6} {report.edits:>6} {report.requests:>8} {report.malformed:>9}"
            f" {seconds:>8.1f}  {result}",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""A short seeded fuzz of the real server (``tests/e2e/fuzzing.py``): random edits, requests
and malformed input, a few hundred per run. Set ``MOCKLS_FUZZ_SEED`` to replay a failing run;
``benchmarks/fuzz_protocol.py`` is the long version."""

from __future__ import annotations

import os

import pytest

from tests.e2e.fuzzing import run_fuzz

SEEDS = [int(os.environ["MOCKLS_FUZZ_SEED"])] if "MOCKLS_FUZZ_SEED" in os.environ else [1, 2]


@pytest.mark.parametrize("seed", SEEDS)
def test_random_edits_requests_and_malformed_input_keep_the_server_right(seed: int) -> None:
    report = run_fuzz(seed, edits=200, requests=60, malformed=100)
    assert (report.edits, report.malformed, report.requests) == (200, 100, 60)
    assert report.failures == [], f"replay with MOCKLS_FUZZ_SEED={seed}"

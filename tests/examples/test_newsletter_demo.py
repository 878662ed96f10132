"""The demo project ``examples/newsletter``: ``mockls check`` finds each planted mistake of the
six rules it shows and no more, and its tests do what its README says.

Together with ``examples/shop`` the demos show every rule.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mockls.rules import ALL_RULES

from .test_shop_demo import EXPECTED_FINDINGS as SHOP_FINDINGS
from .test_shop_demo import outcome, run_demo_tests

REPOSITORY = Path(__file__).resolve().parents[2]
NEWSLETTER = REPOSITORY / "examples" / "newsletter"
CAMPAIGN = "tests/test_campaign.py"

EXPECTED_FINDINGS: list[tuple[str, int, str]] = [
    # (path in examples/newsletter, 1-based line, code): one row per planted mistake.
    # mock_api.fetch.return_value while audience() calls SubscriberApi(...).fetch(...)
    (CAMPAIGN, 17, "class-instead-of-instance"),
    # patch.object(SubscriberApi, "healthy", return_value=False): a plain mock for a property
    (CAMPAIGN, 28, "property-needs-propertymock"),
    # mock_record.assert_called_once_with(...) while launch() never awaits events.record
    (CAMPAIGN, 40, "async-call-not-awaited"),
    # send.call_count = 0 instead of send.reset_mock()
    (CAMPAIGN, 52, "reset-by-assignment"),
    # the fixture returns fake_mailer from inside `with patch(...)`
    (CAMPAIGN, 69, "patch-not-active"),
    # @patch("newsletter.settings.BATCH_SIZE", 1): read by a default argument on import
    (CAMPAIGN, 87, "read-at-import"),
]

EXPECTED_OUTCOMES: dict[str, str] = {
    "test_audience_comes_from_the_api": "passed",  # the mistake passes
    "test_audience_is_what_the_api_returns": "passed",
    "test_an_unhealthy_api_gives_no_audience": "failed",  # the mistake fails elsewhere
    "test_a_healthy_api_gives_the_subscribers": "passed",
    "test_launch_records_the_event": "passed",  # the mistake passes
    "test_close_tells_the_admins": "passed",
    "test_a_second_batch_is_checked_alone": (
        "failed" if sys.version_info >= (3, 14, 3) else "passed"
    ),
    "test_a_second_batch_is_checked_after_a_reset": "passed",
    "test_launch_with_an_unsent_mailer": "failed",  # the real mailer ran
    "test_launch_with_a_quiet_mailer": "passed",
    "test_batches_hold_one_address_each": "failed",  # batches of 100
    "test_the_sender_can_be_changed": "passed",
}


def test_check_finds_every_planted_mistake_and_nothing_else() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mockls", "check", ".", "--format", "json"],
        cwd=NEWSLETTER,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 1, result.stderr
    found = sorted(
        (entry["path"], entry["line"], entry["code"]) for entry in json.loads(result.stdout)
    )
    assert found == sorted(EXPECTED_FINDINGS)


def test_the_demos_show_every_rule() -> None:
    shown = {code for _, _, code in [*SHOP_FINDINGS, *EXPECTED_FINDINGS]}
    assert shown == {rule.code for rule in ALL_RULES}


def test_the_newsletter_tests_run_and_only_the_intended_ones_fail(tmp_path: Path) -> None:
    outcomes = {
        str(case.get("name")): outcome(case) for case in run_demo_tests(NEWSLETTER, tmp_path)
    }
    assert outcomes == EXPECTED_OUTCOMES

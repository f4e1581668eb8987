"""Meta's usage headers are read and turned into a pause before the limit is hit."""

from __future__ import annotations

import json

import pytest

from ads.usage import PacingPolicy, UsageTracker, parse_usage, regain_seconds

HEADERS = {
    "X-App-Usage": json.dumps({"call_count": 12, "total_time": 8, "total_cputime": 5}),
    "X-Ad-Account-Usage": json.dumps({"acc_id_util_pct": 81.5, "reset_time_duration": 120}),
    "X-Business-Use-Case-Usage": json.dumps(
        {
            "1000000001": [
                {
                    "type": "ads_management",
                    "call_count": 40,
                    "total_cputime": 10,
                    "total_time": 12,
                    "estimated_time_to_regain_access": 0,
                }
            ],
            "2000000002": [
                {"type": "ads_insights", "call_count": 99, "estimated_time_to_regain_access": 30}
            ],
        }
    ),
}


def test_parse_takes_each_header_and_only_this_accounts_business_entry():
    usage = parse_usage(HEADERS, "act_1000000001")
    assert usage is not None
    assert usage.app_pct == 12
    assert usage.account_pct == 81.5
    assert usage.business_pct == 40  # the other account's 99% is not ours
    assert usage.regain_minutes == 0
    assert parse_usage({"Content-Type": "application/json"}, "act_1") is None


def test_regain_time_in_seconds_and_batch_header_lists():
    batch_headers = [
        {"name": "X-Business-Use-Case-Usage", "value": HEADERS["X-Business-Use-Case-Usage"]}
    ]
    assert regain_seconds(batch_headers, "act_2000000002") == 30 * 60
    assert regain_seconds(HEADERS, "act_1000000001") is None


def test_pause_grows_with_usage_and_waits_out_a_block():
    now = [1000.0]
    tracker = UsageTracker(PacingPolicy(threshold=75, max_delay=8), clock=lambda: now[0])
    tracker.record("act_1", {"x-ad-account-usage": json.dumps({"acc_id_util_pct": 50})})
    assert tracker.delay_for("act_1") == (0.0, None)
    tracker.record("act_1", {"x-ad-account-usage": json.dumps({"acc_id_util_pct": 87.5})})
    delay, blocked = tracker.delay_for("act_1")
    assert delay == pytest.approx(4.0) and blocked is None
    tracker.record("act_1", {"x-ad-account-usage": json.dumps({"acc_id_util_pct": 120})})
    assert tracker.delay_for("act_1")[0] == pytest.approx(8.0)
    buc = {"1": [{"call_count": 100, "estimated_time_to_regain_access": 2}]}
    tracker.record("act_1", {"x-business-use-case-usage": json.dumps(buc)})
    now[0] += 30
    assert tracker.delay_for("act_1") == (pytest.approx(90.0), pytest.approx(90.0))
    now[0] += 3600  # long after: stale readings no longer slow anything down
    assert tracker.delay_for("act_1") == (0.0, None)


def test_calls_on_object_ids_are_attributed_to_the_account_in_the_business_header():
    tracker = UsageTracker()
    buc = {"1000000001": [{"type": "ads_management", "call_count": 90}]}
    tracker.record(None, {"X-Business-Use-Case-Usage": json.dumps(buc)})
    usage = tracker.latest("act_1000000001")
    assert usage is not None and usage.business_pct == 90

"""Each detector fires on its injected incident, stays quiet on a normal account, and only
for money that matters."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from analytics.alerts.detectors import (
    detect_all,
    detect_budget_exhausting,
    detect_cpa_rise,
    detect_cpm_spike,
    detect_ctr_collapse,
    detect_delivery_stall,
    detect_disapproved_ads,
    detect_roas_drop,
    detect_spend_spike,
    detect_tracking_broken,
)
from analytics.alerts.findings import ActionKind, AlertKind, DetectorConfig
from analytics.alerts.incidents import EventKind, LifecycleState, advance
from tests.analytics.alerts.helpers import ONSET, account, baseline_at, snapshot

CONFIG = DetectorConfig()


def _first_hour_found(sim, detector, *, within: int, **kwargs) -> int | None:  # type: ignore[no-untyped-def]
    """Hours after onset at which ``detector`` first fires (None if not within ``within``)."""
    for after in range(1, within + 1):
        if detector(snapshot(sim, ONSET + after, **kwargs), CONFIG) is not None:
            return after
    return None


@pytest.mark.parametrize(
    ("kind", "magnitude", "detector", "within"),
    [
        ("cpm_shock", 1.8, detect_cpm_spike, 2),
        ("ctr_collapse", 0.4, detect_ctr_collapse, 2),
        ("delivery_stall", 0.03, detect_delivery_stall, 2),
        ("spend_spike", 2.5, detect_spend_spike, 2),
    ],
)
def test_traffic_incidents_are_found_within_two_hours(kind, magnitude, detector, within) -> None:  # type: ignore[no-untyped-def]
    quiet = account(seed=11)
    sim = account(kind, seed=11, magnitude=magnitude)
    # Silent on the same hours without the incident...
    for after in range(1, 7):
        assert detector(snapshot(quiet, ONSET + after), CONFIG) is None
    # ...and found within two hourly runs with it.
    assert _first_hour_found(sim, detector, within=within) is not None


def test_cpm_spike_says_what_since_when_and_how_much() -> None:
    sim = account("cpm_shock", seed=12, magnitude=2.0)
    finding = detect_cpm_spike(snapshot(sim, ONSET + 3), CONFIG)
    assert finding is not None
    assert finding.kind is AlertKind.CPM_SPIKE and finding.action is ActionKind.CUT_BUDGET
    onset = sim.start + timedelta(hours=ONSET)
    assert onset - timedelta(hours=1) <= finding.since <= onset + timedelta(hours=1)
    assert float(finding.change) == pytest.approx(1.0, abs=0.25)  # CPM doubled
    # Half of a R$ 15.000 day now buys nothing extra.
    assert finding.money_at_stake_per_day == pytest.approx(750_000, rel=0.3)
    assert isinstance(finding.money_at_stake_per_day, int)
    assert finding.chart is not None and len(finding.chart.hours) == CONFIG.chart_hours
    assert finding.chart.observed[-1] is not None and finding.chart.expected[-1] is not None
    assert finding.chart.observed[-1] > finding.chart.expected[-1] * 3 / 2


def test_broken_pixel_is_found_fast_from_reported_purchases() -> None:
    sim = account("broken_pixel", seed=13, daily_spend=5_000_000.0, cvr=0.04)
    assert _first_hour_found(sim, detect_tracking_broken, within=2) is not None
    finding = detect_tracking_broken(snapshot(sim, ONSET + 2), CONFIG)
    assert finding is not None and finding.action is ActionKind.CHECK_PIXEL
    # Without successive reads the attributed-hour view still finds it, later.
    assert _first_hour_found(sim, detect_tracking_broken, within=8, arrivals=False) is not None
    quiet = account(seed=13, daily_spend=5_000_000.0, cvr=0.04)
    for after in range(1, 9):
        assert detect_tracking_broken(snapshot(quiet, ONSET + after), CONFIG) is None


def test_cpa_doubling_is_a_cpa_rise_not_broken_tracking() -> None:
    sim = account("cpa_doubling", seed=14, magnitude=2.0, daily_spend=5_000_000.0, cvr=0.04)
    found = _first_hour_found(sim, detect_cpa_rise, within=8)
    assert found is not None
    assert _first_hour_found(sim, detect_roas_drop, within=8) is not None
    snap = snapshot(sim, ONSET + found)
    assert detect_tracking_broken(snap, CONFIG) is None
    finding = detect_cpa_rise(snap, CONFIG)
    # The first detection catches a noisy high (true change +100%), never below the minimum.
    assert finding is not None and 0.3 <= float(finding.change) <= 2.0
    for after in range(1, 9):
        assert detect_tracking_broken(snapshot(sim, ONSET + after), CONFIG) is None


def test_broken_pixel_is_reported_once_under_its_cause() -> None:
    sim = account("broken_pixel", seed=15, daily_spend=5_000_000.0, cvr=0.04)
    kinds = {f.kind for f in detect_all(snapshot(sim, ONSET + 6), CONFIG)}
    assert AlertKind.TRACKING_BROKEN in kinds
    assert not kinds & {AlertKind.CPA_RISE, AlertKind.ROAS_DROP}


def test_disapproved_ads_weighed_by_their_usual_spend() -> None:
    sim = account("disapproval", seed=16, magnitude=0.5)
    assert detect_disapproved_ads(snapshot(sim, ONSET), CONFIG) is None
    finding = detect_disapproved_ads(snapshot(sim, ONSET + 1), CONFIG)
    assert finding is not None
    assert finding.money_at_stake_per_day == 2 * round(1_500_000 / 4)
    assert finding.details["ads"] == "ad0,ad1"


def test_budget_nearly_gone_by_mid_morning() -> None:
    sim = account(seed=17)
    ten_am = 21 * 24 + 10
    # A usual day spends 15.000; by 10:00 about 6.250 of a 6.000 budget is gone.
    finding = detect_budget_exhausting(snapshot(sim, ten_am, budget=600_000), CONFIG)
    assert finding is not None and finding.action is ActionKind.RAISE_BUDGET
    assert detect_budget_exhausting(snapshot(sim, ten_am, budget=1_630_000), CONFIG) is None
    # Late in the day spending the budget is normal.
    assert detect_budget_exhausting(snapshot(sim, 21 * 24 + 22, budget=1_500_000), CONFIG) is None


def test_overdelivery_past_the_daily_budget() -> None:
    sim = account(seed=18)
    finding = detect_spend_spike(snapshot(sim, 21 * 24 + 10, budget=300_000), CONFIG)
    assert finding is not None and finding.details["overdelivery"] == "true"
    assert finding.money_at_stake_per_day == pytest.approx(625_000 - 300_000, rel=0.1)


def test_materiality_floor_suppresses_a_tiny_accounts_blip() -> None:
    tiny = account("cpm_shock", seed=19, magnitude=3.0, daily_spend=3_000.0)  # R$ 30 a day
    snap = snapshot(tiny, ONSET + 10)
    loose = replace(CONFIG, materiality_floor=0)
    found = detect_cpm_spike(snap, loose)
    assert found is not None  # statistically it is there...
    assert found.money_at_stake_per_day < CONFIG.materiality_floor
    assert detect_cpm_spike(snap, CONFIG) is None  # ...but R$ 20 a day is not worth a ping


@pytest.mark.parametrize("seed", [21, 22])
def test_a_quiet_week_raises_at_most_one_alert(seed: int) -> None:
    sim = account(seed=seed)
    budget = round(1_500_000 / 0.92)
    state = LifecycleState()
    opened = []
    for hours in range(20 * 24, 27 * 24):
        snap = snapshot(sim, hours, budget=budget)
        state, events = advance(state, detect_all(snap, CONFIG), snap.now)
        opened += [e for e in events if e.kind is EventKind.OPENED]
    assert len(opened) <= 1, [e.incident.kind for e in opened]


def test_no_findings_without_a_baseline_relation() -> None:
    sim = account(seed=23)
    snap = snapshot(sim, 21 * 24 + 5)
    empty = replace(snap, baseline=replace(baseline_at(sim, 21 * 24), relations={}))
    assert detect_all(empty, CONFIG) == ()

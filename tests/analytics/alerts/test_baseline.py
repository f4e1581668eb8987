"""The baseline recovers the simulated truth: hour and weekday shapes, levels, lag."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from ads.sandbox import model
from analytics.alerts.baseline import fit_baseline
from analytics.alerts.series import HourlySeries
from tests.analytics.alerts.helpers import START, account


def test_hour_profile_of_cpm_follows_the_auction_curve() -> None:
    sim = account(seed=1, day_noise=0.03, hour_noise=0.03)
    baseline = fit_baseline(sim.observed(21 * 24))
    assert baseline is not None
    fit = baseline.relation("impressions|spend")
    # Impressions per unit of spend are inversely proportional to the hour's CPM multiplier.
    implied = 1.0 / fit.hour_profile
    truth = np.asarray(model.HOUR_CPM) / np.mean(model.HOUR_CPM)
    implied = implied / implied.mean()
    assert np.max(np.abs(implied / truth - 1)) < 0.06


def test_expected_ratios_match_the_true_economics() -> None:
    sim = account(
        seed=2, daily_spend=5_000_000.0, cpm=2600.0, ctr=0.01, cvr=0.02, aov=20000.0,
        day_noise=0.02, hour_noise=0.02,
    )  # fmt: skip
    baseline = fit_baseline(sim.observed(21 * 24))
    assert baseline is not None
    # Thursday 12:00 local: HOUR_CPM 1.05, WEEKDAY_CPM 1.00, WEEKDAY_CVR 1.00
    thursday_noon = START + timedelta(days=24, hours=12)
    assert thursday_noon.weekday() == 3
    ratios = baseline.expected_ratios(thursday_noon)
    assert ratios["cpm"] == pytest.approx(2600 * 1.05, rel=0.05)
    assert ratios["ctr"] == pytest.approx(0.01, rel=0.05)
    cpa_truth = 2600 * 1.05 / 1000 / 0.01 / 0.02
    assert ratios["cpa"] == pytest.approx(cpa_truth, rel=0.1)
    assert ratios["roas"] == pytest.approx(20000 / cpa_truth, rel=0.1)


def test_lag_correction_keeps_recent_incomplete_days_from_lowering_the_rate() -> None:
    sim = account(seed=3, cvr=0.03)
    series = sim.observed(21 * 24)
    settled = sim.settled.upto(21 * 24)
    truth = fit_baseline(settled, lag_cdf=lambda age: np.ones_like(age))
    lag_aware = fit_baseline(series)
    naive = fit_baseline(series, lag_cdf=lambda age: np.ones_like(age))
    assert truth is not None and lag_aware is not None and naive is not None
    true_rate = truth.relation("conversions|clicks").level
    # The lag model passed in gives the settled rate back...
    assert lag_aware.relation("conversions|clicks").level == pytest.approx(true_rate, rel=0.05)
    # ...and the level's guard band (the last three days left out) keeps even a lag-blind fit
    # from reading the most unfinished days as a lower conversion rate.
    assert naive.relation("conversions|clicks").level == pytest.approx(true_rate, rel=0.1)


def test_a_sustained_purchase_drop_does_not_enter_its_own_expectation() -> None:
    """Two days at 30% of the usual purchases: the midnight refit keeps the usual rate."""
    sim = account(seed=3, cvr=0.01, daily_spend=60_000.0)  # a few purchases a day
    series = sim.observed(21 * 24)
    before = fit_baseline(series)  # the same days without the drop
    dropped = series.conversions.copy()
    dropped[-48:] *= 0.3
    hit = HourlySeries.build(
        series.start, spend=series.spend, impressions=series.impressions, clicks=series.clicks,
        landing_page_views=series.landing_page_views, conversions=dropped, revenue=series.revenue,
    )  # fmt: skip
    after = fit_baseline(hit)
    assert before is not None and after is not None
    usual = before.relation("conversions|clicks").level
    assert after.relation("conversions|clicks").level == pytest.approx(usual, rel=0.05)
    assert after.expected_day("conversions", after.fitted_until) == pytest.approx(
        before.expected_day("conversions", before.fitted_until), rel=0.05
    )


def test_level_follows_the_current_scale_not_the_old_one() -> None:
    early = account(seed=4, daily_spend=500_000.0)
    late = account(seed=4, daily_spend=1_000_000.0)
    # Two weeks at 5.000, then one week at 10.000 a day.
    spend = np.concatenate([early.settled.spend[: 14 * 24], late.settled.spend[14 * 24 : 21 * 24]])
    zeros = np.zeros_like(spend)
    series = HourlySeries.build(
        START, spend=spend, impressions=spend, clicks=zeros, landing_page_views=zeros,
        conversions=zeros, revenue=zeros,
    )  # fmt: skip
    baseline = fit_baseline(series)
    assert baseline is not None
    assert baseline.expected_day("spend", series.end) == pytest.approx(1_000_000, rel=0.05)


def test_no_baseline_without_three_complete_days() -> None:
    sim = account(seed=5)
    assert fit_baseline(sim.observed(2 * 24 + 20)) is None
    assert fit_baseline(sim.observed(3 * 24)) is not None


def test_expected_arrivals_match_what_a_working_pixel_reports() -> None:
    sim = account(seed=6, cvr=0.03)
    baseline = fit_baseline(sim.observed(21 * 24))
    assert baseline is not None
    hours = 21 * 24 + 24 * 5
    expected = baseline.expected_arrivals(sim.observed(hours), 24 * 5).sum()
    observed = sim.arrivals(hours)[-24 * 5 :].sum()
    assert observed == pytest.approx(expected, rel=0.1)


@pytest.mark.parametrize(("day_noise", "hour_noise"), [(0.15, 0.0), (0.0, 0.1)])
def test_dispersion_splits_day_and_hour_wobble(day_noise: float, hour_noise: float) -> None:
    day_parts, hour_parts = [], []
    for seed in range(8, 16):
        sim = account(
            seed=seed, daily_spend=3_000_000.0, day_noise=day_noise, hour_noise=hour_noise
        )
        baseline = fit_baseline(sim.observed(24 * 24))
        assert baseline is not None
        fit = baseline.relation("impressions|spend")  # moved only by the CPM wobble
        day_parts.append(fit.dispersion)
        hour_parts.append(fit.hourly_dispersion)
    day, hour = float(np.median(day_parts)), float(np.median(hour_parts))
    if day_noise:
        assert day == pytest.approx(day_noise**2, rel=0.35)
        assert hour < 0.2 * day_noise**2
    else:
        assert hour == pytest.approx(hour_noise**2, rel=0.25)
        assert day < 0.6 * hour_noise**2  # what is left is the prior's share

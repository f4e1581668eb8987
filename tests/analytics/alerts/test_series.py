"""Hourly series keep real elapsed time across daylight-saving changes; the default lag CDF."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from analytics.alerts.series import HourlySeries, default_lag_cdf, hours_between

NEW_YORK = ZoneInfo("America/New_York")


def test_a_day_with_25_hours_is_counted_as_such() -> None:
    start = datetime(2026, 10, 31, tzinfo=NEW_YORK)  # DST ends on Sunday 1 November
    ones = np.ones(49)
    series = HourlySeries.build(
        start, spend=ones, impressions=ones, clicks=ones, landing_page_views=ones,
        conversions=ones, revenue=ones,
    )  # fmt: skip
    assert list(series.hour_of_day[24:28]) == [0, 1, 1, 2]  # 01:00 happens twice
    assert int((series.day == series.day[24]).sum()) == 25
    assert hours_between(series.start, series.end) == 49
    assert series.end == datetime(2026, 11, 2, 0, tzinfo=NEW_YORK)
    assert series.hour_start(26).astimezone(UTC) == datetime(2026, 11, 1, 6, tzinfo=UTC)


def test_series_need_one_value_per_hour_and_a_zone() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        HourlySeries.build(
            datetime(2026, 1, 1), spend=[1], impressions=[1], clicks=[1],
            landing_page_views=[1], conversions=[1], revenue=[1],
        )  # fmt: skip
    with pytest.raises(ValueError, match="one value per hour"):
        HourlySeries.build(
            datetime(2026, 1, 1, tzinfo=UTC), spend=[1, 2], impressions=[1], clicks=[1],
            landing_page_views=[1], conversions=[1], revenue=[1],
        )  # fmt: skip


def test_default_lag_cdf_stays_within_the_sandbox_accounts_for_two_days() -> None:
    """Every sandbox account draws its own lag (40-65 % at once, mean delay 20-60 h); the
    alerts' default is a single curve that must lie between the slowest and the fastest of
    them over the whole 7-day click window, and call a day complete only at its end."""
    from ads.sandbox.attribution import LagProfile

    slowest, fastest = LagProfile(0.40, 60.0), LagProfile(0.65, 20.0)
    ages = np.array([0.0, 1.0, 4.0, 8.0, 16.0, 24.0, 36.0, 48.0, 72.0, 120.0, 160.0])
    default = default_lag_cdf(ages)
    for age, share in zip(ages, default, strict=True):
        assert slowest.share(age) <= share <= fastest.share(age), age
    assert default_lag_cdf(np.array([-1.0]))[0] == 0.0  # nothing before the hour itself
    assert default_lag_cdf(np.array([72.0]))[0] < 0.97  # Meta still adds purchases after 3 days
    assert default_lag_cdf(np.array([168.0]))[0] == 1.0


def test_arrivals_are_the_increments_between_successive_reads() -> None:
    from analytics.alerts.series import purchases_reported_between
    from tests.analytics.alerts.helpers import account

    sim = account(seed=41, cvr=0.03)
    hours = 20 * 24
    increments = [
        purchases_reported_between(sim.observed(n - 1), sim.observed(n))
        for n in range(hours - 5, hours + 1)
    ]
    assert increments == list(sim.arrivals(hours)[-6:])

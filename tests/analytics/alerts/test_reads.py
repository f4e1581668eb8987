"""Hourly series rebuilt from hourly reads of running daily totals match the simulated truth."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from analytics.alerts.reads import AccountRead, build_series
from analytics.alerts.series import shift
from analytics.alerts.simulation import SimulatedAccount
from tests.analytics.alerts.helpers import START, TZ, account


def _read(sim: SimulatedAccount, hours: int) -> AccountRead:
    """What the platform shows at the end of hour ``hours - 1``: each recent day's totals."""
    seen = sim.observed(hours)
    days: dict[date, tuple[float, float, float, float, float]] = {}
    for day in sorted(set(int(d) for d in seen.day))[-8:]:
        mask = seen.day == day
        spend, impressions, clicks, conversions, revenue = (
            float(seen.metric(m)[mask].sum())
            for m in ("spend", "impressions", "clicks", "conversions", "revenue")
        )
        days[date.fromordinal(day)] = (spend, impressions, clicks, conversions, revenue)
    return AccountRead(shift(START, hours), days)


def test_hourly_figures_and_arrivals_come_back_from_the_reads() -> None:
    sim = account(daily_spend=900_000.0)
    reads = [_read(sim, hours) for hours in range(24, 6 * 24 + 1)]
    built = build_series(reads, "America/Sao_Paulo")
    assert built is not None
    series, arrivals = built
    truth = sim.observed(6 * 24).window(24, 6 * 24)
    assert series.start == shift(START, 24).astimezone(TZ)
    np.testing.assert_allclose(series.spend, truth.spend)
    np.testing.assert_allclose(series.impressions, truth.impressions)
    np.testing.assert_allclose(series.clicks, truth.clicks)
    # Each day's purchases add up to what the last read reports for it.
    for day in sorted(set(int(d) for d in truth.day)):
        mask = truth.day == day
        assert series.conversions[mask].sum() == truth.conversions[mask].sum()
    # Arrivals: purchases reported during each hour, any click day in the read's window.
    np.testing.assert_allclose(arrivals[24:], sim.arrivals(6 * 24)[48:])


def test_a_missed_read_spreads_the_growth_over_the_hours_it_covers() -> None:
    sim = account(daily_spend=900_000.0)
    reads = [_read(sim, hours) for hours in (24, 25, 28, 29)]
    built = build_series(reads, "America/Sao_Paulo")
    assert built is not None
    series, _ = built
    truth = sim.observed(29).window(24, 29)
    assert series.spend[1:4].sum() == truth.spend[1:4].sum()
    assert series.spend[1] == series.spend[2] == series.spend[3]
    assert build_series(reads[:1], "America/Sao_Paulo") is None


def test_days_older_than_a_read_covers_keep_their_purchases() -> None:
    """A read shows only the last eight days; the days before keep what was last reported."""
    sim = account(daily_spend=900_000.0)
    reads = [_read(sim, hours) for hours in range(24, 12 * 24 + 1)]
    built = build_series(reads, "America/Sao_Paulo")
    assert built is not None
    series, _ = built
    old = date.fromordinal(int(series.day[0]) + 1)  # outside the last read's eight days
    assert old not in reads[-1].days
    last_seen = [r.days[old][3] for r in reads if old in r.days][-1]
    assert last_seen > 0
    assert series.conversions[series.day == old.toordinal()].sum() == pytest.approx(last_seen)

"""Day-to-day dispersion: recovered from daily counts with a known extra variance."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.experiments.counts import Metric, dispersion, increments
from tests.analytics.experiments.simulate import cumulative


def test_binomial_days_have_no_excess_dispersion() -> None:
    rng = np.random.default_rng(1)
    days = [increments(cumulative(rng, 60, ctr=0.02)) for _ in range(4)]
    assert dispersion(days, Metric.CTR) == pytest.approx(1.0, abs=0.15)


def test_daily_ctr_noise_is_measured() -> None:
    # CTR log-normal per day (sd 0.15) on 4,000 impressions at 2%: binomial variance n p q
    # plus (n p s)^2 with s^2 = exp(0.15^2) - 1, so the ratio is 1 + n p s^2 / q = 1.93.
    rng = np.random.default_rng(2)
    days = [increments(cumulative(rng, 200, ctr=0.02, day_noise=0.15)) for _ in range(4)]
    expected = 1 + 4000 * 0.02 * (np.exp(0.15**2) - 1) / 0.98
    assert dispersion(days, Metric.CTR) == pytest.approx(expected, rel=0.15)


def test_increments_undo_the_running_totals() -> None:
    rng = np.random.default_rng(3)
    series = cumulative(rng, 5, ctr=0.02)
    daily = increments(series)
    assert sum(d.clicks for d in daily) == series[-1].clicks
    assert all(d.impressions == 4000 for d in daily)

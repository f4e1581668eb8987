"""The account's own attribution lag, fitted from hourly reads of a simulated account."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.alerts.lag import fit_lag
from analytics.alerts.series import DEFAULT_LAG_WINDOW_HOURS, exponential_lag_cdf
from tests.analytics.alerts.helpers import account


@pytest.mark.parametrize(("immediate", "mean"), [(0.42, 55.0), (0.62, 22.0)])
def test_the_fit_recovers_the_lag_the_account_was_simulated_with(
    immediate: float, mean: float
) -> None:
    sim = account(daily_spend=1_500_000.0, immediate_share=immediate, lag_mean_hours=mean)
    reads = [sim.observed(hours) for hours in range(24, 14 * 24 + 1)]
    fitted = fit_lag(reads)
    assert fitted is not None
    assert fitted.immediate_share == pytest.approx(immediate, abs=0.04)
    assert fitted.mean_hours == pytest.approx(mean, rel=0.25)


def test_too_few_purchases_keep_the_default_curve() -> None:
    sim = account(daily_spend=20_000.0)  # a few purchases a day
    reads = [sim.observed(hours) for hours in range(24, 4 * 24 + 1)]
    assert fit_lag(reads) is None
    assert fit_lag(reads[:1]) is None  # one read says nothing about growth


def test_the_lag_family_reports_everything_by_the_end_of_the_click_window() -> None:
    cdf = exponential_lag_cdf(0.5, 30.0)
    ages = np.array([-1.0, 0.0, 24.0, 72.0, DEFAULT_LAG_WINDOW_HOURS - 1, DEFAULT_LAG_WINDOW_HOURS])
    shares = cdf(ages)
    assert shares[0] == 0.0 and shares[1] == pytest.approx(0.5)
    assert np.all(np.diff(shares) > 0)
    assert 0.9 < shares[3] < 0.99  # a day is not complete after 72 h: 7-day click window
    assert shares[-1] == 1.0

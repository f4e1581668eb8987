"""Deviation scores: calibrated under the null, decisive under a real shift, silent on tiny volume."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from analytics.alerts.scores import count_tail, lognormal_tail, robust_log_scale, scan_windows


def test_count_tail_is_the_poisson_tail_without_dispersion() -> None:
    assert count_tail(3, 10.0, 0.0, "low") == pytest.approx(stats.poisson.cdf(3, 10.0))
    assert count_tail(18, 10.0, 0.0, "high") == pytest.approx(stats.poisson.sf(17, 10.0))


def test_dispersion_widens_the_tail_for_large_counts() -> None:
    # 9,000 impressions against 10,000 expected: impossible for Poisson, ordinary with a
    # 10% day-to-day wobble.
    assert count_tail(9000, 10_000.0, 0.0, "low") < 1e-20
    assert count_tail(9000, 10_000.0, 0.01, "low") > 0.1


def test_scores_are_calibrated_on_gamma_poisson_data() -> None:
    rng = np.random.default_rng(0)
    dispersion, mu = 0.02, 40.0
    draws = rng.poisson(mu * rng.gamma(1 / dispersion, dispersion, 20_000)).astype(float)
    tails = count_tail(draws, mu, dispersion, "low")
    assert np.mean(tails < 0.01) <= 0.012
    assert np.mean(tails < 0.05) == pytest.approx(0.05, abs=0.01)


def test_scan_finds_the_window_since_the_shift() -> None:
    rng = np.random.default_rng(1)
    expected = np.full(24, 50.0)
    observed = rng.poisson(expected).astype(float)
    observed[-3:] = rng.poisson(15.0, 3)  # the last three hours collapsed
    found = scan_windows(
        observed, expected, side="low", count=True, dispersion=0.005, min_volume=5, min_effect=0.6
    )
    assert found is not None and found.hours == 3
    assert found.tail_probability < 1e-10
    assert found.ratio == pytest.approx(0.3, abs=0.1)


def test_scan_needs_volume_effect_and_a_recent_signal() -> None:
    expected = np.full(24, 0.1)
    observed = np.zeros(24)
    low = {"side": "low", "count": True, "dispersion": 0.0}
    # 2.4 purchases expected in a day and none came: below the minimum volume.
    assert scan_windows(observed, expected, min_volume=3, min_effect=0.5, **low) is None  # type: ignore[arg-type]
    # A significant but small shift does not pass the minimum effect.
    expected = np.full(24, 1000.0)
    observed = np.full(24, 930.0)
    assert scan_windows(observed, expected, min_volume=3, min_effect=0.9, **low) is None  # type: ignore[arg-type]
    # A collapse that already recovered in the latest hours is not reported.
    observed = np.concatenate([np.full(12, 1000.0), np.full(10, 100.0), np.full(2, 1000.0)])
    assert scan_windows(observed, expected, min_volume=3, min_effect=0.5, **low) is None  # type: ignore[arg-type]


def test_money_scale_from_median_absolute_deviation() -> None:
    rng = np.random.default_rng(2)
    expected = np.full(2000, 10_000.0)
    observed = expected * np.exp(rng.normal(0, 0.2, 2000))
    observed[:40] = 0.0  # a few outages do not inflate the scale
    assert robust_log_scale(observed, expected) == pytest.approx(0.2, rel=0.1)
    assert lognormal_tail(0.0, 10_000.0, 0.2, "low") < 1e-40
    assert lognormal_tail(12_000.0, 10_000.0, 0.2, "high") == pytest.approx(
        stats.norm.sf(np.log(12_100 / 10_100) / 0.2), rel=1e-6
    )

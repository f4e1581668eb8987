"""mSPRT: the closed form is the mixture likelihood ratio, p-values never rise, and the
false-positive rate stays under alpha when looking every day (where a naive test fails)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import integrate
from scipy.stats import norm

from analytics.experiments.sequential import (
    Estimate,
    always_valid_p_values,
    holm,
    log_likelihood_ratio,
    rate_difference,
)


def test_closed_form_equals_the_integrated_mixture() -> None:
    est, tau = Estimate(0.004, 1.5e-6), 0.002
    sd = est.variance**0.5
    numerator, _ = integrate.quad(
        lambda t: norm.pdf(est.difference, t, sd) * norm.pdf(t, 0, tau), -0.02, 0.02, limit=200
    )
    expected = np.log(numerator / norm.pdf(est.difference, 0, sd))
    assert log_likelihood_ratio(est, tau) == pytest.approx(expected, rel=1e-6)


def _aa_paths(seed: int, runs: int, days: int, n: int = 3000, p: float = 0.015) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.binomial(n, p, size=(runs, 2, days)).cumsum(axis=2)


def test_p_values_never_increase_and_stay_in_range() -> None:
    for path in _aa_paths(1, 50, 30):
        estimates = [
            rate_difference(int(a), 3000 * (d + 1), int(b), 3000 * (d + 1))
            for d, (a, b) in enumerate(zip(path[0], path[1], strict=True))
        ]
        p = always_valid_p_values(estimates, 0.003)
        assert all(0 < x <= 1 for x in p)
        assert all(later <= earlier for earlier, later in itertools.pairwise(p))


def test_daily_peeking_keeps_false_positives_under_alpha() -> None:
    runs, days = 2000, 42
    msprt_hits = naive_hits = 0
    for path in _aa_paths(2, runs, days):
        estimates = [
            rate_difference(int(a), 3000 * (d + 1), int(b), 3000 * (d + 1))
            for d, (a, b) in enumerate(zip(path[0], path[1], strict=True))
        ]
        msprt_hits += always_valid_p_values(estimates, 0.003)[-1] < 0.05
        z = [abs(e.difference) / e.variance**0.5 for e in estimates if e is not None]
        naive_hits += max(z) > 1.96  # a fixed-horizon test re-read every day
    assert msprt_hits / runs <= 0.05
    assert naive_hits / runs > 0.15  # why the mSPRT is needed


def test_a_missing_look_keeps_the_previous_p_value() -> None:
    p = always_valid_p_values([Estimate(0.01, 1e-5), None], 0.005)
    assert p[1] == p[0] < 1


def test_holm_adjustment() -> None:
    # Holm (1979): sorted p * (m - rank), made monotone: 0.01*3, 0.03*2, max(0.04*1, 0.06).
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.2]) == [0.2]

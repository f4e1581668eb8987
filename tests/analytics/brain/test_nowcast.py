"""The nowcast recovers a known attribution lag from sync snapshots, and completes a day."""

from __future__ import annotations

import math
import random
import warnings
from datetime import date, timedelta

import numpy as np
import pytest

from ads.sandbox.attribution import default_lag_profile
from analytics.brain.nowcast import LagCurve, Snapshot, fit_lag

START = date(2026, 10, 1)


def _weibull_lags(rng: np.random.Generator, n: int, p0: float, shape: float, scale: float):
    immediate = rng.random(n) < p0
    return np.where(immediate, 0.0, scale * rng.weibull(shape, n))


def _snapshots(rng, lags_of_day, days: int, syncs: int, max_age: float):
    snaps, finals = [], {}
    for d in range(days):
        lags = lags_of_day()
        finals[d] = len(lags)
        for age in np.sort(rng.uniform(0, max_age, size=syncs)):
            snaps.append(Snapshot(START + timedelta(d), float(age), float((lags <= age).sum())))
    return snaps, finals


def _truth(age: float, p0: float, shape: float, scale: float) -> float:
    return p0 + (1 - p0) * (1 - math.exp(-((age / scale) ** shape)))


def test_the_nowcast_recovers_a_known_lag() -> None:
    rng = np.random.default_rng(21)
    p0, shape, scale = 0.4, 1.3, 1.5
    snaps, _ = _snapshots(
        rng, lambda: _weibull_lags(rng, rng.poisson(50), p0, shape, scale), 40, 6, 8.0
    )
    curve = fit_lag(snaps)
    assert curve is not None
    assert curve.immediate_share == pytest.approx(p0, abs=0.06)
    for age in (0.25, 0.5, 1.0, 2.0, 4.0):
        assert curve.share(age) == pytest.approx(_truth(age, p0, shape, scale), abs=0.04), age
    true_settled = scale * (-math.log(1 - (0.98 - p0) / (1 - p0))) ** (1 / shape)
    assert curve.settled_by(0.98) == pytest.approx(true_settled, rel=0.25)


def test_the_sandbox_lag_is_recovered_closely() -> None:
    """A sandbox account's own lag (some at once, the rest exponential, cut at 7 days)."""
    rng = np.random.default_rng(4)
    draw = random.Random(4)
    profile = default_lag_profile(4, "act_1000000001")

    def lags():
        n = rng.poisson(40)
        return np.array([profile.draw(draw) / 24 for _ in range(n)])

    snaps, _ = _snapshots(rng, lags, 30, 6, 7.0)
    curve = fit_lag(snaps)
    assert curve is not None
    for age in (0.5, 1.0, 2.0, 3.0):
        assert curve.share(age) == pytest.approx(profile.share(age * 24), abs=0.05), age


def test_completed_days_cover_the_final_figure_about_ninety_percent_of_the_time() -> None:
    rng = np.random.default_rng(8)
    p0, shape, scale = 0.5, 1.0, 1.2

    def lags():
        return _weibull_lags(rng, rng.poisson(40), p0, shape, scale)

    snaps, _ = _snapshots(rng, lags, 30, 5, 7.0)
    curve = fit_lag(snaps)
    assert curve is not None
    covered, errors_naive, errors_nowcast = 0, [], []
    trials = 300
    for _ in range(trials):
        day = lags()
        age = float(rng.uniform(0.1, 2.0))
        reported = float((day <= age).sum())
        completion = curve.complete(reported, age)
        covered += completion.final.low <= len(day) <= completion.final.high
        errors_naive.append(abs(len(day) - reported))
        errors_nowcast.append(abs(len(day) - completion.final.mean))
    assert 0.8 <= covered / trials <= 0.97
    # Taking provisional figures at face value is far worse than completing them.
    assert np.mean(errors_nowcast) < 0.5 * np.mean(errors_naive)


def test_no_curve_without_enough_days_seen_twice() -> None:
    snaps = [Snapshot(START + timedelta(d), 0.5, 10.0) for d in range(20)]
    assert fit_lag(snaps) is None


def test_a_poorly_determined_lag_curve_still_completes_a_day() -> None:
    """A fit with a huge covariance draws parameters far in the tails; a night once stopped
    on ``math.exp`` overflowing there. The day is completed, its interval wide but finite."""
    vague = ((1e5, 0.0, 0.0), (0.0, 1e5, 0.0), (0.0, 0.0, 1e5))
    curve = LagCurve(0.3, 1.2, 2.0, 1.0, vague, days=30, max_age=10.0)
    done = curve.complete(100.0, 1.0)
    assert 100.0 <= done.final.low <= done.final.mean <= done.final.high < float("inf")


def test_a_fit_stopped_at_its_bounds_still_has_a_valid_covariance() -> None:
    """Six days of a small account where nearly every conversion is reported at once: the
    fit stops at the bounds of shape and scale, where the numerical Hessian has a direction
    of negative curvature. Its inverse is no covariance (numpy warned on every draw, and the
    night's completed days came from ill-defined draws); that direction is vague instead."""
    rng = np.random.default_rng(18)
    syncs = 5
    snaps = []
    for d in range(6):
        n = rng.poisson(3)
        lags = np.where(rng.random(n) < 0.98, 0.0, rng.uniform(0.5, 6.5, n))
        for age in np.sort(rng.uniform(0, 6.8, size=syncs)):
            snaps.append(Snapshot(START + timedelta(d), float(age), float((lags <= age).sum())))
    curve = fit_lag(snaps)
    assert curve is not None and curve.immediate_share > 0.99
    assert min(np.linalg.eigvalsh(np.array(curve.covariance))) > 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's "not symmetric positive-semidefinite"
        done = curve.complete(3.0, 0.5)
    assert 3.0 <= done.final.low <= done.final.mean <= done.final.high < float("inf")

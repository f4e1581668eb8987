"""Response curves recover a known saturation, and pooling tames sparse objects."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest

from ads.sandbox import model
from analytics.brain.curves import Observation, fit_curves

START = date(2026, 10, 1)


def _object(
    rng: np.random.Generator,
    object_id: str,
    *,
    level: float,
    elasticity: float,
    base: float,
    days: int,
    spend_sd: float = 0.4,
    noise_cv: float = 0.25,
    aov: float = 20_000.0,
) -> list[Observation]:
    """Daily revenue = level · spend^elasticity (at spend = base: level·base), gamma noise."""
    shape = 1 / noise_cv**2
    out = []
    for d in range(days):
        spend = base * math.exp(rng.normal(0, spend_sd)) if spend_sd else base
        mean = level * base * (spend / base) ** elasticity
        revenue = rng.gamma(shape, mean / shape)
        out.append(
            Observation(object_id, START + timedelta(d), spend, revenue, rng.poisson(mean / aov))
        )
    return out


def test_a_curve_recovers_a_known_saturation_elasticity() -> None:
    rng = np.random.default_rng(7)
    truths = {"a": 0.35, "b": 0.6, "c": 0.85}
    observations = []
    for oid, elasticity in truths.items():
        observations += _object(
            rng,
            oid,
            level=3.0,
            elasticity=elasticity,
            base=20_000,
            days=120,
            spend_sd=0.5,
            noise_cv=0.2,
        )
    curves = fit_curves(observations)
    for oid, elasticity in truths.items():  # standard error ~0.035
        assert curves[oid].elasticity == pytest.approx(elasticity, abs=0.1), oid
    # The marginal ROAS at the reference spend is elasticity × average ROAS (3.0 at base).
    marginal = curves["a"].marginal_roas(20_000)
    assert marginal.low < 0.35 * 3.0 < marginal.high
    assert marginal.low < marginal.mean < marginal.high


def test_the_saturation_spend_matches_the_truth() -> None:
    """Where the marginal ROAS falls to break-even: level·b·(s/base)^(b−1) = be."""
    rng = np.random.default_rng(11)
    observations = _object(rng, "x", level=4.0, elasticity=0.5, base=10_000, days=90)
    observations += _object(rng, "y", level=2.0, elasticity=0.5, base=30_000, days=90)
    curve = fit_curves(observations)["x"]
    truth = 10_000 * (2.0 / (4.0 * 0.5)) ** (1 / (0.5 - 1))
    assert curve.optimum_spend(2.0) == pytest.approx(truth, rel=0.35)
    assert curve.p_marginal_above(0.5 * truth, 2.0) > 0.8
    assert curve.p_marginal_above(2.0 * truth, 2.0) < 0.2


def test_pooling_shrinks_a_sparse_object_towards_the_account() -> None:
    rng = np.random.default_rng(3)
    observations = []
    for i in range(5):
        observations += _object(rng, f"o{i}", level=3.0, elasticity=0.5, base=20_000, days=45)
    # Four days at one constant budget, and a lucky streak: ROAS 9 at face value.
    sparse = _object(
        rng, "sparse", level=9.0, elasticity=0.5, base=5_000, days=4, spend_sd=0.0, noise_cv=0.1
    )
    curves = fit_curves(observations + sparse)
    fitted = curves["sparse"]
    raw_roas = sum(float(o.revenue) for o in sparse) / sum(float(o.spend) for o in sparse)
    fitted_roas = fitted.roas(5_000).mean
    assert raw_roas > 8
    assert 3.0 < fitted_roas < raw_roas * 0.9  # pulled towards the account's ~3
    # No budget variation: its elasticity is the account's, not a wild guess.
    assert fitted.pooled_share == 1.0
    assert fitted.elasticity == pytest.approx(0.5, abs=0.12)
    # A well-measured object keeps its own figures.
    assert curves["o0"].roas(20_000).mean == pytest.approx(3.0, rel=0.15)


def test_an_object_that_never_sold_gets_a_low_but_finite_curve() -> None:
    rng = np.random.default_rng(5)
    observations = _object(rng, "ok", level=3.0, elasticity=0.6, base=20_000, days=30)
    observations += [Observation("dud", START + timedelta(d), 8_000, 0, 0) for d in range(10)]
    curves = fit_curves(observations)
    dud = curves["dud"].roas(8_000)
    assert 0 < dud.mean < 1.5
    assert math.isfinite(dud.high)


def test_the_same_data_give_the_same_interval() -> None:
    rng = np.random.default_rng(9)
    observations = _object(rng, "a", level=3.0, elasticity=0.5, base=20_000, days=30)
    first = fit_curves(observations)["a"].marginal_roas(25_000)
    second = fit_curves(observations)["a"].marginal_roas(25_000)
    assert first == second


def test_the_sandbox_diminishing_returns_are_recovered() -> None:
    """Revenue from the sandbox's own auction curves (CPM rises, conversion rate falls past an
    ad's efficient scale): local elasticity 1 − 0.7·r/(1+r), 0.65 at r = spend/scale = 1."""
    rng = np.random.default_rng(12)
    scale, cpm, ctr, cvr, aov = 400_000, 2_600, 0.012 * 0.75, 0.03, 21_000  # ~40 sales a day
    observations = []
    for d in range(90):
        spend = scale * math.exp(rng.normal(0, 0.4))
        impressions = spend * 1000 / (cpm * model.cpm_scale_multiplier(spend, scale))
        mean_sales = impressions * ctr * cvr * model.cvr_scale_multiplier(spend, scale)
        sales = int(rng.poisson(mean_sales * math.exp(rng.normal(0, 0.1))))
        observations.append(Observation("ad", START + timedelta(d), spend, sales * aov, sales))
    curve = fit_curves(observations)["ad"]
    assert curve.elasticity == pytest.approx(0.65, abs=0.1)
    true_marginal = 0.65 * (1000 / cpm) * ctr * cvr * aov  # at r = 1 both multipliers are 1
    marginal = curve.marginal_roas(scale)
    assert marginal.low <= true_marginal <= marginal.high

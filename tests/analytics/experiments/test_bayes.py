"""Bayesian results: exact and Monte Carlo agree, probabilities are calibrated, and the
posteriors recover known CTRs, CPAs and ROAS."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from scipy import integrate
from scipy.stats import beta

from analytics.experiments.bayes import compare, prob_beats_exact
from analytics.experiments.counts import Counts, Metric

DAY = date(2026, 9, 7)


def test_exact_probability_matches_numerical_integration() -> None:
    a = (31, 970)
    b = (40, 961)
    numeric, _ = integrate.quad(
        lambda x: beta.pdf(x, *a) * beta.sf(x, *b), 0, 0.2, points=[0.03, 0.04], limit=200
    )
    assert prob_beats_exact(a[0], a[1], b[0], b[1]) == pytest.approx(numeric, abs=1e-6)


def test_monte_carlo_probability_to_be_best_matches_the_exact_value() -> None:
    totals = [("A", Counts(DAY, impressions=1000, clicks=30)), ("B", Counts(DAY, 1000, 39))]
    result = compare(Metric.CTR, totals, seed=3, draws=200_000)
    exact = prob_beats_exact(31, 971, 40, 962)
    assert result.get("B").prob_best == pytest.approx(exact, abs=0.004)  # ~4 MC sd
    assert result.get("A").prob_best + result.get("B").prob_best == pytest.approx(1.0)


def test_probability_to_be_best_is_calibrated() -> None:
    """Rates drawn from the model's own uniform prior: among tests where B has about an 80%
    (or 95%) chance to be better, B truly is better about that often."""
    rng = np.random.default_rng(11)
    runs, n = 40_000, 15
    truth = rng.uniform(size=(runs, 2))
    clicks = rng.binomial(n, truth)
    exact = {
        (a, b): prob_beats_exact(1 + a, 1 + n - a, 1 + b, 1 + n - b)
        for a in range(n + 1)
        for b in range(n + 1)
    }
    probs = np.array([exact[int(a), int(b)] for a, b in clicks])
    b_better = truth[:, 1] > truth[:, 0]
    for low, high in ((0.7, 0.85), (0.9, 0.97)):
        chosen = (probs >= low) & (probs < high)
        stated = probs[chosen].mean()
        margin = 4 * np.sqrt(stated * (1 - stated) / chosen.sum())  # 4 standard errors
        assert chosen.sum() > 2000 and margin < 0.035
        assert b_better[chosen].mean() == pytest.approx(stated, abs=margin)


def test_lift_interval_recovers_a_known_ctr_lift() -> None:
    rng = np.random.default_rng(5)
    covered = 0
    runs = 200
    for _ in range(runs):
        a = int(rng.binomial(60_000, 0.012))
        b = int(rng.binomial(60_000, 0.012 * 1.2))
        totals = [("A", Counts(DAY, 60_000, a)), ("B", Counts(DAY, 60_000, b))]
        lift = compare(Metric.CTR, totals, seed=1, draws=4000).get("B").lift
        assert lift is not None
        covered += lift.low <= 0.2 <= lift.high
    assert 0.85 <= covered / runs <= 0.95  # a 90% interval


def test_cpa_posterior_recovers_the_true_cpa_and_prefers_the_cheaper_variant() -> None:
    rng = np.random.default_rng(9)
    spend = 2_000_000  # R$ 20.000 each
    conv_a = int(rng.poisson(spend / 5000))  # true CPA R$ 50
    conv_b = int(rng.poisson(spend / 4000))  # true CPA R$ 40 (20% lower)
    totals = [
        ("A", Counts(DAY, conversions=conv_a, spend=spend)),
        ("B", Counts(DAY, conversions=conv_b, spend=spend)),
    ]
    result = compare(Metric.CPA, totals, seed=2)
    assert result.get("A").mean == pytest.approx(5000, rel=0.12)
    assert result.get("B").mean == pytest.approx(4000, rel=0.12)
    assert result.get("B").cpa == Decimal(round(result.get("B").mean))  # minor units for cards
    assert result.leader.name == "B" and result.get("B").prob_best > 0.95
    lift = result.get("B").lift
    assert lift is not None and lift.low < -0.2 < lift.high and lift.high < 0


def test_roas_posterior_covers_the_true_roas() -> None:
    rng = np.random.default_rng(13)
    covered = 0
    runs = 150
    spend = 500_000
    for _ in range(runs):
        rows = []
        for name, cpa, aov in (("A", 5000, 20_000), ("B", 5000, 26_000)):
            conversions = int(rng.poisson(spend / cpa))
            revenue = int(rng.gamma(6.25, aov / 6.25, size=conversions).sum())
            rows.append((name, Counts(DAY, conversions=conversions, spend=spend, revenue=revenue)))
        result = compare(Metric.ROAS, rows, seed=4, draws=4000, order_value_cv=0.4)
        lift = result.get("B").lift
        assert lift is not None
        covered += lift.low <= 0.3 <= lift.high
    assert 0.84 <= covered / runs <= 0.97


def test_dispersion_widens_the_interval_and_lowers_certainty() -> None:
    totals = [("A", Counts(DAY, 50_000, 600)), ("B", Counts(DAY, 50_000, 690))]
    plain = compare(Metric.CTR, totals)
    wide = compare(Metric.CTR, totals, dispersion=3.0)
    plain_lift, wide_lift = plain.get("B").lift, wide.get("B").lift
    assert plain_lift is not None and wide_lift is not None
    assert wide_lift.high - wide_lift.low > 1.5 * (plain_lift.high - plain_lift.low)
    assert wide.get("B").prob_best < plain.get("B").prob_best


def test_expected_loss_is_small_for_a_clear_winner_and_large_for_the_loser() -> None:
    totals = [("A", Counts(DAY, 100_000, 1000)), ("B", Counts(DAY, 100_000, 1300))]
    result = compare(Metric.CTR, totals)
    assert result.get("B").expected_loss < 0.001
    assert result.get("A").expected_loss == pytest.approx(0.30, abs=0.03)

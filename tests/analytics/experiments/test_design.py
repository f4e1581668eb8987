"""Power analysis: textbook numbers, inverse relations, and power checked by simulation."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from scipy.stats import norm

from analytics.experiments import sequential
from analytics.experiments.design import (
    Baseline,
    effect_size,
    fixed_horizon_units,
    minimum_detectable_effect,
    plan,
    relative_effect,
)


def test_fixed_horizon_matches_cohens_table() -> None:
    # Cohen (1988), table 8.4.1: h = 0.2, two-sided alpha 5%, power 80% -> n = 392 per group.
    assert fixed_horizon_units(0.2, 0.05, 0.8) == pytest.approx(392.4, abs=0.5)
    assert fixed_horizon_units(0.5, 0.05, 0.8) == pytest.approx(62.8, abs=0.5)


def test_rate_design_matches_the_textbook_formula_for_two_proportions() -> None:
    # 10% -> 12%: n = (z_.975 + z_.8)^2 (p1 q1 + p2 q2) / (p2 - p1)^2 = 3,839 per group.
    p1, p2 = 0.10, 0.12
    textbook = (norm.ppf(0.975) + norm.ppf(0.8)) ** 2 * (p1 * (1 - p1) + p2 * (1 - p2))
    textbook /= (p2 - p1) ** 2
    design = plan(Baseline.cvr(p1, daily_clicks=1000), 0.20)
    assert design.fixed_horizon_units == pytest.approx(textbook, rel=0.01)


def test_cpa_design_matches_the_poisson_log_ratio_formula() -> None:
    # CPA 20% lower = 1.25x conversions per spend: conversions per arm
    # 2 (z_.975 + z_.8)^2 / log(1.25)^2 = 315.
    design = plan(Baseline.cpa(Decimal(5000), daily_spend=50_000), 0.20)
    expected = 2 * (norm.ppf(0.975) + norm.ppf(0.8)) ** 2 / math.log(1.25) ** 2
    assert design.fixed_horizon_units == pytest.approx(expected, rel=0.01)
    # 10 conversions a day per variant: the sequential sample in whole weeks.
    assert design.days == 7 * math.ceil(design.units_per_variant / 10 / 7)


def test_roas_needs_more_conversions_than_cpa_for_order_value_spread() -> None:
    cpa = plan(Baseline.cpa(5000, 50_000), 0.2)
    roas = plan(Baseline.roas(5000, 50_000, order_value_cv=0.5), 0.2)
    # log(1.2)^2 / (1.25 log(1.25)^2): ROAS +20% with cv 0.5 vs CPA -20%.
    ratio = math.log(1.25) ** 2 * 1.25 / math.log(1.2) ** 2
    assert roas.fixed_horizon_units / cpa.fixed_horizon_units == pytest.approx(ratio, rel=0.01)


def test_mde_and_duration_are_inverse() -> None:
    baseline = Baseline.ctr(0.012, daily_impressions=3500)
    design = plan(baseline, 0.20)
    assert design.days % 7 == 0
    assert minimum_detectable_effect(baseline, design.days) <= 0.20
    assert minimum_detectable_effect(baseline, design.days - 7) > 0.20
    # A longer test detects smaller effects; a fixed horizon detects smaller ones than daily looks.
    assert minimum_detectable_effect(baseline, 56) < minimum_detectable_effect(baseline, 28)
    assert minimum_detectable_effect(baseline, 28, sequential=False) < (
        minimum_detectable_effect(baseline, 28)
    )


@pytest.mark.parametrize("metric_baseline", [Baseline.ctr(0.012, 3000), Baseline.cpa(4000, 9000)])
def test_effect_size_round_trips(metric_baseline: Baseline) -> None:
    for mde in (0.05, 0.2, 0.5):
        e = effect_size(metric_baseline, mde)
        assert relative_effect(metric_baseline, e) == pytest.approx(mde, rel=1e-9)


def test_more_variants_and_dispersion_lengthen_the_test() -> None:
    baseline = Baseline.ctr(0.02, 2000)
    two = plan(baseline, 0.15)
    four = plan(baseline, 0.15, variants=4)
    assert four.alpha_per_comparison == pytest.approx(0.05 / 3)
    assert four.units_per_variant > two.units_per_variant
    noisy = plan(Baseline.ctr(0.02, 2000, dispersion=2.0), 0.15)
    assert noisy.units_per_variant == pytest.approx(2 * two.units_per_variant, rel=1e-3)


def test_minimum_sample_and_feasibility() -> None:
    # A huge effect is quick to see, but the test still runs a whole week and 30 conversions.
    quick = plan(Baseline.cvr(0.05, daily_clicks=100), 2.0)
    assert quick.weeks == 1
    slow = plan(Baseline.cvr(0.02, daily_clicks=50), 0.05)
    assert not slow.feasible and slow.weeks > slow.max_weeks
    with pytest.raises(ValueError):
        plan(Baseline.ctr(0.6, 1000), 1.0)


def test_sequential_design_reaches_its_power_under_daily_looks() -> None:
    """Known truth: the true lift equals the design's MDE; the mSPRT looked at daily rejects
    in about ``power`` of the tests by the planned day (a little more: early stops count)."""
    baseline = Baseline.ctr(0.02, daily_impressions=6000)
    design = plan(baseline, 0.15)
    days = math.ceil(design.units_per_variant / baseline.daily_units)  # unrounded horizon
    rng = np.random.default_rng(7)
    runs = 1500
    n = baseline.daily_units
    clicks_a = rng.binomial(int(n), 0.02, size=(runs, days)).cumsum(axis=1)
    clicks_b = rng.binomial(int(n), 0.02 * 1.15, size=(runs, days)).cumsum(axis=1)
    rejected = 0
    for a_row, b_row in zip(clicks_a, clicks_b, strict=True):
        estimates = [
            sequential.rate_difference(int(a), int(n) * (d + 1), int(b), int(n) * (d + 1))
            for d, (a, b) in enumerate(zip(a_row, b_row, strict=True))
        ]
        p = sequential.always_valid_p_values(estimates, design.mixing_sd)
        rejected += p[-1] < 0.05
    assert 0.77 <= rejected / runs <= 0.9


def test_baseline_from_history_recovers_the_true_rates() -> None:
    from analytics.experiments.counts import Metric, increments
    from tests.analytics.experiments.simulate import cumulative

    rng = np.random.default_rng(21)
    daily = increments(cumulative(rng, 56, ctr=0.012, impressions=8000, cvr=0.03))
    ctr = Baseline.from_history(Metric.CTR, daily, share=0.5)
    assert ctr.rate == pytest.approx(0.012, rel=0.05)
    assert ctr.daily_units == 4000 and ctr.dispersion == pytest.approx(1.0, abs=0.3)
    cpa = Baseline.from_history(Metric.CPA, daily)
    # 96 clicks x 3% = 2.88 conversions per R$ 100: CPA R$ 34.72.
    assert 1 / cpa.rate == pytest.approx(10_000 / (8000 * 0.012 * 0.03), rel=0.1)

"""The daily verdict on synthetic tests with known truth, looked at every day."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import numpy as np

from analytics.experiments.counts import Counts
from analytics.experiments.design import Baseline, Design, plan
from analytics.experiments.verdict import Rules, Status, Verdict, decide, prob_cpa_above
from tests.analytics.experiments.simulate import START, cumulative, experiment

FAST = Rules(draws=3000)
DESIGN = plan(Baseline.ctr(0.015, daily_impressions=4000), 0.25)


def run_daily(
    series: dict[str, list[Counts]],
    design: Design,
    cpa_target: Decimal | int | None = None,
    rules: Rules = FAST,
) -> Verdict:
    """Look every day until a decision or the end of the data."""
    verdict = Verdict(Status.RUNNING, 0, design.days)
    for day in range(1, design.max_days + 1):
        verdict = decide(series, design, START + timedelta(days=day), cpa_target, rules=rules)
        if verdict.decided:
            return verdict
    return verdict


def test_a_a_tests_almost_never_declare_a_winner() -> None:
    winners = 0
    endings = set()
    for seed in range(60):
        verdict = run_daily(experiment(seed, [0.015, 0.015], DESIGN.max_days), DESIGN)
        winners += verdict.status is Status.WINNER
        endings.add(verdict.status)
    assert winners <= 3
    assert Status.INCONCLUSIVE in endings


def test_a_large_true_lift_is_found_within_the_planned_weeks() -> None:
    found = 0
    for seed in range(12):
        series = experiment(100 + seed, [0.015, 0.015 * 1.4], DESIGN.max_days)
        verdict = run_daily(series, DESIGN)
        assert verdict.winner != "A"
        found += verdict.winner == "B"
        if verdict.winner == "B":
            assert verdict.day % 7 == 0 and verdict.day <= DESIGN.days
            assert verdict.bayes is not None and verdict.bayes.get("B").prob_best >= 0.95
            assert verdict.p_values["B"] < 0.05
    assert found >= 11


def test_winners_wait_for_whole_weeks_and_the_minimum_sample() -> None:
    series = experiment(3, [0.015, 0.03], 21)
    on_day_10 = decide(series, DESIGN, START + timedelta(days=10), rules=FAST)
    assert on_day_10.status is Status.RUNNING and on_day_10.enough_sample
    assert on_day_10.bayes is not None and on_day_10.bayes.get("B").prob_best > 0.99
    assert decide(series, DESIGN, START + timedelta(days=14), rules=FAST).winner == "B"
    # The same effect on 100 impressions a day: a week is not enough clicks to decide.
    thin = experiment(3, [0.015, 0.03], 21, impressions=100)
    verdict = decide(thin, DESIGN, START + timedelta(days=7), rules=FAST)
    assert verdict.status is Status.RUNNING and not verdict.enough_sample


def test_the_control_wins_when_the_challenger_is_clearly_worse() -> None:
    series = experiment(4, [0.015, 0.009], DESIGN.max_days)
    assert run_daily(series, DESIGN).winner == "A"


def test_three_variants_pick_the_best_with_holm_adjusted_p_values() -> None:
    design = plan(Baseline.ctr(0.015, 4000), 0.25, variants=3)
    assert design.alpha_per_comparison == 0.025
    series = experiment(5, [0.015, 0.016, 0.015 * 1.5], design.max_days)
    verdict = run_daily(series, design)
    assert verdict.winner == "C"
    assert set(verdict.p_values) == {"B", "C"}


def test_guardrail_stops_a_variant_far_above_the_cpa_target() -> None:
    rng = np.random.default_rng(8)
    # 120 clicks for R$ 300 a day: A converts 2.5% (CPA R$ 100), B 0.4% (CPA R$ 625).
    good = cumulative(rng, 28, ctr=0.01, cvr=0.025, impressions=12_000, spend=30_000)
    bad = cumulative(rng, 28, ctr=0.01, cvr=0.004, impressions=12_000, spend=30_000)
    verdict = run_daily({"A": good, "B": bad}, DESIGN, cpa_target=Decimal(10_000))
    assert verdict.status is Status.STOPPED_GUARDRAIL
    assert verdict.guardrail_variant == "B"
    assert verdict.day < DESIGN.days


def test_guardrail_rarely_fires_on_variants_at_the_target() -> None:
    fired = 0
    for seed in range(40):
        rng = np.random.default_rng(200 + seed)
        series = {
            n: cumulative(rng, 28, ctr=0.01, cvr=0.025, impressions=12_000, spend=30_000)
            for n in "AB"
        }
        fired += run_daily(series, DESIGN, cpa_target=10_000).status is Status.STOPPED_GUARDRAIL
    assert fired <= 1


def test_guardrail_probability() -> None:
    # No conversion after R$ 600 with a R$ 200 limit: P(CPA > limit) = P(Gamma(1/2) < 3).
    assert prob_cpa_above(0, 60_000, Decimal(20_000)) == pr(0.5, 3.0)
    assert prob_cpa_above(10, 60_000, Decimal(20_000)) < 0.01


def pr(shape: float, x: float) -> float:
    from scipy.stats import gamma

    return float(gamma.cdf(x, shape))


def test_inconclusive_after_the_maximum_duration() -> None:
    series = experiment(6, [0.015, 0.0152], DESIGN.max_days)
    verdict = decide(series, DESIGN, START + timedelta(days=DESIGN.max_days), rules=FAST)
    assert verdict.status is Status.INCONCLUSIVE and verdict.day == DESIGN.max_days


def test_todays_partial_row_is_ignored() -> None:
    series = experiment(7, [0.015, 0.015], 15)
    today = START + timedelta(days=14)
    before = decide({k: v[:14] for k, v in series.items()}, DESIGN, today, rules=FAST)
    skewed = dict(series)
    skewed["B"] = [*series["B"][:14], replace(series["B"][14], clicks=10**6)]
    after = decide(skewed, DESIGN, today, rules=FAST)
    assert after == before


def test_first_days_without_delivery_or_clicks_keep_running() -> None:
    empty = [Counts(START + timedelta(days=d)) for d in range(3)]
    late = experiment(9, [0.015], 3)["A"]
    for today in (START, START + timedelta(days=1), START + timedelta(days=3)):
        verdict = decide({"A": late, "B": empty}, DESIGN, today, 10_000, rules=FAST)
        assert verdict.status is Status.RUNNING and verdict.winner is None
    # A CPA test with a variant not yet spending: no posterior, no verdict, no crash.
    cpa_design = plan(Baseline.cpa(10_000, 30_000), 0.3)
    verdict = decide({"A": late, "B": empty}, cpa_design, START + timedelta(days=3), 10_000)
    assert verdict.status is Status.RUNNING and verdict.bayes is None

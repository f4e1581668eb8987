"""What-ifs answer with the truth's figures: a simulated budget and the month to its end."""

from __future__ import annotations

from dataclasses import replace

import pytest

from analytics.brain.forecast import curve_points, forecast_month, simulate_budget
from analytics.brain.objective import Objective
from tests.analytics.brain.world import MARGIN, PACE, Truth, account

WINNER = Truth("winner", 20_000, 4.0, 0.8)
SATURATED = Truth("saturated", 50_000, 3.0, 0.3)


def test_simulating_a_budget_gives_the_true_change_within_its_range() -> None:
    snap = account([WINNER, SATURATED])
    winner = next(o for o in snap.objects if o.object_id == "winner")
    simulation = simulate_budget(winner, 24_000, snap.objective)
    assert simulation is not None
    before, after = PACE * 20_000, PACE * 24_000
    true_revenue = WINNER.revenue(after) - WINNER.revenue(before)
    assert simulation.spend_change == round(after - before)
    assert simulation.revenue_change.low <= true_revenue <= simulation.revenue_change.high
    true_profit = true_revenue * float(MARGIN) - (after - before)
    assert simulation.profit_change is not None
    assert simulation.profit_change.low <= true_profit <= simulation.profit_change.high
    assert not simulation.resets_learning
    # Tripling it is flagged: outside what the curve has seen, and a learning reset.
    far = simulate_budget(winner, 60_000, snap.objective)
    assert far is not None and far.outside_observed_range and far.resets_learning


def test_the_month_forecast_adds_up_and_follows_pending_budgets() -> None:
    snap = account(
        [WINNER, SATURATED],
        monthly_limit=2_000_000,
        month_to_date_spend=1_300_000,
        month_to_date_revenue=4_000_000,
        today_spend=60_000,
        day_elapsed=0.9,
        days_left=10,
    )
    forecast = forecast_month(snap)
    daily = PACE * 70_000
    assert forecast.spend == round(1_300_000 + 60_000 + 0.1 * daily + 10 * daily)
    true_revenue = 4_000_000 + 11 * (
        WINNER.revenue(PACE * 20_000) + SATURATED.revenue(PACE * 50_000)
    )
    assert forecast.revenue.low <= true_revenue <= forecast.revenue.high
    assert forecast.profit is not None
    assert forecast.over_limit  # 2.03M at current budgets
    paused = forecast_month(snap, {"saturated": 0})
    assert paused.spend == pytest.approx(forecast.spend - 10 * PACE * 50_000, abs=1)
    assert not paused.over_limit
    no_margin = forecast_month(replace(snap, objective=Objective()))
    assert no_margin.profit is None


def test_curve_points_bend_like_the_truth() -> None:
    snap = account([SATURATED, WINNER])
    saturated = next(o for o in snap.objects if o.object_id == "saturated")
    points = curve_points(saturated, [25_000, 50_000, 100_000])
    assert [p.budget for p in points] == [25_000, 50_000, 100_000]
    for point in points:
        assert point.revenue.low <= SATURATED.revenue(point.spend) <= point.revenue.high
    marginals = [p.marginal_roas.mean for p in points]
    assert marginals[0] > marginals[1] > marginals[2]  # diminishing returns

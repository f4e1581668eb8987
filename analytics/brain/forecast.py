"""What-ifs from the curves: one budget simulated, and the month forecast to its end.

``simulate_budget`` answers ``simular orçamento remarketing 300``: the expected
change in daily spend, revenue and contribution profit of one holder at another
budget, with 90% ranges, and whether that budget lies outside the spend the
curve has seen (an extrapolation the answer should flag) or would reset Meta's
learning phase. ``forecast_month`` answers ``previsão``: month-end spend,
revenue, ROAS and profit, at current budgets or with budgets of pending
proposals applied. ``curve_points`` samples a holder's curve (revenue and
marginal ROAS with bands) for the ``por que?`` chart.

Assumptions: those of :mod:`analytics.brain.curves` (the curve holds for the rest of
the month; no seasonality), each holder spends its pace × budget every day, and
the objects' curve uncertainties are independent (ranges of a sum are from
summed parametric draws). Holders without a curve contribute their spend and
their evidence's average ROAS, without a range of their own.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from analytics.brain.curves import DRAWS, INTERVAL, Estimate
from analytics.brain.objective import MoneyRange, Objective, RatioRange
from analytics.brain.plan import AccountSnapshot, ObjectState, Policy


@dataclass(frozen=True)
class Simulation:
    object_id: str
    current_budget: int
    budget: int
    spend_change: int  # per day, minor units
    revenue_change: MoneyRange
    profit_change: MoneyRange | None  # None without any break-even
    marginal_roas_now: RatioRange
    marginal_roas_then: RatioRange
    outside_observed_range: bool
    resets_learning: bool


def simulate_budget(
    obj: ObjectState, budget: int, objective: Objective, policy: Policy | None = None
) -> Simulation | None:
    """One holder at ``budget`` (minor units) instead of its current one; None without a curve."""
    if obj.curve is None or not obj.daily_budget:
        return None
    policy = policy or Policy()
    curve = obj.curve
    before, after = obj.pace * obj.daily_budget, obj.pace * budget
    delta = curve.profit_change(before, after, 1.0)
    revenue = Estimate(
        delta.mean + after - before, delta.low + after - before, delta.high + after - before
    )
    margin = objective.margin
    profit = curve.profit_change(before, after, margin) if margin else None
    low, high = curve.spend_range
    return Simulation(
        object_id=obj.object_id,
        current_budget=obj.daily_budget,
        budget=budget,
        spend_change=round(after - before),
        revenue_change=MoneyRange.of(revenue),
        profit_change=MoneyRange.of(profit) if profit is not None else None,
        marginal_roas_now=RatioRange.of(curve.marginal_roas(before)),
        marginal_roas_then=RatioRange.of(curve.marginal_roas(after))
        if after > 0
        else RatioRange.of(Estimate(0, 0, 0)),
        outside_observed_range=not (0.8 * low <= after <= 1.2 * high),
        resets_learning=abs(budget - obj.daily_budget) > policy.max_step * obj.daily_budget,
    )


@dataclass(frozen=True)
class MonthForecast:
    spend: int  # month-end total, minor units
    revenue: MoneyRange
    roas: RatioRange
    profit: MoneyRange | None
    limit: int | None
    over_limit: bool


def forecast_month(
    snap: AccountSnapshot, budgets: Mapping[str, int] | None = None
) -> MonthForecast:
    """Month-end figures at current budgets, or with ``budgets`` (object id → new daily
    budget; 0 for a pause) applied from tomorrow."""
    budgets = budgets or {}
    remaining_today = 1 - snap.day_elapsed
    spend = float(snap.month_to_date_spend + snap.today_spend)
    revenue_draws = np.full(DRAWS, float(snap.month_to_date_revenue))
    for obj in snap.objects:
        if not obj.active or not obj.daily_budget:
            continue
        now = obj.pace * obj.daily_budget
        later = obj.pace * budgets.get(obj.object_id, obj.daily_budget)
        # Today so far is counted in today_spend; its revenue at today's pace.
        spend += remaining_today * now + snap.days_left * later
        revenue_draws += _revenue_draws(obj, now) * snap.day_elapsed
        revenue_draws += _revenue_draws(obj, now) * remaining_today
        revenue_draws += _revenue_draws(obj, later) * snap.days_left
    tail = (1 - INTERVAL) / 2 * 100
    low, high = np.percentile(revenue_draws, [tail, 100 - tail])
    revenue = Estimate(float(revenue_draws.mean()), float(low), float(high))
    margin = snap.objective.margin
    profit = None
    if margin is not None:
        profit = Estimate(
            revenue.mean * margin - spend, low * margin - spend, high * margin - spend
        )
    return MonthForecast(
        spend=round(spend),
        revenue=MoneyRange.of(revenue),
        roas=RatioRange.of(revenue.scaled(1 / spend))
        if spend > 0
        else RatioRange.of(Estimate(0, 0, 0)),
        profit=MoneyRange.of(profit) if profit is not None else None,
        limit=snap.monthly_limit,
        over_limit=snap.monthly_limit is not None and spend > snap.monthly_limit,
    )


def _revenue_draws(obj: ObjectState, spend: float) -> np.ndarray:
    if spend <= 0:
        return np.zeros(DRAWS)
    if obj.curve is not None:
        levels, elasticities = obj.curve.revenue_curve.draws(
            DRAWS, zlib.crc32(obj.object_id.encode())
        )
        return obj.curve.revenue_curve.values(spend, levels, elasticities)
    roas = obj.evidence.current.roas().mean if obj.evidence is not None else 0.0
    return np.full(DRAWS, roas * spend)


@dataclass(frozen=True)
class CurvePoint:
    """One point of a holder's response curve, for the ``por que?`` chart."""

    budget: int
    spend: float
    revenue: Estimate
    marginal_roas: Estimate


def curve_points(obj: ObjectState, budgets: Sequence[int]) -> list[CurvePoint]:
    """The holder's expected revenue and marginal ROAS (with 90% bands) at each budget."""
    if obj.curve is None:
        return []
    out = []
    for budget in budgets:
        spend = obj.pace * budget
        if spend <= 0:
            continue
        out.append(
            CurvePoint(budget, spend, obj.curve.expected(spend), obj.curve.marginal_roas(spend))
        )
    return out

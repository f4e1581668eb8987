"""Equal-marginal budget allocation over power response curves (the optimiser of the engine).

What it computes
    Given, per budget holder, its revenue curve ``revenue(spend)`` (concave power
    curve, :mod:`analytics.brain.curves`), its pace (the share of its daily budget it
    actually spends) and the budget bounds it may move within tonight, the daily
    budgets that maximise ``Σ margin · revenue_i − spend_i`` subject to a cap on
    total daily spend.

How
    The Karush–Kuhn–Tucker conditions of this separable concave problem say:
    every holder not at a bound spends until its marginal ROAS equals one common
    price ``μ``; without a binding cap ``μ`` is break-even (``1 / margin``), with
    one ``μ`` rises until the total fits. For a power curve the spend at a given
    marginal ROAS is closed-form (:func:`analytics.brain.curves.spend_where`), so the
    whole problem reduces to a one-dimensional bisection on ``log μ`` — exact,
    and microseconds per holder (no general-purpose optimiser needed). Without a
    margin (no break-even known) the total is held at its current level (or the
    cap, if lower) and budget only moves towards higher marginal ROAS.

Assumptions and failure modes
    Those of the curves (the optimum is only as good as the curve near today's
    spend: keep the bounds tight), plus: pace is constant as budgets move, and
    holders do not cannibalise each other (two ad sets bidding on one audience
    will look better separately than together).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from analytics.brain.curves import PowerCurve, spend_where

_LOG_PRICE_RANGE = (math.log(1e-4), math.log(1e4))
_ITERATIONS = 80


@dataclass(frozen=True)
class Slot:
    """One budget holder tonight: its curve, pace, current budget and allowed range."""

    key: str
    curve: PowerCurve
    pace: float
    budget: float
    low: float
    high: float

    def budget_at(self, price: float) -> float:
        """The budget at which the marginal ROAS equals ``price``, within the bounds."""
        spend = spend_where(self.curve, price, marginal=True)
        wanted = spend / self.pace if math.isfinite(spend) else self.high
        return min(max(wanted, self.low), self.high)


@dataclass(frozen=True)
class Allocation:
    budgets: dict[str, float]
    price: float | None  # the common marginal ROAS of holders not at a bound
    binding: bool  # the cap forced the price above break-even (or held the total)
    feasible: bool  # False when even every holder at its lower bound exceeds the cap


def _total(slots: Sequence[Slot], price: float) -> float:
    return sum(s.pace * s.budget_at(price) for s in slots)


def allocate(slots: Sequence[Slot], *, break_even: float | None, cap: float | None) -> Allocation:
    """Budgets maximising contribution profit within ``cap`` (total daily spend of ``slots``).

    ``break_even`` None: no profit is known, so the total stays at the current
    spend (or ``cap``) and only its split changes.
    """
    if not slots:
        return Allocation({}, break_even, False, True)
    current = sum(s.pace * s.budget for s in slots)
    target = cap
    if break_even is None:
        target = current if cap is None else min(cap, current)
    if break_even is not None:
        free = {s.key: s.budget_at(break_even) for s in slots}
        if target is None or sum(s.pace * free[s.key] for s in slots) <= target:
            return Allocation(free, break_even, False, True)
    assert target is not None
    lows = sum(s.pace * s.low for s in slots)
    if lows > target:
        return Allocation({s.key: s.low for s in slots}, None, True, False)
    low, high = _LOG_PRICE_RANGE
    if break_even is not None:
        low = math.log(break_even)
    for _ in range(_ITERATIONS):  # smallest price whose total fits
        middle = (low + high) / 2
        if _total(slots, math.exp(middle)) <= target:
            high = middle
        else:
            low = middle
    price = math.exp(high)
    return Allocation({s.key: s.budget_at(price) for s in slots}, price, True, True)

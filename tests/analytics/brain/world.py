"""Synthetic accounts with a known truth per object, fitted the way the nightly job will.

Each object's true settled revenue is ``roas · budget · (spend / budget)^elasticity``
at a known average ROAS and elasticity; 28 days of history with the budget
wandering ±25% give the curves something to learn from; the models are then
fitted on that history (curves, evidence) exactly as production would.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from analytics.brain.curves import Observation, PowerCurve, ResponseCurve, fit_curves
from analytics.brain.decisions import AccountSnapshot, ObjectState, Policy, Rejection
from analytics.brain.evidence import AccountRates, DayCounts, assess
from analytics.brain.objective import Objective

TODAY = date(2026, 11, 20)
AOV = 20_000.0
PACE = 0.95
MARGIN = Decimal("0.45")  # break-even ROAS 2.22


@dataclass(frozen=True)
class Truth:
    object_id: str
    budget: int  # minor units
    roas: float  # true average ROAS at the budget's spend
    elasticity: float
    level: str = "campaign"
    campaign_id: str | None = None
    days: int = 28
    provisional: int = 0  # the last N days are provisional
    vary: float = 0.25

    def revenue(self, spend: float) -> float:
        base = PACE * self.budget
        return self.roas * base * (spend / base) ** self.elasticity


def history(rng: np.random.Generator, truth: Truth) -> list[DayCounts]:
    out = []
    for i in range(truth.days):
        day = TODAY - timedelta(truth.days - i)
        budget = truth.budget * math.exp(rng.uniform(-truth.vary, truth.vary))
        spend = PACE * budget * math.exp(rng.normal(0, 0.03))
        mean = truth.revenue(spend) * math.exp(rng.normal(0, 0.1))
        conversions = int(rng.poisson(mean / AOV))
        provisional = i >= truth.days - truth.provisional
        out.append(DayCounts(day, spend, conversions, conversions * AOV, provisional))
    return out


def known_curve(truth: Truth, sd: float = 0.05) -> ResponseCurve:
    """The truth as a curve with a small posterior spread (what a long history would give)."""
    ref = PACE * truth.budget
    revenue = PowerCurve(math.log(truth.roas * ref), truth.elasticity, ref, sd**2, sd**2)
    conversions = replace(revenue, level=revenue.level - math.log(AOV))
    return ResponseCurve(truth.object_id, revenue, conversions, truth.days, (ref, ref), 0.0)


def account(
    truths: list[Truth],
    *,
    seed: int = 1,
    objective: Objective | None = None,
    fitted: bool = False,
    **snapshot: object,
) -> AccountSnapshot:
    """The account tonight: curves fitted on the history (``fitted``) or known."""
    rng = np.random.default_rng(seed)
    days = {t.object_id: history(rng, t) for t in truths}
    everything = [d for rows in days.values() for d in rows]
    prior = AccountRates.of(everything)
    if fitted:
        curves = fit_curves(
            Observation(oid, d.day, d.spend, d.revenue, d.conversions)
            for oid, rows in days.items()
            for d in rows
            if not d.provisional
        )
    else:
        curves = {t.object_id: known_curve(t) for t in truths}
    objects = tuple(
        ObjectState(
            object_id=t.object_id,
            name=t.object_id.title(),
            level=t.level,
            campaign_id=t.campaign_id or t.object_id,
            active=True,
            daily_budget=t.budget,
            curve=curves.get(t.object_id),
            evidence=assess(t.object_id, days[t.object_id], TODAY, prior),
            provisional_days=tuple(d.day for d in days[t.object_id] if d.provisional),
            pace=PACE,
        )
        for t in truths
    )
    return AccountSnapshot(
        account_id="act_1",
        today=TODAY,
        objective=objective or Objective(gross_margin=MARGIN),
        objects=objects,
        **snapshot,  # type: ignore[arg-type]
    )


def with_object(snap: AccountSnapshot, object_id: str, **changes: object) -> AccountSnapshot:
    objects = tuple(
        replace(o, **changes) if o.object_id == object_id else o  # type: ignore[arg-type]
        for o in snap.objects
    )
    return replace(snap, objects=objects)


__all__ = ["TODAY", "Policy", "Rejection", "Truth", "account", "history", "with_object"]

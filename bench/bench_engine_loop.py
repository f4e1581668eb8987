"""A closed-loop check of the engine on a toy account with a known truth. Printed, not a test.

Not the sandbox bench (``bench_decisions.py`` judges on the sandbox's auction):
five objects with known power curves (revenue = ROAS · ref · (spend/ref)^b)
and Poisson sales, 28 days of history, then 30 simulated days under three
policies from identical starting states:

* ``none``: budgets never change;
* ``static``: a rules-tool user's set, nightly on the last 7 days: pause when
  CPA > 1.5 × the target CPA after spending 2 target CPAs; +20% budget when
  the week's ROAS beats the target and no day fell under 80% of it;
* ``engine``: curves, evidence and :func:`analytics.brain.decisions.plan_night`
  every night, every decision applied the next day.

Printed per seed: spend, revenue, contribution profit (margin 45%), days over
the monthly limit, final budgets; and the engine's profit against both.

Run::

    .venv/bin/python bench/bench_engine_loop.py                 # no monthly limit
    .venv/bin/python bench/bench_engine_loop.py --limit 30000   # limit in major units
"""

from __future__ import annotations

import argparse
import math
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from analytics.brain.curves import Observation, fit_curves
from analytics.brain.decisions import AccountSnapshot, Kind, ObjectState, plan_night
from analytics.brain.evidence import AccountRates, DayCounts, assess
from analytics.brain.objective import Objective

AOV, PACE, MARGIN, TARGET_ROAS = 20_000.0, 0.95, 0.45, 2.8
TARGET_CPA = AOV / TARGET_ROAS
#: object: (daily budget = reference, true ROAS at it, true elasticity)
TRUTHS = {
    "headroom": (15_000, 5.0, 0.75),
    "saturated": (60_000, 2.6, 0.35),
    "ok": (30_000, 3.2, 0.6),
    "loser": (25_000, 1.6, 0.6),
    "small": (8_000, 4.0, 0.8),
}
START = date(2026, 10, 1)
DAYS = 30


def _revenue(key: str, spend: float) -> float:
    ref_budget, roas, elasticity = TRUTHS[key]
    ref = PACE * ref_budget
    return roas * ref * (spend / ref) ** elasticity


def _day(rng, key: str, budget: int, day: date, wander: float) -> DayCounts:
    spend = PACE * budget * math.exp(rng.uniform(-wander, wander))
    sales = int(rng.poisson(_revenue(key, spend) * math.exp(rng.normal(0, 0.15)) / AOV))
    return DayCounts(day, spend, sales, sales * AOV)


def _engine_night(history, budgets, active, changed, night: date, limit, spent, today) -> None:
    rows = {
        k: [replace(x, provisional=x.day == night) for x in v if (night - x.day).days < 28]
        for k, v in history.items()
    }
    prior = AccountRates.of([x for v in rows.values() for x in v])
    curves = fit_curves(
        Observation(k, x.day, x.spend, x.revenue, x.conversions)
        for k, v in rows.items()
        for x in v
        if not x.provisional
    )
    objects = tuple(
        ObjectState(
            k, k, "campaign", k, active[k], budgets[k], curves.get(k),
            assess(k, rows[k], night, prior), last_budget_change=changed.get(k), pace=PACE,
        )
        for k in TRUTHS
    )  # fmt: skip
    snap = AccountSnapshot(
        "toy", night, Objective(gross_margin=Decimal(str(MARGIN))), objects,
        monthly_limit=limit, month_to_date_spend=round(spent - today),
        today_spend=round(today), day_elapsed=1.0, days_left=DAYS - 1 - (night - START).days,
    )  # fmt: skip
    for decision in plan_night(snap).decisions:
        if decision.kind in (Kind.PAUSE, Kind.LIMIT_PAUSE):
            active[decision.object_id] = False
        elif decision.proposed_budget is not None:
            budgets[decision.object_id] = decision.proposed_budget
            changed[decision.object_id] = night + timedelta(days=1)


def _static_night(history, budgets, active, night: date) -> None:
    for key in TRUTHS:
        if not active[key]:
            continue
        week = [x for x in history[key] if 1 <= (night - x.day).days <= 7]
        spend = sum(float(x.spend) for x in week)
        sales = sum(float(x.conversions) for x in week)
        revenue = sum(float(x.revenue) for x in week)
        if spend > 2 * TARGET_CPA and (not sales or spend / sales > 1.5 * TARGET_CPA):
            active[key] = False
        elif (
            spend
            and revenue / spend > TARGET_ROAS
            and all(float(x.revenue) / float(x.spend) > 0.8 * TARGET_ROAS for x in week)
        ):
            budgets[key] = int(budgets[key] * 1.2)


def run(policy: str, seed: int, limit: int | None) -> tuple[float, float, int, dict[str, str]]:
    rng = np.random.default_rng(seed)
    budgets = {k: v[0] for k, v in TRUTHS.items()}
    active = dict.fromkeys(TRUTHS, True)
    history = {
        k: [_day(rng, k, budgets[k], START + timedelta(d), 0.1) for d in range(-28, 0)]
        for k in TRUTHS
    }
    changed: dict[str, date] = {}
    spend = revenue = 0.0
    over = 0
    for d in range(DAYS):
        night = START + timedelta(d)
        today = 0.0
        for key in TRUTHS:
            if active[key]:
                row = _day(rng, key, budgets[key], night, 0.03)
                history[key].append(row)
                today += float(row.spend)
                revenue += float(row.revenue)
        spend += today
        over += limit is not None and spend > limit
        if policy == "engine":
            _engine_night(history, budgets, active, changed, night, limit, spend, today)
        elif policy == "static":
            _static_night(history, budgets, active, night)
    final = {k: str(v) if active[k] else "paused" for k, v in budgets.items()}
    return spend, revenue, over, final


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--limit", type=int, default=None, help="monthly limit, major units")
    args = parser.parse_args()
    limit = args.limit * 100 if args.limit else None
    totals: dict[str, float] = {}
    for seed in range(args.seeds):
        for policy in ("none", "static", "engine"):
            spend, revenue, over, final = run(policy, seed, limit)
            profit = revenue * MARGIN - spend
            totals[policy] = totals.get(policy, 0.0) + profit
            print(
                f"seed {seed} {policy:>6}: spend {spend / 100:9.0f} revenue {revenue / 100:9.0f} "
                f"ROAS {revenue / spend:4.2f} profit {profit / 100:8.0f} days over limit {over} "
                f"budgets {final}"
            )
    print(
        f"engine profit vs none {100 * (totals['engine'] / totals['none'] - 1):+.1f}%, "
        f"vs static rules {100 * (totals['engine'] / totals['static'] - 1):+.1f}%"
    )


if __name__ == "__main__":
    main()

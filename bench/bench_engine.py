"""The nightly engine's cost per account (target: ≤ 2 s). Printed figures, not a test.

For each synthetic account (``--objects`` budget holders with 30 days of history,
``--ads`` ads with delivery history, 30 days of sync snapshots) the whole
nightly model chain is timed: response curves (pooled GLMs), the lag nowcast,
evidence, fatigue signals, and ``plan_night``. The baseline in the same run is
today's static rules (``analytics.rules``) on the same history, so the printed
ratio says what the models cost over the rules.

Run::

    .venv/bin/python bench/bench_engine.py                    # 5 accounts × 40 holders
    .venv/bin/python bench/bench_engine.py --accounts 3 --objects 80 --ads 200
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from analytics.brain.curves import Observation, fit_curves
from analytics.brain.decisions import AccountSnapshot, ObjectState, plan_night
from analytics.brain.evidence import AccountRates, DayCounts, assess
from analytics.brain.fatigue import DeliveryDay, detect
from analytics.brain.nowcast import Snapshot, fit_lag
from analytics.brain.objective import Objective
from analytics.rules import CampaignState, DayFigures, Targets, pause_candidates, scale_candidates

TODAY = date(2026, 11, 20)
DAYS = 30
AOV = 20_000.0


def _history(rng: np.random.Generator, objects: int) -> dict[str, tuple[int, list[DayCounts]]]:
    out = {}
    for i in range(objects):
        budget = int(rng.uniform(5_000, 80_000))
        roas, elasticity = rng.uniform(1.0, 5.0), rng.uniform(0.3, 0.9)
        days = []
        for d in range(DAYS):
            spend = 0.95 * budget * math.exp(rng.uniform(-0.2, 0.2))
            mean = roas * budget * (spend / budget) ** elasticity
            conversions = int(rng.poisson(mean / AOV))
            days.append(
                DayCounts(
                    TODAY - timedelta(DAYS - d),
                    spend,
                    conversions,
                    conversions * AOV,
                    d >= DAYS - 2,
                )
            )
        out[f"o{i}"] = (budget, days)
    return out


def _snapshots(rng: np.random.Generator) -> list[Snapshot]:
    out = []
    for d in range(DAYS):
        lags = np.where(rng.random(40) < 0.5, 0.0, 3 * rng.random(40) ** 2)
        for age in np.sort(rng.uniform(0, 7, 6)):
            out.append(
                Snapshot(TODAY - timedelta(DAYS - d), float(age), float((lags <= age).sum()))
            )
    return out


def _delivery(rng: np.random.Generator) -> list[DeliveryDay]:
    return [
        DeliveryDay(TODAY - timedelta(DAYS - d), 30_000, 25_000, int(rng.binomial(30_000, 0.012)))
        for d in range(DAYS)
    ]


def engine(rng: np.random.Generator, history, ads: int) -> tuple[float, float, int]:
    start = time.perf_counter()
    everything = [d for _, days in history.values() for d in days]
    prior = AccountRates.of(everything)
    curves = fit_curves(
        Observation(oid, d.day, d.spend, d.revenue, d.conversions)
        for oid, (_, days) in history.items()
        for d in days
        if not d.provisional
    )
    fit_lag(_snapshots(rng))
    signals = [detect(f"ad{i}", "ad", _delivery(rng)) for i in range(ads)]
    objects = tuple(
        ObjectState(
            oid, oid, "campaign", oid, True, budget, curves.get(oid),
            assess(oid, days, TODAY, prior), None, pace=0.95,
        )
        for oid, (budget, days) in history.items()
    )  # fmt: skip
    snap = AccountSnapshot(
        "act", TODAY, Objective(gross_margin=Decimal("0.45")), objects,
        monthly_limit=int(sum(b for b, _ in history.values()) * 30 * 0.9),
        month_to_date_spend=int(sum(b for b, _ in history.values()) * 19 * 0.95),
        days_left=10,
    )  # fmt: skip
    planning = time.perf_counter()
    plan = plan_night(snap)
    done = time.perf_counter()
    del signals
    return done - start, done - planning, len(plan.decisions)


def rules(history) -> float:
    start = time.perf_counter()
    states = [
        CampaignState(
            oid, oid, True,
            tuple(DayFigures(d.day, Decimal(str(round(d.spend))), Decimal(d.conversions),
                             Decimal(str(round(d.revenue))), d.provisional) for d in days),
        )
        for oid, (_, days) in history.items()
    ]  # fmt: skip
    targets = Targets(Decimal(8_000), Decimal("2.2"))
    pause_candidates(states, targets)
    scale_candidates(states, targets)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=5)
    parser.add_argument("--objects", type=int, default=40)
    parser.add_argument("--ads", type=int, default=100)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    engine_times, plan_times, rule_times = [], [], []
    for n in range(args.accounts):
        history = _history(rng, args.objects)
        seconds, planning, decisions = engine(rng, history, args.ads)
        baseline = rules(history)
        engine_times.append(seconds)
        plan_times.append(planning)
        rule_times.append(baseline)
        print(
            f"account {n}: models + plan {seconds:.3f} s (plan_night {planning * 1000:.0f} ms, "
            f"{decisions} decisions), static rules {baseline * 1000:.1f} ms"
        )
    worst = max(engine_times)
    print(
        f"models + plan per account: median {statistics.median(engine_times):.3f} s, worst {worst:.3f} s "
        f"(target <= 2 s: {'ok' if worst <= 2 else 'MISSED'}); "
        f"×{statistics.median(engine_times) / statistics.median(rule_times):.0f} the static rules; "
        f"plan_night alone: median {statistics.median(plan_times) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()

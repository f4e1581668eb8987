"""Opportunities on simulated accounts, checked once a day: part of ``bench_alerts.py``'s output.

Each account (the same random BRL sales truth as the anomaly replay) has 12
audience segments with their own shares of spend and relative ROAS (lognormal,
sd 0.3), fixed over 42 days, and one budget-limited campaign spending 97% of
its budget. Every day's purchases are Poisson around spend × ROAS / order value
with a 10% day-to-day wobble common to the account; order values are
lognormal around the average order. Days 29..42 are checked as the hourly job
does once a local day: the last 7 days against the 21 before for the
segments (:func:`analytics.alerts.opportunities.rising_segments`), the last 7
days against the target for the campaign; findings go through the incident
lifecycle, so a persisting opportunity opens once.

* quiet accounts: no segment changes and the campaign sits exactly at its
  target: every opened opportunity is a false one;
* surge accounts: one segment (at least 5% of spend) earns 1.6x its ROAS
  from a random day in 22..35;
* winner accounts: the campaign's ROAS is 1.5x its target.

Stated simplification: daily totals are settled (the job's relative test
takes care of the lag the sandbox end-to-end test exercises).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import numpy as np

from analytics.alerts.findings import AlertKind, DetectorConfig
from analytics.alerts.incidents import EventKind, LifecycleState, advance
from analytics.alerts.opportunities import (
    DailyTotals,
    SegmentTotals,
    detect_scale_opportunity,
    rising_segments,
)

DAYS = 42
FIRST_CHECK = 28  # the first day with 28 days behind it
SEGMENTS = 12
SURGE = 1.6
WINNER = 1.5
RECENT, PREVIOUS = 7, 21
#: Orders a week from which a change can be told within days (printed apart).
BUSY_ORDERS = 50


@dataclass
class OpportunityOutcome:
    kind: str  # quiet | surge | winner
    material: bool
    orders_per_week: float = 0.0  # the segment's (or campaign's) usual orders a week
    opened: int = 0  # opportunities opened (any) over the checked days
    found_after: int | None = None  # days from the change (or the first check) to the finding


def _orders(rng: np.random.Generator, expected: float, aov: float) -> tuple[int, int]:
    count = int(rng.poisson(max(expected, 0.0)))
    revenue = float(rng.lognormal(np.log(aov) - 0.06, 0.35, count).sum()) if count else 0.0
    return count, round(revenue)


def replay_opportunities(
    kind: str, seed: int, daily_spend: float, roas: float, aov: float, start: datetime
) -> OpportunityOutcome:
    """One account's 42 days, checked daily from day 29 (see the module docstring)."""
    rng = np.random.default_rng(seed)
    config = DetectorConfig()
    shares = rng.dirichlet(np.full(SEGMENTS, 2.0))
    relative = np.exp(rng.normal(0.0, 0.3, SEGMENTS))
    relative /= float(np.dot(shares, relative))  # the account's ROAS stays ``roas``
    surged = int(rng.choice(np.flatnonzero(shares >= 0.05))) if kind == "surge" else -1
    change_day = int(rng.integers(22, 36)) if kind == "surge" else FIRST_CHECK
    wobble = rng.gamma(100.0, 0.01, DAYS)  # 10% day to day, the whole account
    segment_days: list[list[tuple[int, int, int]]] = []
    for day in range(DAYS):
        row = []
        for s in range(SEGMENTS):
            spend = daily_spend * float(shares[s])
            lift = SURGE if s == surged and day >= change_day else 1.0
            orders, revenue = _orders(
                rng, spend * roas * float(relative[s]) * lift * float(wobble[day]) / aov, aov
            )
            row.append((round(spend), orders, revenue))
        segment_days.append(row)
    budget = round(daily_spend * 0.3 / 0.97)  # the campaign: 30% of the account's spend
    target = roas / WINNER if kind == "winner" else roas
    campaign_days = []
    for day in range(DAYS):
        spend = round(budget * 0.97)
        orders, revenue = _orders(rng, spend * roas * float(wobble[day]) / aov, aov)
        campaign_days.append(
            DailyTotals(start.date() + timedelta(days=day), spend, orders, revenue, budget)
        )
    outcome = OpportunityOutcome(
        kind, material=_material(kind, daily_spend, roas, shares, surged, budget, config)
    )
    share = float(shares[surged] * relative[surged]) if kind == "surge" else 0.3
    outcome.orders_per_week = 7 * daily_spend * share * roas / aov
    state = LifecycleState()
    for day in range(FIRST_CHECK, DAYS + 1):
        now = start + timedelta(days=day, hours=9)
        recent = _totals(segment_days[day - RECENT : day])
        previous = _totals(segment_days[day - RECENT - PREVIOUS : day - RECENT])
        findings = rising_segments(
            recent, previous, _whole(recent), _whole(previous), now, recent_days=RECENT
        )
        scale = detect_scale_opportunity(
            "campaign", campaign_days[day - RECENT : day], now, target_roas=Decimal(str(target))
        )
        findings += [scale] if scale is not None else []
        evaluated = frozenset({"campaign", *recent})
        state, events = advance(state, findings, now, evaluated=evaluated)
        for event in events:
            if event.kind is not EventKind.OPENED:
                continue
            outcome.opened += 1
            wanted = (kind == "surge" and event.incident.entity_id == f"s{surged}") or (
                kind == "winner" and event.incident.kind is AlertKind.SCALE_OPPORTUNITY
            )
            if wanted and outcome.found_after is None:
                outcome.found_after = max(0, day - change_day)
    return outcome


def _material(
    kind: str, spend: float, roas: float, shares: np.ndarray, surged: int, budget: int,
    config: DetectorConfig,
) -> bool:  # fmt: skip
    """Whether the true upside per day clears the materiality floor."""
    if kind == "surge":
        return spend * float(shares[surged]) * roas * (SURGE - 1) >= config.materiality_floor
    if kind == "winner":
        return 0.2 * budget * (WINNER - 1) >= config.materiality_floor
    return True


def _totals(days: list[list[tuple[int, int, int]]]) -> dict[str, SegmentTotals]:
    return {
        f"s{s}": SegmentTotals(
            sum(d[s][0] for d in days), sum(d[s][1] for d in days), sum(d[s][2] for d in days)
        )
        for s in range(SEGMENTS)
    }


def _whole(parts: dict[str, SegmentTotals]) -> SegmentTotals:
    return SegmentTotals(
        sum(p.spend for p in parts.values()),
        sum(p.conversions for p in parts.values()),
        sum(p.revenue for p in parts.values()),
    )


def report(outcomes: list[OpportunityOutcome]) -> list[str]:
    """The printed lines."""
    quiet = [o for o in outcomes if o.kind == "quiet"]
    weeks = (DAYS - FIRST_CHECK + 1) / 7
    false_rate = sum(o.opened for o in quiet) / max(len(quiet), 1) / weeks
    lines = [
        f"opportunities (checked once a day, days {FIRST_CHECK + 1}..{DAYS}; counted apart "
        "from the alerts above):"
    ]
    for kind, name in (
        ("surge", f"segment ROAS x{SURGE}"),
        ("winner", f"campaign at {WINNER}x target"),
    ):
        rows = [o for o in outcomes if o.kind == kind and o.material]
        found = [o.found_after for o in rows if o.found_after is not None]
        median = statistics.median(found) if found else float("nan")
        busy = [o for o in rows if o.orders_per_week >= BUSY_ORDERS]
        lines.append(
            f"  {name}: found {len(found)}/{len(rows)} material, median {median:.0f} days "
            f"after it began; {sum(1 for o in busy if o.found_after is not None)}/{len(busy)} "
            f"of those with >= {BUSY_ORDERS} orders a week"
        )
    lines.append(
        f"  false opportunities per quiet account per week: {false_rate:.2f} "
        f"({sum(1 for o in quiet if o.opened)}/{len(quiet)} quiet accounts had any)"
    )
    return lines

"""The daily report as a pure computation over the metrics history.

A day's key figures against the previous day and against the 7-day average,
the best and worst campaigns, the one thing that changed most, and the last
14 days for the chart. Volumes (spend, conversions...) compare with the
7-day mean; ratios (ROAS, CPA, CTR) with the week's aggregate ratio, which is
what a media buyer means by "the average ROAS of the week".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from analytics.history import DayTotals, ObjectDay, sum_totals
from analytics.report import CampaignLine, Totals, change, rank

CHART_DAYS = 14
AVERAGE_DAYS = 7
VOLUMES = frozenset({"spend", "impressions", "clicks", "conversions", "revenue"})


@dataclass(frozen=True)
class Mover:
    """The campaign that moved most against the previous day, in money (spend or revenue)."""

    campaign_id: str
    name: str
    metric: str  # spend | revenue
    delta: Decimal  # minor units
    roas_before: Decimal | None
    roas_after: Decimal | None


@dataclass(frozen=True)
class DailySummary:
    account_id: str
    account_name: str
    currency: str
    day: date
    totals: Totals
    previous: Totals
    week: Totals  # the 7 days before ``day``, summed
    week_days: int
    campaigns: tuple[CampaignLine, ...]
    best: CampaignLine | None
    worst: CampaignLine | None
    mover: Mover | None
    days: tuple[tuple[date, Totals], ...]  # oldest first, for the chart
    provisional: bool

    def vs_previous(self, metric: str) -> Decimal | None:
        return change(getattr(self.totals, metric), getattr(self.previous, metric))

    def vs_week(self, metric: str) -> Decimal | None:
        if not self.week_days:
            return None
        if metric in VOLUMES:
            mean = Decimal(getattr(self.week, metric)) / self.week_days
            return change(getattr(self.totals, metric), mean)
        return change(getattr(self.totals, metric), getattr(self.week, metric))


def build_daily(
    *,
    account_id: str,
    account_name: str,
    currency: str,
    day: date,
    account_days: Sequence[DayTotals],
    campaign_days: Sequence[ObjectDay],
    margin: Decimal | None = None,
) -> DailySummary:
    """``account_days`` cover at least day-13..day; ``campaign_days`` day-1..day (campaign level)."""
    by_day = {d.day: d for d in account_days}
    empty = DayTotals(day, Totals(), False)
    today = by_day.get(day, empty)
    previous = by_day.get(day - timedelta(days=1), empty).totals
    week_items = [
        by_day[day - timedelta(days=n)]
        for n in range(1, AVERAGE_DAYS + 1)
        if day - timedelta(days=n) in by_day
    ]
    lines = _campaign_lines(campaign_days, day)
    best, worst = rank(lines, today.totals.spend, margin)  # by contribution (issue 15)
    chart = tuple(
        (day - timedelta(days=n), by_day.get(day - timedelta(days=n), empty).totals)
        for n in range(CHART_DAYS - 1, -1, -1)
    )
    return DailySummary(
        account_id=account_id,
        account_name=account_name,
        currency=currency,
        day=day,
        totals=today.totals,
        previous=previous,
        week=sum_totals([item.totals for item in week_items]),
        week_days=len(week_items),
        campaigns=lines,
        best=best,
        worst=worst,
        mover=_mover(campaign_days, day),
        days=chart,
        provisional=today.provisional,
    )


def _campaign_lines(campaign_days: Sequence[ObjectDay], day: date) -> tuple[CampaignLine, ...]:
    lines = [
        CampaignLine(item.object_id, item.name or item.object_id, "", item.totals)
        for item in campaign_days
        if item.day == day and (item.totals.spend or item.totals.impressions)
    ]
    return tuple(sorted(lines, key=lambda line: line.totals.spend, reverse=True))


def _mover(campaign_days: Sequence[ObjectDay], day: date) -> Mover | None:
    before: dict[str, Totals] = {}
    after: dict[str, Totals] = {}
    names: dict[str, str] = {}
    for item in campaign_days:
        if item.day == day:
            after[item.object_id] = item.totals
        elif item.day == day - timedelta(days=1):
            before[item.object_id] = item.totals
        else:
            continue
        names[item.object_id] = item.name or item.object_id
    best: Mover | None = None
    for campaign_id in sorted(set(before) | set(after)):
        old, new = before.get(campaign_id, Totals()), after.get(campaign_id, Totals())
        for metric in ("revenue", "spend"):
            delta = getattr(new, metric) - getattr(old, metric)
            if delta and (best is None or abs(delta) > abs(best.delta)):
                best = Mover(campaign_id, names[campaign_id], metric, delta, old.roas, new.roas)
    return best

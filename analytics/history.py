"""Reading the metrics history (``metrics_daily``): what reports, alerts and rules work from.

The sync job writes one row per object per day (account, campaign, ad set,
ad); these functions answer the questions the scheduled jobs ask, without the
ad API. Account figures come from the account rows: their conversions count
purchases, not the sum of every campaign's own result type.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.report import Totals
from analytics.rules import DayFigures
from storage.models import MetricDaily

ACCOUNT = "account"
CAMPAIGN = "campaign"


@dataclass(frozen=True)
class DayTotals:
    day: date
    totals: Totals
    provisional: bool

    def figures(self) -> DayFigures:
        t = self.totals
        return DayFigures(self.day, t.spend, t.conversions, t.revenue, self.provisional)


@dataclass(frozen=True)
class ObjectDay:
    object_id: str
    name: str
    campaign_id: str | None
    day: date
    totals: Totals
    provisional: bool


def _totals(row: MetricDaily) -> Totals:
    return Totals(
        spend=Decimal(row.spend),
        impressions=int(row.impressions),
        clicks=int(row.clicks),
        reach=int(row.reach),
        conversions=Decimal(row.conversions),
        revenue=Decimal(row.revenue),
    )


def _add(a: Totals, b: Totals) -> Totals:
    return Totals(
        a.spend + b.spend,
        a.impressions + b.impressions,
        a.clicks + b.clicks,
        a.reach + b.reach,
        a.conversions + b.conversions,
        a.revenue + b.revenue,
    )


def sum_totals(items: list[Totals]) -> Totals:
    out = Totals()
    for item in items:
        out = _add(out, item)
    return out


def object_days(
    session: Session, account_pk: int, since: date, until: date, *, level: str = CAMPAIGN
) -> list[ObjectDay]:
    rows = session.scalars(
        select(MetricDaily)
        .where(
            MetricDaily.ad_account_id == account_pk,
            MetricDaily.level == level,
            MetricDaily.day >= since,
            MetricDaily.day <= until,
        )
        .order_by(MetricDaily.day, MetricDaily.object_id)
    )
    return [
        ObjectDay(r.object_id, r.object_name, r.campaign_id, r.day, _totals(r), r.provisional)
        for r in rows
    ]


def account_days(session: Session, account_pk: int, since: date, until: date) -> list[DayTotals]:
    """One entry per day from ``since`` to ``until`` (days without rows count as zero)."""
    by_day: dict[date, list[ObjectDay]] = defaultdict(list)
    for item in object_days(session, account_pk, since, until, level=ACCOUNT):
        by_day[item.day].append(item)
    out: list[DayTotals] = []
    day = since
    while day <= until:
        items = by_day.get(day, [])
        out.append(
            DayTotals(
                day,
                sum_totals([i.totals for i in items]),
                any(i.provisional for i in items),
            )
        )
        day += timedelta(days=1)
    return out


def campaign_series(
    session: Session, account_pk: int, since: date, until: date
) -> dict[str, tuple[str, list[DayTotals]]]:
    """Per campaign: (name, its days oldest first)."""
    series: dict[str, tuple[str, list[DayTotals]]] = {}
    for item in object_days(session, account_pk, since, until):
        name, days = series.setdefault(item.object_id, (item.name, []))
        days.append(DayTotals(item.day, item.totals, item.provisional))
        if item.name and item.name != name:
            series[item.object_id] = (item.name, days)
    return series


def spend_between(session: Session, account_pk: int, since: date, until: date) -> Decimal:
    total = session.scalar(
        select(func.coalesce(func.sum(MetricDaily.spend), 0)).where(
            MetricDaily.ad_account_id == account_pk,
            MetricDaily.level == ACCOUNT,
            MetricDaily.day >= since,
            MetricDaily.day <= until,
        )
    )
    return Decimal(total or 0)


def last_synced(session: Session, account_pk: int) -> datetime | None:
    """When the account's history was last refreshed (platform time)."""
    return session.scalar(
        select(func.max(MetricDaily.synced_at)).where(MetricDaily.ad_account_id == account_pk)
    )


def first_provisional_day(session: Session, account_pk: int) -> date | None:
    return session.scalar(
        select(func.min(MetricDaily.day)).where(
            MetricDaily.ad_account_id == account_pk, MetricDaily.provisional.is_(True)
        )
    )


def has_history(session: Session, account_pk: int) -> bool:
    return (
        session.scalar(
            select(MetricDaily.id).where(MetricDaily.ad_account_id == account_pk).limit(1)
        )
        is not None
    )

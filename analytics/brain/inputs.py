"""What the nightly engine reads, gathered from the stored history: an :class:`AccountSnapshot`.

The job hands in the live budget holders (campaigns with their own budget, ad sets
of ABO campaigns) and an open session; this module reads ``metrics_daily`` (daily
figures per object), ``metric_snapshots`` (how recent days grew between syncs: the
attribution lag), and ``proposals`` (recent budget changes, rejections), and puts
the models together: provisional days completed by the nowcast, a response curve
and the evidence per holder, fatigue from delivery, the month so far.

Assumptions, stated where they are made:
* a holder is *learning* when it was created, resumed, or had its budget moved more
  than 20% in the last 7 days (Meta's learning phase, approximated from our own
  writes; the API's ``learning_stage_info`` is not read yet);
* ``pace`` is the share of its budget a holder spent over its last 7 settled days;
* without a fitted lag curve, provisional days count for the evidence's "current"
  view as reported (under-counted) and are left out of the curves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.brain.curves import Observation, fit_curves
from analytics.brain.evidence import AccountRates, DayCounts, assess
from analytics.brain.fatigue import DeliveryDay, detect
from analytics.brain.nowcast import LagCurve, Snapshot, fit_lag
from analytics.brain.objective import Objective
from analytics.brain.plan import AccountSnapshot, ObjectState, Policy, Rejection
from analytics.history import ObjectDay, object_days
from storage.models import MetricSnapshot, Proposal

#: Days of history the curves and the evidence read.
HISTORY_DAYS = 42
#: Weight of a nowcast-completed provisional day in the curves (a settled day weighs 1).
PROVISIONAL_WEIGHT = 0.5
LEARNING_DAYS = 7
SIGNIFICANT_EDIT = 0.20
#: A budget move between two campaigns (issue 18) is a budget change of each of them.
BUDGET_KINDS = ("set_budget", "move_budget")
RESUME_KINDS = ("resume", "activate")


@dataclass(frozen=True)
class Holder:
    """A live budget holder tonight, as the platform reports it."""

    object_id: str
    name: str
    level: str  # campaign | adset
    campaign_id: str
    active: bool
    daily_budget: int | None  # minor units
    judged_by_results: bool = True  # False for awareness/traffic objectives


@dataclass(frozen=True)
class MonthSoFar:
    """The account's month before tonight's decisions (minor units)."""

    limit: int | None  # this account's share of the monthly limit
    spend: int  # this month before today
    revenue: int
    today_spend: int
    day_elapsed: float  # share of today gone
    days_left: int  # whole days after today in this month


def lag_curves(
    session: Session, account_pk: int, since: date
) -> tuple[LagCurve | None, LagCurve | None]:
    """The account's lag curves for conversions and revenue, from the kept snapshots."""
    rows = session.scalars(
        select(MetricSnapshot).where(
            MetricSnapshot.ad_account_id == account_pk, MetricSnapshot.day >= since
        )
    ).all()
    conversions = [Snapshot(r.day, r.age_hours / 24, float(r.conversions)) for r in rows]
    revenue = [Snapshot(r.day, r.age_hours / 24, float(r.revenue)) for r in rows]
    return fit_lag(conversions), fit_lag(revenue)


def completed(
    day: ObjectDay,
    now_local: datetime,
    lags: tuple[LagCurve | None, LagCurve | None],
) -> DayCounts:
    """One stored day as the evidence reads it: provisional figures completed when we can."""
    spend = day.totals.spend
    conversions, revenue = day.totals.conversions, day.totals.revenue
    if day.provisional:
        end = datetime.combine(day.day + timedelta(days=1), datetime.min.time(), now_local.tzinfo)
        age = max((now_local - end).total_seconds() / 86400, 0.0)
        by_conversions, by_revenue = lags
        if by_conversions is not None:
            conversions = Decimal(str(by_conversions.complete(float(conversions), age).final.mean))
        if by_revenue is not None:
            revenue = Decimal(str(by_revenue.complete(float(revenue), age).final.mean))
    return DayCounts(day.day, spend, conversions, revenue, provisional=day.provisional)


def recent_writes(
    session: Session, account_pk: int, since: datetime
) -> dict[str, list[tuple[date, str, float | None]]]:
    """Executed budget changes and resumes per target: (day, kind, relative budget move)."""
    rows = session.scalars(
        select(Proposal).where(
            Proposal.ad_account_id == account_pk,
            Proposal.state == "executed",
            Proposal.executed_at >= since,
            Proposal.kind.in_((*BUDGET_KINDS, *RESUME_KINDS)),
        )
    ).all()
    out: dict[str, list[tuple[date, str, float | None]]] = defaultdict(list)
    for row in rows:
        move = None
        if row.kind in BUDGET_KINDS:
            before = _budget(row.current_value)
            after = _budget(row.new_value)
            move = (after - before) / before if before and after is not None else None
        assert row.executed_at is not None
        out[row.target_id].append((row.executed_at.date(), row.kind, move))
    for target, when, move in _moved_here(session, account_pk, since):
        out[target].append((when, "move_budget", move))
    return out


def _moved_here(
    session: Session, account_pk: int, since: datetime
) -> list[tuple[str, date, float | None]]:
    """The raised (or cut) second legs of moves recorded on another account, landing here."""
    rows = session.scalars(
        select(Proposal).where(
            Proposal.ad_account_id != account_pk,
            Proposal.kind == "move_budget",
            Proposal.state == "executed",
            Proposal.executed_at >= since,
        )
    ).all()
    out = []
    for row in rows:
        pair_new = dict((row.new_value or {}).get("pair") or {})
        if str(pair_new.get("account")) != str(account_pk) or row.executed_at is None:
            continue
        before = _budget(dict((row.current_value or {}).get("pair") or {}))
        after = _budget(pair_new)
        move = (after - before) / before if before and after is not None else None
        out.append((str(pair_new.get("id") or ""), row.executed_at.date(), move))
    return out


def _budget(value: dict[str, object] | None) -> float | None:
    raw = (value or {}).get("daily_budget")
    return float(str(raw)) if raw not in (None, "") else None


def rejections(session: Session, account_pk: int, since: datetime) -> tuple[Rejection, ...]:
    """Proposals a person rejected lately, with the figures their cards showed."""
    rows = session.scalars(
        select(Proposal).where(
            Proposal.ad_account_id == account_pk,
            Proposal.state == "rejected",
            Proposal.decided_at >= since,
        )
    ).all()
    out = []
    for row in rows:
        explanation = row.explanation or {}
        direction = explanation.get("direction")
        if direction is None or row.decided_at is None:
            continue
        figures = {k: float(v) for k, v in (explanation.get("figures") or {}).items()}
        out.append(Rejection(row.target_id, str(direction), row.decided_at.date(), figures))
    return tuple(out)


def _pace(days: Sequence[DayCounts], budget: int | None) -> float:
    settled = [d for d in days if not d.provisional][-7:]
    if not budget or not settled:
        return 1.0
    spent = sum(float(d.spend) for d in settled) / len(settled)
    return max(0.05, min(spent / budget, 1.25))


def night_snapshot(
    session: Session,
    account_pk: int,
    account_id: str,
    holders: Sequence[Holder],
    *,
    now_local: datetime,
    objective: Objective,
    month: MonthSoFar,
    policy: Policy,
    budget_unit: int = 1,
    lags: tuple[LagCurve | None, LagCurve | None] | None = None,
) -> AccountSnapshot:
    """Everything the engine needs tonight, for one account."""
    today = now_local.date()
    since, until = today - timedelta(days=HISTORY_DAYS), today - timedelta(days=1)
    if lags is None:
        lags = lag_curves(session, account_pk, today - timedelta(days=30))
    days_by: dict[str, list[DayCounts]] = defaultdict(list)
    delivery_by: dict[str, list[DeliveryDay]] = defaultdict(list)
    for level in sorted({h.level for h in holders}):
        for row in object_days(session, account_pk, since, until, level=level):
            days_by[row.object_id].append(completed(row, now_local, lags))
            delivery_by[row.object_id].append(
                DeliveryDay(row.day, row.totals.impressions, row.totals.reach, row.totals.clicks)
            )
    lag_known = lags[0] is not None
    observations = [
        Observation(
            h.object_id,
            d.day,
            float(d.spend),
            float(d.revenue),
            float(d.conversions),
            weight=PROVISIONAL_WEIGHT if d.provisional else 1.0,
        )
        for h in holders
        for d in days_by.get(h.object_id, [])
        if d.spend > 0 and (lag_known or not d.provisional)
    ]
    curves = fit_curves(observations) if observations else {}
    prior = AccountRates.of([d for h in holders for d in days_by.get(h.object_id, [])])
    writes = recent_writes(
        session, account_pk, _midnight(now_local) - timedelta(days=LEARNING_DAYS)
    )
    objects = []
    for h in holders:
        days = days_by.get(h.object_id, [])
        changes = writes.get(h.object_id, [])
        budget_days = [day for day, kind, _ in changes if kind in BUDGET_KINDS]
        learning = any(
            kind in RESUME_KINDS or (move is not None and abs(move) > SIGNIFICANT_EDIT)
            for _, kind, move in changes
        )
        objects.append(
            ObjectState(
                object_id=h.object_id,
                name=h.name,
                level=h.level,
                campaign_id=h.campaign_id,
                active=h.active,
                daily_budget=h.daily_budget,
                curve=curves.get(h.object_id),
                evidence=assess(h.object_id, days, today, prior) if days else None,
                fatigue=detect(h.object_id, h.level, delivery_by[h.object_id])
                if len(delivery_by.get(h.object_id, [])) >= 7
                else None,
                last_budget_change=max(budget_days) if budget_days else None,
                learning=learning,
                provisional_days=tuple(d.day for d in days if d.provisional),
                pace=_pace(days, h.daily_budget),
                judged_by_results=h.judged_by_results,
            )
        )
    return AccountSnapshot(
        account_id=account_id,
        today=today,
        objective=objective,
        objects=tuple(objects),
        monthly_limit=month.limit,
        month_to_date_spend=month.spend,
        month_to_date_revenue=month.revenue,
        today_spend=month.today_spend,
        day_elapsed=month.day_elapsed,
        days_left=month.days_left,
        rejections=rejections(session, account_pk, _midnight(now_local) - timedelta(days=7)),
        policy=policy,
        budget_unit=budget_unit,
    )


def _midnight(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)

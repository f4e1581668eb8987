"""The hourly smart-alerts job of one ad account: read, detect, keep the incidents, push.

Each hour (``smart-alerts:ws1:act_1:2026120614``) the job reads the account's
running totals of the last eight days (one Graph call) and its ads' statuses,
stores the read, rebuilds the hourly series from the reads it kept
(:mod:`analytics.alerts.reads`), fits the expected values from the account's
own history with its own attribution lag (refitted once a local day), runs
the detectors and advances the incident lifecycle (one incident per problem,
resolved when it recovers, cooldowns per kind). What changed goes to the
chats that receive alerts (:mod:`jobs.alert_delivery`). Once a local day it
also checks the account's opportunities (:mod:`jobs.alert_opportunities`),
whose incidents go through the same lifecycle.

A fresh account stays silent until three complete days of hourly reads exist
(and so does one whose reads were sparse lately, e.g. a clock advanced by
days): there is no honest expectation to compare with before that.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from ads.base import Level, Period
from analytics.alerts.baseline import fit_baseline
from analytics.alerts.codec import state_from_json, state_to_json
from analytics.alerts.detectors import Snapshot, detect_all
from analytics.alerts.findings import AdStatus, Finding
from analytics.alerts.incidents import IncidentEvent, LifecycleState, advance
from analytics.alerts.lag import fit_lag
from analytics.alerts.reads import AccountRead, build_series, read_from_totals, recent_days
from analytics.alerts.series import default_lag_cdf, exponential_lag_cdf
from jobs import alert_opportunities as opportunities
from storage.models import AdAccount, AlertRead, AlertState

if TYPE_CHECKING:
    from jobs.schedules import JobSpec
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

#: Reads kept: the baseline's 28 days of profile plus the 7-day attribution window.
KEEP_DAYS = 35
#: Reads the last three days need before anything is judged (hourly, a few may be missed):
#: series rebuilt from sparse reads lose their hour profile.
MIN_RECENT_READS = 60
#: The lag is refitted from this many days of reads, every few hours of them.
LAG_DAYS = 10
LAG_STEP = 3
#: Where the lifecycle's JSON keeps the local day opportunities were last checked.
OPPORTUNITIES_DAY = "opportunities_day"


@dataclass(frozen=True)
class Run:
    """What one hourly run found, for the delivery step and the run record."""

    account: AdAccount
    now: datetime
    events: tuple[IncidentEvent, ...]
    state: LifecycleState


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def read_account(
    rt: Runtime, account: AdAccount, now: datetime
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """The running totals of the last eight local days, the ads' statuses and their names."""
    since, until = recent_days(now, account.timezone)
    ads = rt.ads(account)
    rows = ads.insights_levels(
        account.external_id, [Level.ACCOUNT], Period(since, until), daily=True
    ).get(Level.ACCOUNT, [])
    totals = {
        row.date_start.isoformat(): [
            str(row.spend),
            str(row.impressions),
            str(row.clicks),
            str(row.conversions),
            str(row.revenue),
        ]
        for row in rows
    }
    listed = ads.list_ads(account.external_id)
    statuses = {ad.id: ad.effective_status for ad in listed}
    return totals, statuses, {ad.id: ad.name for ad in listed}


def _ad_statuses(
    statuses: dict[str, Any], names: dict[str, str], usual_daily_spend: float
) -> tuple[AdStatus, ...]:
    """The ads that deliver or should (not paused), each carrying an equal share of usual spend.

    The account-level read does not split spend by ad; an equal share is the
    stated approximation for how much a disapproval blocks.
    """
    live = {k: v for k, v in statuses.items() if "PAUSED" not in str(v) and v != "ARCHIVED"}
    share = round(usual_daily_spend / max(len(live), 1))
    return tuple(
        AdStatus(ad_id, names.get(ad_id) or ad_id, str(status), share)
        for ad_id, status in sorted(live.items())
    )


def daily_budget(rt: Runtime, account: AdAccount) -> int | None:
    """The account's active daily budgets, summed (minor units), for the overdelivery and the
    early-exhaustion checks; ``None`` when there are none or the read failed (they then skip)."""
    try:
        budgets = opportunities.campaign_budgets(rt.ads(account), account.external_id)
    except Exception:
        logger.exception("smart alerts: budgets of %s unavailable", account.external_id)
        return None
    total = sum(int(b.campaign_total) for b in budgets.values())
    return total or None


def evaluate(rt: Runtime, account_pk: int, now: datetime) -> Run | None:
    """Read the account, store the read, detect, advance its incidents (the job's pure-ish half)."""
    with rt.db.session() as session:
        account = session.get(AdAccount, account_pk)
        if account is None or account.token_status != "ok":
            return None
        session.expunge(account)
    at = _hour(now)
    totals, statuses, names = read_account(rt, account, now)
    with rt.db.session(account.workspace_id) as session:
        if (
            session.scalar(
                select(AlertRead.id).where(
                    AlertRead.ad_account_id == account.id, AlertRead.read_at == at
                )
            )
            is None
        ):
            session.add(
                AlertRead(
                    workspace_id=account.workspace_id, ad_account_id=account.id, read_at=at,
                    totals=totals, statuses=statuses,
                )
            )  # fmt: skip
        session.execute(
            delete(AlertRead).where(
                AlertRead.ad_account_id == account.id,
                AlertRead.read_at < at - timedelta(days=KEEP_DAYS),
            )
        )
        rows = session.scalars(
            select(AlertRead)
            .where(AlertRead.ad_account_id == account.id, AlertRead.read_at <= at)
            .order_by(AlertRead.read_at)
        ).all()
        reads = [read_from_totals(r.read_at, r.totals) for r in rows]
        stored = session.scalar(select(AlertState).where(AlertState.ad_account_id == account.id))
        state = state_from_json(stored.lifecycle) if stored else LifecycleState()
        checked_day = (stored.lifecycle or {}).get(OPPORTUNITIES_DAY) if stored else None
        lag_json = dict(stored.lag) if stored else {}
    recent = sum(1 for r in reads if r.at > at - timedelta(hours=72))
    built = build_series(reads, account.timezone) if recent >= MIN_RECENT_READS else None
    findings: list[Finding] = []
    evaluated: set[str] = set()
    if built is not None:
        series, arrivals = built
        local_day = at.astimezone(series.start.tzinfo).date().isoformat()
        if lag_json.get("day") != local_day:  # refitted once a local day
            lag_json = {"day": local_day, **fit_lag_params(reads, account.timezone)}
        lag_cdf = (
            exponential_lag_cdf(lag_json["immediate_share"], lag_json["mean_hours"])
            if "immediate_share" in lag_json
            else default_lag_cdf
        )
        baseline = fit_baseline(series, lag_cdf=lag_cdf)
        if baseline is not None:
            snapshot = Snapshot(account.external_id, series, baseline, arrivals=arrivals)
            snapshot = Snapshot(
                account.external_id, series, baseline,
                daily_budget=daily_budget(rt, account),
                ads=_ad_statuses(statuses, names, snapshot.usual_daily("spend")),
                arrivals=arrivals,
            )  # fmt: skip
            findings.extend(detect_all(snapshot))
            evaluated.add(account.external_id)
    if opportunities.due(checked_day, at, account.timezone):
        checked = opportunities.check(rt, account, at)
        checked_day = at.astimezone(ZoneInfo(account.timezone)).date().isoformat()
        findings.extend(checked.findings)
        evaluated |= checked.evaluated
        evaluated |= {i.entity_id for i in state.open if checked.judged(i.entity_id)}
    events: tuple[IncidentEvent, ...] = ()
    if evaluated:
        state, events = advance(state, findings, at, evaluated=frozenset(evaluated))
    with rt.db.session(account.workspace_id) as session:
        stored = session.scalar(select(AlertState).where(AlertState.ad_account_id == account.id))
        if stored is None:
            stored = AlertState(workspace_id=account.workspace_id, ad_account_id=account.id)
            session.add(stored)
            stored.deliveries = {}
        stored.lifecycle = {**state_to_json(state), OPPORTUNITIES_DAY: checked_day}
        stored.lag = lag_json
        stored.updated_at = now
    return Run(account, at, events, state)


def fit_lag_params(reads: Sequence[AccountRead], timezone: str) -> dict[str, Any]:
    """The fitted lag's parameters as stored (empty when there are too few purchases)."""
    recent = [r for r in reads if r.at >= reads[-1].at - timedelta(days=LAG_DAYS)]
    seen = []
    for end in range(1, len(recent), LAG_STEP):
        built = build_series(recent[: end + 1], timezone)
        if built is not None:
            seen.append(built[0])
    fitted = fit_lag(seen)
    if fitted is None:
        return {}
    return {
        "immediate_share": round(fitted.immediate_share, 4),
        "mean_hours": round(fitted.mean_hours, 2),
        "purchases": fitted.purchases,
    }


def hourly_alerts(rt: Runtime, spec: JobSpec) -> dict[str, Any]:
    """The scheduled job (``Kind.ALERTS``): one account, one hour."""
    # the chart (matplotlib) and the cards: loaded where alerts are sent, in the worker
    from jobs.alert_delivery import deliver

    assert spec.account_pk is not None
    run = evaluate(rt, spec.account_pk, spec.slot)
    if run is None:
        return {"skipped": "account gone or unusable"}
    sent = deliver(rt, run.account, run.events, run.state, run.now) if run.events else 0
    summary = {
        "events": [f"{e.kind.value}:{e.incident.kind.value}" for e in run.events],
        "open": [i.kind.value for i in run.state.open],
        "messages": sent,
    }
    logger.info(
        "smart alerts ws%s %s: %d events, %d open, %d messages",
        run.account.workspace_id, run.account.external_id, len(run.events),
        len(run.state.open), sent,
    )  # fmt: skip
    return summary

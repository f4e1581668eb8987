"""The brain's view of one account right now: live budget holders, the month, the snapshot.

Shared by the nightly job (the plan), and the chat (``previsão``, ``simular``,
``por que?``): the same inputs, so an answer in chat is what the night would do.
"""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ads.base import Status
from ads.currency import budget_shift
from analytics.brain.backtest import Day, Share, group_by_object, settled
from analytics.brain.decisions import plan_night
from analytics.brain.inputs import Holder, MonthSoFar, lag_curves, night_snapshot
from analytics.brain.objective import Objective
from analytics.brain.plan import AccountSnapshot, NightPlan, Policy
from analytics.history import account_days, object_days, spend_between
from analytics.rules import CONVERSION_OBJECTIVES
from analytics.sync import ensure_fresh
from storage.models import AdAccount, WorkspaceSettings
from storage.repositories import ad_accounts, workspace_settings
from vocabulary.platform_limits import platform_limit

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime


@dataclass(frozen=True)
class AccountView:
    """What the brain saw: the snapshot, the workspace settings, and whether lag was modelled."""

    snapshot: AccountSnapshot
    prefs: WorkspaceSettings
    nowcast: bool  # provisional days were completed by a fitted lag curve
    seconds: float  # time spent building the models


#: The engine's budget step by default (workspace policy ``engine_step_pct`` overrides it).
DEFAULT_STEP_PCT = Decimal(20)


def live_holders(rt: Runtime, account: AdAccount) -> list[Holder]:
    """Tonight's budget holders: campaigns with their own budget, and ABO ad sets."""
    ads = rt.ads(account)
    campaigns = [c for c in ads.list_campaigns(account.external_id) if c.status is Status.ACTIVE]
    adsets = []
    if any(not c.daily_budget for c in campaigns):
        adsets = ads.list_adsets(account.external_id)
    holders = []
    for campaign in campaigns:
        judged = (campaign.objective or "OUTCOME_SALES") in CONVERSION_OBJECTIVES
        if campaign.daily_budget:
            holders.append(
                Holder(
                    campaign.id,
                    campaign.name,
                    "campaign",
                    campaign.id,
                    True,
                    int(campaign.daily_budget),
                    judged,
                )
            )
            continue
        holders.extend(
            Holder(s.id, s.name, "adset", campaign.id, True, int(s.daily_budget), judged)
            for s in adsets
            if s.campaign_id == campaign.id and s.status is Status.ACTIVE and s.daily_budget
        )
    return holders


def objective_of(prefs: WorkspaceSettings) -> Objective:
    margin = Decimal(prefs.gross_margin) / 100 if prefs.gross_margin else None
    return Objective(
        gross_margin=margin,
        target_roas=Decimal(prefs.target_roas) if prefs.target_roas else None,
        target_cpa=Decimal(prefs.target_cpa) if prefs.target_cpa else None,
    )


def policy_of(prefs: WorkspaceSettings) -> Policy:
    step = Decimal(str((prefs.policy or {}).get("engine_step_pct", DEFAULT_STEP_PCT)))
    return Policy(max_step=float(step / 100))


def month_so_far(
    rt: Runtime, account: AdAccount, prefs: WorkspaceSettings, now_local: datetime
) -> MonthSoFar:
    """The month before tonight, and this account's share of the workspace's monthly limit
    (or of its platform's own limit, whichever is tighter).

    With several accounts in the workspace's currency the limit is shared in proportion
    to each account's spend this month (equally before anything was spent): an
    approximation, stated, until the limit can be split per account by hand.
    """
    today = now_local.date()
    month_start = today.replace(day=1)
    yesterday = today - timedelta(days=1)
    with rt.db.session(account.workspace_id) as session:
        spend = spend_between(session, account.id, month_start, yesterday)
        revenue = sum(
            (d.totals.revenue for d in account_days(session, account.id, month_start, yesterday)),
            Decimal(0),
        )
        today_rows = object_days(session, account.id, today, today, level="account")
        today_spend = sum((r.totals.spend for r in today_rows), Decimal(0))
        limit: Decimal | None = None
        if prefs.monthly_budget_limit and prefs.currency == account.currency:
            peers = [
                a
                for a in ad_accounts(session, account.workspace_id)
                if a.currency == account.currency and a.token_status == "ok"
            ]
            spends = {a.id: spend_between(session, a.id, month_start, today) for a in peers}
            total = sum(spends.values(), Decimal(0))
            share = (
                spends.get(account.id, Decimal(0)) / total
                if total > 0
                else Decimal(1) / max(len(peers), 1)
            )
            limit = Decimal(prefs.monthly_budget_limit) * share
        own = (
            platform_limit(prefs, account.platform) if prefs.currency == account.currency else None
        )
        if own is not None:  # the platform's own limit, shared the same way among its accounts
            mine = [
                a
                for a in ad_accounts(session, account.workspace_id)
                if a.platform == account.platform
                and a.currency == account.currency
                and a.token_status == "ok"
            ]
            by_spend = {a.id: spend_between(session, a.id, month_start, today) for a in mine}
            total = sum(by_spend.values(), Decimal(0))
            share = (
                by_spend.get(account.id, Decimal(0)) / total
                if total > 0
                else Decimal(1) / max(len(mine), 1)
            )
            limit = own * share if limit is None else min(limit, own * share)
    midnight = now_local.replace(hour=0, minute=0, second=0, microsecond=0)
    elapsed = (now_local - midnight).total_seconds() / 86400
    last_day = calendar.monthrange(today.year, today.month)[1]
    return MonthSoFar(
        limit=int(limit) if limit is not None else None,
        spend=int(spend),
        revenue=int(revenue),
        today_spend=int(today_spend),
        day_elapsed=min(max(elapsed, 0.01), 1.0),
        days_left=last_day - today.day,
    )


def view_of(rt: Runtime, account: AdAccount) -> AccountView:
    """The models for one account now (curves, evidence, fatigue, the month)."""
    ensure_fresh(rt, account.id)
    now_local = rt.now().astimezone(ZoneInfo(account.timezone))
    holders = live_holders(rt, account)
    with rt.db.session(account.workspace_id) as session:
        prefs = workspace_settings(session, account.workspace_id)
        session.expunge(prefs)
    month = month_so_far(rt, account, prefs, now_local)
    started = time.perf_counter()
    with rt.db.session(account.workspace_id) as session:
        lags = lag_curves(session, account.id, now_local.date() - timedelta(days=30))
        snapshot = night_snapshot(
            session,
            account.id,
            account.external_id,
            holders,
            now_local=now_local,
            objective=objective_of(prefs),
            month=month,
            policy=policy_of(prefs),
            budget_unit=10 ** max(budget_shift(account.currency), 0),
            lags=lags,
        )
    return AccountView(snapshot, prefs, lags[0] is not None, time.perf_counter() - started)


def plan_for(rt: Runtime, account: AdAccount) -> tuple[NightPlan, AccountView]:
    """Tonight's plan for one account, with the view it was made from."""
    view = view_of(rt, account)
    started = time.perf_counter()
    plan = plan_night(view.snapshot)
    seconds = view.seconds + time.perf_counter() - started
    return plan, AccountView(view.snapshot, view.prefs, view.nowcast, seconds)


def rule_history(
    rt: Runtime, account: AdAccount, since: date, until: date
) -> tuple[dict[str, tuple[str, list[Day]]], Share, bool]:
    """The budget holders' days for a rule replay (provisional days completed to their
    final figures), the lag curve's share as the rule would have read them, and whether
    a fitted lag curve was available (else the replay reads settled figures)."""
    ensure_fresh(rt, account.id)
    holders = {h.object_id: h for h in live_holders(rt, account)}
    now_local = rt.now().astimezone(ZoneInfo(account.timezone))
    with rt.db.session(account.workspace_id) as session:
        lag, _ = lag_curves(session, account.id, now_local.date() - timedelta(days=30))
        rows = [
            row
            for level in sorted({h.level for h in holders.values()})
            for row in object_days(session, account.id, since, until, level=level)
            if row.object_id in holders
        ]
    share: Share = (lambda age: lag.share(max(age, 0.0))) if lag is not None else settled
    days = []
    for row in rows:
        t = row.totals
        age_now = (now_local.date() - row.day).days - 1 + now_local.hour / 24
        scale = 1 / max(share(age_now), 0.05) if row.provisional else 1.0
        days.append(
            (
                row.object_id,
                holders[row.object_id].name,
                Day(
                    row.day,
                    int(t.spend),
                    t.impressions,
                    t.clicks,
                    float(t.conversions) * scale,
                    round(float(t.revenue) * scale),
                ),
            )
        )
    return group_by_object(days), share, lag is not None

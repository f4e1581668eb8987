"""Fresh context for a proposal: the platform's figures now, and our own records of changes.

The policy judges what is true at the moment of deciding, not what the
proposer saw: the target is re-read past the cache, its last 7 complete days
and the account's month-to-date spend come through the ads layer, and recent
changes and today's automated changes come from the ``proposals`` table.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ads.base import AdsPlatform, Level, Period
from ads.errors import NotFound
from storage.models import AdAccount, Proposal
from supervisor.policy import PolicyContext, RecentChange, TargetState
from supervisor.proposals import ActionKind, ActionProposal

logger = logging.getLogger(__name__)

#: States of proposals that did, do or may still write to the platform.
#: How far back "recent changes to the same object" look (the policy narrows it further).
RECENT_LOOKBACK = timedelta(days=7)


@dataclass(frozen=True)
class AccountFacts:
    """What the database knows about the account and the target, read in one session."""

    external_id: str
    currency: str
    timezone: str
    token_ok: bool
    recent_changes: tuple[RecentChange, ...] = ()
    automated_changes_today: int = 0
    created_by_agent: bool = False


def day_start(moment: datetime, timezone: str) -> datetime:
    """The start of ``moment``'s day in the account's timezone (aware)."""
    tz = ZoneInfo(timezone)
    local = moment.astimezone(tz)
    return datetime.combine(local.date(), time(0), tzinfo=tz)


def account_facts(
    session: Session, account: AdAccount, proposal: ActionProposal, now: datetime
) -> AccountFacts:
    recent = session.execute(
        select(Proposal.executed_at, Proposal.kind, Proposal.proposer_kind, Proposal.proposer_id)
        .where(
            Proposal.ad_account_id == account.id,
            Proposal.target_id == proposal.target_id,
            Proposal.state == "executed",
            Proposal.executed_at >= now - RECENT_LOOKBACK,
        )
        .order_by(Proposal.executed_at)
    ).all()
    # The cap is on changes that ran by themselves today: a proposal waiting for a person
    # (or one a person approved) is not an automated change.
    automated = session.scalar(
        select(func.count())
        .select_from(Proposal)
        .where(
            Proposal.ad_account_id == account.id,
            Proposal.proposer_kind.in_(("agent", "schedule")),
            Proposal.state.in_(("executing", "executed")),
            Proposal.decided_by.is_(None),
            Proposal.created_at >= day_start(now, account.timezone),
        )
    )
    return AccountFacts(
        external_id=account.external_id,
        currency=account.currency,
        timezone=account.timezone,
        token_ok=account.token_status != "invalid",
        recent_changes=tuple(
            RecentChange(at, kind, f"{pk}:{pid}") for at, kind, pk, pid in recent if at
        ),
        automated_changes_today=int(automated or 0),
        created_by_agent=created_by_agent(session, account.id, proposal.target_id),
    )


def created_by_agent(session: Session, account_pk: int, object_id: str) -> bool:
    """Whether an agent's executed draft created this object."""
    if not object_id:
        return False
    rows = session.scalars(
        select(Proposal.result).where(
            Proposal.ad_account_id == account_pk,
            Proposal.kind == ActionKind.CREATE_DRAFT.value,
            Proposal.proposer_kind == "agent",
            Proposal.state == "executed",
        )
    )
    for result in rows:
        created = (result or {}).get("created") or {}
        ids = [created.get("campaign")]
        for key in ("adsets", "ads", "creatives"):
            ids += list(created.get(key) or ())
        if object_id in ids:
            return True
    return False


# --- the platform side ---------------------------------------------------------------------------


def uncached(ads: AdsPlatform) -> Any:
    """The connector behind the read cache: a target must be read as it is now."""
    return getattr(ads, "inner", ads)


def read_target(ads: AdsPlatform, level: Level, object_id: str) -> TargetState:
    """The target's status and daily budget straight from the platform."""
    source = uncached(ads)
    try:
        if level is Level.CAMPAIGN:
            obj: Any = source.get_campaign(object_id)
        elif level is Level.ADSET:
            obj = source.get_adset(object_id)
        elif level is Level.AD:
            obj = source.get_ad(object_id)
        else:
            return TargetState(found=True)
    except NotFound:
        return TargetState(found=False)
    status = getattr(obj, "status", None)
    return TargetState(
        found=True,
        status=getattr(status, "value", status),
        daily_budget=getattr(obj, "daily_budget", None),
    )


def last_7_days(today: date) -> Period:
    """The 7 complete days ending yesterday, as Meta counts "last 7 days"."""
    return Period(today - timedelta(days=7), today - timedelta(days=1))


def fetch_context(
    ads: AdsPlatform, facts: AccountFacts, proposal: ActionProposal, now: datetime
) -> PolicyContext:
    """Everything :func:`supervisor.policy.evaluate` looks at, fetched now.

    An account whose token is invalid is not called at all: the verdict is a denial.
    """
    if not facts.token_ok:
        return PolicyContext(now=now, currency=facts.currency, token_ok=False)
    account_id = facts.external_id
    today = now.astimezone(ZoneInfo(facts.timezone)).date()
    week = last_7_days(today)
    level = Level(proposal.target_level)
    has_target = ActionKind(proposal.kind) is not ActionKind.CREATE_DRAFT
    target = TargetState(found=True)
    spend = Decimal(0)
    impressions = clicks = 0
    if has_target:
        target = read_target(ads, level, proposal.target_id)
        target = TargetState(
            found=target.found,
            status=target.status,
            daily_budget=target.daily_budget,
            created_by_agent=facts.created_by_agent,
        )
        if target.found and level is not Level.ACCOUNT:
            rows = ads.insights(account_id, level, week, object_ids=[proposal.target_id])
            for row in rows:
                if row.object_id == proposal.target_id:
                    spend += row.spend
                    impressions += row.impressions
                    clicks += row.clicks
    active = {c.id for c in ads.list_campaigns(account_id) if c.status.value == "ACTIVE"}
    target_active = level is Level.CAMPAIGN and has_target and target.status == "ACTIVE"
    if level is Level.CAMPAIGN and has_target:  # the list may be cached: trust the fresh read
        active.discard(proposal.target_id)
        if target_active:
            active.add(proposal.target_id)
    month = Period(today.replace(day=1), today)
    month_spend = sum((r.spend for r in ads.insights(account_id, Level.ACCOUNT, month)), Decimal(0))
    week_spend = sum((r.spend for r in ads.insights(account_id, Level.ACCOUNT, week)), Decimal(0))
    days_in_month = calendar.monthrange(today.year, today.month)[1]
    return PolicyContext(
        now=now,
        currency=facts.currency,
        token_ok=facts.token_ok,
        target=target,
        spend_7d=spend,
        impressions_7d=impressions,
        clicks_7d=clicks,
        active_campaigns=len(active),
        target_is_active_campaign=target_active,
        month_spend=month_spend,
        account_spend_7d=week_spend,
        days_left_in_month=days_in_month - today.day,
        recent_changes=facts.recent_changes,
        automated_changes_today=facts.automated_changes_today,
    )


def summary(ctx: PolicyContext, monthly_limit: Decimal | None) -> dict[str, Any]:
    """The figures behind a verdict, stored with the proposal for its card and the audit."""

    def s(value: Decimal | None) -> str | None:
        if value is None:
            return None
        return format(value.quantize(Decimal("0.0001")).normalize(), "f")

    return {
        "ctr_7d": s(ctx.ctr_7d),
        "spend_7d": s(ctx.spend_7d),
        "daily_budget": s(ctx.target.daily_budget),
        "status": ctx.target.status,
        "active_campaigns": ctx.active_campaigns,
        "month_spend": s(ctx.month_spend),
        "projected_month": s(ctx.projected_month()),
        "monthly_limit": s(monthly_limit),
        "automated_changes_today": ctx.automated_changes_today,
        "at": ctx.now.isoformat(),
    }

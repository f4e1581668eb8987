"""The hourly budget check: month-to-date spend against the workspace's monthly limit.

The limit belongs to the workspace, so the check adds up its ad accounts (those
in the workspace currency) from the metrics history. An alert goes out when a
threshold is reached (80% and 100% by default, or what a chat asked for) and
when the month-end projection overshoots — each once per month, guarded by a
run record per workspace, month and threshold. With the alert comes an approval
card per proposed change (budget reductions that land the month on the limit,
or pauses once the limit is reached), submitted through the supervisor.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from babel.numbers import get_currency_precision

import vocabulary.schedule_messages  # noqa: F401  (registers this package's messages)
from ads.base import Level, Status
from analytics.history import account_days, object_days, spend_between
from analytics.pacing import Pacing, crossed, pace, scaled_budget
from analytics.sync import ensure_fresh
from jobs import runs
from jobs.propose import propose, show_card
from storage.models import AdAccount, Workspace
from storage.repositories import ad_accounts, workspace_settings
from supervisor.proposals import Proposer, pause, set_budget
from vocabulary.i18n import Locale
from vocabulary.notify import send
from vocabulary.platform_limits import platform_limits
from vocabulary.platforms import PLATFORMS
from vocabulary.recipients import ALERTS, Recipient, recipients
from vocabulary.replies import Reply

if TYPE_CHECKING:
    from jobs.schedules import JobSpec
    from supervisor.proposals import ActionProposal
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

#: At most this many budget changes are proposed per alert (the biggest budgets first).
MAX_PROPOSALS = 3
#: No single budget is cut below this share of itself (deeper cuts restart learning).
MAX_CUT_KEEP = Decimal("0.5")


@dataclass(frozen=True)
class Holder:
    """A daily budget we may propose to cut: a campaign's (CBO) or an ad set's (ABO)."""

    account_pk: int
    level: Level
    id: str
    name: str
    daily_budget: Decimal
    campaign_id: str


def workspace_pacing(
    rt: Runtime, workspace_id: int, accounts: Sequence[AdAccount], today: date, limit: Decimal
) -> Pacing:
    """Month-to-date of the workspace's accounts from the history, projected to month end."""
    month_start = today.replace(day=1)
    mtd = spent_today = Decimal(0)
    daily: dict[date, Decimal] = {}
    with rt.db.session(workspace_id) as session:
        for account in accounts:
            mtd += spend_between(session, account.id, month_start, today)
            spent_today += spend_between(session, account.id, today, today)
            for item in account_days(
                session, account.id, today - timedelta(days=7), today - timedelta(days=1)
            ):
                daily[item.day] = daily.get(item.day, Decimal(0)) + item.totals.spend
    recent = [daily[day] for day in sorted(daily) if daily[day] > 0]
    return pace(
        today=today,
        limit=limit,
        month_to_date=mtd,
        spent_today=spent_today,
        recent_complete_days=recent,
    )


def budget_check(rt: Runtime, spec: JobSpec) -> dict[str, Any]:
    workspace_id = spec.workspace_id
    assert workspace_id is not None
    with rt.db.session(workspace_id) as session:
        prefs = workspace_settings(session, workspace_id)
        limit, currency, timezone = prefs.monthly_budget_limit, prefs.currency, prefs.timezone
        language = prefs.language
        workspace_name = session.get(Workspace, workspace_id).name  # type: ignore[union-attr]
        own_limits = platform_limits(prefs)
        accounts = [
            a
            for a in ad_accounts(session, workspace_id)
            if a.token_status == "ok" and a.currency == currency
        ]
        for account in accounts:
            session.expunge(account)
    if (not limit and not own_limits) or not accounts:
        return {"skipped": "no limit or no account"}
    targets = recipients(rt, workspace_id, ALERTS)
    if not targets:
        return {"skipped": "nobody wants alerts"}
    for account in accounts:
        ensure_fresh(rt, account.id)
    today = rt.now().astimezone(ZoneInfo(timezone)).date()
    scope = Scope(workspace_id, workspace_name, currency, language, targets, today)
    summary: dict[str, Any] = {}
    if limit:
        summary = check_limit(rt, scope, accounts, Decimal(limit), platform=None)
    for platform, own in sorted(own_limits.items()):  # issue 18: each platform's own limit
        mine = [a for a in accounts if a.platform == platform]
        if mine:
            found = check_limit(rt, scope, mine, own, platform=platform)
            summary.setdefault("platforms", {})[platform] = found
    return summary


@dataclass(frozen=True)
class Scope:
    """Who and what one budget check is for (the workspace, its chats, its local day)."""

    workspace_id: int
    name: str
    currency: str
    language: str
    targets: list[Recipient]
    today: date


def check_limit(
    rt: Runtime,
    scope: Scope,
    accounts: Sequence[AdAccount],
    limit: Decimal,
    *,
    platform: str | None,
) -> dict[str, Any]:
    """One limit (the workspace's across platforms, or one platform's own) against its
    accounts' month: alerts once per threshold and month, and the changes that land it."""
    workspace_id, targets, currency = scope.workspace_id, scope.targets, scope.currency
    language, workspace_name = scope.language, scope.name
    if platform is not None:
        workspace_name = f"{workspace_name} · {PLATFORMS[platform].label}"
    pacing = workspace_pacing(rt, workspace_id, accounts, scope.today, limit)
    wanted = {t for r in targets for t in r.thresholds}
    where = f"ws{workspace_id}:{platform}" if platform else f"ws{workspace_id}"
    prefix = f"budget-alert:{where}:{pacing.month}"
    new = [
        t
        for t in crossed(pacing.percent, wanted)
        if runs.claim(rt.db, f"{prefix}:{t}", workspace_id=workspace_id)
    ]
    projection = pacing.overshoots and runs.claim(
        rt.db, f"{prefix}:projection", workspace_id=workspace_id
    )
    summary = {
        "percent": str(pacing.percent.quantize(Decimal("0.1"))),
        "projected": str(pacing.projected),
        "alerts": new,
        "projection_alert": bool(projection),
    }
    if not new and not projection:
        return summary
    planned = reduction_plan(rt, workspace_id, accounts, pacing, currency, language)
    reached: list[Recipient] = []
    for recipient in targets:
        mine = [t for t in new if t in recipient.thresholds]
        if not mine and not projection:
            continue
        if _deliver(
            rt,
            workspace_id,
            recipient,
            pacing,
            mine,
            currency,
            workspace_name,
            len(planned),
            prefix,
            platform=PLATFORMS[platform].label if platform else None,
        ):
            reached.append(recipient)
    # Pending proposals reach the approvers through the supervisor (cards that update in
    # place); what ran at once or was refused is shown where the alert went.
    submitted = [propose(rt, workspace_id, pk, proposal) for pk, proposal in planned]
    for item in submitted:
        if item is None or item.state == "pending":
            continue
        for recipient in reached:
            show_card(rt, workspace_id, item.id, recipient.to)
    summary["proposals"] = [
        {"id": item.id, "verdict": item.verdict, "state": item.state}
        for item in submitted
        if item is not None
    ]
    summary["sent"] = len(reached)
    logger.info(
        "budget %s: %s%% of the limit, alerts %s, projection %s, %d proposals, %d chats",
        where,
        summary["percent"],
        new,
        bool(projection),
        len(submitted),
        len(reached),
    )
    return summary


def alert_reply(
    pacing: Pacing,
    thresholds: Sequence[int],
    currency: str,
    locale: Locale,
    *,
    workspace: str,
    chat_thresholds: Sequence[int],
    proposals: int,
    platform: str | None = None,
) -> Reply:
    """The alert; ``platform`` (a label) when it is about that platform's own limit."""
    percent = locale.percent(pacing.percent, digits=1)
    if pacing.percent >= 100:
        title = locale.t("budget.limit_title", percent=percent)
    elif thresholds:
        title = locale.t("budget.alert_title", percent=percent)
    else:
        title = locale.t("budget.projection_title")
    if platform:
        title = f"{platform} · {title}"
    body = locale.t(
        "budget.body",
        spent=locale.money(pacing.spent, currency),
        limit=locale.money(pacing.limit, currency),
        percent=percent,
        projected=locale.money(pacing.projected, currency),
        projected_percent=locale.percent(pacing.projected_percent, digits=0),
        run_rate=locale.money(pacing.run_rate.quantize(Decimal(1)), currency),
        allowed=locale.money(pacing.allowed_daily, currency),
    )
    tail = (
        locale.t("budget.proposals_intro", count=proposals)
        if proposals
        else locale.t("budget.no_proposals")
    )
    context = locale.t(
        "budget.context",
        workspace=workspace,
        month=pacing.month,
        thresholds=", ".join(f"{t}%" for t in sorted(chat_thresholds)),
    )
    return Reply(
        f"*{title}*\n{body}\n{tail}\n_{context}_",
        kind="notice",
        title=title,
        sections=((title, body),),
        context=context,
        data={
            "template": "alert",
            "percent": percent,
            "spent": locale.money(pacing.spent, currency),
            "limit": locale.money(pacing.limit, currency),
            "projected": locale.money(pacing.projected, currency),
        },
    )


def _deliver(
    rt: Runtime,
    workspace_id: int,
    recipient: Recipient,
    pacing: Pacing,
    thresholds: Sequence[int],
    currency: str,
    workspace: str,
    proposals: int,
    prefix: str,
    platform: str | None = None,
) -> bool:
    to = recipient.to
    event = max(thresholds) if thresholds else "projection"
    key = f"{prefix}:{event}:to:{to.channel.value}:{to.conversation_id or to.chat_id}"
    if not runs.claim(rt.db, key, workspace_id=workspace_id):
        return False
    reply = alert_reply(
        pacing,
        thresholds,
        currency,
        Locale(language=to.language),
        workspace=workspace,
        chat_thresholds=recipient.thresholds,
        proposals=proposals,
        platform=platform,
    )
    ref = send(rt, to, reply)
    runs.finish(rt.db, key, status=runs.DONE if ref is not None else runs.FAILED)
    return ref is not None


# --- what to propose ------------------------------------------------------------------------


def budget_holders(rt: Runtime, accounts: Sequence[AdAccount]) -> list[Holder]:
    """Active daily budgets, biggest first (campaign budgets, or the ad sets' under ABO)."""
    holders: list[Holder] = []
    for account in accounts:
        ads = rt.ads(account)
        campaigns = [
            c for c in ads.list_campaigns(account.external_id) if c.status is Status.ACTIVE
        ]
        abo = [c for c in campaigns if not c.daily_budget]
        for campaign in campaigns:
            if campaign.daily_budget:
                holders.append(
                    Holder(
                        account.id,
                        Level.CAMPAIGN,
                        campaign.id,
                        campaign.name,
                        campaign.daily_budget,
                        campaign.id,
                    )
                )
        if abo:
            wanted = {c.id for c in abo}
            for adset in ads.list_adsets(account.external_id):
                if (
                    adset.campaign_id in wanted
                    and adset.status is Status.ACTIVE
                    and adset.daily_budget
                ):
                    holders.append(
                        Holder(
                            account.id,
                            Level.ADSET,
                            adset.id,
                            adset.name,
                            adset.daily_budget,
                            adset.campaign_id,
                        )
                    )
    return sorted(holders, key=lambda h: h.daily_budget, reverse=True)


def pick_holders(holders: Sequence[Holder], cut: Decimal) -> list[Holder]:
    """The biggest budgets, enough of them that halving them at most covers ``cut``."""
    chosen: list[Holder] = []
    covered = Decimal(0)
    for holder in holders:
        if len(chosen) == MAX_PROPOSALS or covered * (1 - MAX_CUT_KEEP) >= cut:
            break
        chosen.append(holder)
        covered += holder.daily_budget
    return chosen


def reduction_plan(
    rt: Runtime,
    workspace_id: int,
    accounts: Sequence[AdAccount],
    pacing: Pacing,
    currency: str,
    language: str,
) -> list[tuple[int, ActionProposal]]:
    """Budget cuts that land the month on the limit, or pauses once the limit is reached."""
    proposer = Proposer("schedule", "budget-check")
    locale = Locale(language=language)
    percent = locale.percent(pacing.percent, digits=1)
    out: list[tuple[int, ActionProposal]] = []
    if pacing.percent >= 100:
        reason = locale.t(
            "budget.reason_pause", limit=locale.money(pacing.limit, currency), percent=percent
        )
        for account in accounts:
            for campaign_id, name in _top_spenders(rt, workspace_id, account, pacing.today):
                out.append(
                    (
                        account.id,
                        pause(
                            Level.CAMPAIGN,
                            campaign_id,
                            name,
                            current_status=Status.ACTIVE.value,
                            reason=reason,
                            proposer=proposer,
                        ),
                    )
                )
        return out[:MAX_PROPOSALS]
    cut = pacing.run_rate - pacing.allowed_daily
    holders = pick_holders(budget_holders(rt, accounts), cut)
    covered = sum((h.daily_budget for h in holders), Decimal(0))
    if not holders or cut <= 0 or not covered:
        return out
    factor = max(MAX_CUT_KEEP, 1 - cut / covered)
    unit = 10 ** get_currency_precision(currency)
    for holder in holders:
        new = scaled_budget(holder.daily_budget, factor, unit)
        if new >= holder.daily_budget:
            continue
        reason = locale.t(
            "budget.reason_reduce",
            percent=percent,
            projected=locale.money(pacing.projected, currency),
            new=locale.money(new, currency),
        )
        out.append(
            (
                holder.account_pk,
                set_budget(
                    holder.level,
                    holder.id,
                    holder.name,
                    new_budget=new,
                    current_budget=holder.daily_budget,
                    reason=reason,
                    proposer=proposer,
                ),
            )
        )
    return out


def _top_spenders(
    rt: Runtime, workspace_id: int, account: AdAccount, today: date
) -> list[tuple[str, str]]:
    """The campaigns that spent most in the last 3 days (from the history)."""
    with rt.db.session(workspace_id) as session:
        items = object_days(session, account.id, today - timedelta(days=2), today)
    spend: dict[str, Decimal] = {}
    names: dict[str, str] = {}
    for item in items:
        spend[item.object_id] = spend.get(item.object_id, Decimal(0)) + item.totals.spend
        names[item.object_id] = item.name or item.object_id
    active = {
        c.id
        for c in rt.ads(account).list_campaigns(account.external_id)
        if c.status is Status.ACTIVE
    }
    ranked = sorted(
        (cid for cid in spend if spend[cid] > 0 and cid in active),
        key=lambda c: spend[c],
        reverse=True,
    )
    return [(cid, names[cid]) for cid in ranked[:MAX_PROPOSALS]]

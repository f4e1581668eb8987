"""Performance reports on demand: "relatório dos últimos 7 dias", "report last 30 days"."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from ads.base import Period
from analytics.charts import trend_chart
from analytics.report import fetch_campaign_report, fetch_report
from bot.core.context import TurnContext
from bot.core.handlers.choose import find_campaign
from bot.core.handlers.platform_report import (
    pick_account,
    show_cross_platform_report,
    spans_platforms,
)
from bot.core.intents import period_words
from bot.core.render import report_reply
from vocabulary.parsing import Args
from vocabulary.periods import PeriodSpec, resolve_period


def period_for(ctx: TurnContext, spec: PeriodSpec, timezone: str) -> Period:
    today = now(ctx).astimezone(ZoneInfo(timezone)).date()
    since, until = resolve_period(spec, today)
    return Period(since, until)


def now(ctx: TurnContext) -> datetime:
    """The platform's notion of now (the sandbox's simulated clock when we run against it)."""
    return ctx.rt.now()


def show_report(ctx: TurnContext, args: Args) -> None:
    """The account's report, or one campaign's when the request names it.

    With accounts on several platforms and none chosen in this chat, the report covers
    every platform (``relatório google`` / ``relatório meta``: one of them).
    """
    account = pick_account(ctx, args)
    if account is None:
        return
    if not args.get("campaign") and not args.get("platform") and spans_platforms(ctx):
        show_cross_platform_report(ctx, args)
        return
    spec: PeriodSpec = args["period"]
    period = period_for(ctx, spec, account.timezone)
    now_local = now(ctx).astimezone(ZoneInfo(account.timezone))
    if args.get("campaign"):
        words = period_words(spec)
        campaign = find_campaign(
            ctx, args["campaign"], lambda c: f"relatorio da campanha id:{c.id} {words}"
        )
        if campaign is None:
            return
        report = fetch_campaign_report(
            ctx.ads(account),
            account.external_id,
            campaign,
            period,
            with_daily=period.days >= 7,
            now_local=now_local,
        )
    else:
        report = fetch_report(
            ctx.ads(account),
            account.external_id,
            period,
            with_daily=period.days >= 7,
            now_local=now_local,
        )
    reply = report_reply(report, ctx.locale)
    if report.daily and len(report.daily) >= 2:
        reply = _with_chart(reply, trend_chart(report, ctx.locale))
    ctx.say(reply)


def _with_chart(reply, chart):  # type: ignore[no-untyped-def]
    return replace(reply, chart=chart)

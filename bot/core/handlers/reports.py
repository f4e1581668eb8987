"""Performance reports on demand: "relatório dos últimos 7 dias", "report last 30 days"."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from ads.base import Period
from analytics.charts import trend_chart
from analytics.report import fetch_campaign_report, fetch_report, margin_of
from bot.core import trust_messages  # noqa: F401  (registers the period words)
from bot.core.context import TurnContext
from bot.core.handlers import choose
from bot.core.handlers.choose import find_campaign
from bot.core.handlers.platform_report import (
    pick_account,
    show_cross_platform_report,
    spans_platforms,
)
from bot.core.intents import period_words
from bot.core.render import report_reply
from vocabulary.inbound import Action
from vocabulary.parsing import Args, normalize
from vocabulary.periods import (
    DEFAULT_PERIOD,
    PeriodSpec,
    month_in_name,
    parse_period,
    resolve_period,
    unrecognised_period,
    without_period,
)
from vocabulary.replies import Button, Reply


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
    if ask_period(ctx, args):
        return
    period = period_for(ctx, spec, account.timezone)
    if spec.kind in ("last_week", "this_week"):  # say which days a "week" is
        ctx.say(
            Reply(
                ctx.t(
                    f"period.{spec.kind}",
                    since=ctx.locale.date(period.since, "long"),
                    until=ctx.locale.date(period.until, "long"),
                ),
                kind="notice",
            )
        )
    now_local = now(ctx).astimezone(ZoneInfo(account.timezone))
    if args.get("campaign"):
        words = period_words(spec)
        query = without_period(args["campaign"]) or args["campaign"]
        campaign = find_campaign(ctx, query, lambda c: f"relatorio da campanha id:{c.id} {words}")
        if campaign is None:
            return
        if month_in_name(spec, normalize(campaign.name)):  # "ugc abril": the name, no period
            spec = DEFAULT_PERIOD
            period = period_for(ctx, spec, account.timezone)
        choose.remember_campaign(ctx, campaign)  # "pausa essa campanha" next
        report = fetch_campaign_report(
            ctx.ads(account),
            account.external_id,
            campaign,
            period,
            with_daily=period.days >= 7,
            now_local=now_local,
            margin=margin_of(ctx.prefs.gross_margin, ctx.prefs.target_roas),
        )
    else:
        report = fetch_report(
            ctx.ads(account),
            account.external_id,
            period,
            with_daily=period.days >= 7,
            now_local=now_local,
            margin=margin_of(ctx.prefs.gross_margin, ctx.prefs.target_roas),
        )
    reply = report_reply(report, ctx.locale)
    if report.daily and len(report.daily) >= 2:
        reply = _with_chart(reply, trend_chart(report, ctx.locale))
    ctx.say(reply)


def ask_period(ctx: TurnContext, args: Args) -> bool:
    """A period was named but not understood ("relatório trimestre passado"): ask back with
    what works instead of answering for a period nobody asked for."""
    text = normalize(ctx.inbound.text or "")
    if parse_period(text) is not None or not unrecognised_period(text):
        return False
    campaign = f" da campanha {args['campaign']}" if args.get("campaign") else ""
    choices = [
        PeriodSpec("yesterday"),
        PeriodSpec("last_n", 7),
        PeriodSpec("last_week"),
        PeriodSpec("this_month"),
        PeriodSpec("last_month"),
    ]
    buttons = tuple(
        Button(
            ctx.t(f"period.button.{spec.kind}"),
            Action("command", f"relatorio{campaign} {spec.words()}"),
        )
        for spec in choices
    )
    ctx.say(Reply(ctx.t("period.unknown", text=ctx.inbound.text or ""), buttons=buttons))
    return True


def _with_chart(reply, chart):  # type: ignore[no-untyped-def]
    return replace(reply, chart=chart)

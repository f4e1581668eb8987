"""Reports across ad platforms: which account a request means, and the combined report."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from ads.base import Period
from analytics.charts import trend_chart
from analytics.cross_platform import PlatformSource, fetch_cross_platform_report
from bot.core.context import TurnContext
from bot.core.render import report_reply
from storage.models import AdAccount
from vocabulary.i18n import register
from vocabulary.parsing import Args
from vocabulary.periods import PeriodSpec, resolve_period
from vocabulary.platforms import PLATFORMS, platform
from vocabulary.replies import Reply

MESSAGES: dict[str, dict[str, str]] = {
    "report.title_all": {
        "pt-BR": "Relatório · todas as plataformas · {period}",
        "en": "Report · every platform · {period}",
    },
    "report.by_platform": {"pt-BR": "Por plataforma", "en": "By platform"},
    "report.platform_line": {
        "pt-BR": "{label} ({account}): {spend} investidos, {conversions} conversões, ROAS {roas}",
        "en": "{label} ({account}): {spend} spent, {conversions} conversions, ROAS {roas}",
    },
    "report.no_platform_account": {
        "pt-BR": "Nenhuma conta {label} ligada a este workspace. Um admin liga com "
        "`mediabrain accounts add --platform {platform} <id>`.",
        "en": "No {label} account is linked to this workspace. An admin links one with "
        "`mediabrain accounts add --platform {platform} <id>`.",
    },
}
register(MESSAGES)


def pick_account(ctx: TurnContext, args: Args) -> AdAccount | None:
    """The account a report is about: the named platform's (this chat's choice first)."""
    named = args.get("platform")
    if not named:
        return ctx.account()
    chosen = ctx.account()
    if chosen.platform == named:
        return chosen
    account = next((a for a in ctx.accounts() if a.platform == named), None)
    if account is None:
        info = platform(named)
        ctx.say(
            Reply(
                ctx.t("report.no_platform_account", label=info.label, platform=info.name),
                kind="notice",
            )
        )
    return account


def spans_platforms(ctx: TurnContext) -> bool:
    """Accounts on more than one platform, and this chat has not picked one."""
    if (ctx.conversation.state or {}).get("account"):
        return False
    return len({a.platform for a in ctx.accounts()}) > 1


def show_cross_platform_report(ctx: TurnContext, args: Args) -> None:
    first = ctx.account()
    # Sums only mean something in one currency: the accounts in the first one's.
    accounts = [a for a in ctx.accounts() if a.currency == first.currency]
    spec: PeriodSpec = args["period"]
    now_local = ctx.rt.now().astimezone(ZoneInfo(first.timezone))
    since, until = resolve_period(spec, now_local.date())
    period = Period(since, until)
    sources = [
        PlatformSource(PLATFORMS[a.platform].label, ctx.ads(a), a.external_id) for a in accounts
    ]
    combined = fetch_cross_platform_report(
        sources, period, with_daily=period.days >= 7, now_local=now_local
    )
    report = combined.report
    reply = report_reply(report, ctx.locale, title_key="report.title_all")
    lines = [
        ctx.t(
            "report.platform_line",
            label=share.label,
            account=share.account_name,
            spend=ctx.locale.money(share.totals.spend, share.currency),
            conversions=ctx.locale.number(share.totals.conversions),
            roas=ctx.locale.ratio(share.totals.roas),
        )
        for share in combined.shares
    ]
    heading = ctx.t("report.by_platform")
    text = reply.text.split("\n")
    text[1:1] = [f"{heading}:", *(f"• {line}" for line in lines)]
    reply = replace(
        reply,
        text="\n".join(text),
        sections=((heading, "\n".join(lines)), *reply.sections),
    )
    if report.daily and len(report.daily) >= 2:
        reply = replace(reply, chart=trend_chart(report, ctx.locale))
    ctx.say(reply)

"""Questions about campaigns side by side: "qual campanha está pior?", "ROAS por campanha".

Both read the same report as *relatório* (so the worst named here is the worst a report
names), and answer with the campaigns themselves, never the account's totals alone.
"""

from __future__ import annotations

from decimal import Decimal

from analytics.report import Report, Totals, fetch_report
from bot.core.context import TurnContext
from bot.core.handlers.reports import now, period_for
from bot.core.intents import period_words
from bot.core.render import LOWER_IS_BETTER, campaign_summary, metric_value, period_label
from vocabulary.i18n import Locale, register
from vocabulary.inbound import Action
from vocabulary.parsing import Args
from vocabulary.periods import PeriodSpec
from vocabulary.replies import Button, Reply, Table

MESSAGES: dict[str, dict[str, str]] = {
    "rank.worst": {
        "pt-BR": "⚠️ Pior campanha · {period}",
        "en": "⚠️ Worst campaign · {period}",
    },
    "rank.best": {
        "pt-BR": "🏆 Melhor campanha · {period}",
        "en": "🏆 Best campaign · {period}",
    },
    "rank.account": {
        "pt-BR": "Conta no período: ROAS {roas}, CPA {cpa}, gasto {spend}",
        "en": "Account over the period: ROAS {roas}, CPA {cpa}, spend {spend}",
    },
    "rank.none": {
        "pt-BR": "Não há campanhas com gasto suficiente em {period} para comparar.",
        "en": "No campaigns spent enough in {period} to compare.",
    },
    "rank.button.report": {"pt-BR": "Relatório dela", "en": "Its report"},
    "rank.button.pause": {"pt-BR": "Pausar", "en": "Pause"},
    "per_campaign.title": {
        "pt-BR": "{metric} por campanha · {period}",
        "en": "{metric} by campaign · {period}",
    },
    "per_campaign.line": {
        "pt-BR": "{n}. {name}: {metric} {value} · gasto {spend}",
        "en": "{n}. {name}: {metric} {value} · spend {spend}",
    },
    "per_campaign.total": {
        "pt-BR": "Conta: {metric} {value} · gasto {spend}",
        "en": "Account: {metric} {value} · spend {spend}",
    },
    "per_campaign.empty": {
        "pt-BR": "Nenhuma campanha teve entrega em {period}.",
        "en": "No campaign delivered in {period}.",
    },
    "per_campaign.col.campaign": {"pt-BR": "Campanha", "en": "Campaign"},
    "per_campaign.col.spend": {"pt-BR": "Gasto", "en": "Spend"},
}
register(MESSAGES)


def _report(ctx: TurnContext, spec: PeriodSpec) -> Report:
    account = ctx.account()
    period = period_for(ctx, spec, account.timezone)
    now_local = now(ctx).astimezone(ctx.tz)
    return fetch_report(ctx.ads(account), account.external_id, period, now_local=now_local)


def show_rank(ctx: TurnContext, args: Args) -> None:
    """The worst (or best) campaign of the period, beside the account's own figures."""
    spec: PeriodSpec = args["period"]
    report = _report(ctx, spec)
    period = period_label(report, ctx.locale)
    line = report.worst if args["which"] == "worst" else report.best
    if line is None:
        ctx.say(Reply(ctx.t("rank.none", period=period)))
        return
    heading = ctx.t(f"rank.{args['which']}", period=period)
    summary = campaign_summary(line, report.currency, ctx.locale)
    totals = report.totals
    account_line = ctx.t(
        "rank.account",
        roas=ctx.locale.ratio(totals.roas),
        cpa=ctx.locale.money(totals.cpa, report.currency),
        spend=ctx.locale.money(totals.spend, report.currency),
    )
    words = period_words(spec)
    buttons = [
        Button(
            ctx.t("rank.button.report"),
            Action("command", f"relatorio da campanha id:{line.id} {words}"),
        )
    ]
    if args["which"] == "worst" and line.status == "ACTIVE":
        buttons.append(
            Button(ctx.t("rank.button.pause"), Action("command", f"pausar id:{line.id}"))
        )
    ctx.say(
        Reply(
            f"*{heading}*\n{summary}\n_{account_line}_",
            title=heading,
            sections=((heading, summary),),
            context=account_line,
            buttons=tuple(buttons),
        )
    )


def show_per_campaign(ctx: TurnContext, args: Args) -> None:
    """One line per campaign that delivered, sorted best first by the metric asked for."""
    spec: PeriodSpec = args["period"]
    report = _report(ctx, spec)
    ctx.say(per_campaign_reply(report, args["metric"], ctx.locale))


def per_campaign_reply(report: Report, metric: str, locale: Locale) -> Reply:
    """A table of ``metric`` per campaign (pure: the report in, the reply out)."""
    period = period_label(report, locale)
    lines = [line for line in report.campaigns if line.totals.spend or line.totals.impressions]
    if not lines:
        return Reply(locale.t("per_campaign.empty", period=period))
    ordered = sorted(lines, key=lambda line: _sort_key(line.totals, metric))
    name = locale.t(f"metric.{metric}")
    title = locale.t("per_campaign.title", metric=name, period=period)
    text = [f"*{title}*"]
    rows = []
    for n, line in enumerate(ordered, start=1):
        value = metric_value(line.totals, metric, report.currency, locale)
        spend = locale.money(line.totals.spend, report.currency)
        text.append(
            locale.t(
                "per_campaign.line", n=n, name=line.name, metric=name, value=value, spend=spend
            )
        )
        rows.append((str(n), line.name, value, spend))
    total = locale.t(
        "per_campaign.total",
        metric=name,
        value=metric_value(report.totals, metric, report.currency, locale),
        spend=locale.money(report.totals.spend, report.currency),
    )
    text.append(f"_{total}_")
    columns = (
        "#",
        locale.t("per_campaign.col.campaign"),
        name,
        locale.t("per_campaign.col.spend"),
    )
    return Reply(
        "\n".join(text),
        kind="report",
        title=title,
        table=Table(columns=columns, rows=tuple(rows)),
        context=total,
    )


def _sort_key(totals: Totals, metric: str) -> tuple[int, Decimal]:
    """Best first; lines without the metric (no conversions for a CPA) last."""
    value = getattr(totals, metric)
    if value is None:
        return (1, Decimal(0))
    value = Decimal(value)
    return (0, value if metric in LOWER_IS_BETTER else -value)

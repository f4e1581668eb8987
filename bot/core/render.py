"""Turn analytics results into channel-agnostic replies, formatted for the reader's locale.

One report card for both reports: the on-demand report (:func:`report_reply`) and
the daily one (``jobs.reports.render_daily``) share how a metric is formatted and
judged (:func:`metric_value`, :func:`judge`), and how a card is laid out
(:func:`report_card`); each only chooses its figures, sections and words.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ads.base import Campaign, Period
from analytics.report import CampaignLine, Report, Totals
from vocabulary.i18n import Locale
from vocabulary.inbound import Action
from vocabulary.replies import Button, KeyFigure, Reply, Table, Trend

#: Metrics where a rise is bad news.
LOWER_IS_BETTER = {"cpc", "cpa", "cpm"}
#: Metrics that are amounts of money (in the account's currency).
MONEY_METRICS = {"spend", "revenue", "cpa", "cpc", "cpm"}
#: The on-demand report's key figures, in this order (each labelled ``metric.<name>``).
REPORT_METRICS = (
    "spend",
    "impressions",
    "clicks",
    "ctr",
    "cpc",
    "conversions",
    "cpa",
    "revenue",
    "roas",
)


def judge(delta: Decimal | None, metric: str) -> tuple[Trend | None, bool | None]:
    """Which way a metric moved and whether that is good news (spend is neither)."""
    if delta is None:
        return None, None
    trend: Trend = "up" if delta > 0 else ("down" if delta < 0 else "flat")
    good = None
    if delta != 0 and metric != "spend":
        good = (delta < 0) if metric in LOWER_IS_BETTER else (delta > 0)
    return trend, good


def metric_value(totals: Totals, metric: str, currency: str, locale: Locale) -> str:
    """One total, formatted as its kind: money, ratio, percent or a count."""
    value = getattr(totals, metric)
    if metric in MONEY_METRICS:
        return locale.money(value, currency)
    if metric == "roas":
        return locale.ratio(value)
    if metric == "ctr":
        return locale.percent(value)
    return locale.number(value)


def _figure(report: Report, metric: str, locale: Locale) -> KeyFigure:
    delta = report.change_of(metric)
    trend, good = judge(delta, metric)
    value = metric_value(report.totals, metric, report.currency, locale)
    return KeyFigure(locale.t(f"metric.{metric}"), value, locale.change(delta), trend, good)


def key_figures(report: Report, locale: Locale) -> tuple[KeyFigure, ...]:
    return tuple(_figure(report, metric, locale) for metric in REPORT_METRICS)


def headline_data(
    account: str, period: str, totals: Totals, currency: str, locale: Locale
) -> dict[str, str]:
    """The few figures a template (WhatsApp's, outside the 24-hour window) carries."""
    return {
        "account": account,
        "period": period,
        "spend": locale.money(totals.spend, currency),
        "roas": locale.ratio(totals.roas),
        "conversions": locale.number(totals.conversions),
        "cpa": locale.money(totals.cpa, currency),
    }


def report_card(
    title: str,
    figures: Sequence[KeyFigure],
    sections: Sequence[tuple[str, str]],
    context: str,
    data: dict[str, str],
    *,
    empty_note: str | None = None,
) -> Reply:
    """A report as a Reply: complete text (title, figures, sections, note, context) and parts."""
    lines = [f"*{title}*"]
    for figure in figures:
        change = f" ({figure.change})" if figure.change else ""
        lines.append(f"• {figure.label}: {figure.value}{change}")
    for heading, body in sections:
        lines.append(f"{heading}: {body}")
    if empty_note:
        lines.append(empty_note)
    lines.append(f"_{context}_")
    return Reply(
        "\n".join(lines),
        kind="report",
        title=title,
        figures=tuple(figures),
        sections=tuple(sections),
        context=context,
        data=data,
    )


def span(period: Period, locale: Locale, *, long: bool = False) -> str:
    if period.since == period.until:
        return locale.date(period.since, "long" if long else "short")
    return f"{locale.date(period.since)}–{locale.date(period.until)}"


def period_label(report: Report, locale: Locale) -> str:
    return span(report.period, locale, long=True)


def campaign_summary(line: CampaignLine, currency: str, locale: Locale) -> str:
    t = line.totals
    return locale.t(
        "report.campaign_line",
        name=line.name,
        roas=locale.ratio(t.roas),
        cpa=locale.money(t.cpa, currency),
        spend=locale.money(t.spend, currency),
    )


def report_reply(report: Report, locale: Locale, *, title_key: str = "report.title") -> Reply:
    figures = key_figures(report, locale)
    sections: list[tuple[str, str]] = []
    best, worst = (
        ("report.best", "report.worst")
        if report.unit == "campaign"
        else ("report.best_adset", "report.worst_adset")
    )
    if report.best is not None:
        sections.append((locale.t(best), campaign_summary(report.best, report.currency, locale)))
    if report.worst is not None:
        sections.append((locale.t(worst), campaign_summary(report.worst, report.currency, locale)))
    if report.incomplete:
        parts = ", ".join(locale.t(f"report.incomplete.{part}") for part in report.incomplete)
        sections.append((locale.t("report.incomplete"), parts))
    previous = span(report.period.previous(), locale)
    if report.partial:
        previous = locale.t("report.same_pace", previous=previous)
    context = locale.t(
        "report.context",
        account=report.account_name,
        period=period_label(report, locale),
        currency=report.currency,
        previous=previous,
    )
    title = locale.t(title_key, period=period_label(report, locale))
    if report.subject:
        title = locale.t(
            "report.title_campaign", campaign=report.subject, period=period_label(report, locale)
        )
    empty = None if report.totals.impressions else locale.t("report.no_delivery")
    data = headline_data(
        report.account_name,
        period_label(report, locale),
        report.totals,
        report.currency,
        locale,
    )
    return report_card(title, figures, sections, context, data, empty_note=empty)


def campaigns_reply(
    campaigns: Sequence[Campaign],
    week: dict[str, Totals],
    currency: str,
    locale: Locale,
    adset_budgets: dict[str, Decimal] | None = None,
) -> Reply:
    """A numbered list (so "pausar 3" works), with each campaign's last-7-day figures."""
    rows = []
    lines = [f"*{locale.t('campaigns.title', count=len(campaigns))}*"]
    for index, campaign in enumerate(campaigns, start=1):
        t = week.get(campaign.id, Totals())
        status = locale.t(f"status.{campaign.status.value.lower()}")
        budget = budget_label(campaign, (adset_budgets or {}).get(campaign.id), currency, locale)
        rows.append(
            (
                str(index),
                campaign.name,
                status,
                budget,
                locale.money(t.spend, currency),
                locale.ratio(t.roas),
            )
        )
        lines.append(
            locale.t(
                "campaigns.line",
                n=index,
                name=campaign.name,
                status=status,
                budget=budget,
                spend=locale.money(t.spend, currency),
                roas=locale.ratio(t.roas),
            )
        )
    lines.append(f"_{locale.t('campaigns.hint')}_")
    table = Table(
        columns=(
            "#",
            locale.t("campaigns.col.name"),
            locale.t("campaigns.col.status"),
            locale.t("campaigns.col.budget"),
            locale.t("campaigns.col.spend7"),
            "ROAS",
        ),
        rows=tuple(rows),
    )
    return Reply(
        "\n".join(lines),
        title=locale.t("campaigns.title", count=len(campaigns)),
        table=table,
        context=locale.t("campaigns.hint"),
    )


def budget_label(
    campaign: Campaign, adset_total: Decimal | None, currency: str, locale: Locale
) -> str:
    """Campaign budget (CBO), or the sum of its ad sets' budgets (ABO)."""
    if campaign.daily_budget:
        return locale.money(campaign.daily_budget, currency)
    if adset_total:
        return locale.t("campaigns.adset_budget", amount=locale.money(adset_total, currency))
    return "—"


def choice_buttons(options: Sequence[tuple[str, str]], *, limit: int = 10) -> tuple[Button, ...]:
    """Buttons that re-issue a command, e.g. to pick one of several matching campaigns."""
    return tuple(Button(label, Action("command", command)) for label, command in options[:limit])

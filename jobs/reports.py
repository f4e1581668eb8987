"""The daily report job: yesterday's figures from the history, pushed to every subscribed chat.

Built once per account from ``metrics_daily`` (after making sure the history is
fresh), rendered once per language, and delivered to each chat with its own
run record, so a re-run or a second worker never sends a chat the same report
twice. WhatsApp gets the template parameters in ``Reply.data`` for when the
24-hour window is closed; the console writes the chart to a file.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import vocabulary.schedule_messages  # noqa: F401  (registers this package's messages)
from analytics.daily import CHART_DAYS, DailySummary, build_daily
from analytics.history import account_days, object_days
from analytics.report import margin_of
from analytics.sync import ensure_fresh
from bot.core.render import campaign_summary, headline_data, judge, metric_value, report_card
from jobs import runs
from storage.models import AdAccount
from storage.repositories import workspace_settings
from vocabulary.destinations import Destination
from vocabulary.i18n import Locale
from vocabulary.notify import send
from vocabulary.recipients import DAILY_REPORT, Recipient, recipients
from vocabulary.replies import KeyFigure, Reply
from vocabulary.runtime import get_runtime

if TYPE_CHECKING:
    from jobs.schedules import JobSpec
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

#: (metric, message key) shown as key figures, in this order.
FIGURES = (
    ("spend", "metric.spend"),
    ("revenue", "metric.revenue"),
    ("roas", "metric.roas"),
    ("conversions", "metric.conversions"),
    ("cpa", "metric.cpa"),
    ("ctr", "metric.ctr"),
)


def report_day(moment: datetime, timezone: str) -> date:
    """The day a report sent at ``moment`` covers: the last complete day, in the account's zone."""
    return moment.astimezone(ZoneInfo(timezone)).date() - timedelta(days=1)


def load_account(rt: Runtime, account_pk: int) -> AdAccount:
    with rt.db.session() as session:
        account = session.get(AdAccount, account_pk)
        if account is None:
            raise LookupError(f"ad account {account_pk} is gone")
        session.expunge(account)
        return account


def daily_summary(rt: Runtime, account: AdAccount, day: date) -> DailySummary:
    """The report's figures, read from the metrics history."""
    since = day - timedelta(days=CHART_DAYS - 1)
    with rt.db.session(account.workspace_id) as session:
        days = account_days(session, account.id, since, day)
        campaigns = object_days(session, account.id, day - timedelta(days=1), day)
        prefs = workspace_settings(session, account.workspace_id)
        margin = margin_of(prefs.gross_margin, prefs.target_roas)
    return build_daily(
        account_id=account.external_id,
        account_name=account.name or account.external_id,
        currency=account.currency,
        day=day,
        account_days=days,
        campaign_days=campaigns,
        margin=margin,
    )


# --- rendering ------------------------------------------------------------------------------


def _figure(summary: DailySummary, metric: str, label_key: str, locale: Locale) -> KeyFigure:
    """Yesterday's value, its change against the day before and the week, judged on the day."""
    d1, d7 = summary.vs_previous(metric), summary.vs_week(metric)
    parts = []
    if d1 is not None:
        parts.append(locale.t("daily.vs_previous", change=locale.change(d1)))
    if d7 is not None:
        parts.append(locale.t("daily.vs_week", change=locale.change(d7)))
    trend, good = judge(d1, metric)
    return KeyFigure(
        locale.t(label_key),
        metric_value(summary.totals, metric, summary.currency, locale),
        " · ".join(parts) or None,
        trend,
        good,
    )


def _changed_line(summary: DailySummary, locale: Locale) -> str:
    mover = summary.mover
    if mover is None:
        return locale.t("daily.nothing_changed")
    delta = locale.money(abs(mover.delta), summary.currency)
    direction = "up" if mover.delta > 0 else "down"
    return locale.t(
        f"daily.changed_{mover.metric}_{direction}",
        name=mover.name,
        delta=delta,
        before=locale.ratio(mover.roas_before),
        after=locale.ratio(mover.roas_after),
    )


def render_daily(summary: DailySummary, locale: Locale, *, chart: bool = True) -> Reply:
    """The report as a channel-agnostic Reply (complete text, figures, sections, chart, data)."""
    day = locale.date(summary.day, "long")
    title = locale.t("daily.title", day=day)
    figures = tuple(_figure(summary, metric, key, locale) for metric, key in FIGURES)
    sections: list[tuple[str, str]] = []
    if summary.best is not None:
        sections.append(
            (locale.t("report.best"), campaign_summary(summary.best, summary.currency, locale))
        )
    if summary.worst is not None:
        sections.append(
            (locale.t("report.worst"), campaign_summary(summary.worst, summary.currency, locale))
        )
    sections.append((locale.t("daily.changed_heading"), _changed_line(summary, locale)))
    context = locale.t(
        "daily.context_provisional" if summary.provisional else "daily.context",
        account=summary.account_name,
        currency=summary.currency,
    )
    empty = None
    if not summary.totals.impressions and not summary.totals.spend:
        empty = locale.t("daily.no_delivery", day=day)
    data = {
        "template": "report",
        **headline_data(summary.account_name, day, summary.totals, summary.currency, locale),
    }
    reply = report_card(title, figures, sections, context, data, empty_note=empty)
    if chart:
        reply = replace(reply, chart=daily_chart(summary, locale))
    return reply


def daily_chart(summary: DailySummary, locale: Locale) -> Any:
    from analytics.charts import spend_roas_chart  # matplotlib: workers only

    days = [(locale.date(day), totals) for day, totals in summary.days]
    title = locale.t("daily.chart_title", account=summary.account_name, days=len(days))
    return spend_roas_chart(days, summary.currency, locale, title)


# --- delivery -------------------------------------------------------------------------------


def deliver(
    rt: Runtime,
    workspace_id: int,
    targets: Sequence[Recipient],
    key: str,
    render: Any,
) -> tuple[int, int]:
    """Send ``render(locale)`` to each recipient once (a run record per chat); (sent, failed)."""
    rendered: dict[str, Reply] = {}
    sent = failed = 0
    for recipient in targets:
        to = recipient.to
        delivery = f"{key}:to:{to.channel.value}:{to.conversation_id or to.chat_id}"
        if not runs.claim(rt.db, delivery, workspace_id=workspace_id):
            continue
        if to.language not in rendered:
            rendered[to.language] = render(Locale(language=to.language))
        ref = send(rt, to, rendered[to.language])
        if ref is None:
            failed += 1
            runs.finish(rt.db, delivery, status=runs.FAILED)
        else:
            sent += 1
            runs.finish(rt.db, delivery, detail={"ref": str(ref)})
    return sent, failed


def scheduled_report(rt: Runtime, spec: JobSpec) -> dict[str, Any]:
    """One account's daily report for the chats that want it at this hour."""
    account = load_account(rt, spec.account_pk)  # type: ignore[arg-type]
    targets = recipients(rt, account.workspace_id, DAILY_REPORT, hour=spec.hour)
    if not targets:
        return {"sent": 0, "reason": "no recipients"}
    ensure_fresh(rt, account.id)
    day = report_day(spec.slot, account.timezone)
    summary = daily_summary(rt, account, day)
    sent, failed = deliver(
        rt,
        account.workspace_id,
        targets,
        spec.job_id,
        lambda locale: render_daily(summary, locale),
    )
    logger.info("%s: daily report for %s sent to %d chats", spec.job_id, day, sent)
    return {
        "day": day.isoformat(),
        "sent": sent,
        "failed": failed,
        "spend": str(summary.totals.spend),
        "revenue": str(summary.totals.revenue),
    }


def report_now(rt: Runtime, account: AdAccount, locale: Locale) -> Reply:
    """ "enviar relatório agora": the same daily report, for the chat that asked."""
    ensure_fresh(rt, account.id)
    day = report_day(rt.now(), account.timezone)
    return render_daily(daily_summary(rt, account, day), locale)


def send_report_now(workspace_id: int, account_pk: int, destination: dict[str, Any]) -> None:
    """Job: "enviar relatório agora" — the daily report, sent to the chat that asked."""
    rt = get_runtime()
    to = Destination.from_payload(destination)
    with rt.db.session(workspace_id) as session:
        prefs = workspace_settings(session, workspace_id)
        timezone = prefs.timezone
    account = load_account(rt, account_pk)
    send(rt, to, report_now(rt, account, Locale(language=to.language, timezone=timezone)))

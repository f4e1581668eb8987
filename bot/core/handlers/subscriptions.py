"""Managing pushes from the chat itself: daily report hour, alerts on/off and thresholds, send now.

Each setting is per chat (a ``Subscription`` row for this conversation), so a
Slack channel can get the report at 9h while an admin's WhatsApp only gets
alerts. Chats without a row get the workspace defaults (see vocabulary.recipients).
"""

from __future__ import annotations

from sqlalchemy import select

import vocabulary.schedule_messages  # noqa: F401  (registers the messages used here)
from bot.core.context import TurnContext
from storage.models import Subscription
from storage.repositories import audit
from vocabulary.parsing import Args
from vocabulary.recipients import ALERTS, DAILY_REPORT
from vocabulary.replies import Reply

MAX_THRESHOLD = 200


def _subscription(ctx: TurnContext, kind: str) -> Subscription:
    sub = ctx.session.scalar(
        select(Subscription).where(
            Subscription.conversation_id == ctx.conversation.id, Subscription.kind == kind
        )
    )
    if sub is None:
        sub = Subscription(
            workspace_id=ctx.workspace.id, conversation_id=ctx.conversation.id, kind=kind
        )
        ctx.session.add(sub)
    return sub


def _audit(ctx: TurnContext, action: str, **detail: object) -> None:
    audit(
        ctx.session,
        ctx.workspace.id,
        actor=f"user:{ctx.user.id}",
        action=action,
        subject=f"conversation:{ctx.conversation.id}",
        channel=ctx.inbound.channel.value,
        detail=dict(detail),
    )


def _percent_list(ctx: TurnContext, values: list[int]) -> str:
    items = [f"{v}%" for v in values]
    if len(items) <= 1:
        return "".join(items) or "—"
    joiner = " e " if ctx.lang == "pt-BR" else " and "
    return ", ".join(items[:-1]) + joiner + items[-1]


def set_daily_report(ctx: TurnContext, args: Args) -> None:
    """ "relatório diário às 9h" / "parar relatório diário"."""
    hour = args.get("hour")
    if args.get("enabled") and hour == -1:
        ctx.say(Reply(ctx.t("subs.bad_hour"), kind="error"))
        return
    sub = _subscription(ctx, DAILY_REPORT)
    if not args.get("enabled"):
        sub.enabled = False
        _audit(ctx, "subscription.daily_report_off")
        ctx.say(Reply(ctx.t("subs.report_off")))
        return
    sub.enabled = True
    sub.hour = hour
    _audit(ctx, "subscription.daily_report", hour=hour)
    shown = hour if hour is not None else ctx.prefs.report_hour
    ctx.say(Reply(ctx.t("subs.report_on", hour=shown, timezone=ctx.prefs.timezone)))


def switch_alerts(ctx: TurnContext, args: Args) -> None:
    """ "desligar alertas" / "ligar alertas"."""
    sub = _subscription(ctx, ALERTS)
    sub.enabled = bool(args["enabled"])
    _audit(ctx, "subscription.alerts", enabled=sub.enabled)
    if not sub.enabled:
        ctx.say(Reply(ctx.t("subs.alerts_off")))
        return
    thresholds = list(sub.thresholds or ctx.prefs.alert_thresholds or [])
    text = ctx.t("subs.alerts_on", thresholds=_percent_list(ctx, thresholds))
    if not ctx.prefs.monthly_budget_limit:
        text += "\n" + ctx.t("subs.no_limit_hint")
    ctx.say(Reply(text))


def set_thresholds(ctx: TurnContext, args: Args) -> None:
    """ "alertas a 70%": this chat is told at 70% and when the limit is reached (100%)."""
    values = [int(v) for v in args["thresholds"]]
    if not values or any(v < 1 or v > MAX_THRESHOLD for v in values):
        ctx.say(Reply(ctx.t("subs.bad_threshold"), kind="error"))
        return
    thresholds = sorted(set(values) | {100})
    sub = _subscription(ctx, ALERTS)
    sub.enabled = True
    sub.thresholds = thresholds
    _audit(ctx, "subscription.alert_thresholds", thresholds=thresholds)
    text = ctx.t("subs.thresholds_set", thresholds=_percent_list(ctx, thresholds))
    if not ctx.prefs.monthly_budget_limit:
        text += "\n" + ctx.t("subs.no_limit_hint")
    ctx.say(Reply(text))


def send_now(ctx: TurnContext, args: Args) -> None:
    """ "enviar relatório agora": the daily report, here, now (built by a job, sent here)."""
    account = ctx.account()
    ctx.rt.queue.enqueue(
        "jobs.reports.send_report_now",
        ctx.workspace.id,
        account.id,
        ctx.outbox.to.to_payload(),
        queue="default",
    )


def show_subscriptions(ctx: TurnContext, args: Args) -> None:
    subs = {
        sub.kind: sub
        for sub in ctx.session.scalars(
            select(Subscription).where(Subscription.conversation_id == ctx.conversation.id)
        )
    }
    report = subs.get(DAILY_REPORT)
    alerts = subs.get(ALERTS)
    if report is not None and not report.enabled:
        report_text = ctx.t("subs.off")
    else:
        hour = report.hour if report is not None and report.hour is not None else None
        report_text = ctx.t(
            "subs.report_at", hour=hour if hour is not None else ctx.prefs.report_hour
        )
    if alerts is not None and not alerts.enabled:
        alerts_text = ctx.t("subs.off")
    else:
        values = list((alerts.thresholds if alerts else None) or ctx.prefs.alert_thresholds or [])
        alerts_text = ctx.t("subs.alerts_at", thresholds=_percent_list(ctx, values))
    ctx.say(Reply(ctx.t("subs.summary", report=report_text, alerts=alerts_text)))

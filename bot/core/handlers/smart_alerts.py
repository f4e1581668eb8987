"""The smart alerts' settings of one chat: what it receives per kind, mutes, thresholds.

Stored per conversation (``AlertChatSettings``) and read by the hourly job's
routing (:func:`analytics.alerts.incidents.route_to_chat`), so a Slack channel
can mute CPM alerts for a day while an admin's WhatsApp keeps them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

import vocabulary.alert_messages  # noqa: F401  (registers the messages used here)
from bot.core.alert_intents import KIND_WORDS, alert_kinds
from bot.core.context import TurnContext
from storage.models import AlertChatSettings, Subscription
from storage.repositories import audit
from vocabulary.parsing import Args
from vocabulary.recipients import ALERTS
from vocabulary.replies import Reply

#: Longest mute: a forgotten "silenciar por 999 dias" should not hide alerts forever.
MAX_MUTE = timedelta(days=30)
MAX_THRESHOLD = 500


def _settings(ctx: TurnContext) -> AlertChatSettings:
    row = ctx.session.scalar(
        select(AlertChatSettings).where(AlertChatSettings.conversation_id == ctx.conversation.id)
    )
    if row is None:
        row = AlertChatSettings(
            workspace_id=ctx.workspace.id, conversation_id=ctx.conversation.id,
            mutes={}, thresholds={},
        )  # fmt: skip
        ctx.session.add(row)
    return row


def _kind_name(ctx: TurnContext, kind: str) -> str:
    return ctx.t(f"smart.kind.{kind}")


def _unknown(ctx: TurnContext, name: str) -> None:
    kinds = ", ".join(words[0].upper() if len(words[0]) <= 4 else words[0]
                      for words in KIND_WORDS.values())  # fmt: skip
    ctx.say(Reply(ctx.t("smart.unknown_kind", name=name, kinds=kinds), kind="error"))


def _audit(ctx: TurnContext, action: str, **detail: object) -> None:
    audit(
        ctx.session, ctx.workspace.id, actor=f"user:{ctx.user.id}", action=action,
        subject=f"conversation:{ctx.conversation.id}", channel=ctx.inbound.channel.value,
        detail=dict(detail),
    )  # fmt: skip


def mute(ctx: TurnContext, args: Args) -> None:
    """ "silenciar alertas de CPM por 24h" / "mute CPM alerts for 24h" (or of a group of kinds:
    "silenciar alertas de oportunidade por 3 dias")."""
    kinds = alert_kinds(str(args["kind"]))
    if kinds is None:
        _unknown(ctx, str(args["kind"]))
        return
    hours = float(args["hours"])
    if hours <= 0 or timedelta(hours=hours) > MAX_MUTE:
        ctx.say(Reply(ctx.t("smart.bad_duration"), kind="error"))
        return
    until = ctx.rt.now() + timedelta(hours=hours)
    row = _settings(ctx)
    row.mutes = {**(row.mutes or {}), **dict.fromkeys(kinds, until.isoformat())}
    _audit(ctx, "alerts.mute", kind=",".join(kinds), until=until.isoformat())
    when = ctx.locale.datetime(until)
    if kinds == ("*",):
        ctx.say(Reply(ctx.t("smart.muted_all", until=when)))
    elif len(kinds) > 1:
        ctx.say(Reply(ctx.t("smart.muted_opportunities", until=when)))
    else:
        ctx.say(Reply(ctx.t("smart.muted", kind=_kind_name(ctx, kinds[0]), until=when)))


def set_threshold(ctx: TurnContext, args: Args) -> None:
    """ "alertas de CPA acima de 30%" / "CPA alerts above 30%": only changes at least that big."""
    kinds = alert_kinds(str(args["kind"]))
    if kinds is None or kinds == ("*",):
        _unknown(ctx, str(args["kind"]))
        return
    percent = int(args["percent"])
    if not 1 <= percent <= MAX_THRESHOLD:
        ctx.say(Reply(ctx.t("smart.bad_threshold"), kind="error"))
        return
    row = _settings(ctx)
    minimum = str(Decimal(percent) / 100)
    row.thresholds = {**(row.thresholds or {}), **dict.fromkeys(kinds, minimum)}
    _audit(ctx, "alerts.threshold", kind=",".join(kinds), percent=percent)
    shown = ctx.locale.percent(Decimal(percent), digits=0)
    named = " / ".join(_kind_name(ctx, kind) for kind in kinds)
    ctx.say(Reply(ctx.t("smart.threshold_set", kind=named, percent=shown)))


def summary(ctx: TurnContext) -> Reply:
    """What this chat receives, kind by kind (on, a threshold, muted until when, or nothing)."""
    title = ctx.t("smart.settings_title")
    sub = ctx.session.scalar(
        select(Subscription).where(
            Subscription.conversation_id == ctx.conversation.id, Subscription.kind == ALERTS
        )
    )
    if sub is not None and not sub.enabled:
        body = ctx.t("smart.state_off")
        return Reply(f"*{title}*\n{body}", title=title, sections=((title, body),))
    row = ctx.session.scalar(
        select(AlertChatSettings).where(AlertChatSettings.conversation_id == ctx.conversation.id)
    )
    mutes = dict(row.mutes or {}) if row else {}
    thresholds = dict(row.thresholds or {}) if row else {}
    now = ctx.rt.now()
    lines = []
    for kind in KIND_WORDS:
        until = max(
            (datetime.fromisoformat(mutes[k]) for k in (kind, "*") if k in mutes), default=None
        )
        if until is not None and until > now:
            state = ctx.t("smart.state_muted", until=ctx.locale.datetime(until))
        elif kind in thresholds:
            percent = ctx.locale.percent(Decimal(thresholds[kind]) * 100, digits=0)
            state = ctx.t("smart.state_threshold", percent=percent)
        else:
            state = ctx.t("smart.state_on")
        lines.append(ctx.t("smart.settings_line", kind=_kind_name(ctx, kind), state=state))
    body = "\n".join([*lines, ctx.t("smart.settings_hint")])
    return Reply(f"*{title}*\n{body}", title=title, sections=((title, body),))

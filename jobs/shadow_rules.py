"""Rules in shadow mode, each night: log what the rule would do, never act; report at the end.

Called by the nightly optimization for its account (so the figures are freshly
synced). The log keeps, per night, each object the rule would have acted on and
the value it read; when the shadow period ends, the rule's chat gets the replay of
those days with the effect the brain's models estimate.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from analytics.brain.account import rule_history, view_of
from analytics.brain.backtest import Rule, fires_today, replay
from bot.core.handlers.rules import backtest_lines, targets_of
from storage.models import AdAccount, Conversation, ShadowRule
from storage.repositories import workspace_settings
from vocabulary.i18n import Locale, register
from vocabulary.notify import destination_for, send
from vocabulary.replies import Reply
from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

register(
    {
        "rules.shadow_report": {
            "pt-BR": "Fim do modo sombra: {rule}",
            "en": "Shadow mode finished: {rule}",
        },
    }
)


def watch_rules(rt: Runtime, account: AdAccount, today: date) -> int:
    """Log tonight's would-be actions of every running shadow rule; report finished ones."""
    with rt.db.session(account.workspace_id) as session:
        rules = session.scalars(
            select(ShadowRule).where(
                ShadowRule.ad_account_id == account.id, ShadowRule.status == "running"
            )
        ).all()
        ids = [r.id for r in rules]
        prefs = workspace_settings(session, account.workspace_id)
        targets = targets_of(prefs)
    if not ids:
        return 0
    history, _, _ = rule_history(rt, account, today - timedelta(days=14), today - timedelta(days=1))
    for rule_id in ids:
        with rt.db.session(account.workspace_id) as session:
            row = session.get(ShadowRule, rule_id)
            assert row is not None
            rule = Rule.from_json(row.rule)
            seen = {entry["day"] for entry in row.log or []}
            if today.isoformat() not in seen and today <= row.ends_on:
                fired = fires_today(rule, history, targets=targets, today=today)
                row.log = [
                    *(row.log or []),
                    *(
                        {"day": today.isoformat(), "object_id": oid, "name": name, "value": value}
                        for oid, name, value in fired
                    ),
                    {"day": today.isoformat(), "checked": True},
                ]
            finished = today >= row.ends_on
        if finished:
            report(rt, account, rule_id)
    return len(ids)


def report(rt: Runtime, account: AdAccount, rule_id: int) -> None:
    """The shadow period replayed, sent to the chat that started it; the rule is closed."""
    with rt.db.session(account.workspace_id) as session:
        row = session.get(ShadowRule, rule_id)
        assert row is not None
        if row.status != "running":
            return
        rule, text = Rule.from_json(row.rule), row.text
        since, until = row.started_on, row.ends_on - timedelta(days=1)
        prefs = workspace_settings(session, account.workspace_id)
        targets, margin_pct = targets_of(prefs), prefs.gross_margin
        conversation = (
            session.get(Conversation, row.conversation_id) if row.conversation_id else None
        )
        to = destination_for(conversation, prefs.language) if conversation else None
        row.status = "reported"
    history, share, lag = rule_history(rt, account, since - timedelta(days=rule.window), until)
    view = view_of(rt, account)
    curves = {o.object_id: o.curve for o in view.snapshot.objects if o.curve is not None}
    margin = Decimal(margin_pct) / 100 if margin_pct else None
    result = replay(
        rule,
        history,
        targets=targets,
        margin=margin,
        curves=curves,
        since=since,
        until=until,
        share=share,
    )
    if to is None:
        logger.warning("shadow rule %s: no chat to report to", rule_id)
        return
    locale = Locale(language=to.language)
    title = locale.t("rules.shadow_report", rule=text)
    lines = backtest_lines(result, locale, account.currency, margin=margin is not None, lag=lag)
    send(rt, to, Reply("\n".join([f"*{title}*", *lines]), kind="report", title=title))

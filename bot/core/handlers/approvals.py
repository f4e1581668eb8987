"""Buttons on approval cards: Approve, Reject, Undo (``approval.*`` actions, value = proposal id).

Whoever clicks, on whatever channel, the supervisor decides what the click is
worth: only approvers and admins of the workspace decide, a double click or a
second approver finds the request already decided, and every click is audited.
"""

from __future__ import annotations

import logging
import re

from bot.core.context import TurnContext
from supervisor.cards import APPROVE, REJECT, UNDO, describe
from supervisor.decide import decide, explain_decision
from supervisor.delivery import Clicked
from supervisor.proposals import ActionKind
from supervisor.undo import undo
from vocabulary.inbound import Action
from vocabulary.parsing import Args
from vocabulary.replies import Reply

logger = logging.getLogger(__name__)

#: A reason typed in a channel's own form for a decision (value = proposal id).
REASON = "approval.reason"


def on_click(ctx: TurnContext, action: Action) -> None:
    proposal_id = action.value.strip()
    channel = ctx.inbound.channel.value
    if action.name in (APPROVE, REJECT):
        clicked = Clicked(
            outbox=ctx.outbox,
            conversation_id=ctx.conversation.id,
            message_ref=ctx.inbound.reply_hints.message_ref or None,
        )
        decision = decide(
            ctx.rt,
            ctx.workspace.id,
            proposal_id,
            user_id=ctx.user.id,
            approve=action.name == APPROVE,
            channel=channel,
            clicked=clicked,
        )
        message = decision.message(ctx.locale)
        if decision.outcome == "rejected" and ctx.capabilities.asks_reason:
            message = None  # the channel asks for the reason in its own form (Slack's modal)
        if message:
            notice = decision.outcome in ("already", "rejected")
            ctx.say(Reply(message, kind="notice" if notice else "error"))
        return
    if action.name == REASON:  # a channel's own form (Slack's modal) for "motivo: ..."
        _note_reason(ctx, (ctx.inbound.text or "").strip(), proposal_id)
        return
    if action.name == UNDO:
        undo_here(ctx, proposal_id)
        return
    logger.info("approval click: unknown action %s", action.name)
    ctx.say(Reply(ctx.t("error.unknown_action"), kind="error"))


def undo_here(ctx: TurnContext, proposal_id: str) -> None:
    """Undo ``proposal_id`` for this person in this chat (the button, or "desfazer 3")."""
    result = undo(
        ctx.rt,
        ctx.workspace.id,
        proposal_id,
        user_id=ctx.user.id,
        channel=ctx.inbound.channel.value,
        conversation_id=ctx.conversation.id,
        outbox=ctx.outbox,
    )
    refusal = result.message(ctx.locale)
    if refusal:
        ctx.say(Reply(refusal, kind="error"))


_REASON_PREFIX = re.compile(r"^\s*(?:motivo|raz[aã]o|reason)\s*[:\-–]?\s*", re.IGNORECASE)


def give_reason(ctx: TurnContext, args: Args) -> None:
    """ "motivo: ..." after a decision: why the person approved or rejected, for the crew."""
    _note_reason(ctx, _REASON_PREFIX.sub("", ctx.inbound.text or "").strip())


def _note_reason(ctx: TurnContext, reason: str, proposal_id: str | None = None) -> None:
    row = explain_decision(
        ctx.rt,
        ctx.workspace.id,
        user_id=ctx.user.id,
        reason=reason,
        channel=ctx.inbound.channel.value,
        proposal_id=proposal_id,
        conversation_id=ctx.conversation.id,
    )
    if row is None:
        ctx.say(Reply(ctx.t("supervisor.reason.nothing"), kind="notice"))
        return
    action = describe(
        ActionKind(row.kind),
        row.target_level,
        row.target_name or row.target_id,
        row.new_value or {},
        row.current_value or {},
        ctx.locale,
        ctx.prefs.currency,
    )
    ctx.say(Reply(ctx.t("supervisor.reason.noted", reason=reason, action=action)))

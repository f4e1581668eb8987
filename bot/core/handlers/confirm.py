"""A second confirmation before a change that is more likely a typo than a wish.

A budget cut to under 10% of the current budget (or under the platform's minimum),
e.g. ``orçamento remarketing 1,5`` meant as 150, is held in the conversation and
asked back with its figures; only the "confirm" button submits it (still through the
supervisor, whose card repeats the warning).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from bot.core import trust_messages  # noqa: F401  (registers the words used here)
from bot.core.context import TurnContext
from supervisor.policy import HUNDRED, below_floor
from supervisor.proposals import ActionProposal, Proposer
from supervisor.proposals import set_budget as budget_proposal
from supervisor.submit import submit
from supervisor.thresholds import workspace_policy
from vocabulary.inbound import Action
from vocabulary.replies import Button, Reply

CONFIRM = "change.confirm"
CANCEL = "change.cancel"
_STATE = "confirm_change"


def needs_confirmation(ctx: TurnContext, proposal: ActionProposal) -> bool:
    """Hold ``proposal`` and ask back when its new budget is below the sane floor."""
    new, current = proposal.new_budget, proposal.current_budget
    if new is None or not below_floor(new, current, workspace_policy(ctx.prefs)):
        return False
    token = uuid.uuid4().hex[:12]
    ctx.conversation.state = {
        **(ctx.conversation.state or {}),
        _STATE: {
            "token": token,
            "level": proposal.target_level.value,
            "target_id": proposal.target_id,
            "name": proposal.target_name,
            "new": str(new),
            "current": None if current is None else str(current),
            "reason": proposal.reason,
        },
    }
    currency = ctx.account().currency
    config = workspace_policy(ctx.prefs)
    change = (new - current) * HUNDRED / current if current else None
    ctx.say(
        Reply(
            ctx.t(
                "confirm.budget_floor",
                name=proposal.target_name,
                current=ctx.locale.money(current, currency),
                new=ctx.locale.money(new, currency),
                change=ctx.locale.change(change) or "—",
                floor=ctx.locale.percent(config.budget_floor_pct, 0),
                minimum=ctx.locale.money(config.min_daily_budget, currency),
            ),
            buttons=(
                Button(
                    ctx.t("confirm.yes", new=ctx.locale.money(new, currency)),
                    Action(CONFIRM, token),
                    style="danger",
                ),
                Button(ctx.t("confirm.no"), Action(CANCEL, token)),
            ),
        )
    )
    return True


def on_action(ctx: TurnContext, action: Action) -> None:
    """The confirm / cancel buttons of :func:`needs_confirmation`."""
    held = (ctx.conversation.state or {}).get(_STATE)
    if not held or held.get("token") != action.value.strip():
        ctx.say(Reply(ctx.t("confirm.gone"), kind="notice"))
        return
    if action.name == CANCEL:
        _forget(ctx)
        ctx.say(Reply(ctx.t("confirm.cancelled"), kind="notice"))
        return
    proposal = budget_proposal(
        held["level"],
        held["target_id"],
        held["name"],
        new_budget=Decimal(held["new"]),
        current_budget=None if held["current"] is None else Decimal(held["current"]),
        reason=held["reason"],
        proposer=Proposer("user", str(ctx.user.id)),
    )
    submit(
        ctx.rt,
        ctx.workspace.id,
        ctx.account().id,
        proposal,
        conversation_id=ctx.conversation.id,
        channel=ctx.inbound.channel.value,
        requested_by_user_id=ctx.user.id,
        outbox=ctx.outbox,
    )
    _forget(ctx)  # after submitting: the turn's session writes last (SQLite has one writer)


def _forget(ctx: TurnContext) -> None:
    state = dict(ctx.conversation.state or {})
    state.pop(_STATE, None)
    ctx.conversation.state = state

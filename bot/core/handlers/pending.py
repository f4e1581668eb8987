"""Open requests and undoable changes, numbered, and decided by number in any channel.

"pendentes" lists the requests waiting for a decision (1…k) and then the changes that can
still be undone (k+1…n), one numbering; the list shown is remembered in the conversation,
so "aprovar 2" means the 2nd line the person saw even if another request arrived since.
Without a list shown (another channel, after a restart) the numbers are those "pendentes"
would show now. Decisions go through the supervisor exactly as a button click does.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.core import trust_messages  # noqa: F401  (registers the words used here)
from bot.core.context import TurnContext
from bot.core.handlers.approvals import undo_here
from storage.models import AuditEntry, Proposal
from supervisor.cards import describe
from supervisor.decide import decide
from supervisor.delivery import Clicked
from supervisor.proposals import ActionKind
from supervisor.thresholds import workspace_policy
from vocabulary.parsing import Args
from vocabulary.replies import Reply

_STATE = "requests"
_ENDED = ("rejected", "expired", "denied", "failed")


def open_requests(ctx: TurnContext, now: datetime) -> tuple[list[Proposal], list[Proposal]]:
    """Pending requests (oldest first) and executed changes still undoable (oldest first)."""
    pending = list(
        ctx.session.scalars(
            select(Proposal)
            .where(
                Proposal.workspace_id == ctx.workspace.id,
                Proposal.state == "pending",
                Proposal.expires_at > now,
            )
            .order_by(Proposal.created_at, Proposal.id)
        )
    )
    since = now - workspace_policy(ctx.prefs).undo_window
    executed = ctx.session.scalars(
        select(Proposal)
        .where(
            Proposal.workspace_id == ctx.workspace.id,
            Proposal.state == "executed",
            Proposal.undo_of.is_(None),
            Proposal.executed_at >= since,
        )
        .order_by(Proposal.executed_at, Proposal.id)
    )
    undone = set(
        ctx.session.scalars(
            select(Proposal.undo_of).where(
                Proposal.workspace_id == ctx.workspace.id,
                Proposal.undo_of.is_not(None),
                Proposal.state.not_in(_ENDED),
            )
        )
    )
    undoable = [row for row in executed if ActionKind(row.kind).reversible and row.id not in undone]
    return (
        _in_order(ctx, pending, "proposal.created"),
        _in_order(ctx, undoable, "proposal.executed"),
    )


def _in_order(ctx: TurnContext, rows: list[Proposal], action: str) -> list[Proposal]:
    """``rows`` in the order the audit log recorded ``action`` for them: timestamps tie when
    the clock stands still (the sandbox), the log's sequence never does."""
    if not rows:
        return rows
    wanted = {row.id for row in rows}
    since = min(row.created_at for row in rows)
    entries = ctx.session.execute(
        select(AuditEntry.id, AuditEntry.detail).where(
            AuditEntry.workspace_id == ctx.workspace.id,
            AuditEntry.action == action,
            AuditEntry.at >= since,
        )
    )
    rank = {
        str((detail or {}).get("proposal")): seq
        for seq, detail in entries
        if (detail or {}).get("proposal") in wanted
    }
    return sorted(rows, key=lambda row: rank.get(row.id, 0))


def list_pending(ctx: TurnContext, args: Args) -> None:
    pending, undoable = open_requests(ctx, ctx.rt.now())
    ctx.conversation.state = {
        **(ctx.conversation.state or {}),
        _STATE: [row.id for row in pending + undoable],
    }
    if not pending and not undoable:
        ctx.say(Reply(ctx.t("pending.none"), kind="notice"))
        return
    lines: list[str] = []
    if pending:
        lines.append(ctx.t("pending.title", count=len(pending)))
        lines += [_line(ctx, n, row) for n, row in enumerate(pending, start=1)]
    if undoable:
        lines.append(ctx.t("pending.undoable_title", count=len(undoable)))
        lines += [_line(ctx, n, row) for n, row in enumerate(undoable, start=len(pending) + 1)]
    lines.append(ctx.t("pending.hint" if pending else "pending.hint_undo"))
    ctx.say(Reply("\n".join(lines)))


def _line(ctx: TurnContext, number: int, row: Proposal) -> str:
    action = describe(
        ActionKind(row.kind),
        row.target_level,
        row.target_name or row.target_id,
        row.new_value or {},
        row.current_value or {},
        ctx.locale,
        ctx.prefs.currency,
    )
    if row.state == "pending":
        return ctx.t(
            "pending.line", n=number, action=action, until=ctx.locale.datetime(row.expires_at)
        )
    assert row.executed_at is not None
    until = row.executed_at + workspace_policy(ctx.prefs).undo_window
    return ctx.t("pending.line_undo", n=number, action=action, until=ctx.locale.datetime(until))


def decide_numbered(ctx: TurnContext, args: Args) -> None:
    """ "aprovar 2" / "rejeitar 2" / "desfazer 3": as if the card's own button were clicked."""
    verb, number = args["verb"], args["number"]
    pending, undoable = open_requests(ctx, ctx.rt.now())
    if number is None:
        wanted = undoable if verb == "undo" else pending
        if len(wanted) != 1:  # which one? show the numbered list
            list_pending(ctx, {})
            return
        chosen: str | None = wanted[0].id
    else:
        shown = list((ctx.conversation.state or {}).get(_STATE) or [])
        ids = shown or [row.id for row in pending + undoable]
        chosen = ids[number - 1] if 1 <= number <= len(ids) else None
    if chosen is None:
        ctx.say(Reply(ctx.t("pending.no_such", n=number), kind="error"))
        return
    channel = ctx.inbound.channel.value
    if verb == "undo":
        undo_here(ctx, chosen)
        return
    decision = decide(
        ctx.rt,
        ctx.workspace.id,
        chosen,
        user_id=ctx.user.id,
        approve=verb == "approve",
        channel=channel,
        clicked=Clicked(outbox=ctx.outbox, conversation_id=ctx.conversation.id),
    )
    message = decision.message(ctx.locale)
    if message:
        notice = decision.outcome in ("already", "rejected")
        ctx.say(Reply(message, kind="notice" if notice else "error"))

"""Approve or reject: who may decide a proposal, the one click that wins, and why people decided.

Approvers and admins decide; an approver approves up to a daily amount (their
membership's ``approval_limit`` or the workspace's ``approver_daily_limit``), beyond
which an admin must. Every click is audited (who, when, channel, which button); the
winning decision moves the proposal with a compare-and-set, updates its cards, tells
the decision's listeners (the crew's learnings) and, when approved, queues execution.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.models import AuditEntry, Membership, Proposal, Role
from storage.repositories import audit, membership_of, workspace_settings
from supervisor.context import day_start
from supervisor.delivery import Clicked, notify_people, refresh_cards
from supervisor.lifecycle import audit_detail, compare_and_set, expire, start_execution
from supervisor.policy import check_authority
from supervisor.reasons import PolicyWarning
from supervisor.thresholds import PolicyConfig, workspace_policy
from vocabulary.i18n import Locale
from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

#: How long after a decision its author can still say why ("motivo: ...").
REASON_WINDOW = timedelta(hours=2)
REASON_MAX = 500


DecisionOutcome = Literal[
    "approved", "rejected", "forbidden", "over_authority", "already", "expired", "unknown"
]


@dataclass(frozen=True)
class Decision:
    """What became of one click, and what to tell the person who clicked."""

    outcome: DecisionOutcome
    proposal_id: str
    state: str = ""
    refusal: PolicyWarning | None = None
    currency: str = "BRL"

    @property
    def decided(self) -> bool:
        return self.outcome in ("approved", "rejected")

    def message(self, locale: Locale) -> str | None:
        """What to tell the person who clicked, when the card update does not say it all."""
        if self.refusal is not None:
            return self.refusal.render(locale, self.currency)
        if self.outcome == "already":
            return locale.t(
                "supervisor.refuse.already", state=locale.t(f"supervisor.state.{self.state}")
            )
        if self.outcome == "expired":
            return locale.t("supervisor.refuse.expired")
        if self.outcome == "unknown":
            return locale.t("supervisor.refuse.unknown")
        if self.outcome == "rejected":
            return locale.t("supervisor.reason.ask")
        return None


# --- authority ------------------------------------------------------------------------------------


def approved_today(session: Session, user_id: int, timezone: str, now: datetime) -> Decimal:
    """The daily money this user has approved since the workspace's midnight (minor units)."""
    total = session.scalar(
        select(func.coalesce(func.sum(Proposal.amount), 0)).where(
            Proposal.decided_by == user_id,
            Proposal.state.in_(("approved", "executing", "executed")),
            Proposal.decided_at >= day_start(now, timezone),
        )
    )
    return Decimal(str(total or 0))


def lock_authority(session: Session, workspace_id: int, user_id: int) -> None:
    """Serialise one approver's approvals until this transaction ends, so two parallel
    clicks cannot both fit under a daily limit that only one fits under.

    PostgreSQL: ``SELECT ... FOR UPDATE`` on the approver's membership row (a second
    approval by the same person waits, then sums what the first committed; READ COMMITTED
    gives each statement a fresh snapshot). SQLite has one writer at a time: a no-op
    write as the transaction's first statement takes that lock before anything is read.
    Call it first in the transaction.
    """
    mine = (Membership.workspace_id == workspace_id, Membership.user_id == user_id)
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(Membership)
            .where(*mine)
            .values(role=Membership.role)
            .execution_options(synchronize_session=False)
        )
        return
    session.execute(select(Membership.id).where(*mine).with_for_update())


def role_of(session: Session, workspace_id: int, user_id: int) -> tuple[Role, Decimal | None]:
    """The user's role in the workspace and their approval limit (a stranger is a viewer)."""
    membership = membership_of(session, workspace_id, user_id)
    if membership is None:
        return Role.VIEWER, None
    return Role(membership.role), membership.approval_limit


def may_approve(
    session: Session,
    workspace_id: int,
    user_id: int,
    amount: Decimal,
    config: PolicyConfig,
    now: datetime,
) -> bool:
    """Whether the user may approve ``amount`` now (an approver's Undo click approves too).

    Takes the approver's lock (:func:`lock_authority`) for the rest of the transaction."""
    lock_authority(session, workspace_id, user_id)
    role, limit = role_of(session, workspace_id, user_id)
    timezone = workspace_settings(session, workspace_id).timezone
    return check_authority(
        role,
        approve=True,
        amount=amount,
        approval_limit=limit,
        approved_today=approved_today(session, user_id, timezone, now),
        config=config,
    ).allowed


# --- the click ------------------------------------------------------------------------------------


def decide(
    rt: Runtime,
    workspace_id: int,
    proposal_id: str,
    *,
    user_id: int,
    approve: bool,
    channel: str,
    clicked: Clicked | None = None,
    now: datetime | None = None,
) -> Decision:
    """One click on Approve or Reject: at most one click ever wins (compare-and-set).

    The winning decision is remembered as a learning for the crew; its author may
    add why afterwards (:func:`explain_decision`).

    Non-approvers and approvers beyond their daily authority are refused (logged and
    audited; an over-authority request is sent to the admins). Expired requests expire
    here if the sweep has not got to them yet.
    """
    now = now if now is not None else rt.now()
    actor = f"user:{user_id}"
    button = "approve" if approve else "reject"
    with rt.db.session(workspace_id) as session:
        if approve:  # before anything is read: the sum of today's approvals must be current
            lock_authority(session, workspace_id, user_id)
        row = session.get(Proposal, proposal_id)
        prefs = workspace_settings(session, workspace_id)
        currency = prefs.currency
        if row is None:
            logger.info("decide %s by %s: unknown proposal", proposal_id, actor)
            return Decision("unknown", proposal_id, currency=currency)
        config = workspace_policy(prefs)
        role, limit = role_of(session, workspace_id, user_id)
        authority = check_authority(
            role,
            approve=approve,
            amount=row.amount or Decimal(0),
            approval_limit=limit,
            approved_today=approved_today(session, user_id, prefs.timezone, now),
            config=config,
        )
        detail = {**audit_detail(row), "button": button, "role": role.value}
        if row.state == "pending" and now >= row.expires_at:
            expire(session, workspace_id, row, now)
            audit(
                session,
                workspace_id,
                at=now,
                actor=actor,
                action="approval.ignored",
                subject=row.target_id,
                channel=channel,
                detail={**detail, "state": "expired"},
            )
            outcome: Decision = Decision("expired", proposal_id, "expired", currency=currency)
        elif not authority.allowed and (row.state == "pending" or not role.at_least(Role.APPROVER)):
            assert authority.refusal is not None
            logger.info("decide %s by %s: refused (%s)", proposal_id, actor, authority.refusal.key)
            audit(
                session,
                workspace_id,
                at=now,
                actor=actor,
                action="approval.refused",
                subject=row.target_id,
                channel=channel,
                detail={**detail, "reason": authority.refusal.key},
            )
            kind: DecisionOutcome = (
                "forbidden" if not role.at_least(Role.APPROVER) else "over_authority"
            )
            outcome = Decision(kind, proposal_id, row.state, authority.refusal, currency)
        elif row.state != "pending":
            audit(
                session,
                workspace_id,
                at=now,
                actor=actor,
                action="approval.ignored",
                subject=row.target_id,
                channel=channel,
                detail={**detail, "state": row.state},
            )
            outcome = Decision("already", proposal_id, row.state, currency=currency)
        else:
            target: Literal["approved", "rejected"] = "approved" if approve else "rejected"
            won = compare_and_set(
                session,
                proposal_id,
                "pending",
                target,
                decided_by=user_id,
                decided_channel=channel,
                decided_at=now,
                condition=Proposal.expires_at > now,
            )
            if won:
                audit(
                    session,
                    workspace_id,
                    at=now,
                    actor=actor,
                    action=f"proposal.{target}",
                    subject=row.target_id,
                    channel=channel,
                    detail={**detail, "conversation": clicked.conversation_id if clicked else None},
                )
                outcome = Decision(target, proposal_id, target, currency=currency)
            else:
                session.expire_all()
                state = session.scalar(select(Proposal.state).where(Proposal.id == proposal_id))
                audit(
                    session,
                    workspace_id,
                    at=now,
                    actor=actor,
                    action="approval.ignored",
                    subject=row.target_id,
                    channel=channel,
                    detail={**detail, "state": state},
                )
                outcome = Decision("already", proposal_id, state or "", currency=currency)
    logger.info("decide %s by %s (%s): %s", proposal_id, actor, button, outcome.outcome)
    if outcome.outcome == "over_authority":
        notify_people(rt, workspace_id, proposal_id, Role.ADMIN)
    if outcome.outcome in ("approved", "rejected", "expired"):
        refresh_cards(rt, workspace_id, proposal_id, clicked=clicked)
    if outcome.outcome in ("approved", "rejected"):
        _learn(rt, workspace_id, proposal_id, outcome.outcome, None)
    if outcome.outcome == "approved":
        start_execution(rt, workspace_id, proposal_id, on_queue_down="revert")
    return outcome


# --- why ------------------------------------------------------------------------------------------


def _learn(
    rt: Runtime, workspace_id: int, proposal_id: str, decision: str, reason: str | None
) -> None:
    """Tell the decision's listeners (the crew's learnings); the decision stands if one fails."""
    for listener in rt.decision_listeners:
        try:
            listener(rt, workspace_id, proposal_id, decision, reason)
        except Exception:
            logger.exception("proposal %s: a decision listener failed", proposal_id)


def explain_decision(
    rt: Runtime,
    workspace_id: int,
    *,
    user_id: int,
    reason: str,
    channel: str,
    proposal_id: str | None = None,
    conversation_id: int | None = None,
    now: datetime | None = None,
) -> Proposal | None:
    """Attach ``reason`` to the decision the user made last (within :data:`REASON_WINDOW`),
    in ``conversation_id`` when given, or to ``proposal_id`` when the channel knows which
    (Slack's reason modal).

    "Last" is by the audit log's sequence, never by ``decided_at``: with a frozen clock
    (the sandbox) several decisions share one timestamp.
    Audited as ``proposal.reason`` and folded into the decision's learning, so the
    crew's next proposals for similar accounts see why a person said no (or yes).
    Returns the proposal, or None when the user decided nothing recently.
    """
    now = now if now is not None else rt.now()
    reason = reason.strip()[:REASON_MAX]
    with rt.db.session(workspace_id) as session:
        chosen = proposal_id or last_decision(
            session, workspace_id, user_id, conversation_id, since=now - REASON_WINDOW
        )
        row = session.get(Proposal, chosen) if chosen else None
        if row is None or row.decided_by != user_id or row.state == "pending":
            return None
        if row.decided_at is not None and row.decided_at < now - REASON_WINDOW:
            return None
        decision = "rejected" if row.state == "rejected" else "approved"
        audit(
            session,
            workspace_id,
            at=now,
            actor=f"user:{user_id}",
            action="proposal.reason",
            subject=row.target_id,
            channel=channel,
            detail={**audit_detail(row), "decision": decision, "reason": reason},
        )
        session.expunge(row)
    _learn(rt, workspace_id, row.id, decision, reason)
    return row


def last_decision(
    session: Session,
    workspace_id: int,
    user_id: int,
    conversation_id: int | None,
    *,
    since: datetime,
) -> str | None:
    """The proposal ``user_id`` approved or rejected last, by the audit log's order.

    Prefers decisions made in ``conversation_id`` (clicked there); decisions without a
    recorded conversation (older entries, other channels' modals) count when none is.
    """
    entries = list(
        session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.workspace_id == workspace_id,
                AuditEntry.actor == f"user:{user_id}",
                AuditEntry.action.in_(("proposal.approved", "proposal.rejected")),
                AuditEntry.at >= since,
            )
            .order_by(AuditEntry.id.desc())
            .limit(50)
        )
    )
    here = [e for e in entries if (e.detail or {}).get("conversation") == conversation_id]
    pick = here or [e for e in entries if (e.detail or {}).get("conversation") is None]
    if conversation_id is None:
        pick = entries
    return str(pick[0].detail.get("proposal")) if pick else None

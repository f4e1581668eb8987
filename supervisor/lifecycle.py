"""A proposal's states and the only ways it moves between them.

Lifecycle in the ``proposals`` table, every transition a compare-and-set
(``UPDATE ... WHERE state = 'pending'``) so a double click, two approvers at
once or a redelivered webhook make exactly one write::

    pending ─▶ approved ─▶ executing ─▶ executed | failed
       │  └──▶ rejected
       └─────▶ expired          (denied: never runs)

Allowed proposals start ``approved``; the execution job (queue "high", job id =
proposal id) is ``jobs.execute.execute_proposal``, queued by name. The sweep
(:func:`expire_stale`) expires pending proposals past their deadline and queues
again approved ones whose job was lost. Reading a row back (:func:`recorded_proposal`,
:func:`audit_detail`) lives here too, so the executor and undo share one reading.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from ads.base import Level
from storage.models import Proposal
from storage.repositories import audit
from supervisor.delivery import refresh_cards
from supervisor.proposals import ActionKind, ActionProposal, Proposer
from vocabulary.errors import UserFacingError
from vocabulary.queue import QueueUnavailable
from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

OPEN_STATES = ("pending", "approved", "executing")
DONE_STATES = ("executed", "failed", "rejected", "expired", "denied")
#: An approved proposal whose job has not started after this long is queued again.
STUCK_AFTER = timedelta(minutes=10)
#: The job that runs an approved proposal (queued by name: the supervisor sits below jobs/).
EXECUTE_JOB = "jobs.execute.execute_proposal"
#: RQ callbacks settling a proposal whose execution died half way (see ``executor.settle``).
EXECUTE_FAILED = "jobs.reconcile.on_execution_failure"
EXECUTE_STOPPED = "jobs.reconcile.on_execution_stopped"


def audit_detail(row: Proposal) -> dict[str, Any]:
    """What every audit entry about a proposal carries, so history reads without joins."""
    return {
        "proposal": row.id,
        "kind": row.kind,
        "level": row.target_level,
        "target": row.target_name,
        "new": row.new_value,
        "current": row.current_value,
        "amount": None if row.amount is None else str(row.amount),
        "undo_of": row.undo_of,
    }


def recorded_proposal(row: Proposal) -> ActionProposal:
    """The change a row records, as it was proposed (to undo it, or judge it again)."""
    return ActionProposal(
        kind=ActionKind(row.kind),
        target_level=Level(row.target_level),
        target_id=row.target_id,
        target_name=row.target_name,
        new_value=dict(row.new_value or {}),
        current_value=dict(row.current_value or {}),
        reason=row.reason,
        proposer=Proposer.stored(row.proposer_kind, row.proposer_id),
    )


def compare_and_set(
    session: Session,
    proposal_id: str,
    from_state: str,
    to_state: str,
    *,
    condition: ColumnElement[bool] | None = None,
    **values: Any,
) -> bool:
    """``UPDATE proposals SET state = to WHERE id = :id AND state = from [AND condition]``,
    setting ``values`` too: True if this caller won the transition."""
    stmt = (
        update(Proposal)
        .where(Proposal.id == proposal_id, Proposal.state == from_state)
        .values(state=to_state, **values)
        .execution_options(synchronize_session=False)
    )
    if condition is not None:
        stmt = stmt.where(condition)
    return bool(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def transition(
    rt: Runtime, workspace_id: int, proposal_id: str, from_state: str, to_state: str, **values: Any
) -> bool:
    """A compare-and-set transition in its own transaction."""
    with rt.db.session(workspace_id) as session:
        return compare_and_set(session, proposal_id, from_state, to_state, **values)


def expire(session: Session, workspace_id: int, row: Proposal, now: datetime) -> bool:
    """Pending → expired (compare-and-set), audited once by whoever wins."""
    if not compare_and_set(session, row.id, "pending", "expired"):
        return False
    audit(
        session,
        workspace_id,
        at=now,
        actor="system",
        action="proposal.expired",
        subject=row.target_id,
        detail=audit_detail(row),
    )
    return True


def start_execution(
    rt: Runtime,
    workspace_id: int,
    proposal_id: str,
    *,
    on_queue_down: Literal["fail", "revert", "keep"] = "fail",
    at: datetime | None = None,
) -> None:
    """Queue the execution job (queue "high", job id = proposal id).

    When the queue is down the proposal is failed (``fail``), handed back to the
    approvers (``revert``: pending again, so the click can be repeated) or left
    approved for the sweep (``keep``), and the user is told. ``at``: not before then
    (Meta blocked the account until that moment).
    """
    try:
        rt.queue.enqueue(
            EXECUTE_JOB,
            proposal_id,
            workspace_id,
            queue="high",
            job_id=proposal_id,
            on_failure=EXECUTE_FAILED,
            on_stopped=EXECUTE_STOPPED,
            at=at,
        )
    except QueueUnavailable as exc:
        logger.error("proposal %s: cannot queue its execution: %s", proposal_id, exc)
        if on_queue_down == "revert":
            transition(
                rt,
                workspace_id,
                proposal_id,
                "approved",
                "pending",
                decided_by=None,
                decided_channel=None,
                decided_at=None,
            )
        elif on_queue_down == "fail":
            transition(
                rt,
                workspace_id,
                proposal_id,
                "approved",
                "failed",
                result={"error": {"kind": "queue", "message": str(exc)}},
            )
        raise UserFacingError("error.queue_down") from exc


def expire_stale(rt: Runtime, now: datetime | None = None) -> int:
    """Expire pending proposals past their deadline (all workspaces); returns how many.

    Also queues again any approved proposal whose execution job never started (a lost
    job): the executor's compare-and-set makes a second run harmless.
    """
    now = now if now is not None else rt.now()
    with rt.db.session() as session:
        due = session.execute(
            select(Proposal.id, Proposal.workspace_id).where(
                Proposal.state == "pending", Proposal.expires_at <= now
            )
        ).all()
        stuck = session.execute(
            select(Proposal.id, Proposal.workspace_id).where(
                Proposal.state == "approved",
                func.coalesce(Proposal.decided_at, Proposal.created_at) <= now - STUCK_AFTER,
            )
        ).all()
    expired = 0
    for pid, workspace_id in due:
        with rt.db.session(workspace_id) as session:
            row = session.get(Proposal, pid)
            if row is None or not expire(session, workspace_id, row, now):
                continue
        expired += 1
        refresh_cards(rt, workspace_id, pid)
    for pid, workspace_id in stuck:
        logger.warning("proposal %s: approved but never started; queueing again", pid)
        try:
            start_execution(rt, workspace_id, pid, on_queue_down="keep")
        except UserFacingError:
            logger.warning("proposal %s: still cannot queue; will retry on the next sweep", pid)
    if expired:
        logger.info("expired %d pending proposal(s)", expired)
    return expired

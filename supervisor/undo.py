"""Undo: propose the inverse of an executed change, through the same policy and approvals.

Within the workspace's undo window (24 h by default) and once per change: two Undo
clicks at once create one inverse proposal (its id derives from the original's). The
inverse is judged as a restoration (:func:`supervisor.policy.restoration`): putting the
previous value back is no new step, unless the target changed since.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage.models import Proposal, Role
from storage.repositories import audit, workspace_settings
from supervisor.decide import role_of
from supervisor.lifecycle import audit_detail, recorded_proposal
from supervisor.proposals import ActionKind, Proposer, inverse
from supervisor.submit import DuplicateProposal, Submission, submit
from supervisor.thresholds import workspace_policy
from vocabulary.i18n import Locale
from vocabulary.outbox import Outbox
from vocabulary.runtime import Runtime

UNDO_NAMESPACE = uuid.UUID("8a6a4d0e-5f0b-4c61-9f51-2f1f3e0b7a10")


@dataclass(frozen=True)
class UndoResult:
    submission: Submission | None
    refusal_key: str | None = None
    params: dict[str, Any] | None = None

    def message(self, locale: Locale) -> str | None:
        if self.refusal_key:
            return locale.t(self.refusal_key, **(self.params or {}))
        return None


def undo(
    rt: Runtime,
    workspace_id: int,
    proposal_id: str,
    *,
    user_id: int,
    channel: str,
    conversation_id: int | None = None,
    outbox: Outbox | None = None,
    now: datetime | None = None,
) -> UndoResult:
    """Propose the inverse of an executed change, through the same policy.

    Within the undo window (24 h by default), once: two Undo clicks at once create one
    inverse proposal. An approver's (or admin's) click is also the approval the inverse
    may need; anyone else's becomes a card for the approvers.
    """
    now = now if now is not None else rt.now()
    actor = f"user:{user_id}"
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, proposal_id)
        if row is None:
            return UndoResult(None, "supervisor.refuse.unknown")
        prefs = workspace_settings(session, workspace_id)
        config = workspace_policy(prefs)
        role, _ = role_of(session, workspace_id, user_id)
        detail = {**audit_detail(row), "button": "undo", "role": role.value}
        refusal: tuple[str, dict[str, Any]] | None = None
        if not role.at_least(Role.OPERATOR):
            refusal = ("supervisor.refuse.cannot_propose", {})
        elif row.state != "executed" or not ActionKind(row.kind).reversible or row.undo_of:
            refusal = ("supervisor.refuse.not_undoable", {})
        elif row.executed_at is None or now > row.executed_at + config.undo_window:
            refusal = ("supervisor.refuse.undo_expired", {"hours": config.undo_hours})
        attempts = list(
            session.scalars(select(Proposal.state).where(Proposal.undo_of == proposal_id))
        )
        if refusal is None and any(
            state not in ("rejected", "expired", "denied", "failed") for state in attempts
        ):
            refusal = ("supervisor.refuse.undo_already", {})
        if refusal is not None:
            audit(
                session,
                workspace_id,
                at=now,
                actor=actor,
                action="approval.refused",
                subject=row.target_id,
                channel=channel,
                detail={**detail, "reason": refusal[0]},
            )
            return UndoResult(None, refusal[0], refusal[1])
        original = recorded_proposal(row)
        created = (row.result or {}).get("created")
        account_pk = row.ad_account_id
        undo_id = str(uuid.uuid5(UNDO_NAMESPACE, f"{proposal_id}:undo:{len(attempts)}"))
    reverse = inverse(original, created=created, proposer=Proposer("user", str(user_id)))
    if ActionKind(original.kind) is not ActionKind.CREATE_DRAFT:
        # Judged as a restoration: allowed while the target still holds what was set.
        reverse = replace(reverse, extra={"restores": dict(original.new_value)})
    assert account_pk is not None
    try:
        submission = submit(
            rt,
            workspace_id,
            account_pk,
            reverse,
            conversation_id=conversation_id,
            channel=channel,
            requested_by_user_id=user_id,
            outbox=outbox,
            approve_as=user_id,
            undo_of=proposal_id,
            proposal_id=undo_id,
            now=now,
        )
    except DuplicateProposal:
        return UndoResult(None, "supervisor.refuse.undo_already")
    return UndoResult(submission)

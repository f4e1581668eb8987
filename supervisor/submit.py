"""Submit: the one way a change to an ad account starts.

A proposal (from a person, an agent or a schedule) is judged against fresh
context by the pure policy, recorded with its verdict and reasons, and started:
``allow`` is queued for execution at once, ``approval`` waits for a person with
authority (its card goes to the approvers), ``deny`` never runs. Everything is
audited: the proposal, its verdict, the value the proposer saw and who asked.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import AdAccount, Proposal, Role
from storage.repositories import audit, workspace_settings
from supervisor.context import account_facts, fetch_context, summary
from supervisor.decide import lock_authority, may_approve, role_of
from supervisor.delivery import notify_people, show_card
from supervisor.lifecycle import audit_detail, start_execution
from supervisor.moves import judge_move
from supervisor.platform_limits import guard, with_workspace_month
from supervisor.policy import Verdict, evaluate, stored_verdict
from supervisor.proposals import ActionKind, ActionProposal
from supervisor.reasons import PolicyWarning
from supervisor.thresholds import workspace_policy
from vocabulary.i18n import Locale
from vocabulary.outbox import Outbox
from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)


class DuplicateProposal(RuntimeError):
    """A proposal with this id exists already (e.g. two Undo clicks at once)."""


@dataclass(frozen=True)
class Submission:
    """What became of a submitted proposal. ``state`` is the state right after submitting
    (with the in-process queue an allowed proposal is already ``executed``)."""

    proposal_id: str
    verdict: Verdict
    state: str
    warnings: tuple[PolicyWarning, ...]
    reason: str  # plain English, for logs and agent tool results
    reason_key: str = ""
    fast_track: bool = False
    currency: str = "BRL"
    outcome: dict[str, Any] = field(default_factory=dict)  # "created" ids, "response", "error"

    def explain(self, locale: Locale) -> str:
        """The verdict and its reasons in the reader's language."""
        head = locale.t(f"supervisor.verdict.{self.verdict}")
        reasons = [w.render(locale, self.currency) for w in self.warnings]
        return "; ".join([head, *reasons])


def submit(
    rt: Runtime,
    workspace_id: int,
    account_pk: int,
    proposal: ActionProposal,
    *,
    conversation_id: int | None = None,
    channel: str = "",
    requested_by_user_id: int | None = None,
    outbox: Outbox | None = None,
    announce: bool = False,
    approve_as: int | None = None,
    undo_of: str | None = None,
    proposal_id: str | None = None,
    now: datetime | None = None,
) -> Submission:
    """Judge ``proposal`` against fresh context, record it, and start what the verdict allows.

    - ``allow``: recorded ``approved`` and queued for execution at once;
    - ``approval``: recorded ``pending``; approvers are sent the card in their channels;
    - ``deny``: recorded ``denied``; nothing else happens.

    With ``outbox`` (a chat turn) the card is shown there; with ``announce=True`` it is
    sent to ``conversation_id``; otherwise the caller shows
    :func:`supervisor.cards.card_for` itself and records it with
    :func:`supervisor.delivery.record_card`.
    ``approve_as`` (a user id) approves at once when that user has the authority (an
    approver clicking Undo). An identical open proposal is returned instead of a new one.
    """
    now = now if now is not None else rt.now()
    with rt.db.session(workspace_id) as session:
        account = session.get(AdAccount, account_pk)
        if account is None or account.workspace_id != workspace_id:
            raise LookupError(f"ad account {account_pk} is not in workspace {workspace_id}")
        prefs = workspace_settings(session, workspace_id)
        config = workspace_policy(prefs)
        facts = account_facts(session, account, proposal, now)
        # Whoever the change is for (who typed it, or started the crew run that proposed
        # it) is judged as they are now: a run can do no more than its requester.
        requester = (
            role_of(session, workspace_id, requested_by_user_id)[0]
            if requested_by_user_id is not None
            else None
        )
    ctx = fetch_context(rt.ads(account), facts, proposal, now)
    seen = dict(proposal.current_value)
    kind = ActionKind(proposal.kind)
    if kind not in (ActionKind.CREATE_DRAFT, ActionKind.MOVE_BUDGET) and ctx.target.found:
        fresh = ctx.target.snapshot()
        proposal = _with_current(proposal, {k: fresh.get(k) for k in seen} or fresh)
    if kind is ActionKind.MOVE_BUDGET:  # --- issue 18: both legs judged (supervisor/moves.py)
        proposal, evaluation = judge_move(
            rt, workspace_id, account_pk, proposal, ctx, config, requester
        )
    else:
        with rt.db.session(workspace_id) as session:  # issue 18: limits span the platforms
            if kind is ActionKind.PAUSE and config.monthly_budget_limit is not None:
                ctx = with_workspace_month(session, account, ctx)  # a fast track's test
            evaluation = evaluate(proposal, ctx, config, requester=requester)
            evaluation = guard(session, account, proposal, ctx, evaluation)
    state = {"allow": "approved", "approval": "pending", "deny": "denied"}[evaluation.verdict]

    pid = proposal_id or str(uuid.uuid4())
    approver: tuple[int, str] | None = None
    twin: str | None = None
    try:
        with rt.db.session(workspace_id) as session:
            if state == "pending" and approve_as is not None:
                lock_authority(session, workspace_id, approve_as)  # first: see decide.py
            existing = _pending_twin(session, proposal, now) if proposal_id is None else None
            if existing is not None:
                twin = existing.id
            else:
                if (
                    state == "pending"
                    and approve_as is not None
                    and may_approve(
                        session, workspace_id, approve_as, evaluation.amount, config, now
                    )
                ):
                    state = "approved"
                    approver = (approve_as, channel)
                row = Proposal(
                    id=pid,
                    workspace_id=workspace_id,
                    ad_account_id=account_pk,
                    kind=ActionKind(proposal.kind).value,
                    target_level=proposal.target_level.value,
                    target_id=proposal.target_id,
                    target_name=proposal.target_name[:200],
                    new_value=proposal.new_value,
                    current_value=proposal.current_value,
                    reason=proposal.reason,
                    proposer_kind=proposal.proposer.kind,
                    proposer_id=proposal.proposer.id,
                    digest=proposal.digest,
                    verdict=evaluation.verdict,
                    warnings=[w.to_json() for w in evaluation.reasons],
                    amount=evaluation.amount,
                    state=state,
                    conversation_id=conversation_id,
                    undo_of=undo_of,
                    decided_by=approver[0] if approver else None,
                    decided_channel=approver[1] if approver else None,
                    decided_at=now if approver else None,
                    result={"context": summary(ctx, config.monthly_budget_limit)},
                    explanation=dict(proposal.extra.get("explanation") or {}),
                    created_at=now,
                    expires_at=now + config.expiry,
                )
                session.add(row)
                session.flush()
                audit(
                    session,
                    workspace_id,
                    at=now,
                    actor=proposal.proposer.actor,
                    action="proposal.created",
                    subject=proposal.target_id,
                    channel=channel,
                    detail={
                        **audit_detail(row),
                        "verdict": evaluation.verdict,
                        "reasons": [w.key for w in evaluation.reasons],
                        "fast_track": evaluation.fast_track,
                        "seen_value": seen,
                        "requested_by": requested_by_user_id,
                        "digest": proposal.digest,
                    },
                )
                if approver:
                    audit(
                        session,
                        workspace_id,
                        at=now,
                        actor=f"user:{approver[0]}",
                        action="proposal.approved",
                        subject=proposal.target_id,
                        channel=channel,
                        detail={
                            **audit_detail(row),
                            "with": "undo",
                            "conversation": conversation_id,
                        },
                    )
    except IntegrityError as exc:
        raise DuplicateProposal(pid) from exc
    if twin is not None:  # the same change is already waiting: show that card again
        logger.info("proposal: same change already pending as %s", twin)
        if outbox is not None or (announce and conversation_id is not None):
            show_card(rt, workspace_id, twin, outbox=outbox, conversation_id=conversation_id)
        return _submission(rt, workspace_id, twin, prefs.currency)
    logger.info(
        "proposal %s: %s %s %s by %s -> %s",
        pid,
        proposal.kind,
        proposal.target_level,
        proposal.target_id,
        proposal.proposer.actor,
        evaluation.verdict,
    )
    if outbox is not None or (announce and conversation_id is not None):
        show_card(rt, workspace_id, pid, outbox=outbox, conversation_id=conversation_id)
    if state == "pending":
        notify_people(rt, workspace_id, pid, Role.APPROVER)
    if state == "approved":
        start_execution(rt, workspace_id, pid)
    return _submission(rt, workspace_id, pid, prefs.currency, fast_track=evaluation.fast_track)


def _submission(
    rt: Runtime, workspace_id: int, pid: str, currency: str, *, fast_track: bool = False
) -> Submission:
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, pid)
        assert row is not None
        return _submission_of(row, currency, fast_track=fast_track)


def _pending_twin(session: Session, proposal: ActionProposal, now: datetime) -> Proposal | None:
    """A pending proposal for the same change (same kind, target and new value), still
    open: one past its deadline is never shown again (the sweep expires it)."""
    rows = session.scalars(
        select(Proposal).where(
            Proposal.state == "pending",
            Proposal.kind == ActionKind(proposal.kind).value,
            Proposal.target_id == proposal.target_id,
            Proposal.expires_at > now,
        )
    )
    return next((row for row in rows if row.new_value == proposal.new_value), None)


def _with_current(proposal: ActionProposal, current: dict[str, Any]) -> ActionProposal:
    return replace(proposal, current_value=current)


def _submission_of(row: Proposal, currency: str, *, fast_track: bool = False) -> Submission:
    warnings = tuple(PolicyWarning.from_json(w) for w in row.warnings or ())
    first = warnings[0] if warnings else None
    english = Locale("en")
    return Submission(
        proposal_id=row.id,
        verdict=stored_verdict(row.verdict),
        state=row.state,
        warnings=warnings,
        reason=first.render(english, currency) if first else english.t("supervisor.card.auto"),
        reason_key=first.key if first else "",
        fast_track=fast_track,
        currency=currency,
        outcome={
            key: value
            for key, value in (row.result or {}).items()
            if key in ("created", "response", "error", "replaced_by")
        },
    )

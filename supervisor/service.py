"""The one way to change an ad account: submit a proposal, decide it, execute it, undo it.

Lifecycle in the ``proposals`` table, every transition a compare-and-set
(``UPDATE ... WHERE state = 'pending'``) so a double click, two approvers at
once or a redelivered webhook make exactly one write::

    pending ─▶ approved ─▶ executing ─▶ executed | failed
       │  └──▶ rejected
       └─────▶ expired          (denied: never runs)

Allowed proposals start ``approved``; the execution job (queue "high", job id =
proposal id) is :func:`jobs.execute.execute_proposal`. Everything is audited:
the proposal, each click (who, when, channel), each decision and the
execution result with the platform's response.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ads.base import Level
from storage.models import AdAccount, Conversation, Proposal, Role, WorkspaceSettings
from storage.repositories import audit, membership_of, workspace_settings
from supervisor.cards import card_data, render_card
from supervisor.cards import card_for as card_for  # re-exported: the contract's home
from supervisor.context import account_facts, day_start, fetch_context, summary
from supervisor.policy import PolicyConfig, PolicyWarning, Verdict, check_authority, evaluate
from supervisor.proposals import ActionKind, ActionProposal, Proposer, inverse
from vocabulary.destinations import Destination
from vocabulary.errors import UserFacingError
from vocabulary.i18n import Locale
from vocabulary.notify import destination_for, people_destinations, send
from vocabulary.outbox import Outbox
from vocabulary.queue import QueueUnavailable
from vocabulary.replies import Reply

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

OPEN_STATES = ("pending", "approved", "executing")
DONE_STATES = ("executed", "failed", "rejected", "expired", "denied")
#: An approved proposal whose job has not started after this long is queued again.
STUCK_AFTER = timedelta(minutes=10)
UNDO_NAMESPACE = uuid.UUID("8a6a4d0e-5f0b-4c61-9f51-2f1f3e0b7a10")


class DuplicateProposal(RuntimeError):
    """A proposal with this id exists already (e.g. two Undo clicks at once)."""


# --- results ------------------------------------------------------------------------------------


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


DecisionOutcome = Literal[
    "approved", "rejected", "forbidden", "over_authority", "already", "expired", "unknown"
]


@dataclass(frozen=True)
class Decision:
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


@dataclass(frozen=True)
class Clicked:
    """The card someone clicked: updated through the click's own outbox (it has the hints)."""

    outbox: Outbox
    conversation_id: int | None
    message_ref: str | None = None


# --- configuration --------------------------------------------------------------------------------


def policy_config(prefs: WorkspaceSettings) -> PolicyConfig:
    return PolicyConfig.from_workspace(
        policy=prefs.policy,
        currency=prefs.currency,
        max_daily_budget=prefs.max_daily_budget,
        monthly_budget_limit=prefs.monthly_budget_limit,
    )


def _now(rt: Runtime, now: datetime | None) -> datetime:
    return now if now is not None else rt.now()


# --- submit ---------------------------------------------------------------------------------------


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
    sent to ``conversation_id``; otherwise the caller shows :func:`card_for` itself.
    ``approve_as`` (a user id) approves at once when that user has the authority (an
    approver clicking Undo). An identical open proposal is returned instead of a new one.
    """
    now = _now(rt, now)
    with rt.db.session(workspace_id) as session:
        account = session.get(AdAccount, account_pk)
        if account is None or account.workspace_id != workspace_id:
            raise LookupError(f"ad account {account_pk} is not in workspace {workspace_id}")
        prefs = workspace_settings(session, workspace_id)
        config = policy_config(prefs)
        facts = account_facts(session, account, proposal, now)
    ctx = fetch_context(rt.ads(account), facts, proposal, now)
    seen = dict(proposal.current_value)
    if ActionKind(proposal.kind) is not ActionKind.CREATE_DRAFT and ctx.target.found:
        fresh = ctx.target.snapshot()
        proposal = _with_current(proposal, {k: fresh.get(k) for k in seen} or fresh)
    evaluation = evaluate(proposal, ctx, config)
    state = {"allow": "approved", "approval": "pending", "deny": "denied"}[evaluation.verdict]

    pid = proposal_id or str(uuid.uuid4())
    approver: tuple[int, str] | None = None
    twin: str | None = None
    try:
        with rt.db.session(workspace_id) as session:
            existing = _pending_twin(session, proposal) if proposal_id is None else None
            if existing is not None:
                twin = existing.id
            else:
                if (
                    state == "pending"
                    and approve_as is not None
                    and _may_approve(
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
                        **_detail(row),
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
                        detail={**_detail(row), "with": "undo"},
                    )
    except IntegrityError as exc:
        raise DuplicateProposal(pid) from exc
    if twin is not None:  # the same change is already waiting: show that card again
        logger.info("proposal: same change already pending as %s", twin)
        if outbox is not None or (announce and conversation_id is not None):
            _announce(rt, workspace_id, twin, outbox=outbox, conversation_id=conversation_id)
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
        _announce(rt, workspace_id, pid, outbox=outbox, conversation_id=conversation_id)
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


def _pending_twin(session: Session, proposal: ActionProposal) -> Proposal | None:
    """A pending proposal for the same change (same kind, target and new value)."""
    rows = session.scalars(
        select(Proposal).where(
            Proposal.state == "pending",
            Proposal.kind == ActionKind(proposal.kind).value,
            Proposal.target_id == proposal.target_id,
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
        verdict=row.verdict,  # type: ignore[arg-type]
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


def _detail(row: Proposal) -> dict[str, Any]:
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


# --- people and cards -------------------------------------------------------------------------------


def _destination(
    session: Session, conversation_id: int, language: str | None
) -> Destination | None:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return None
    prefs = workspace_settings(session, conversation.workspace_id)
    return destination_for(conversation, language or conversation.language or prefs.language)


def _locale(session: Session, workspace_id: int, language: str) -> Locale:
    prefs = workspace_settings(session, workspace_id)
    return Locale(language=language, timezone=prefs.timezone)


def _card(session: Session, row: Proposal, language: str) -> Reply:
    locale = _locale(session, row.workspace_id, language)
    return render_card(card_data(session, row, locale), locale)


def _remember_card(
    rt: Runtime, workspace_id: int, pid: str, conversation_id: int | None, ref: str, language: str
) -> None:
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, pid)
        if row is None:
            return
        cards = [
            c
            for c in (row.result or {}).get("cards", [])
            if c.get("conversation_id") != conversation_id or conversation_id is None
        ]
        cards.append({"conversation_id": conversation_id, "ref": ref, "language": language})
        row.result = {**(row.result or {}), "cards": cards}
        if conversation_id is not None and conversation_id == row.conversation_id:
            row.card_ref = ref


def record_card(
    rt: Runtime,
    workspace_id: int,
    proposal_id: str,
    *,
    conversation_id: int | None,
    ref: str,
    language: str,
) -> None:
    """Remember a card a caller showed itself (``ctx.say(card_for(...))`` returned ``ref``),
    so decisions and the execution result update it in place."""
    _remember_card(rt, workspace_id, proposal_id, conversation_id, ref, language)


def _announce(
    rt: Runtime,
    workspace_id: int,
    pid: str,
    *,
    outbox: Outbox | None,
    conversation_id: int | None,
) -> None:
    """Show the new proposal's card where it was asked for."""
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, pid)
        assert row is not None
        if outbox is not None:
            language = outbox.to.language
            to: Destination | None = outbox.to
        else:
            assert conversation_id is not None
            to = _destination(session, conversation_id, None)
            language = to.language if to else "pt-BR"
        reply = _card(session, row, language)
    if to is None:
        return
    if outbox is not None:
        ref = outbox.send(reply)
        where = outbox.to.conversation_id or conversation_id
    else:
        ref = send(rt, to, reply)
        where = conversation_id
    if ref:
        _remember_card(rt, workspace_id, pid, where, ref, language)


def notify_people(rt: Runtime, workspace_id: int, pid: str, minimum: Role) -> int:
    """Send the card to every member with ``minimum`` role, in their channel, once each."""
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, pid)
        if row is None:
            return 0
        holding = {c.get("conversation_id") for c in (row.result or {}).get("cards", [])}
        holding.add(row.conversation_id)
    sent = 0
    for to in people_destinations(rt, workspace_id, minimum):
        if to.conversation_id in holding:
            continue
        holding.add(to.conversation_id)
        with rt.db.session(workspace_id) as session:
            row = session.get(Proposal, pid)
            assert row is not None
            reply = _card(session, row, to.language)
        ref = send(rt, to, reply)
        if ref:
            sent += 1
            _remember_card(rt, workspace_id, pid, to.conversation_id, ref, to.language)
    logger.info("proposal %s: card sent to %d %s(s)", pid, sent, minimum.value)
    return sent


def refresh_cards(
    rt: Runtime, workspace_id: int, pid: str, *, clicked: Clicked | None = None
) -> None:
    """Show the proposal's current state on every card sent for it (and the clicked one)."""
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, pid)
        if row is None:
            return
        cards = list((row.result or {}).get("cards", []))
        targets: list[tuple[dict[str, Any], Destination | None, Reply]] = []
        for card in cards:
            to = None
            if card.get("conversation_id") is not None:
                to = _destination(session, card["conversation_id"], card.get("language"))
            language = card.get("language") or (to.language if to else "pt-BR")
            targets.append((card, to, _card(session, row, language)))
        clicked_reply = _card(session, row, clicked.outbox.to.language) if clicked else None
    handled = False
    for card, to, reply in targets:
        try:
            if clicked is not None and (
                card.get("conversation_id") == clicked.conversation_id
                or (clicked.message_ref and card.get("ref") == clicked.message_ref)
            ):
                handled = True
                ref = clicked.message_ref or card["ref"]
                clicked.outbox.sender.update(clicked.outbox.to, ref, reply)
            elif to is not None:
                rt.sender(to.channel).update(to, card["ref"], reply)
        except Exception:
            logger.exception("proposal %s: could not update a card", pid)
    if clicked is not None and not handled and clicked_reply is not None:
        if clicked.message_ref:
            clicked.outbox.sender.update(clicked.outbox.to, clicked.message_ref, clicked_reply)
            ref: str | None = clicked.message_ref
        else:
            ref = clicked.outbox.send(clicked_reply)
        if ref:
            _remember_card(
                rt, workspace_id, pid, clicked.conversation_id, ref, clicked.outbox.to.language
            )


# --- decide -------------------------------------------------------------------------------------------


def _approved_today(session: Session, user_id: int, timezone: str, now: datetime) -> Decimal:
    total = session.scalar(
        select(func.coalesce(func.sum(Proposal.amount), 0)).where(
            Proposal.decided_by == user_id,
            Proposal.state.in_(("approved", "executing", "executed")),
            Proposal.decided_at >= day_start(now, timezone),
        )
    )
    return Decimal(str(total or 0))


def _role(session: Session, workspace_id: int, user_id: int) -> tuple[Role, Decimal | None]:
    membership = membership_of(session, workspace_id, user_id)
    if membership is None:
        return Role.VIEWER, None
    return Role(membership.role), membership.approval_limit


def _may_approve(
    session: Session,
    workspace_id: int,
    user_id: int,
    amount: Decimal,
    config: PolicyConfig,
    now: datetime,
) -> bool:
    role, limit = _role(session, workspace_id, user_id)
    timezone = workspace_settings(session, workspace_id).timezone
    return check_authority(
        role,
        approve=True,
        amount=amount,
        approval_limit=limit,
        approved_today=_approved_today(session, user_id, timezone, now),
        config=config,
    ).allowed


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
    now = _now(rt, now)
    actor = f"user:{user_id}"
    button = "approve" if approve else "reject"
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, proposal_id)
        prefs = workspace_settings(session, workspace_id)
        currency = prefs.currency
        if row is None:
            logger.info("decide %s by %s: unknown proposal", proposal_id, actor)
            return Decision("unknown", proposal_id, currency=currency)
        config = policy_config(prefs)
        role, limit = _role(session, workspace_id, user_id)
        authority = check_authority(
            role,
            approve=approve,
            amount=row.amount or Decimal(0),
            approval_limit=limit,
            approved_today=_approved_today(session, user_id, prefs.timezone, now),
            config=config,
        )
        detail = {**_detail(row), "button": button, "role": role.value}
        if row.state == "pending" and now >= row.expires_at:
            _expire(session, workspace_id, row, now)
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
            target = "approved" if approve else "rejected"
            won = _transition(
                session,
                proposal_id,
                "pending",
                target,
                decided_by=user_id,
                decided_channel=channel,
                decided_at=now,
                extra=Proposal.expires_at > now,
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
                    detail=detail,
                )
                outcome = Decision(target, proposal_id, target, currency=currency)  # type: ignore[arg-type]
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


#: How long after a decision its author can still say why ("motivo: ...").
REASON_WINDOW = timedelta(hours=2)
REASON_MAX = 500


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
    now: datetime | None = None,
) -> Proposal | None:
    """Attach ``reason`` to the user's latest decision (within :data:`REASON_WINDOW`), or to
    ``proposal_id`` when the channel knows which (Slack's reason modal).

    Audited as ``proposal.reason`` and folded into the decision's learning, so the
    crew's next proposals for similar accounts see why a person said no (or yes).
    Returns the proposal, or None when the user decided nothing recently.
    """
    now = _now(rt, now)
    reason = reason.strip()[:REASON_MAX]
    with rt.db.session(workspace_id) as session:
        query = select(Proposal).where(
            Proposal.decided_by == user_id,
            Proposal.decided_at >= now - REASON_WINDOW,
            Proposal.state != "pending",
        )
        if proposal_id is not None:
            query = query.where(Proposal.id == proposal_id)
        row = session.scalars(query.order_by(Proposal.decided_at.desc()).limit(1)).first()
        if row is None:
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
            detail={**_detail(row), "decision": decision, "reason": reason},
        )
        session.expunge(row)
    _learn(rt, workspace_id, row.id, decision, reason)
    return row


def _expire(session: Session, workspace_id: int, row: Proposal, now: datetime) -> bool:
    """Pending → expired (compare-and-set), audited once by whoever wins."""
    if not _transition(session, row.id, "pending", "expired"):
        return False
    audit(
        session,
        workspace_id,
        at=now,
        actor="system",
        action="proposal.expired",
        subject=row.target_id,
        detail=_detail(row),
    )
    return True


def _transition(
    session: Session,
    proposal_id: str,
    from_state: str,
    to_state: str,
    *,
    extra: Any = None,
    **values: Any,
) -> bool:
    """``UPDATE proposals SET state = to WHERE id = :id AND state = from``: True if we won."""
    stmt = (
        update(Proposal)
        .where(Proposal.id == proposal_id, Proposal.state == from_state)
        .values(state=to_state, **values)
        .execution_options(synchronize_session=False)
    )
    if extra is not None:
        stmt = stmt.where(extra)
    return bool(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def transition(
    rt: Runtime, workspace_id: int, proposal_id: str, from_state: str, to_state: str, **values: Any
) -> bool:
    """A compare-and-set transition in its own transaction."""
    with rt.db.session(workspace_id) as session:
        return _transition(session, proposal_id, from_state, to_state, **values)


def start_execution(
    rt: Runtime,
    workspace_id: int,
    proposal_id: str,
    *,
    on_queue_down: Literal["fail", "revert", "keep"] = "fail",
) -> None:
    """Queue the execution job (queue "high", job id = proposal id).

    When the queue is down the proposal is failed (``fail``), handed back to the
    approvers (``revert``: pending again, so the click can be repeated) or left
    approved for the sweep (``keep``), and the user is told.
    """
    try:
        rt.queue.enqueue(
            "jobs.execute.execute_proposal",
            proposal_id,
            workspace_id,
            queue="high",
            job_id=proposal_id,
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


# --- undo ----------------------------------------------------------------------------------------------


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
    now = _now(rt, now)
    actor = f"user:{user_id}"
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, proposal_id)
        if row is None:
            return UndoResult(None, "supervisor.refuse.unknown")
        prefs = workspace_settings(session, workspace_id)
        config = policy_config(prefs)
        role, _ = _role(session, workspace_id, user_id)
        detail = {**_detail(row), "button": "undo", "role": role.value}
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
        original = ActionProposal(
            kind=ActionKind(row.kind),
            target_level=Level(row.target_level),
            target_id=row.target_id,
            target_name=row.target_name,
            new_value=dict(row.new_value or {}),
            current_value=dict(row.current_value or {}),
            reason=row.reason,
            proposer=Proposer(row.proposer_kind, row.proposer_id),  # type: ignore[arg-type]
        )
        created = (row.result or {}).get("created")
        account_pk = row.ad_account_id
        undo_id = str(uuid.uuid5(UNDO_NAMESPACE, f"{proposal_id}:undo:{len(attempts)}"))
    reverse = inverse(original, created=created, proposer=Proposer("user", str(user_id)))
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


# --- expiry sweep ----------------------------------------------------------------------------------------


def expire_stale(rt: Runtime, now: datetime | None = None) -> int:
    """Expire pending proposals past their deadline (all workspaces); returns how many.

    Also queues again any approved proposal whose execution job never started (a lost
    job): the executor's compare-and-set makes a second run harmless.
    """
    now = _now(rt, now)
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
            if row is None or not _expire(session, workspace_id, row, now):
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

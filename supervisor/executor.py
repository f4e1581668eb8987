"""The only code that writes to an ad platform: run one approved proposal, exactly once.

The job claims the proposal with ``approved → executing`` (a second run of the
same job, or a duplicate job, finds nothing to claim), re-reads the target past
the cache and, if it changed since the proposal, does not apply it blindly: the
proposal fails as stale and a fresh proposal with the current values goes
through the policy again. The platform's answer (the object read back after
the write, or the error) is stored and audited.
"""

from __future__ import annotations

import logging
from dataclasses import fields, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from ads.base import (
    AdDraft,
    AdSetDraft,
    AdsPlatform,
    CampaignDraft,
    CreativeDraft,
    Level,
    Status,
)
from ads.errors import AdsError, AmbiguousWrite, Throttled
from ads.graph import account_scope
from storage.clock import utcnow
from storage.models import AdAccount, Conversation, Proposal
from storage.repositories import audit, workspace_settings
from supervisor import studies
from supervisor.context import read_target
from supervisor.delivery import refresh_cards, show_card
from supervisor.lifecycle import audit_detail, compare_and_set, recorded_proposal, start_execution
from supervisor.moves import execute_move, legs_of, settle_move
from supervisor.policy import TargetState
from supervisor.proposals import ActionKind, money
from supervisor.submit import submit
from vocabulary.errors import UserFacingError
from vocabulary.i18n import Locale
from vocabulary.notify import alert_admins, destination_for
from vocabulary.replies import Reply
from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

#: Parts of a status change a read-back of the target cannot show.
NOT_READ_BACK = ("with_children", *studies.STUDY_KEYS)
#: Run a throttled change this long after Meta's estimate, not on its edge.
RESCHEDULE_MARGIN_SECONDS = 5


def execute(
    rt: Runtime, workspace_id: int, proposal_id: str, *, now: datetime | None = None
) -> str:
    """Execute an approved proposal; returns its final state (or the state it already had)."""
    now = now if now is not None else rt.now()
    with rt.db.session(workspace_id) as session:
        lease = utcnow() + timedelta(seconds=rt.settings.lease_seconds)
        if not compare_and_set(session, proposal_id, "approved", "executing", lease_until=lease):
            row = session.get(Proposal, proposal_id)
            state = row.state if row else "unknown"
            logger.info("execute %s: nothing to claim (state %s)", proposal_id, state)
            return state
        row = session.get(Proposal, proposal_id)
        assert row is not None
        account = session.get(AdAccount, row.ad_account_id)
        kind = ActionKind(row.kind)
        level = Level(row.target_level)
        target_id = row.target_id
        target_name = row.target_name
        new_value = dict(row.new_value or {})
        current_value = dict(row.current_value or {})
    logger.info("execute %s: %s %s %s", proposal_id, kind.value, level.value, target_id)
    if account is None or account.token_status == "invalid":
        return _finish(
            rt,
            workspace_id,
            proposal_id,
            "failed",
            {"error": {"kind": "token", "message": "the ad account's access is invalid"}},
            now,
        )
    if kind is ActionKind.MOVE_BUDGET:  # --- issue 18: two legs, together or not at all
        first, second = legs_of(account.id, level, target_id, target_name, new_value, current_value)
        state, outcome = execute_move(rt, workspace_id, account, first, second, _set_budget)
        if state == "throttled":
            return reschedule(rt, workspace_id, proposal_id, float(outcome["seconds"]), now)
        return _finish(rt, workspace_id, proposal_id, state, outcome, now)
    ads = rt.ads(account)
    try:
        # Calls on the target's id are the account's too (its usage, its throttling block).
        with account_scope(account.external_id):
            if kind is not ActionKind.CREATE_DRAFT:
                fresh = read_target(ads, level, target_id)
                changed = _changed(current_value, fresh)
                if changed:
                    return _stale(rt, workspace_id, proposal_id, fresh, now)
            response = _apply(ads, account.external_id, kind, level, target_id, new_value, now)
    except AdsError as exc:
        if isinstance(exc, Throttled) and exc.retry_after:
            return reschedule(rt, workspace_id, proposal_id, exc.retry_after, now)
        logger.warning("execute %s: platform refused: %s", proposal_id, exc.message)
        error = {
            "kind": "ambiguous" if isinstance(exc, AmbiguousWrite) else "platform",
            "type": type(exc).__name__,
            "message": exc.message,
            "code": exc.code,
            "subcode": exc.subcode,
            "trace_id": exc.trace_id,
        }
        partial = getattr(exc, "created", None)
        result: dict[str, Any] = {"error": error}
        if partial:
            result["created"] = partial
        return _finish(rt, workspace_id, proposal_id, "failed", result, now)
    except Exception as exc:  # a bug: record it, then let the job fail loudly
        logger.exception("execute %s: unexpected error", proposal_id)
        error = {"kind": "internal", "type": type(exc).__name__, "message": str(exc)[:200]}
        _finish(rt, workspace_id, proposal_id, "failed", {"error": error}, now)
        raise
    return _finish(rt, workspace_id, proposal_id, "executed", response, now)


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except ArithmeticError:
        return str(a) == str(b)


def _changed(current_value: dict[str, Any], fresh: TargetState) -> bool:
    """Whether the target differs from what the proposal was judged on."""
    if not fresh.found:
        return True
    snapshot = fresh.snapshot()
    return any(not _same(value, snapshot.get(key)) for key, value in current_value.items())


def _apply(
    ads: AdsPlatform,
    account_id: str,
    kind: ActionKind,
    level: Level,
    target_id: str,
    new_value: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """The one place platform writes happen. Returns the platform's response."""
    if kind is ActionKind.CREATE_DRAFT:
        return {"created": create_draft(ads, account_id, new_value)}
    if kind is ActionKind.SET_BUDGET:
        amount = money(new_value.get("daily_budget"))
        if amount is None:
            raise ValueError("set_budget without a daily_budget")
        ads.set_daily_budget(target_id, amount)
    else:
        status = Status(new_value["status"])
        extra: dict[str, Any] = {}
        if new_value.get("study"):  # a split test starts before its ad sets deliver
            extra = studies.start_study(ads, account_id, new_value["study"], now)
        if new_value.get("end_study"):  # ended first: a refusal leaves the status untouched
            extra = studies.end_study(ads, str(new_value["end_study"]), now)
        try:
            if (
                new_value.get("with_children")
                and level is Level.CAMPAIGN
                and status is Status.ACTIVE
            ):
                _activate_children(ads, account_id, target_id)
            ads.set_status(target_id, status)
        except AdsError:
            # Together or not at all: a start that did not happen leaves no study behind.
            studies.undo_start(ads, extra, now)
            raise
        after = read_target(ads, level, target_id)
        return {"response": {"platform": ads.platform, "after": after.snapshot()}, **extra}
    after = read_target(ads, level, target_id)
    return {"response": {"platform": ads.platform, "after": after.snapshot()}}


def _set_budget(ads: AdsPlatform, target_id: str, amount: Decimal) -> None:
    """A budget move's leg (supervisor/moves.py sequences them; the write happens here)."""
    ads.set_daily_budget(target_id, amount)


def _activate_children(ads: AdsPlatform, account_id: str, campaign_id: str) -> None:
    """Starting a draft (an A/B test's campaign): its paused ad sets and ads go live with it,
    children first, so nothing delivers before the campaign itself is switched on."""
    for adset in ads.list_adsets(account_id, campaign_id):
        for ad in ads.list_ads(account_id, adset.id):
            if ad.status is Status.PAUSED:
                ads.set_status(ad.id, Status.ACTIVE)
        if adset.status is Status.PAUSED:
            ads.set_status(adset.id, Status.ACTIVE)


class DraftFailed(AdsError):
    """Creating a draft stopped half way; ``created`` lists what exists (all PAUSED)."""

    def __init__(self, cause: AdsError, created: dict[str, Any]) -> None:
        super().__init__(
            cause.message, code=cause.code, subcode=cause.subcode, trace_id=cause.trace_id
        )
        self.created = created


def _draft(cls: type, data: dict[str, Any], **fixed: Any) -> Any:
    """A draft dataclass from a spec dict: known fields only, money as Decimal minor units."""
    names = {f.name for f in fields(cls)}
    values = {k: v for k, v in data.items() if k in names}
    if "daily_budget" in values:
        values["daily_budget"] = money(values["daily_budget"])
    if "special_ad_categories" in values:
        values["special_ad_categories"] = tuple(values["special_ad_categories"] or ())
    values.update(fixed)
    return cls(**values)


def create_draft(ads: AdsPlatform, account_id: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Campaign, ad sets, creatives and ads, all created PAUSED; ids of what was created."""
    created: dict[str, Any] = {"campaign": None, "adsets": [], "creatives": [], "ads": []}
    try:
        campaign = ads.create_campaign(account_id, _draft(CampaignDraft, spec["campaign"]))
        created["campaign"] = campaign.id
        for adset in spec.get("adsets") or ():
            made = ads.create_adset(account_id, _draft(AdSetDraft, adset, campaign_id=campaign.id))
            created["adsets"].append(made.id)
        for creative in spec.get("creatives") or ():
            created["creatives"].append(
                ads.create_creative(account_id, _draft(CreativeDraft, creative)).id
            )
        for ad in spec.get("ads") or ():
            adset_id = created["adsets"][int(ad.get("adset_index", 0))]
            creative_id = created["creatives"][int(ad.get("creative_index", 0))]
            made_ad = ads.create_ad(
                account_id,
                _draft(AdDraft, ad, adset_id=adset_id, creative_id=creative_id),
            )
            created["ads"].append(made_ad.id)
    except AdsError as exc:
        raise DraftFailed(exc, created) from exc
    return created


def _finish(
    rt: Runtime,
    workspace_id: int,
    proposal_id: str,
    state: str,
    outcome: dict[str, Any],
    now: datetime,
) -> str:
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, proposal_id)
        assert row is not None
        values: dict[str, Any] = {"result": {**(row.result or {}), **outcome}, "lease_until": None}
        if state == "executed":
            values["executed_at"] = now
        if not compare_and_set(session, proposal_id, "executing", state, **values):
            logger.warning("execute %s: no longer executing, outcome not recorded", proposal_id)
            return str(session.scalar(_state_of(proposal_id)))
        audit(
            session,
            workspace_id,
            at=now,
            actor="system:executor",
            action=f"proposal.{state}",
            subject=row.target_id,
            detail={**audit_detail(row), **outcome},
        )
        has_cards = bool((row.result or {}).get("cards"))
        conversation_id, undo_of = row.conversation_id, row.undo_of
    logger.info("execute %s: %s", proposal_id, state)
    _tell(rt, workspace_id, proposal_id, has_cards, conversation_id)
    if state == "executed" and undo_of:  # the original's card: "undone by", no Undo button
        try:
            refresh_cards(rt, workspace_id, undo_of)
        except Exception:
            logger.exception("execute %s: could not update the undone card", proposal_id)
    return state


def settle(rt: Runtime, workspace_id: int, proposal_id: str, *, now: datetime | None = None) -> str:
    """An execution that died half way (worker killed, job timed out): read the target back.

    If the platform shows the new values the proposal is ``executed``, otherwise
    ``failed`` (not applied); either way the cards are refreshed and the admins
    told. A draft cannot be read back by id, so an interrupted one fails, saying so.
    Returns the proposal's state afterwards (unchanged if it was not executing).
    """
    now = now if now is not None else rt.now()
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, proposal_id)
        if row is None or row.state != "executing":
            return row.state if row else "unknown"
        account = session.get(AdAccount, row.ad_account_id)
        kind, level, target_id = ActionKind(row.kind), Level(row.target_level), row.target_id
        target_name = row.target_name or row.target_id
        new_value = dict(row.new_value or {})
        row_name, cur_value = row.target_name, dict(row.current_value or {})  # a move's legs
    outcome: dict[str, Any]
    state = "failed"
    if kind is ActionKind.MOVE_BUDGET and account is not None:  # --- issue 18: both legs
        first, second = legs_of(account.id, level, target_id, row_name, new_value, cur_value)
        try:
            state, outcome = settle_move(rt, workspace_id, account, first, second, _set_budget)
        except AdsError as exc:
            outcome = {"error": {"kind": "interrupted", "message": f"not verified: {exc}"}}
        logger.warning("execute %s: interrupted move; the platforms say %s", proposal_id, state)
        final = _finish(rt, workspace_id, proposal_id, state, outcome, now)
        if final == state:
            key = f"reliability.change_settled_{state}"
            try:
                alert_admins(rt, workspace_id, key, target=target_name, proposal=proposal_id[:8])
            except Exception:
                logger.exception("execute %s: could not tell the admins", proposal_id)
        return final
    try:
        if account is None or kind is ActionKind.CREATE_DRAFT:
            raise LookupError("cannot be read back")
        with account_scope(account.external_id):
            fresh = read_target(rt.ads(account), level, target_id)
        snapshot = fresh.snapshot()
        # What a read-back can show: the status or budget (not the children or a study).
        shown = {k: v for k, v in new_value.items() if k not in NOT_READ_BACK}
        applied = fresh.found and all(_same(v, snapshot.get(k)) for k, v in shown.items())
    except (AdsError, LookupError) as exc:
        outcome = {"error": {"kind": "interrupted", "message": f"not verified: {exc}"}}
    else:
        if applied:
            state = "executed"
            outcome = {"response": {"after": snapshot}, "reconciled": True}
        else:
            outcome = {"error": {"kind": "interrupted", "now": snapshot}, "reconciled": True}
    logger.warning("execute %s: interrupted; the platform says %s", proposal_id, state)
    final = _finish(rt, workspace_id, proposal_id, state, outcome, now)
    if final == state:
        key = f"reliability.change_settled_{state}"
        try:
            alert_admins(rt, workspace_id, key, target=target_name, proposal=proposal_id[:8])
        except Exception:
            logger.exception("execute %s: could not tell the admins", proposal_id)
    return final


def reschedule(
    rt: Runtime, workspace_id: int, proposal_id: str, seconds: float, now: datetime
) -> str:
    """Meta blocked the account for a while: run again when access returns (same job id).

    The proposal goes back to ``approved`` (nothing was written), the job is queued
    for the moment Meta named, and the people on its cards are told when it applies.
    """
    when = utcnow() + timedelta(seconds=seconds + RESCHEDULE_MARGIN_SECONDS)
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, proposal_id)
        assert row is not None
        throttled = {"until": when.isoformat(), "seconds": round(seconds)}
        if not compare_and_set(
            session,
            proposal_id,
            "executing",
            "approved",
            lease_until=None,
            result={**(row.result or {}), "throttled": throttled},
        ):
            return str(session.scalar(_state_of(proposal_id)))
        audit(
            session,
            workspace_id,
            at=now,
            actor="system:executor",
            action="proposal.rescheduled",
            subject=row.target_id,
            detail={**audit_detail(row), "throttled": throttled},
        )
        conversation_id, target = row.conversation_id, row.target_name or row.target_id
        prefs = workspace_settings(session, workspace_id)
        conversation = session.get(Conversation, conversation_id) if conversation_id else None
        to = destination_for(conversation, prefs.language) if conversation else None
        locale = Locale(language=prefs.language, timezone=prefs.timezone)
    logger.warning("execute %s: Meta blocked the account; again at %s", proposal_id, when)
    try:
        start_execution(rt, workspace_id, proposal_id, on_queue_down="keep", at=when)
    except UserFacingError:
        logger.error("execute %s: cannot schedule; the approvals sweep will retry", proposal_id)
    text = locale.t("reliability.change_rescheduled", target=target, at=locale.datetime(when))
    try:
        refresh_cards(rt, workspace_id, proposal_id)
        if to is not None:
            rt.sender(to.channel).send(to, Reply(text, kind="notice"))
    except Exception:
        logger.exception("execute %s: could not tell about the new time", proposal_id)
    return "approved"


def _state_of(proposal_id: str) -> Any:
    return select(Proposal.state).where(Proposal.id == proposal_id)


def _tell(
    rt: Runtime, workspace_id: int, proposal_id: str, has_cards: bool, conversation_id: int | None
) -> None:
    """Update every card; with none shown yet, tell the proposing conversation."""
    try:
        if has_cards:
            refresh_cards(rt, workspace_id, proposal_id)
        elif conversation_id is not None:
            show_card(rt, workspace_id, proposal_id, outbox=None, conversation_id=conversation_id)
    except Exception:
        logger.exception("execute %s: could not show the outcome", proposal_id)


def _stale(
    rt: Runtime, workspace_id: int, proposal_id: str, fresh: TargetState, now: datetime
) -> str:
    """The target changed since the proposal: fail it and judge a fresh one instead."""
    snapshot = fresh.snapshot()
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, proposal_id)
        assert row is not None
        before = dict(row.current_value or {})
        new_value = dict(row.new_value or {})
        seen_now = {k: snapshot.get(k) for k in before} if fresh.found else {}
        already = fresh.found and all(_same(v, snapshot.get(k)) for k, v in new_value.items())
        retry = None
        if fresh.found and not already:
            retry = replace(recorded_proposal(row), current_value=seen_now)
        account_pk = row.ad_account_id
        conversation_id = row.conversation_id
        channel = row.decided_channel or ""
    error = {
        "kind": "stale",
        "before": before,
        "now": seen_now,
        "found": fresh.found,
        "already_applied": already,
    }
    logger.info(
        "execute %s: target changed (%s -> %s), re-evaluating", proposal_id, before, seen_now
    )
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, proposal_id)
        assert row is not None
        audit(
            session,
            workspace_id,
            at=now,
            actor="system:executor",
            action="proposal.stale",
            subject=row.target_id,
            detail={**audit_detail(row), "error": error},
        )
    state = _finish(rt, workspace_id, proposal_id, "failed", {"error": error}, now)
    if retry is not None and account_pk is not None:
        submission = submit(
            rt,
            workspace_id,
            account_pk,
            retry,
            conversation_id=conversation_id,
            channel=channel,
            announce=conversation_id is not None,
        )
        with rt.db.session(workspace_id) as session:
            row = session.get(Proposal, proposal_id)
            if row is not None:
                row.result = {**(row.result or {}), "replaced_by": submission.proposal_id}
        logger.info(
            "execute %s: re-evaluated as %s (%s)",
            proposal_id,
            submission.proposal_id,
            submission.verdict,
        )
    return state

"""Budget moves: one proposal with two legs that execute together or not at all (issue 18).

"mover R$ 200/dia do Prospecção para o Search Marca" cuts one campaign's daily budget and
raises another's by the same amount, possibly on another account or platform of the
workspace. It is ONE proposal (kind ``move_budget``): the row's target is the first leg
(on the row's account); ``new_value``/``current_value`` carry the first leg's
``daily_budget`` and its ``platform``, and under ``"pair"`` the second leg's identity
(account pk, platform, level, id, name) with its ``daily_budget``. Swapping new and current
(:func:`supervisor.proposals.inverse`) is therefore the inverse move, which is the undo.

The policy judges each leg as a budget change against its own account's fresh context;
the move's verdict is the stricter of the two, with the warnings of both. The executor
re-reads both targets, applies the cut first, then the raise; if the raise fails the cut
is put back, so a failed move changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from ads.base import AdsPlatform, Level
from ads.errors import AdsError, Throttled
from ads.graph import account_scope
from storage.models import AdAccount, Role
from supervisor import move_messages  # noqa: F401  (registers the words used here)
from supervisor.context import account_facts, fetch_context, read_target
from supervisor.platform_limits import guard
from supervisor.policy import Evaluation, PolicyContext, TargetState, evaluate, restoration
from supervisor.proposals import ActionKind, ActionProposal, Proposer, minor_str, money
from supervisor.reasons import PolicyWarning
from supervisor.thresholds import PolicyConfig
from vocabulary.i18n import Locale
from vocabulary.platforms import PLATFORMS
from vocabulary.runtime import Runtime
from vocabulary.untrusted import inert

logger = logging.getLogger(__name__)

PAIR = "pair"

#: The executor's budget write, passed in: only ``supervisor/executor.py`` calls platform writes.
BudgetWriter = Callable[[AdsPlatform, str, Decimal], None]


@dataclass(frozen=True)
class Leg:
    """One side of a move: a campaign (or ad set) and its daily budget before and after."""

    account_pk: int
    platform: str
    level: Level
    target_id: str
    name: str
    current: Decimal
    new: Decimal

    @property
    def cut(self) -> bool:
        return self.new < self.current


def _identity(leg: Leg) -> dict[str, Any]:
    return {
        "account": leg.account_pk,
        "platform": leg.platform,
        "level": leg.level.value,
        "id": leg.target_id,
        "name": leg.name,
    }


def move_budget(source: Leg, dest: Leg, *, reason: str, proposer: Proposer) -> ActionProposal:
    """The move as one proposal: ``source`` (the cut) is the row's target, ``dest`` its pair."""
    return ActionProposal(
        ActionKind.MOVE_BUDGET,
        source.level,
        source.target_id,
        source.name,
        {
            "daily_budget": minor_str(source.new),
            "platform": source.platform,
            PAIR: {**_identity(dest), "daily_budget": minor_str(dest.new)},
        },
        {
            "daily_budget": minor_str(source.current),
            "platform": source.platform,
            PAIR: {**_identity(dest), "daily_budget": minor_str(dest.current)},
        },
        reason,
        proposer,
    )


def legs_of(
    account_pk: int,
    level: Level | str,
    target_id: str,
    name: str,
    new_value: dict[str, Any],
    current_value: dict[str, Any],
) -> tuple[Leg, Leg]:
    """Both legs of a stored move (first: the row's target on the row's account)."""
    pair_new, pair_current = dict(new_value.get(PAIR) or {}), dict(current_value.get(PAIR) or {})
    first = Leg(
        account_pk,
        str(new_value.get("platform") or "meta"),
        Level(level),
        target_id,
        name,
        money(current_value.get("daily_budget")) or Decimal(0),
        money(new_value.get("daily_budget")) or Decimal(0),
    )
    second = Leg(
        int(pair_new.get("account") or 0),
        str(pair_new.get("platform") or "meta"),
        Level(pair_new.get("level") or Level.CAMPAIGN.value),
        str(pair_new.get("id") or ""),
        str(pair_new.get("name") or ""),
        money(pair_current.get("daily_budget")) or Decimal(0),
        money(pair_new.get("daily_budget")) or Decimal(0),
    )
    return first, second


def legs(proposal: ActionProposal, account_pk: int) -> tuple[Leg, Leg]:
    return legs_of(
        account_pk,
        proposal.target_level,
        proposal.target_id,
        proposal.target_name,
        proposal.new_value,
        proposal.current_value,
    )


def ordered(first: Leg, second: Leg) -> tuple[Leg, Leg]:
    """(the cut, the raise): the cut always runs first, so spend never rises in between."""
    return (first, second) if first.cut or not second.cut else (second, first)


def _leg_proposal(move: ActionProposal, leg: Leg, restores: Any) -> ActionProposal:
    """One leg as the budget change the policy already knows how to judge."""
    single = ActionProposal(
        ActionKind.SET_BUDGET,
        leg.level,
        leg.target_id,
        leg.name,
        {"daily_budget": minor_str(leg.new)},
        {"daily_budget": minor_str(leg.current)},
        move.reason,
        move.proposer,
        extra=dict(move.extra),
    )
    if restores is not None:  # an undo: each leg is judged as a restoration of its own value
        single = replace(single, extra={**move.extra, "restores": {"daily_budget": restores}})
    return single


def _with_current(proposal: ActionProposal, first: Decimal, second: Decimal) -> ActionProposal:
    current = dict(proposal.current_value)
    current["daily_budget"] = minor_str(first)
    current[PAIR] = {**dict(current.get(PAIR) or {}), "daily_budget": minor_str(second)}
    return replace(proposal, current_value=current)


_RANK = {"allow": 0, "approval": 1, "deny": 2}


def combine(cut: Evaluation, rise: Evaluation) -> Evaluation:
    """The move's verdict: the stricter leg's, with the reasons of both (each said once).
    The money at stake is the raised leg's new budget, as for a budget change."""
    verdict = cut.verdict if _RANK[cut.verdict] >= _RANK[rise.verdict] else rise.verdict
    denials = _unique(cut.denials + rise.denials)
    warnings = () if verdict == "deny" else _unique(cut.warnings + rise.warnings)
    return Evaluation(verdict, warnings, denials, fast_track=False, amount=rise.amount)


def _unique(items: tuple[PolicyWarning, ...]) -> tuple[PolicyWarning, ...]:
    out: list[PolicyWarning] = []
    for item in items:
        if item not in out:
            out.append(item)
    return tuple(out)


def judge_move(
    rt: Runtime,
    workspace_id: int,
    account_pk: int,
    proposal: ActionProposal,
    first_ctx: PolicyContext,
    config: PolicyConfig,
    requester: Role | None,
) -> tuple[ActionProposal, Evaluation]:
    """Both legs judged, each against its own account's fresh context (read like submit's)."""
    first, second = legs(proposal, account_pk)
    with rt.db.session(workspace_id) as session:
        other = session.get(AdAccount, second.account_pk)
        if other is None or other.workspace_id != workspace_id:
            gone = PolicyWarning("supervisor.deny.not_found", severity="deny")
            return proposal, Evaluation("deny", (), (gone,))
        probe = _leg_proposal(proposal, second, None)
        facts = account_facts(session, other, probe, first_ctx.now)
    second_ctx = fetch_context(rt.ads(other), facts, probe, first_ctx.now)
    first_now = first_ctx.target.daily_budget if first_ctx.target.found else None
    second_now = second_ctx.target.daily_budget if second_ctx.target.found else None
    proposal = _with_current(
        proposal,
        first.current if first_now is None else first_now,
        second.current if second_now is None else second_now,
    )
    first, second = legs(proposal, account_pk)
    expected = restoration(proposal) or {}
    pair_expected = dict(expected.get(PAIR) or {})
    one = evaluate(
        _leg_proposal(proposal, first, expected.get("daily_budget")),
        first_ctx,
        config,
        requester=requester,
    )
    two = evaluate(
        _leg_proposal(proposal, second, pair_expected.get("daily_budget")),
        second_ctx,
        config,
        requester=requester,
    )
    with rt.db.session(workspace_id) as session:  # each leg within its platform's own limit
        here, there = session.get(AdAccount, account_pk), session.get(AdAccount, second.account_pk)
        if here is not None and there is not None:
            leg_one, leg_two = (_leg_proposal(proposal, leg, None) for leg in (first, second))
            one = guard(session, here, leg_one, first_ctx, one, across=False)
            two = guard(session, there, leg_two, second_ctx, two, across=False)
    verdict = combine(one, two) if first.cut else combine(two, one)
    if ActionKind.MOVE_BUDGET in config.always_approve and verdict.verdict == "allow":
        always = PolicyWarning("supervisor.warn.always", params={"kind": "move_budget"})
        verdict = replace(verdict, verdict="approval", warnings=(always, *verdict.warnings))
    return proposal, verdict


# --- execution -----------------------------------------------------------------------------------


def _error(exc: AdsError, kind: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "type": type(exc).__name__,
        "message": exc.message,
        "code": exc.code,
        "subcode": exc.subcode,
        "trace_id": exc.trace_id,
    }


class _Wire:
    """Both legs' accounts and connectors, reading and writing past the cache."""

    def __init__(self, rt: Runtime, accounts: dict[int, AdAccount], writer: BudgetWriter) -> None:
        self.accounts = accounts
        self.writer = writer
        self.platforms: dict[int, AdsPlatform] = {pk: rt.ads(a) for pk, a in accounts.items()}

    def read(self, leg: Leg) -> TargetState:
        with account_scope(self.accounts[leg.account_pk].external_id):
            return read_target(self.platforms[leg.account_pk], leg.level, leg.target_id)

    def write(self, leg: Leg, amount: Decimal) -> None:
        with account_scope(self.accounts[leg.account_pk].external_id):
            self.writer(self.platforms[leg.account_pk], leg.target_id, amount)


def _wire(
    rt: Runtime, workspace_id: int, account: AdAccount, second: Leg, writer: BudgetWriter
) -> _Wire | None:
    """The connectors of both legs, or None when the pair's account is gone or locked out."""
    with rt.db.session(workspace_id) as session:
        other = session.get(AdAccount, second.account_pk)
        if other is not None:
            session.expunge(other)
    if other is None or other.workspace_id != workspace_id or other.token_status == "invalid":
        return None
    return _Wire(rt, {account.id: account, second.account_pk: other}, writer)


_NO_ACCESS = {"error": {"kind": "token", "message": "the ad account's access is invalid"}}


def execute_move(
    rt: Runtime,
    workspace_id: int,
    account: AdAccount,
    first: Leg,
    second: Leg,
    writer: BudgetWriter,
) -> tuple[str, dict[str, Any]]:
    """Run both legs: ``("executed" | "failed", outcome)``, or ``("throttled", {"seconds"})``
    when the platform blocked the account before anything was written (run it again later).
    ``writer`` is the executor's budget write (the one place platform writes happen).
    """
    wire = _wire(rt, workspace_id, account, second, writer)
    if wire is None:
        return "failed", dict(_NO_ACCESS)
    cut, rise = ordered(first, second)
    try:
        fresh = [wire.read(leg) for leg in (first, second)]
    except AdsError as exc:
        if isinstance(exc, Throttled) and exc.retry_after:
            return "throttled", {"seconds": exc.retry_after}
        return "failed", {"error": _error(exc, "move_not_started")}
    for leg, state in zip((first, second), fresh, strict=True):
        if not state.found or state.daily_budget != leg.current:
            return "failed", {
                "error": {
                    "kind": "stale",
                    "name": leg.name,
                    "before": {"daily_budget": minor_str(leg.current)},
                    "now": state.snapshot() if state.found else {},
                    "found": state.found,
                    "already_applied": False,
                }
            }
    try:
        wire.write(cut, cut.new)
    except AdsError as exc:
        if isinstance(exc, Throttled) and exc.retry_after:
            return "throttled", {"seconds": exc.retry_after}
        return "failed", {"error": _error(exc, "move_not_started")}
    try:
        wire.write(rise, rise.new)
    except AdsError as exc:
        if not _landed(wire, rise):
            logger.warning("move: raise on %s failed (%s); putting the cut back", rise.name, exc)
            return _unwind(wire, cut, _error(exc, "move_failed"))
    after: dict[str, Any]
    try:
        after = {"after": wire.read(first).snapshot(), "pair_after": wire.read(second).snapshot()}
    except AdsError:  # both writes were accepted; the read-back is only a record
        after = {"after": {"daily_budget": minor_str(first.new)}, "unverified": True}
    return "executed", {"response": {"platform": account.platform, **after}}


def _unwind(wire: _Wire, cut: Leg, error: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Put the cut back after the raise failed: the move then changed nothing."""
    try:
        wire.write(cut, cut.current)
    except AdsError as back:
        logger.error("move: the cut on %s could not be put back: %s", cut.name, back)
        return "failed", {"error": {**error, "kind": "move_half"}, "compensation": back.message}
    return "failed", {"error": error, "compensated": True}


def settle_move(
    rt: Runtime,
    workspace_id: int,
    account: AdAccount,
    first: Leg,
    second: Leg,
    writer: BudgetWriter,
) -> tuple[str, dict[str, Any]]:
    """A move whose worker died half way: read both legs back. Both at their new budgets:
    executed; the cut alone: put back, failed; neither: failed (not applied)."""
    wire = _wire(rt, workspace_id, account, second, writer)
    if wire is None:
        return "failed", dict(_NO_ACCESS)
    cut, _ = ordered(first, second)
    if all(_landed(wire, leg) for leg in (first, second)):
        after = {"after": wire.read(first).snapshot(), "pair_after": wire.read(second).snapshot()}
        return "executed", {"response": after, "reconciled": True}
    if _landed(wire, cut):
        interrupted = {"kind": "move_failed", "message": "interrupted"}
        state, outcome = _unwind(wire, cut, interrupted)
        return state, {**outcome, "reconciled": True}
    return "failed", {
        "error": {"kind": "interrupted", "message": "not applied"},
        "reconciled": True,
    }


def _landed(wire: _Wire, leg: Leg) -> bool:
    """Whether a leg's new budget is on the platform (also after a write that reported an
    error, e.g. a timeout after the platform applied it: that move must not be unwound)."""
    try:
        state = wire.read(leg)
    except AdsError:
        return False
    return state.found and state.daily_budget == leg.new


# --- words ---------------------------------------------------------------------------------------


def _label(platform: str) -> str:
    info = PLATFORMS.get(platform)
    return info.label if info is not None else platform


def move_platforms(new_value: dict[str, Any]) -> str:
    """ "Meta e Google Ads"-free label for a card's "done on": both platforms, or the one."""
    first, second = legs_of(0, Level.CAMPAIGN, "", "", new_value, {})
    labels = [_label(first.platform), _label(second.platform)]
    return labels[0] if labels[0] == labels[1] else " + ".join(labels)


def describe_move(
    name: str,
    new_value: dict[str, Any],
    current_value: dict[str, Any],
    locale: Locale,
    currency: str,
) -> str:
    """ "mover R$ 200,00/dia de “X” (Meta) para “Y” (Google Ads): R$ 500 → R$ 300 e …"."""
    source, dest = ordered(*legs_of(0, Level.CAMPAIGN, "", name, new_value, current_value))
    return locale.t(
        "supervisor.action.move_budget",
        amount=locale.money(source.current - source.new, currency),
        source=inert(source.name, 160),
        source_platform=_label(source.platform),
        dest=inert(dest.name, 160),
        dest_platform=_label(dest.platform),
        source_old=locale.money(source.current, currency),
        source_new=locale.money(source.new, currency),
        dest_old=locale.money(dest.current, currency),
        dest_new=locale.money(dest.new, currency),
    )


def move_failure(
    error: dict[str, Any],
    name: str,
    new_value: dict[str, Any],
    current_value: dict[str, Any],
    locale: Locale,
    currency: str,
) -> list[str] | None:
    """The card's lines for a failed move, or None when the error is not a move's own."""
    source, _ = ordered(*legs_of(0, Level.CAMPAIGN, "", name, new_value, current_value))
    message = str(error.get("message") or "?")[:280]
    kind = error.get("kind")
    params = {
        "error": message,
        "source": inert(source.name, 160),
        "source_old": locale.money(source.current, currency),
        "source_new": locale.money(source.new, currency),
    }
    if kind == "move_failed":
        return [locale.t("supervisor.card.move_failed", **params)]
    if kind == "move_half":
        return [locale.t("supervisor.card.move_half", **params)]
    if kind == "move_not_started":
        return [locale.t("supervisor.card.move_not_started", error=message)]
    if kind == "stale" and error.get("name"):
        before = money((error.get("before") or {}).get("daily_budget"))
        now = money((error.get("now") or {}).get("daily_budget"))
        return [
            locale.t(
                "supervisor.card.move_stale",
                name=inert(str(error["name"]), 160),
                before=locale.money(before, currency),
                now=locale.money(now, currency) if now is not None else "—",
            )
        ]
    return None

"""One night of the engine: its working state, its policy rules, and how a decision is written.

The rules every decision obeys whatever its kind live here: the cooldown after
a budget change, the memory of rejected proposals (same target and direction
blocked for ``rejection_days`` unless a figure on the card moved materially),
and the write-up of a decision with its figures (budgets, marginal ROAS with
its interval, profit change per day with its range, provisional days used).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.brain.curves import Estimate
from analytics.brain.objective import MoneyRange, RatioRange
from analytics.brain.plan import (
    DOWN,
    UP,
    AccountSnapshot,
    Change,
    Decision,
    Hold,
    Kind,
    ObjectState,
    Policy,
    Reason,
)


@dataclass
class Night:
    snap: AccountSnapshot
    be: float | None
    margin: float | None
    decisions: list[Decision] = field(default_factory=list)
    held: list[Hold] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def policy(self) -> Policy:
        return self.snap.policy

    def hold(self, obj: ObjectState, wanted: str, code: str) -> None:
        self.held.append(Hold(obj.object_id, wanted, code))

    def cooling(self, obj: ObjectState) -> bool:
        last = obj.last_budget_change
        return last is not None and (self.snap.today - last).days < self.policy.cooldown_days

    def figures(self, obj: ObjectState) -> dict[str, float]:
        out: dict[str, float] = {}
        if obj.daily_budget:
            out["spend"] = obj.pace * obj.daily_budget
        if obj.curve is not None and obj.daily_budget:
            out["marginal_roas"] = obj.curve.marginal_roas(obj.pace * obj.daily_budget).mean
        if obj.evidence is not None:
            out["roas"] = obj.evidence.current.roas().mean
        return out

    def rejected(self, obj: ObjectState, direction: str) -> tuple[bool, tuple[Change, ...]]:
        """(still blocked, what changed) for the latest rejection of this target+direction."""
        recent = [
            r
            for r in self.snap.rejections
            if r.target_id == obj.object_id
            and r.direction == direction
            and 0 <= (self.snap.today - r.day).days < self.policy.rejection_days
        ]
        if not recent:
            return False, ()
        then = max(recent, key=lambda r: r.day).figures
        now = self.figures(obj)
        changes = tuple(
            Change(key, float(then[key]), now[key])
            for key in sorted(set(then) & set(now))
            if abs(now[key] - float(then[key]))
            >= self.policy.material_change * max(abs(float(then[key])), 1e-9)
        )
        return (not changes), changes


@dataclass
class Gate:
    """What one holder may do tonight."""

    obj: ObjectState
    budget: float
    can_move: bool  # not cooling down, not learning
    step_low: float
    up_high: float  # the highest budget a raise may reach (B when no raise)
    down_low: float  # the lowest budget a trim may reach (B when no trim)
    realloc_low: float  # the lowest budget a reallocation or limit cut may reach
    changes: dict[str, tuple[Change, ...]] = field(default_factory=dict)


def pause_decision(
    night: Night, obj: ObjectState, kind: Kind, reason: Reason, changes: tuple[Change, ...]
) -> Decision:
    spend = obj.pace * obj.daily_budget if obj.daily_budget else None
    evidence = obj.evidence
    revenue: Estimate | None = None
    if obj.curve is not None and spend:
        revenue = obj.curve.expected(spend).scaled(-1)
    elif evidence is not None and evidence.settled.days:
        posterior = evidence.settled
        spend = posterior.spend / posterior.days
        revenue = posterior.roas().scaled(-spend)
    profit = None
    if revenue is not None and night.margin is not None and spend:
        profit = Estimate(
            revenue.mean * night.margin + spend,
            revenue.low * night.margin + spend,
            revenue.high * night.margin + spend,
        )
    average = evidence.settled.roas() if evidence is not None else None
    return Decision(
        kind=kind,
        reason=reason,
        object_id=obj.object_id,
        name=obj.name,
        level=obj.level,
        campaign_id=obj.campaign_id,
        current_budget=obj.daily_budget,
        proposed_budget=None,
        spend_change=-round(spend or 0),
        revenue_change=MoneyRange.of(revenue) if revenue is not None else None,
        profit_change=MoneyRange.of(profit) if profit is not None else None,
        marginal_roas=_marginal(obj, spend),
        marginal_roas_after=None,
        average_roas=RatioRange.of(average) if average is not None else None,
        p_marginal_above_break_even=None,
        break_even=night.snap.objective.break_even_roas,
        break_even_source=night.snap.objective.break_even_source,
        provisional_days=(),  # pauses are decided on settled days only
        protective=True,
        resets_learning=False,
        changed_since_rejection=changes,
        figures=night.figures(obj),
    )


def _marginal(obj: ObjectState, spend: float | None) -> RatioRange | None:
    if obj.curve is None or not spend:
        return None
    return RatioRange.of(obj.curve.marginal_roas(spend))


def budget_decision(
    night: Night,
    gate: Gate,
    new: int,
    kind: Kind,
    reason: Reason,
    related: tuple[str, ...],
) -> Decision:
    obj, curve = gate.obj, gate.obj.curve
    assert curve is not None
    before, after = obj.pace * gate.budget, obj.pace * new
    delta = curve.profit_change(before, after, 1.0)  # revenue − spend
    revenue = Estimate(
        delta.mean + after - before, delta.low + after - before, delta.high + after - before
    )
    profit = curve.profit_change(before, after, night.margin) if night.margin else None
    evidence = obj.evidence
    direction = UP if new > gate.budget else DOWN
    return Decision(
        kind=kind,
        reason=reason,
        object_id=obj.object_id,
        name=obj.name,
        level=obj.level,
        campaign_id=obj.campaign_id,
        current_budget=int(gate.budget),
        proposed_budget=new,
        spend_change=round(after - before),
        revenue_change=MoneyRange.of(revenue),
        profit_change=MoneyRange.of(profit) if profit is not None else None,
        marginal_roas=RatioRange.of(curve.marginal_roas(before)),
        marginal_roas_after=RatioRange.of(curve.marginal_roas(after)),
        average_roas=RatioRange.of(evidence.current.roas()) if evidence is not None else None,
        p_marginal_above_break_even=(
            curve.p_marginal_above(before, night.be) if night.be is not None else None
        ),
        break_even=night.snap.objective.break_even_roas,
        break_even_source=night.snap.objective.break_even_source,
        provisional_days=evidence.provisional_days
        if evidence is not None
        else obj.provisional_days,
        protective=kind in (Kind.LIMIT_CUT, Kind.LIMIT_PAUSE),
        resets_learning=abs(new - gate.budget) > night.policy.max_step * gate.budget + 1,
        related=related,
        changed_since_rejection=gate.changes.get(direction, ()),
        figures=night.figures(obj),
    )

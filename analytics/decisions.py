"""The nightly decision engine: budget, scale, trim and pause decisions judged on profit.

A pure function, :func:`plan_night`, of a typed :class:`AccountSnapshot` (every
object's budget, curve, evidence and fatigue; the account's margin, targets and
month) to a :class:`NightPlan` of typed :class:`Decision` values, each carrying
its explanation as data. Nothing here reads a database or an API and nothing
acts: each decision becomes a proposal for the supervisor.

The order of the night:

1. PAUSE where even the average ROAS is below break-even with evidence on
   settled days (never on provisional figures, never on CPA alone while ROAS
   says profitable; CPA is used only when there is no break-even at all).
2. Budgets of the remaining holders (CBO campaigns, ABO ad sets individually)
   by equal-marginal allocation (:mod:`analytics.allocation`): SCALE towards the
   spend where the marginal ROAS meets break-even, only with evidence; TRIM
   where the average is fine but the marginal at today's spend is not. Steps of
   at most ``max_step`` (20%: a bigger change resets Meta's learning phase), one
   change per object per ``cooldown_days``, no raise for a fatigued or learning
   object, none past the ROAS/CPA targets.
3. The month: projected with today's pace and the budgets as they will be
   (not a trailing average). When it would cross the limit, REALLOCATE from low
   to high marginal profit within the steps; if that is not enough, LIMIT_CUT
   the lowest marginal profit first (protective: past the step and the cooldown),
   landing on the limit from below; LIMIT_PAUSE only if minimum budgets still
   do not fit.
4. Remembered rejections: the same target and direction is not proposed again
   for ``rejection_days`` unless a figure on its card moved by ``material_change``
   (the decision then lists what changed).

Everything the engine refrained from doing is recorded as a :class:`Hold`
(cooldown, learning, fatigue, no evidence, rejected...), for ``por que?``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from analytics.allocation import Slot, allocate
from analytics.curves import Estimate, ResponseCurve
from analytics.evidence import Evidence
from analytics.fatigue import FatigueSignal
from analytics.objective import MoneyRange, Objective, RatioRange

UP, DOWN, PAUSE_DIRECTION = "up", "down", "pause"


class Kind(StrEnum):
    SCALE = "scale"
    TRIM = "trim"
    REALLOCATE = "reallocate"
    PAUSE = "pause"
    LIMIT_CUT = "limit_cut"
    LIMIT_PAUSE = "limit_pause"


class Reason(StrEnum):
    MARGINAL_ABOVE_BREAK_EVEN = "marginal_above_break_even"
    MARGINAL_BELOW_BREAK_EVEN = "marginal_below_break_even"
    AVERAGE_BELOW_BREAK_EVEN = "average_below_break_even"
    CPA_ABOVE_TARGET = "cpa_above_target"  # only without any break-even ROAS
    HIGHER_MARGINAL_ELSEWHERE = "higher_marginal_elsewhere"
    HIGHER_MARGINAL_HERE = "higher_marginal_here"
    MONTHLY_LIMIT = "monthly_limit"


@dataclass(frozen=True)
class Policy:
    max_step: float = 0.20
    cooldown_days: int = 3
    rejection_days: int = 7
    material_change: float = 0.25
    min_change: float = 0.05  # smaller moves are noise, not worth a card or a cooldown
    min_daily_budget: int = 500  # minor units
    scale_confidence: float = 0.7  # P(marginal ROAS > break-even): a 20% step is cheap to undo
    trim_confidence: float = 0.8  # P(marginal ROAS < break-even)
    limit_buffer: float = 0.01  # share of the monthly limit kept in reserve


@dataclass(frozen=True)
class ObjectState:
    """One campaign or ad set tonight."""

    object_id: str
    name: str
    level: str  # campaign | adset
    campaign_id: str
    active: bool
    daily_budget: int | None  # minor units; None when the budget lives elsewhere (CBO ad set)
    curve: ResponseCurve | None
    evidence: Evidence | None
    fatigue: FatigueSignal | None = None
    last_budget_change: date | None = None
    learning: bool = False
    provisional_days: tuple[date, ...] = ()
    pace: float = 1.0  # share of its daily budget it spends (recent settled days)
    judged_by_results: bool = True  # False for awareness/traffic objectives


@dataclass(frozen=True)
class Rejection:
    """A proposal a person rejected, with the figures its card showed then."""

    target_id: str
    direction: str  # up | down | pause
    day: date
    figures: Mapping[str, float]


@dataclass(frozen=True)
class AccountSnapshot:
    account_id: str
    today: date  # the account's local date; budgets decided tonight apply from tomorrow
    objective: Objective
    objects: tuple[ObjectState, ...]
    monthly_limit: int | None = None  # this account's share of the limit, minor units
    month_to_date_spend: int = 0  # settled spend this month before today
    today_spend: int = 0  # spent so far today
    day_elapsed: float = 1.0  # share of today gone
    days_left: int = 0  # whole days after today in this month
    rejections: tuple[Rejection, ...] = ()
    policy: Policy = field(default_factory=Policy)
    budget_unit: int = 1  # budgets are proposed in multiples of this (minor units)


@dataclass(frozen=True)
class Change:
    figure: str
    then: float
    now: float


@dataclass(frozen=True)
class Decision:
    kind: Kind
    reason: Reason
    object_id: str
    name: str
    level: str
    campaign_id: str
    current_budget: int | None
    proposed_budget: int | None  # None: pause
    spend_change: int  # expected daily spend change, minor units
    revenue_change: MoneyRange | None
    profit_change: MoneyRange | None  # None without any break-even
    marginal_roas: RatioRange | None  # at today's spend
    marginal_roas_after: RatioRange | None
    average_roas: RatioRange | None
    p_marginal_above_break_even: float | None
    break_even: Decimal | None
    break_even_source: str | None  # margin | roas_target | None
    provisional_days: tuple[date, ...]
    protective: bool  # a limit cut or a clear loser's pause (past step and cooldown)
    resets_learning: bool
    related: tuple[str, ...] = ()  # the other side of a reallocation
    changed_since_rejection: tuple[Change, ...] = ()
    figures: Mapping[str, float] = field(default_factory=dict)  # kept if it is rejected

    @property
    def direction(self) -> str:
        if self.kind in (Kind.PAUSE, Kind.LIMIT_PAUSE):
            return PAUSE_DIRECTION
        assert self.proposed_budget is not None and self.current_budget is not None
        return UP if self.proposed_budget > self.current_budget else DOWN

    def to_json(self) -> dict[str, Any]:
        def rng(value: MoneyRange | RatioRange | None) -> Any:
            return value.to_json() if value is not None else None

        return {
            "kind": self.kind.value,
            "reason": self.reason.value,
            "object_id": self.object_id,
            "name": self.name,
            "level": self.level,
            "campaign_id": self.campaign_id,
            "current_budget": self.current_budget,
            "proposed_budget": self.proposed_budget,
            "spend_change": self.spend_change,
            "revenue_change": rng(self.revenue_change),
            "profit_change": rng(self.profit_change),
            "marginal_roas": rng(self.marginal_roas),
            "marginal_roas_after": rng(self.marginal_roas_after),
            "average_roas": rng(self.average_roas),
            "p_marginal_above_break_even": self.p_marginal_above_break_even,
            "break_even": str(self.break_even) if self.break_even is not None else None,
            "break_even_source": self.break_even_source,
            "provisional_days": [d.isoformat() for d in self.provisional_days],
            "protective": self.protective,
            "resets_learning": self.resets_learning,
            "related": list(self.related),
            "changed_since_rejection": [
                {"figure": c.figure, "then": c.then, "now": c.now}
                for c in self.changed_since_rejection
            ],
            "figures": dict(self.figures),
        }


@dataclass(frozen=True)
class Hold:
    """Something the figures suggested and the engine did not do, and why."""

    object_id: str
    wanted: str  # up | down | pause
    code: str  # cooldown | learning | fatigued | no_evidence | rejected | roas_target | cpa_target
    #            | provisional_only | no_curve | limit_unreachable


@dataclass(frozen=True)
class MonthProjection:
    limit: int | None
    month_to_date: int
    today: int  # today's expected spend at today's pace
    before: int  # month-end spend at current budgets
    after: int  # month-end spend with tonight's plan


@dataclass(frozen=True)
class NightPlan:
    account_id: str
    day: date
    break_even: Decimal | None
    break_even_source: str | None
    decisions: tuple[Decision, ...]
    held: tuple[Hold, ...]
    projection: MonthProjection
    notes: tuple[str, ...]  # break_even_is_roas_target | no_break_even | limit_unreachable


# --- the night ------------------------------------------------------------------------------


@dataclass
class _Night:
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


def plan_night(snap: AccountSnapshot) -> NightPlan:
    """The night's decisions for one account (pure; ≤ a few ms per object)."""
    be_decimal = snap.objective.break_even_roas
    night = _Night(snap, float(be_decimal) if be_decimal else None, snap.objective.margin)
    if snap.objective.break_even_source == "roas_target":
        night.notes.append("break_even_is_roas_target")
    elif be_decimal is None:
        night.notes.append("no_break_even")
    paused = _pauses(night)
    holders = [
        o
        for o in snap.objects
        if o.active and o.daily_budget and o.object_id not in paused and o.campaign_id not in paused
    ]
    current_total = sum(o.pace * (o.daily_budget or 0) for o in holders)
    paused_total = sum(
        o.pace * (o.daily_budget or 0)
        for o in snap.objects
        if o.active and o.daily_budget and (o.object_id in paused or o.campaign_id in paused)
    )
    today = snap.today_spend + (1 - snap.day_elapsed) * (current_total + paused_total)
    cap = _daily_cap(snap, today)
    new_budgets = _budgets(night, holders, cap)
    after_total = sum(o.pace * new_budgets.get(o.object_id, o.daily_budget or 0) for o in holders)
    before = snap.month_to_date_spend + today + snap.days_left * (current_total + paused_total)
    after = snap.month_to_date_spend + today + snap.days_left * after_total
    return NightPlan(
        account_id=snap.account_id,
        day=snap.today,
        break_even=be_decimal,
        break_even_source=snap.objective.break_even_source,
        decisions=tuple(night.decisions),
        held=tuple(night.held),
        projection=MonthProjection(
            snap.monthly_limit,
            snap.month_to_date_spend,
            round(today),
            round(before),
            round(after),
        ),
        notes=tuple(dict.fromkeys(night.notes)),
    )


def _daily_cap(snap: AccountSnapshot, today: float) -> float | None:
    """Total daily spend the rest of the month can afford (None: no limit this month)."""
    if snap.monthly_limit is None or snap.days_left <= 0:
        return None
    usable = snap.monthly_limit * (1 - snap.policy.limit_buffer)
    return max(usable - snap.month_to_date_spend - today, 0.0) / snap.days_left


# --- pauses ---------------------------------------------------------------------------------


def _pauses(night: _Night) -> set[str]:
    """Clear losers on settled days; campaigns first (their ad sets then go with them)."""
    paused: set[str] = set()
    objects = sorted(night.snap.objects, key=lambda o: o.level != "campaign")
    for obj in objects:
        if not obj.active or obj.evidence is None or not obj.judged_by_results:
            continue
        if obj.campaign_id in paused and obj.level != "campaign":
            continue
        reason = _loser(night, obj)
        if reason is None:
            continue
        if obj.learning:
            night.hold(obj, PAUSE_DIRECTION, "learning")
            continue
        blocked, changes = night.rejected(obj, PAUSE_DIRECTION)
        if blocked:
            night.hold(obj, PAUSE_DIRECTION, "rejected")
            continue
        paused.add(obj.object_id)
        night.decisions.append(_pause_decision(night, obj, Kind.PAUSE, reason, changes))
    return paused


def _loser(night: _Night, obj: ObjectState) -> Reason | None:
    evidence = obj.evidence
    assert evidence is not None
    if night.be is not None:
        if evidence.supports_pause(night.be):
            return Reason.AVERAGE_BELOW_BREAK_EVEN
        # The same case made only with provisional days: wait for them to settle.
        current = replace(evidence, settled=evidence.current)
        if evidence.provisional_days and current.supports_pause(night.be):
            night.hold(obj, PAUSE_DIRECTION, "provisional_only")
        return None
    target = night.snap.objective.target_cpa
    if target is not None and evidence.supports_cpa_pause(float(target)):
        return Reason.CPA_ABOVE_TARGET
    return None


def _pause_decision(
    night: _Night, obj: ObjectState, kind: Kind, reason: Reason, changes: tuple[Change, ...]
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


# --- budgets --------------------------------------------------------------------------------


@dataclass
class _Gate:
    """What one holder may do tonight."""

    obj: ObjectState
    budget: float
    can_move: bool  # not cooling down, not learning
    step_low: float
    up_high: float  # the highest budget a raise may reach (B when no raise)
    down_low: float  # the lowest budget a trim may reach (B when no trim)
    realloc_low: float  # the lowest budget a reallocation or limit cut may reach
    changes: dict[str, tuple[Change, ...]] = field(default_factory=dict)


def _gate(night: _Night, obj: ObjectState) -> _Gate:
    policy, be = night.policy, night.be
    curve, evidence = obj.curve, obj.evidence
    assert curve is not None and obj.daily_budget
    budget = float(obj.daily_budget)
    spend = obj.pace * budget
    cooling, learning = night.cooling(obj), obj.learning
    step_low = max(budget * (1 - policy.max_step), min(budget, float(policy.min_daily_budget)))
    step_high = budget * (1 + policy.max_step)
    gate = _Gate(obj, budget, not (cooling or learning), step_low, budget, budget, budget)
    blocked_down, changes_down = night.rejected(obj, DOWN)
    if changes_down:
        gate.changes[DOWN] = changes_down
    if gate.can_move and not blocked_down:
        gate.realloc_low = step_low
    free = curve.optimum_spend(be) / obj.pace if be is not None else budget
    wants_up = free > budget * (1 + policy.min_change) or be is None
    wants_down = be is not None and free < budget * (1 - policy.min_change)
    if wants_up:
        code = _up_blocker(night, obj, spend, cooling, learning)
        high = step_high
        if code is None:
            high, code = _target_caps(night, curve, obj.pace, step_high)
            if high <= budget * (1 + policy.min_change):
                high = budget
        if code is None:
            blocked, changes = night.rejected(obj, UP)
            code = "rejected" if blocked else None
            if changes:
                gate.changes[UP] = changes
        if code is not None and be is not None:
            night.hold(obj, UP, code)
        if code is None or code in ("roas_target", "cpa_target"):
            gate.up_high = max(high, budget)
    if wants_down:
        code = "cooldown" if cooling else "learning" if learning else None
        if code is None:
            sure = 1 - curve.p_marginal_above(spend, be or 0.0) >= policy.trim_confidence
            code = (
                None if sure and evidence is not None and evidence.current.enough else "no_evidence"
            )
        if code is None and blocked_down:
            code = "rejected"
        if code is None:
            gate.down_low = step_low
        else:
            night.hold(obj, DOWN, code)
    return gate


def _up_blocker(
    night: _Night, obj: ObjectState, spend: float, cooling: bool, learning: bool
) -> str | None:
    if cooling:
        return "cooldown"
    if learning:
        return "learning"
    if obj.fatigue is not None and (obj.fatigue.fatigued or obj.fatigue.saturating):
        return "fatigued"
    evidence, curve = obj.evidence, obj.curve
    if evidence is None or curve is None or not evidence.current.enough:
        return "no_evidence"
    if night.be is not None:
        if not evidence.supports_scale(night.be):
            return "no_evidence"
        if curve.p_marginal_above(spend, night.be) < night.policy.scale_confidence:
            return "no_evidence"
    return None


def _target_caps(
    night: _Night, curve: ResponseCurve, pace: float, high: float
) -> tuple[float, str | None]:
    """The ROAS and CPA targets as ceilings on a raise: the average must still meet them."""
    objective, code = night.snap.objective, None
    if objective.target_roas and objective.break_even_source == "margin":
        cap = curve.spend_cap_for_roas(float(objective.target_roas)) / pace
        if cap < high:
            high, code = cap, "roas_target"
    if objective.target_cpa:
        cap = curve.spend_cap_for_cpa(float(objective.target_cpa)) / pace
        if cap < high:
            high, code = cap, "cpa_target"
    return high, code


def _budgets(night: _Night, holders: list[ObjectState], cap: float | None) -> dict[str, int]:
    """Tonight's budgets for the holders (decisions appended to ``night``)."""
    with_curve = [o for o in holders if o.curve is not None]
    fixed = sum(o.pace * (o.daily_budget or 0) for o in holders if o.curve is None)
    gates = {o.object_id: _gate(night, o) for o in with_curve}
    room = None if cap is None else max(cap - fixed, 0.0)

    def slots(low_of: str, high_of: str) -> list[Slot]:
        return [
            Slot(
                g.obj.object_id,
                g.obj.curve.revenue_curve,  # type: ignore[union-attr]
                g.obj.pace,
                g.budget,
                getattr(g, low_of),
                getattr(g, high_of),
            )
            for g in gates.values()
        ]

    protective = False
    if night.be is not None:
        result = allocate(slots("down_low", "up_high"), break_even=night.be, cap=room)
        if result.binding:
            result = allocate(slots("realloc_low", "up_high"), break_even=night.be, cap=room)
    else:
        result = allocate(slots("realloc_low", "up_high"), break_even=None, cap=room)
    if not result.feasible:
        protective = True
        for gate in gates.values():
            if not night.rejected(gate.obj, DOWN)[0]:
                gate.realloc_low = min(gate.budget, float(night.policy.min_daily_budget))
        result = allocate(slots("realloc_low", "budget"), break_even=night.be, cap=room)
        if not result.feasible:
            result = _limit_pauses(night, gates, room)
    return _label(night, gates, result.budgets, binding=result.binding, protective=protective)


def _limit_pauses(night: _Night, gates: dict[str, _Gate], room: float | None) -> Any:
    """Minimum budgets still do not fit: pause the lowest marginal ROAS first."""
    assert room is not None
    order = sorted(
        gates.values(),
        key=lambda g: g.obj.curve.marginal_roas(g.obj.pace * g.realloc_low).mean,  # type: ignore[union-attr]
    )
    total = sum(g.obj.pace * g.realloc_low for g in order)
    for gate in order:
        if total <= room:
            break
        total -= gate.obj.pace * gate.realloc_low
        del gates[gate.obj.object_id]
        night.decisions.append(
            _pause_decision(night, gate.obj, Kind.LIMIT_PAUSE, Reason.MONTHLY_LIMIT, ())
        )
    if total > room:
        night.notes.append("limit_unreachable")
    slots = [
        Slot(
            g.obj.object_id,
            g.obj.curve.revenue_curve,  # type: ignore[union-attr]
            g.obj.pace,
            g.budget,
            g.realloc_low,
            g.budget,
        )
        for g in gates.values()
    ]
    return allocate(slots, break_even=night.be, cap=room)


def _rounded(night: _Night, gate: _Gate, wanted: float, *, protective: bool) -> int:
    """Whole budget units, never past the step of a non-protective change."""
    unit = max(night.snap.budget_unit, 1)
    if wanted >= gate.budget:
        return int(math.floor(wanted / unit) * unit)
    if protective:
        return int(math.floor(wanted / unit) * unit)
    return int(math.ceil(max(wanted, gate.step_low) / unit) * unit)


def _label(
    night: _Night,
    gates: dict[str, _Gate],
    budgets: dict[str, float],
    *,
    binding: bool,
    protective: bool,
) -> dict[str, int]:
    """Turn the allocation into typed decisions (kinds, figures, counterparts)."""
    moves: dict[str, int] = {}
    for key, gate in gates.items():
        budget = int(gate.budget)
        new = _rounded(night, gate, budgets[key], protective=protective or binding)
        if new == budget:
            continue
        relative = abs(new - budget) / budget
        if relative < night.policy.min_change and not (binding and new < budget):
            continue
        moves[key] = new
    ups = [k for k, v in moves.items() if v > gates[k].budget]
    downs = [k for k, v in moves.items() if v < gates[k].budget]
    for key, new in moves.items():
        gate = gates[key]
        up = new > gate.budget
        kind, reason, related = _kind(night, gate, up, ups, downs, binding, protective)
        night.decisions.append(_budget_decision(night, gate, new, kind, reason, related))
    return moves


def _kind(
    night: _Night,
    gate: _Gate,
    up: bool,
    ups: list[str],
    downs: list[str],
    binding: bool,
    protective: bool,
) -> tuple[Kind, Reason, tuple[str, ...]]:
    if up:
        if (binding or night.be is None) and downs:
            return Kind.REALLOCATE, Reason.HIGHER_MARGINAL_HERE, tuple(downs)
        return Kind.SCALE, Reason.MARGINAL_ABOVE_BREAK_EVEN, ()
    if protective:
        return Kind.LIMIT_CUT, Reason.MONTHLY_LIMIT, ()
    if gate.down_low < gate.budget and night.be is not None:
        return Kind.TRIM, Reason.MARGINAL_BELOW_BREAK_EVEN, ()
    if ups:
        return Kind.REALLOCATE, Reason.HIGHER_MARGINAL_ELSEWHERE, tuple(ups)
    return Kind.LIMIT_CUT, Reason.MONTHLY_LIMIT, ()


def _budget_decision(
    night: _Night,
    gate: _Gate,
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
        provisional_days=evidence.provisional_days if evidence is not None else (),
        protective=kind in (Kind.LIMIT_CUT, Kind.LIMIT_PAUSE),
        resets_learning=abs(new - gate.budget) > night.policy.max_step * gate.budget + 1,
        related=related,
        changed_since_rejection=gate.changes.get(direction, ()),
        figures=night.figures(obj),
    )

"""Tonight's budgets: which holders may move, by how much, and what each move is called.

Per budget holder (CBO campaign or ABO ad set) a gate decides what the policy
and the evidence allow tonight (a raise needs evidence that the marginal ROAS
beats break-even, no fatigue, no learning, no cooldown, no recent rejection, and
stays within the ROAS/CPA targets; a trim needs evidence the margin is below
break-even); :mod:`analytics.brain.allocation` then finds the budgets; the moves are
labelled SCALE, TRIM, REALLOCATE, LIMIT_CUT or LIMIT_PAUSE. See
:mod:`analytics.brain.decisions` for the order of the night.
"""

from __future__ import annotations

import math

from analytics.brain.allocation import Allocation, Slot, allocate
from analytics.brain.curves import ResponseCurve
from analytics.brain.night import Gate, Night, budget_decision, pause_decision
from analytics.brain.plan import DOWN, UP, Kind, ObjectState, Reason


def gate_of(night: Night, obj: ObjectState) -> Gate:
    """What ``obj`` may do tonight (also read by :mod:`analytics.brain.crossplatform`)."""
    policy, be = night.policy, night.be
    curve, evidence = obj.curve, obj.evidence
    assert curve is not None and obj.daily_budget
    budget = float(obj.daily_budget)
    spend = obj.pace * budget
    cooling, learning = night.cooling(obj), obj.learning
    step_low = max(budget * (1 - policy.max_step), min(budget, float(policy.min_daily_budget)))
    step_high = budget * (1 + policy.max_step)
    gate = Gate(obj, budget, not (cooling or learning), step_low, budget, budget, budget)
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
    night: Night, obj: ObjectState, spend: float, cooling: bool, learning: bool
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
    night: Night, curve: ResponseCurve, pace: float, high: float
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


def budgets(night: Night, holders: list[ObjectState], cap: float | None) -> dict[str, int]:
    """Tonight's budgets for the holders (decisions appended to ``night``)."""
    # Awareness and traffic objects are not judged by sales: their budgets are left alone.
    with_curve = [o for o in holders if o.curve is not None and o.judged_by_results]
    moving = {o.object_id for o in with_curve}
    fixed = sum(o.pace * (o.daily_budget or 0) for o in holders if o.object_id not in moving)
    gates = {o.object_id: gate_of(night, o) for o in with_curve}
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


def _limit_pauses(night: Night, gates: dict[str, Gate], room: float | None) -> Allocation:
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
            pause_decision(night, gate.obj, Kind.LIMIT_PAUSE, Reason.MONTHLY_LIMIT, ())
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


def _rounded(night: Night, gate: Gate, wanted: float, *, protective: bool) -> int:
    """Whole budget units, never past the step of a non-protective change."""
    unit = max(night.snap.budget_unit, 1)
    if wanted >= gate.budget:
        return int(math.floor(wanted / unit) * unit)
    if protective:
        return int(math.floor(wanted / unit) * unit)
    return int(math.ceil(max(wanted, gate.step_low) / unit) * unit)


def _label(
    night: Night,
    gates: dict[str, Gate],
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
        night.decisions.append(budget_decision(night, gate, new, kind, reason, related))
    return moves


def _kind(
    night: Night,
    gate: Gate,
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

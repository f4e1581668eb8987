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
   by equal-marginal allocation (:mod:`analytics.brain.allocation`): SCALE towards the
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

Assumptions and failure modes: the decisions are as good as the curves near
today's spend (hence small steps, which also keep teaching the curves); each
holder's pace stays as observed; the caller passes this account's share of a
workspace limit and the last budget change per object (the engine keeps no
memory of its own); holders without a curve (no spend history) are held fixed
and never cut, so a limit may be unreachable (``limit_unreachable`` note); the
engine never proposes a resume (it resets learning) — that stays a person's call.
"""

from __future__ import annotations

from dataclasses import replace

from analytics.brain.budgets import budgets
from analytics.brain.night import Night, pause_decision
from analytics.brain.plan import (
    PAUSE_DIRECTION,
    AccountSnapshot,
    Change,
    Decision,
    Hold,
    Kind,
    MonthProjection,
    NightPlan,
    ObjectState,
    Policy,
    Reason,
    Rejection,
)

__all__ = [
    "AccountSnapshot",
    "Change",
    "Decision",
    "Hold",
    "Kind",
    "MonthProjection",
    "NightPlan",
    "ObjectState",
    "Policy",
    "Reason",
    "Rejection",
    "plan_night",
]


def plan_night(snap: AccountSnapshot) -> NightPlan:
    """The night's decisions for one account (pure; ≤ a few ms per object)."""
    be_decimal = snap.objective.break_even_roas
    night = Night(snap, float(be_decimal) if be_decimal else None, snap.objective.margin)
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
    new_budgets = budgets(night, holders, cap)
    for decision in night.decisions:  # limit pauses happen among the holders
        if decision.kind is Kind.LIMIT_PAUSE:
            new_budgets[decision.object_id] = 0
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


def _pauses(night: Night) -> set[str]:
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
        night.decisions.append(pause_decision(night, obj, Kind.PAUSE, reason, changes))
    return paused


def _loser(night: Night, obj: ObjectState) -> Reason | None:
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

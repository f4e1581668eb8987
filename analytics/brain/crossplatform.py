"""Budget moves between platforms: daily budget from one platform's campaign to another's.

What it decides
    After each account's own night (:func:`analytics.brain.decisions.plan_night`, curves
    fitted per account, hence per platform), which pairs of budget holders on different
    platforms should trade daily budget at equal total spend: a cut on the source and a
    raise of the same amount on the destination, proposed as ONE paired change
    (``move_budget`` in the supervisor: both legs or neither).

When a move is proposed
    - both holders are left alone by their own account's plan tonight (a holder already
      scaled, trimmed, reallocated or paused is not touched twice: one change per
      cooldown);
    - the destination passes the same gate as a raise within a platform
      (:func:`analytics.brain.budgets.gate_of`: enough conversions, the average ROAS above
      break-even with evidence, ``P(marginal ROAS > break-even)`` high enough, no fatigue,
      learning, cooldown or recent rejection, within the ROAS/CPA targets), and the source
      the gate of a reallocation cut (not cooling down or learning, no recent rejection
      of a cut); each within its step (20% by default);
    - the split is the equal-marginal one of :func:`analytics.brain.allocation.allocate`
      on the two curves with their total held;
    - the expected gain in contribution profit (revenue × margin − spend, both legs) is
      material (at least ``MIN_GAIN_SHARE`` of the amount moved per day) AND the move wins
      beyond the curves' uncertainty: ``P(gain > 0)`` is at least the confidence a trim
      needs (``Policy.trim_confidence``, 80%), since a move is a cut justified elsewhere;
    - the destination's platform keeps within its own monthly limit (``room``).

    Without a binding limit a destination worth raising is raised by its own night and a
    source below break-even trimmed, so moves matter mostly when the month's money is fixed
    (a monthly limit across platforms): the pass then does what the per-account nights,
    each holding its share of the limit, cannot.

Assumptions and failure modes
    Those of the curves near today's spend (hence the step); the two legs' uncertainties
    are independent and close to normal (the gain's interval adds their variances);
    platforms do not cannibalise each other (a brand search campaign may harvest demand
    a Meta campaign created: moving money away from Meta can then lower Google's return).
    Needs a break-even (a gross margin, or the ROAS target standing in): without it
    there is no contribution profit to compare.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scipy import stats

from analytics.brain.allocation import Slot, allocate
from analytics.brain.budgets import gate_of
from analytics.brain.curves import Estimate
from analytics.brain.night import Gate, Night
from analytics.brain.objective import MoneyRange, Objective, RatioRange
from analytics.brain.plan import AccountSnapshot, NightPlan

#: A move must earn at least this share of the amount moved per day (R$ 5 per R$ 100/day).
MIN_GAIN_SHARE = 0.05
#: A two-sided 90% range is this many standard deviations either side of the mean.
_Z90 = 1.6449


@dataclass(frozen=True)
class Side:
    """One account of the workspace tonight: its platform, snapshot and own plan."""

    account_pk: int
    platform: str
    snapshot: AccountSnapshot
    plan: NightPlan
    room: float | None = None  # daily spend its platform's own monthly limit still allows


@dataclass(frozen=True)
class End:
    """One leg of a move: the holder and its budget before the move (minor units)."""

    account_pk: int
    platform: str
    object_id: str
    name: str
    level: str
    budget: int
    marginal_roas: RatioRange

    def to_json(self) -> dict[str, Any]:
        return {
            "account": self.account_pk,
            "platform": self.platform,
            "object_id": self.object_id,
            "name": self.name,
            "level": self.level,
            "budget": self.budget,
            "marginal_roas": self.marginal_roas.to_json(),
        }


@dataclass(frozen=True)
class Move:
    """``amount`` per day from ``source`` to ``dest``, and the contribution profit it adds."""

    source: End
    dest: End
    amount: int  # minor units per day
    gain: MoneyRange  # contribution profit per day: mean and 90% range
    chance: float  # P(gain > 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source.to_json(),
            "dest": self.dest.to_json(),
            "amount": self.amount,
            "gain": self.gain.to_json(),
            "chance": round(self.chance, 3),
        }


@dataclass(frozen=True)
class _Candidate:
    side: Side
    gate: Gate


def _candidates(side: Side, night: Night) -> list[_Candidate]:
    touched = {d.object_id for d in side.plan.decisions}
    paused = {d.object_id for d in side.plan.decisions if d.proposed_budget is None}
    out = []
    for obj in side.snapshot.objects:
        if not (obj.active and obj.daily_budget and obj.curve is not None):
            continue
        if not obj.judged_by_results or obj.object_id in touched or obj.campaign_id in paused:
            continue
        out.append(_Candidate(side, gate_of(night, obj)))
    return out


def _end(c: _Candidate) -> End:
    obj = c.gate.obj
    assert obj.curve is not None
    return End(
        c.side.account_pk,
        c.side.platform,
        obj.object_id,
        obj.name,
        obj.level,
        int(c.gate.budget),
        RatioRange.of(obj.curve.marginal_roas(obj.pace * c.gate.budget)),
    )


def _gain(source: Gate, dest: Gate, amount: float, margin: float) -> tuple[Estimate, float]:
    """The move's daily contribution profit (mean, 90% range) and ``P(gain > 0)``."""
    s, d = source.obj, dest.obj
    assert s.curve is not None and d.curve is not None
    cut = s.curve.profit_change(s.pace * source.budget, s.pace * (source.budget - amount), margin)
    rise = d.curve.profit_change(d.pace * dest.budget, d.pace * (dest.budget + amount), margin)
    mean = cut.mean + rise.mean
    # Each leg's 90% range as a normal spread; the two curves are independent.
    sd = math.hypot((cut.high - cut.low) / (2 * _Z90), (rise.high - rise.low) / (2 * _Z90))
    chance = float(stats.norm.cdf(mean / sd)) if sd > 0 else float(mean > 0)
    return Estimate(mean, mean - _Z90 * sd, mean + _Z90 * sd), chance


def _amount(source: _Candidate, dest: _Candidate, unit: int) -> int:
    """The equal-marginal amount at equal total spend, within both steps and the room."""
    s, d = source.gate, dest.gate
    assert s.obj.curve is not None and d.obj.curve is not None
    slots = [
        Slot("s", s.obj.curve.revenue_curve, s.obj.pace, s.budget, s.realloc_low, s.budget),
        Slot("d", d.obj.curve.revenue_curve, d.obj.pace, d.budget, d.budget, d.up_high),
    ]
    split = allocate(slots, break_even=None, cap=None)
    wanted = min(s.budget - split.budgets["s"], split.budgets["d"] - d.budget)
    room = dest.side.room
    if room is not None:
        wanted = min(wanted, max(room, 0.0) / max(d.obj.pace, 1e-9))
    return int(math.floor(max(wanted, 0.0) / unit) * unit)


def cross_moves(sides: Sequence[Side], objective: Objective) -> list[Move]:
    """Tonight's moves between platforms, best first; each holder in at most one move."""
    margin, break_even = objective.margin, objective.break_even_roas
    if margin is None or break_even is None or len({s.platform for s in sides}) < 2:
        return []
    candidates: list[_Candidate] = []
    for side in sides:
        night = Night(side.snapshot, float(break_even), margin)  # holds are not kept here
        candidates.extend(_candidates(side, night))
    sources = [c for c in candidates if c.gate.realloc_low < c.gate.budget]
    dests = [c for c in candidates if c.gate.up_high > c.gate.budget]
    options: list[tuple[float, Move]] = []
    for source in sources:
        for dest in dests:
            if source.side.platform == dest.side.platform:
                continue
            unit = max(source.side.snapshot.budget_unit, dest.side.snapshot.budget_unit, 1)
            amount = _amount(source, dest, unit)
            if amount <= 0:
                continue
            gain, chance = _gain(source.gate, dest.gate, amount, margin)
            confidence = source.side.snapshot.policy.trim_confidence
            if chance < confidence or gain.mean < MIN_GAIN_SHARE * amount:
                continue
            move = Move(_end(source), _end(dest), amount, MoneyRange.of(gain), chance)
            options.append((gain.mean, move))
    chosen: list[Move] = []
    used: set[tuple[int, str]] = set()
    for _, move in sorted(options, key=lambda o: (-o[0], o[1].source.object_id)):
        ends = {(move.source.account_pk, move.source.object_id)}
        ends.add((move.dest.account_pk, move.dest.object_id))
        if ends & used:
            continue
        used |= ends
        chosen.append(move)
    return chosen

"""The engine's vocabulary: what the nightly engine reads and what it decides.

Typed, frozen values only (no logic beyond presentation), so the nightly job,
the chat (``por que?``, ``previsão``, ``simular orçamento``) and the bench share
them. Money is integer minor units; ratios reaching a card are Decimal; dates
are the account's local dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from analytics.brain.curves import ResponseCurve
from analytics.brain.evidence import Evidence
from analytics.brain.fatigue import FatigueSignal
from analytics.brain.objective import MoneyRange, Objective, RatioRange

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
    scale_confidence: float = 0.6  # P(marginal ROAS > break-even): a 20% step is cheap to undo
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
    provisional_days: tuple[date, ...] = ()  # used when ``evidence`` is None (it lists its own)
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
    month_to_date_spend: int = 0  # spend this month before today
    month_to_date_revenue: int = 0  # revenue this month before today (for the forecast)
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
    code: str  # cooldown | learning | fatigued | no_evidence | rejected | roas_target
    #            | cpa_target (a raise capped by a target) | provisional_only (a pause case
    #            made only by provisional days)


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

    def to_json(self) -> dict[str, Any]:
        """The plan for the night's run record (money in minor units, ratios as strings)."""
        p = self.projection
        return {
            "account": self.account_id,
            "day": self.day.isoformat(),
            "break_even": str(self.break_even) if self.break_even is not None else None,
            "break_even_source": self.break_even_source,
            "decisions": [d.to_json() for d in self.decisions],
            "held": [
                {"object_id": h.object_id, "wanted": h.wanted, "code": h.code} for h in self.held
            ],
            "projection": {
                "limit": p.limit,
                "month_to_date": p.month_to_date,
                "today": p.today,
                "before": p.before,
                "after": p.after,
            },
            "notes": list(self.notes),
        }

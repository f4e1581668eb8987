"""Nightly optimization rules: which campaigns to pause and which to scale, from history alone.

Pure functions of plain values (daily figures, targets, budgets), so every
rule is tested without a database or an API. The rules are deliberately
conservative: pausing needs a minimum spend and ignores provisional days
(their conversions are still arriving); scaling needs a week of stable ROAS.
Nothing here acts: each candidate becomes a proposal for the supervisor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

#: Pause when CPA exceeds the target by this factor...
CPA_FACTOR = Decimal("1.5")
#: ...after spending at least this many target CPAs (without a target: see min_spend).
MIN_SPEND_CPAS = Decimal(2)
WINDOW_DAYS = 7
#: Scale step for stable winners (the supervisor still caps any increase).
SCALE_STEP = Decimal("0.20")
#: Every day of the week must keep at least this share of the target ROAS.
STABLE_FLOOR = Decimal("0.8")
#: Objectives judged by cost per result; awareness, traffic or engagement campaigns are not.
CONVERSION_OBJECTIVES = frozenset(
    {
        "OUTCOME_SALES",
        "CONVERSIONS",
        "PRODUCT_CATALOG_SALES",
        "OUTCOME_LEADS",
        "LEAD_GENERATION",
        "OUTCOME_APP_PROMOTION",
        "APP_INSTALLS",
        # Google Ads names a campaign by its channel (issue 18). Assumption: Search, Shopping,
        # Performance Max and Demand Gen bid for conversions (Smart Bidding, as Google
        # recommends for sales); Display and Video campaigns are judged as awareness.
        "SEARCH",
        "SHOPPING",
        "PERFORMANCE_MAX",
        "DEMAND_GEN",
    }
)


@dataclass(frozen=True)
class DayFigures:
    day: date
    spend: Decimal  # minor units
    conversions: Decimal
    revenue: Decimal  # minor units
    provisional: bool = False

    @property
    def roas(self) -> Decimal | None:
        return self.revenue / self.spend if self.spend else None


@dataclass(frozen=True)
class BudgetHolder:
    """Where a campaign's daily budget lives: the campaign (CBO) or each ad set (ABO)."""

    level: str  # campaign | adset
    id: str
    name: str
    daily_budget: Decimal  # minor units


@dataclass(frozen=True)
class CampaignState:
    id: str
    name: str
    active: bool
    days: tuple[DayFigures, ...]  # oldest first
    budgets: tuple[BudgetHolder, ...] = ()
    objective: str = ""  # "" = unknown: judged like a conversion campaign

    @property
    def judged_by_results(self) -> bool:
        return not self.objective or self.objective in CONVERSION_OBJECTIVES


@dataclass(frozen=True)
class Targets:
    cpa: Decimal | None  # minor units
    roas: Decimal | None
    from_account: bool = False  # no target set: the account's own average stands in


@dataclass(frozen=True)
class Candidate:
    kind: str  # pause | scale
    campaign_id: str
    campaign_name: str
    target_level: str
    target_id: str
    target_name: str
    spend: Decimal
    conversions: Decimal
    revenue: Decimal
    days: int
    current_budget: Decimal | None = None
    new_budget: Decimal | None = None
    metrics: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def cpa(self) -> Decimal | None:
        return self.spend / self.conversions if self.conversions else None

    @property
    def roas(self) -> Decimal | None:
        return self.revenue / self.spend if self.spend else None


def _sum(days: Sequence[DayFigures]) -> tuple[Decimal, Decimal, Decimal]:
    spend = sum((d.spend for d in days), Decimal(0))
    conversions = sum((d.conversions for d in days), Decimal(0))
    revenue = sum((d.revenue for d in days), Decimal(0))
    return spend, conversions, revenue


def settled(days: Sequence[DayFigures], window: int = WINDOW_DAYS) -> list[DayFigures]:
    """The most recent ``window`` days whose figures are final (provisional days dropped)."""
    return [d for d in days if not d.provisional][-window:]


def account_targets(
    cpa: Decimal | None, roas: Decimal | None, account_days: Sequence[DayFigures]
) -> Targets:
    """The workspace's targets, or the account's own settled average where one is missing."""
    if cpa is not None and roas is not None:
        return Targets(cpa, roas)
    spend, conversions, revenue = _sum([d for d in account_days if not d.provisional])
    own_cpa = spend / conversions if conversions else None
    own_roas = revenue / spend if spend else None
    return Targets(
        cpa if cpa is not None else own_cpa,
        roas if roas is not None else own_roas,
        from_account=True,
    )


def pause_candidates(
    campaigns: Sequence[CampaignState],
    targets: Targets,
    *,
    min_spend: Decimal | None = None,
    factor: Decimal = CPA_FACTOR,
    window: int = WINDOW_DAYS,
) -> list[Candidate]:
    """Active campaigns whose settled CPA is above ``factor`` × target after ``min_spend``."""
    if targets.cpa is None:
        return []
    threshold = targets.cpa * factor
    floor = min_spend if min_spend is not None else targets.cpa * MIN_SPEND_CPAS
    out: list[Candidate] = []
    for campaign in campaigns:
        if not campaign.active or not campaign.judged_by_results:
            continue
        days = settled(campaign.days, window)
        spend, conversions, revenue = _sum(days)
        if spend < floor or spend <= 0:
            continue
        cpa = spend / conversions if conversions else None
        if cpa is not None and cpa <= threshold:
            continue
        out.append(
            Candidate(
                kind="pause",
                campaign_id=campaign.id,
                campaign_name=campaign.name,
                target_level="campaign",
                target_id=campaign.id,
                target_name=campaign.name,
                spend=spend,
                conversions=conversions,
                revenue=revenue,
                days=len(days),
                metrics={"cpa": cpa, "target_cpa": targets.cpa, "threshold": threshold},
            )
        )
    return sorted(out, key=lambda c: c.spend, reverse=True)


def scale_candidates(
    campaigns: Sequence[CampaignState],
    targets: Targets,
    *,
    step: Decimal = SCALE_STEP,
    floor_share: Decimal = STABLE_FLOOR,
    window: int = WINDOW_DAYS,
    minor_per_unit: int = 100,
) -> list[Candidate]:
    """Active campaigns with ROAS above target over the last week and no weak day in it."""
    if targets.roas is None:
        return []
    out: list[Candidate] = []
    for campaign in campaigns:
        if not campaign.active or not campaign.budgets or not campaign.judged_by_results:
            continue
        days = [d for d in campaign.days][-window:]
        if len(days) < window or any(d.spend <= 0 for d in days):
            continue
        spend, conversions, revenue = _sum(days)
        roas = revenue / spend
        if roas < targets.roas:
            continue
        if any((d.roas or Decimal(0)) < targets.roas * floor_share for d in days):
            continue  # not stable: one weak day is enough to wait
        for holder in campaign.budgets:
            out.append(
                Candidate(
                    kind="scale",
                    campaign_id=campaign.id,
                    campaign_name=campaign.name,
                    target_level=holder.level,
                    target_id=holder.id,
                    target_name=holder.name,
                    spend=spend,
                    conversions=conversions,
                    revenue=revenue,
                    days=len(days),
                    current_budget=holder.daily_budget,
                    new_budget=_step_up(holder.daily_budget, step, minor_per_unit),
                    metrics={"roas": roas, "target_roas": targets.roas},
                )
            )
    return sorted(out, key=lambda c: c.roas or Decimal(0), reverse=True)


def _step_up(budget: Decimal, step: Decimal, minor_per_unit: int) -> Decimal:
    unit = Decimal(minor_per_unit)
    raised = (budget * (1 + step) / unit).quantize(Decimal(1), rounding=ROUND_DOWN) * unit
    return max(raised, budget + unit)

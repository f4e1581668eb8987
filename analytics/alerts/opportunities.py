"""Opportunity detectors: a campaign beating its target while held back by its budget, and a
segment (audience, placement) whose ROAS is rising.

Both read settled daily totals (the last days' purchases are still arriving,
so the caller passes days old enough for the lag model, or accepts a
conservative view). The tests are one-sided counts:

* **beating the target**: purchases (or revenue in order-sized units) over the
  recent days against what the target CPA (ROAS) would give for the same
  spend, under a Gamma-Poisson law; "limited by budget" means it spent at
  least ``limited_share`` of its daily budget on most recent days;
* **rising segment**: the recent period's share of the segment's revenue
  against its share of the segment's spend (conditional binomial test of
  two Poisson rates): under "no change" the recent period earns revenue in
  proportion to what it spent.

Money at stake is the upside per day: for a budget raise of ``raise_share``,
the extra spend times how far the campaign beats its target; for a segment,
its recent daily spend times the rise in ROAS. Failure modes: a target set
too low makes everything an opportunity; diminishing returns mean the
upside of a raise is an upper bound (the card says so).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType

from scipy import stats

from analytics.alerts.findings import ActionKind, AlertKind, DetectorConfig, Finding
from analytics.alerts.scores import count_tail

#: Relative variance of daily performance beyond Poisson (a 10% day-to-day wobble).
DAILY_DISPERSION = 0.01
#: Order-sized revenue units: one scoring event is this many average orders.
REVENUE_UNIT_ORDERS = 1.5


@dataclass(frozen=True)
class DailyTotals:
    """One entity's settled totals for one day (money in minor units)."""

    day: date
    spend: int
    conversions: int
    revenue: int
    daily_budget: int | None = None


@dataclass(frozen=True)
class SegmentTotals:
    """One segment's totals over a period (money in minor units)."""

    spend: int
    conversions: int
    revenue: int

    @property
    def roas(self) -> float:
        return self.revenue / self.spend if self.spend else 0.0


def _decimal(value: float) -> Decimal:
    return Decimal(str(round(value, 4)))


def detect_scale_opportunity(
    entity_id: str,
    days: Sequence[DailyTotals],
    now: datetime,
    *,
    target_roas: Decimal | None = None,
    target_cpa: int | None = None,
    config: DetectorConfig | None = None,
    limited_share: float = 0.95,
    raise_share: float = 0.2,
) -> Finding | None:
    """A campaign beating its target (ROAS or CPA) on most days its budget ran out."""
    settings = config or DetectorConfig()
    recent = [d for d in days if d.daily_budget]
    if len(recent) < 3 or (target_roas is None and target_cpa is None):
        return None
    limited = sum(1 for d in recent if d.spend >= limited_share * (d.daily_budget or 0))
    if limited < 0.6 * len(recent):
        return None
    spend = sum(d.spend for d in recent)
    conversions = sum(d.conversions for d in recent)
    revenue = sum(d.revenue for d in recent)
    if target_roas is not None:
        if not conversions or not revenue:
            return None
        unit = REVENUE_UNIT_ORDERS * revenue / conversions
        observed, expected = revenue / unit, spend * float(target_roas) / unit
        metric, value, target = "roas", revenue / spend, float(target_roas)
    elif target_cpa is not None:
        observed, expected = float(conversions), spend / target_cpa
        metric = "cpa"
        value, target = (spend / conversions if conversions else float("inf")), float(target_cpa)
    else:
        return None
    ratio = observed / expected if expected else 0.0
    if ratio < settings.min_effect[AlertKind.SCALE_OPPORTUNITY]:
        return None
    tail = float(count_tail(observed, expected, DAILY_DISPERSION, "high"))
    if tail >= settings.opportunity_significance:
        return None
    budget = sum(d.daily_budget or 0 for d in recent) / len(recent)
    upside = round(raise_share * budget * (ratio - 1.0))
    if upside < settings.materiality_floor:
        return None
    return Finding(
        kind=AlertKind.SCALE_OPPORTUNITY,
        entity_id=entity_id,
        detected_at=now,
        since=now,
        metric=metric,
        observed=_decimal(value),
        expected=_decimal(target),
        change=_decimal(ratio - 1.0),
        money_at_stake_per_day=upside,
        tail_probability=tail,
        action=ActionKind.RAISE_BUDGET,
        details=MappingProxyType(
            {"limited_days": f"{limited}/{len(recent)}", "raise_share": str(raise_share)}
        ),
    )


def detect_rising_segment(
    segment_id: str,
    recent: SegmentTotals,
    previous: SegmentTotals,
    now: datetime,
    *,
    recent_days: int,
    config: DetectorConfig | None = None,
) -> Finding | None:
    """A segment earning clearly more per unit of spend recently than before."""
    settings = config or DetectorConfig()
    if not (recent.spend and previous.spend and previous.revenue and recent.revenue):
        return None
    ratio = recent.roas / previous.roas
    if ratio < settings.min_effect[AlertKind.RISING_SEGMENT]:
        return None
    orders = recent.conversions + previous.conversions
    unit = REVENUE_UNIT_ORDERS * (recent.revenue + previous.revenue) / max(orders, 1)
    events_recent = round(recent.revenue / unit)
    events_total = events_recent + round(previous.revenue / unit)
    share = recent.spend / (recent.spend + previous.spend)
    tail = float(stats.binom.sf(events_recent - 1, events_total, share))
    if tail >= settings.opportunity_significance:
        return None
    upside = round(recent.spend / max(recent_days, 1) * (recent.roas - previous.roas))
    if upside < settings.materiality_floor:
        return None
    return Finding(
        kind=AlertKind.RISING_SEGMENT,
        entity_id=segment_id,
        detected_at=now,
        since=now,
        metric="roas",
        observed=_decimal(recent.roas),
        expected=_decimal(previous.roas),
        change=_decimal(ratio - 1.0),
        money_at_stake_per_day=upside,
        tail_probability=tail,
        action=ActionKind.RAISE_BUDGET,
    )


def rising_segments(
    recent: Mapping[str, SegmentTotals],
    previous: Mapping[str, SegmentTotals],
    whole_recent: SegmentTotals,
    whole_previous: SegmentTotals,
    now: datetime,
    *,
    recent_days: int,
    config: DetectorConfig | None = None,
) -> list[Finding]:
    """The segments whose ROAS rose *relative to the whole's* in the same periods.

    The previous period's revenue is scaled by how much the whole's ROAS moved
    (``whole_recent.roas / whole_previous.roas``): late purchases still
    arriving for the recent days and an account-wide swing move every segment
    alike, and what remains is the segment's own rise.
    """
    if not whole_recent.roas or not whole_previous.roas:
        return []
    drift = whole_recent.roas / whole_previous.roas
    found = []
    for key, now_totals in sorted(recent.items()):
        before = previous.get(key)
        if before is None:
            continue
        scaled = replace(before, revenue=round(before.revenue * drift))
        finding = detect_rising_segment(
            key, now_totals, scaled, now, recent_days=recent_days, config=config
        )
        if finding is not None:
            found.append(finding)
    return found

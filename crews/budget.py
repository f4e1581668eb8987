"""Money in a plan comes from code: the user's total, split by the Optimizer's shares.

Agents propose *shares* and *forecasts*; they never set an amount. That keeps a
hallucinated (or injected) "R$ 50.000" out of anything that reaches the
supervisor, and makes every budget an exact integer of minor units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from crews.models import Forecast
from storage.money import major_to_whole_minor


def daily_budget(total_minor: int, days: int) -> int:
    """The even daily budget that never spends more than ``total_minor`` over ``days``."""
    if days < 1:
        raise ValueError("a campaign runs at least one day")
    return total_minor // days


def split(amount_minor: int, shares: Sequence[Decimal]) -> list[int]:
    """``amount_minor`` apportioned by ``shares`` (largest remainder), adding up exactly."""
    if not shares or any(share <= 0 for share in shares):
        raise ValueError("shares must be positive")
    total_share = sum(shares, Decimal(0))
    exact = [Decimal(amount_minor) * share / total_share for share in shares]
    floors = [int(value.to_integral_value(rounding=ROUND_FLOOR)) for value in exact]
    left = amount_minor - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: exact[i] - floors[i], reverse=True)
    for index in order[:left]:
        floors[index] += 1
    return floors


def normalized_shares(shares: Sequence[Decimal]) -> list[Decimal]:
    """Shares as percentages adding up to 100 (two decimals), whatever the agent wrote."""
    total = sum(shares, Decimal(0))
    out = [(share * 100 / total).quantize(Decimal("0.01")) for share in shares]
    out[-1] += Decimal(100) - sum(out, Decimal(0))
    return out


@dataclass(frozen=True)
class Targets:
    """The workspace's KPI targets: CTR in percent, CPC/CPA in minor units, ROAS a multiple."""

    ctr: Decimal | None = None
    cpc: Decimal | None = None
    cpa: Decimal | None = None
    roas: Decimal | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in (self.ctr, self.cpc, self.cpa, self.roas))


@dataclass(frozen=True)
class KpiGap:
    metric: str  # roas | cpa | ctr
    forecast: Decimal  # in the metric's unit (CPA in minor units)
    target: Decimal


def kpi_gaps(forecast: Forecast, targets: Targets, currency: str) -> list[KpiGap]:
    """Where the forecast misses a target; a missing forecast value is not a miss."""
    gaps: list[KpiGap] = []
    roas = forecast.expected_roas
    if targets.roas is not None and roas is not None and roas < targets.roas:
        gaps.append(KpiGap("roas", roas, targets.roas))
    if targets.cpa is not None and forecast.expected_cpa is not None:
        cpa_minor = major_to_whole_minor(forecast.expected_cpa, currency)
        if cpa_minor > targets.cpa:
            gaps.append(KpiGap("cpa", cpa_minor, targets.cpa))
    ctr = forecast.expected_ctr
    if targets.ctr is not None and ctr is not None and ctr < targets.ctr:
        gaps.append(KpiGap("ctr", ctr, targets.ctr))
    return gaps

"""What a new campaign in this account is likely to return: the forecast a crew plan shows.

The crew's Analyst explains a plan; the figures it shows come from here, from the
account's own settled history, never from an LLM:

* **CTR**: a Beta posterior (Jeffreys prior) of the account's clicks per impression;
* **conversions per unit of spend**: a Gamma posterior (Gamma-Poisson, prior worth half a
  conversion), scaled for diminishing returns by ``(budget / typical)^(b - 1)`` where
  ``typical`` is the account's spend per active day and campaign and ``b`` the account's
  pooled elasticity (from the response curves when they are known, else the curves'
  prior mean, 0.6);
* **the learning phase**: the first 7 days at 80% of the account's efficiency (an
  assumption: Meta documents that results are less stable and usually costlier until
  ~50 optimisation events, without a figure);
* **order value**: the account's revenue per conversion.

90% intervals come from seeded draws of the two posteriors. *Assumes* the new campaign
performs like the account's average campaign; a new audience or offer can differ
widely, which the interval does not cover (the Analyst lists such risks in words).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from scipy import stats

LEARNING_DAYS = 7
LEARNING_EFFICIENCY = 0.8
PRIOR_ELASTICITY = 0.6
DRAWS = 4000
INTERVAL = 0.90


@dataclass(frozen=True)
class AccountDay:
    """One settled day of the account (money in minor units)."""

    spend: int
    impressions: int
    clicks: int
    conversions: float
    revenue: int
    campaigns: int = 1  # campaigns that spent that day


@dataclass(frozen=True)
class Band:
    mean: Decimal
    low: Decimal
    high: Decimal

    def to_json(self) -> dict[str, str]:
        return {"mean": str(self.mean), "low": str(self.low), "high": str(self.high)}


@dataclass(frozen=True)
class NewCampaignForecast:
    ctr: Band  # percent
    cpa: Band  # minor units
    roas: Band
    conversions: Band  # over the whole plan
    basis_days: int

    @property
    def confidence(self) -> str:
        """How wide the CPA interval is relative to its mean."""
        width = float((self.cpa.high - self.cpa.low) / self.cpa.mean) if self.cpa.mean else 9.0
        return "high" if width < 0.4 else "medium" if width < 1.0 else "low"

    def to_json(self) -> dict[str, object]:
        return {
            "ctr": self.ctr.to_json(),
            "cpa": self.cpa.to_json(),
            "roas": self.roas.to_json(),
            "conversions": self.conversions.to_json(),
            "basis_days": self.basis_days,
            "confidence": self.confidence,
        }


def _band(values: np.ndarray, digits: int) -> Band:
    tail = (1 - INTERVAL) / 2
    low, high = np.quantile(values, [tail, 1 - tail])
    q = Decimal(1).scaleb(-digits)
    return Band(
        Decimal(str(float(np.mean(values)))).quantize(q),
        Decimal(str(float(low))).quantize(q),
        Decimal(str(float(high))).quantize(q),
    )


def forecast_new_campaign(
    days: Sequence[AccountDay],
    daily_budget: int,
    duration_days: int,
    *,
    elasticity: float | None = None,
    seed: int = 0,
) -> NewCampaignForecast | None:
    """The plan's CTR, CPA, ROAS and conversions with 90% intervals; None without history."""
    spent = [d for d in days if d.spend > 0]
    if len(spent) < 7 or daily_budget <= 0 or duration_days <= 0:
        return None
    spend = sum(d.spend for d in spent)
    impressions = sum(d.impressions for d in spent)
    clicks = sum(d.clicks for d in spent)
    conversions = sum(d.conversions for d in spent)
    revenue = sum(d.revenue for d in spent)
    if impressions <= 0 or conversions <= 0:
        return None
    rng = np.random.default_rng(seed)
    ctr = stats.beta(clicks + 0.5, impressions - clicks + 0.5).rvs(DRAWS, random_state=rng)
    rate = stats.gamma(conversions + 0.5, scale=1 / spend).rvs(DRAWS, random_state=rng)
    typical = spend / sum(max(d.campaigns, 1) for d in spent)
    b = PRIOR_ELASTICITY if elasticity is None else elasticity
    rate = rate * (daily_budget / typical) ** (b - 1)
    learning = min(LEARNING_DAYS, duration_days)
    efficiency = (learning * LEARNING_EFFICIENCY + (duration_days - learning)) / duration_days
    rate = rate * efficiency
    order_value = revenue / conversions
    return NewCampaignForecast(
        ctr=_band(ctr * 100, 2),
        cpa=_band(1 / rate, 0),
        roas=_band(rate * order_value, 2),
        conversions=_band(rate * daily_budget * duration_days, 1),
        basis_days=len(spent),
    )

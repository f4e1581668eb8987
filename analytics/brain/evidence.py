"""Evidence before action: how sure we are that an object is above or below break-even.

What it estimates
    For one object's recent days, the posterior of its conversion rate per unit
    of spend (Gamma-Poisson, conjugate: prior Gamma from the account's own rate
    worth ``PRIOR_CONVERSIONS`` conversions), its order value (shrunk towards the
    account's by ``PRIOR_ORDERS`` pseudo-orders), and from them:
    ``P(ROAS > break-even)``, ``P(CPA > target)``, the ROAS and CPA with 90%
    intervals, and whether the minimum-conversions rule is met.

    Days are weighted by recency (half-life ``HALF_LIFE_DAYS``), so the figures
    follow the object as it changes while a single day moves them little: one
    lucky week does not make a scale case, one bad day does not make a pause case.

    Two posteriors are kept: ``settled`` (settled days only: what pauses are
    judged on) and ``current`` (plus provisional days completed by the nowcast:
    what scales and trims may use, and the decisions then list those days).

Assumptions
    Conversions are Poisson given spend and a rate that is constant over the
    window (the recency weighting softens this); order value is independent of
    the rate and its own uncertainty is ignored beyond the shrinkage; the account
    is a sensible prior for its objects.

Failure modes
    High-variance order values (a few huge baskets) make the ROAS posterior
    overconfident; objects far from the account's average need more data before
    their own rate dominates the prior (by design); Poisson ignores day-to-day
    over-dispersion, so probabilities are somewhat too confident on volatile
    objects — the minimum-conversions rule is the backstop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
from scipy import stats

from analytics.brain.curves import Estimate

HALF_LIFE_DAYS = 14.0
PRIOR_CONVERSIONS = 2.0
PRIOR_ORDERS = 3.0
#: Conversions (settled, unweighted) an object needs before its own figures may act.
MIN_CONVERSIONS = 10
INTERVAL = 0.90


@dataclass(frozen=True)
class DayCounts:
    """One object-day's spend, conversions and revenue (minor units / counts)."""

    day: date
    spend: float | int | Decimal
    conversions: float | int | Decimal
    revenue: float | int | Decimal
    provisional: bool = False  # figures still arriving (pass nowcast-completed values)


@dataclass(frozen=True)
class AccountRates:
    """The account's conversions per unit of spend and value per conversion (the prior)."""

    conversions_per_spend: float
    value_per_conversion: float

    @classmethod
    def of(cls, days: Sequence[DayCounts]) -> AccountRates:
        spend = sum(float(d.spend) for d in days if not d.provisional)
        conversions = sum(float(d.conversions) for d in days if not d.provisional)
        revenue = sum(float(d.revenue) for d in days if not d.provisional)
        rate = (conversions + 0.5) / spend if spend > 0 else 1e-4
        value = revenue / conversions if conversions > 0 else 0.0
        return cls(rate, value)


@dataclass(frozen=True)
class Posterior:
    """Gamma posterior of conversions per unit of spend, and the shrunk order value."""

    shape: float
    rate: float  # per unit of spend (minor units)
    order_value: float
    conversions: float  # unweighted, as counted
    spend: float
    revenue: float
    days: int

    def _ppf(self, q: list[float]) -> np.ndarray:
        return np.asarray(stats.gamma.ppf(q, self.shape, scale=1 / self.rate))

    @property
    def enough(self) -> bool:
        return self.conversions >= MIN_CONVERSIONS

    def roas(self) -> Estimate:
        tail = (1 - INTERVAL) / 2
        low, high = self._ppf([tail, 1 - tail]) * self.order_value
        return Estimate(self.shape / self.rate * self.order_value, float(low), float(high))

    def cpa(self) -> Estimate:
        """Cost per conversion (minor units), from the rate's posterior."""
        tail = (1 - INTERVAL) / 2
        low_rate, high_rate = self._ppf([tail, 1 - tail])
        mean = self.rate / max(self.shape - 1, 1e-9) if self.shape > 1 else float("inf")
        return Estimate(float(mean), float(1 / high_rate), float(1 / max(low_rate, 1e-12)))

    def p_roas_above(self, threshold: float) -> float:
        if self.order_value <= 0:
            return 0.0
        return float(stats.gamma.sf(threshold / self.order_value, self.shape, scale=1 / self.rate))

    def p_cpa_above(self, target_cpa: float) -> float:
        """P(cost per conversion > target) = P(rate < 1 / target)."""
        return float(stats.gamma.cdf(1 / target_cpa, self.shape, scale=1 / self.rate))


@dataclass(frozen=True)
class Evidence:
    object_id: str
    settled: Posterior
    current: Posterior
    provisional_days: tuple[date, ...]

    def supports_scale(self, break_even: float, *, confidence: float = 0.8) -> bool:
        """Enough conversions, and the average ROAS (with completed days) above break-even."""
        return self.current.enough and self.current.p_roas_above(break_even) >= confidence

    def supports_pause(self, break_even: float, *, confidence: float = 0.9) -> bool:
        """Settled days only: the average ROAS is below break-even with ``confidence``.

        Needs enough spend that, at break-even, ``MIN_CONVERSIONS / 2`` sales were
        expected (a loser rarely reaches the minimum conversions itself).
        """
        posterior = self.settled
        if posterior.order_value <= 0:
            return False
        expected_at_break_even = posterior.spend * break_even / posterior.order_value
        if expected_at_break_even < MIN_CONVERSIONS / 2:
            return False
        return 1 - posterior.p_roas_above(break_even) >= confidence

    def supports_cpa_pause(self, target_cpa: float, *, factor: float = 1.5) -> bool:
        """Without a break-even ROAS (no revenue tracked): CPA above ``factor`` × target,
        settled days, after spending ``MIN_CONVERSIONS / 2`` target CPAs."""
        posterior = self.settled
        if posterior.spend < target_cpa * MIN_CONVERSIONS / 2:
            return False
        return posterior.p_cpa_above(target_cpa * factor) >= 0.9


def _posterior(days: Sequence[DayCounts], today: date, prior: AccountRates) -> Posterior:
    shape = PRIOR_CONVERSIONS
    rate = PRIOR_CONVERSIONS / prior.conversions_per_spend
    conversions = spend = revenue = 0.0
    for d in days:
        weight = 0.5 ** (max((today - d.day).days - 1, 0) / HALF_LIFE_DAYS)
        shape += weight * float(d.conversions)
        rate += weight * float(d.spend)
        conversions += float(d.conversions)
        spend += float(d.spend)
        revenue += float(d.revenue)
    order_value = (revenue + PRIOR_ORDERS * prior.value_per_conversion) / (
        conversions + PRIOR_ORDERS
    )
    return Posterior(shape, rate, order_value, conversions, spend, revenue, len(days))


def assess(object_id: str, days: Sequence[DayCounts], today: date, prior: AccountRates) -> Evidence:
    """The object's evidence from its recent days (settled and completed provisional)."""
    settled = [d for d in days if not d.provisional]
    return Evidence(
        object_id,
        settled=_posterior(settled, today, prior),
        current=_posterior(days, today, prior),
        provisional_days=tuple(sorted(d.day for d in days if d.provisional)),
    )

"""Always-valid p-values for daily peeking: the mixture SPRT (mSPRT), and Holm's correction.

What it estimates: a p-value for "the variant and the control have the same metric" that
may be looked at every day, and the test stopped at any look, while keeping the chance of
a false "significant" at ``alpha`` (Johari, Koomen, Pekelis & Walsh 2017, "Peeking at A/B
tests"; Robbins 1970 for the normal mixture).

Model. The difference ``θ̂`` between variant and control (of rates, or of log conversions
per spend for CPA, log revenue per spend for ROAS) is treated as normal with variance ``V``
(plug-in, pooled under the null, widened by the day-to-day dispersion). The likelihood
ratio of "θ ~ N(0, τ²)" against "θ = 0" is

    Λ = sqrt(V / (V + τ²)) · exp(θ̂² τ² / (2 V (V + τ²)))

and ``p_n = min(p_{n-1}, 1/Λ_n)`` is always valid: under the null, ``Λ`` is a martingale,
so by Ville's inequality it exceeds ``1/α`` at any time with probability at most ``α``.
``τ`` (the mixing scale) should be of the size of the effects one hopes to find; the design
sets it to its minimum detectable effect.

Failure modes: the normal approximation needs tens of events per arm (the verdict waits for
a minimum sample); a plug-in variance makes validity asymptotic, not exact; validity is
about peeking, not about effects that change over time (novelty, fatigue) or several
metrics tested at once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from statsmodels.stats.multitest import multipletests

from analytics.experiments.counts import Counts, Metric
from analytics.experiments.design import DEFAULT_ORDER_VALUE_CV


@dataclass(frozen=True)
class Estimate:
    """A difference between variant and control and its variance."""

    difference: float
    variance: float


def rate_difference(
    successes_a: int, trials_a: int, successes_b: int, trials_b: int, dispersion: float = 1.0
) -> Estimate | None:
    """``p_B - p_A`` with the pooled binomial variance (None without trials or variation)."""
    if trials_a <= 0 or trials_b <= 0:
        return None
    pooled = (successes_a + successes_b) / (trials_a + trials_b)
    variance = pooled * (1 - pooled) * (1 / trials_a + 1 / trials_b) * max(dispersion, 1.0)
    if variance <= 0:
        return None
    return Estimate(successes_b / trials_b - successes_a / trials_a, variance)


def log_ratio_per_spend(
    events_a: float,
    spend_a: int,
    events_b: float,
    spend_b: int,
    conversions_a: int,
    conversions_b: int,
    *,
    order_value_cv: float = 0.0,
    dispersion: float = 1.0,
) -> Estimate | None:
    """log(B's events per spend / A's): conversions (CPA) or revenue (ROAS).

    Variance ``(1 + cv²)(1/c_A + 1/c_B)``, Poisson conversions of order values with
    coefficient of variation ``cv`` (0 for CPA). Half a conversion is added to each side so
    a variant without conversions still gives a finite estimate.
    """
    if spend_a <= 0 or spend_b <= 0:
        return None
    ca, cb = conversions_a + 0.5, conversions_b + 0.5
    scale_a = events_a / conversions_a if conversions_a else 1.0
    scale_b = events_b / conversions_b if conversions_b else 1.0
    if conversions_a == 0 and conversions_b:
        scale_a = scale_b  # no order value seen: assume the other's
    if conversions_b == 0 and conversions_a:
        scale_b = scale_a
    difference = math.log(cb * scale_b / spend_b) - math.log(ca * scale_a / spend_a)
    variance = (1 + order_value_cv**2) * (1 / ca + 1 / cb) * max(dispersion, 1.0)
    return Estimate(difference, variance)


def estimate(
    metric: Metric,
    control: Counts,
    variant: Counts,
    *,
    dispersion: float = 1.0,
    order_value_cv: float = DEFAULT_ORDER_VALUE_CV,
) -> Estimate | None:
    """The sequential statistic of ``variant`` against ``control`` for ``metric``."""
    if metric.is_rate:
        return rate_difference(
            control.events(metric),
            control.exposure(metric),
            variant.events(metric),
            variant.exposure(metric),
            dispersion,
        )
    if metric is Metric.CPA:
        return log_ratio_per_spend(
            control.conversions,
            control.spend,
            variant.conversions,
            variant.spend,
            control.conversions,
            variant.conversions,
            dispersion=dispersion,
        )
    return log_ratio_per_spend(
        control.revenue,
        control.spend,
        variant.revenue,
        variant.spend,
        control.conversions,
        variant.conversions,
        order_value_cv=order_value_cv,
        dispersion=dispersion,
    )


def log_likelihood_ratio(estimate: Estimate, mixing_sd: float) -> float:
    """log Λ of the normal-mixture SPRT."""
    v = estimate.variance
    t2 = mixing_sd**2
    return 0.5 * math.log(v / (v + t2)) + estimate.difference**2 * t2 / (2 * v * (v + t2))


def always_valid_p_values(estimates: Iterable[Estimate | None], mixing_sd: float) -> list[float]:
    """One p-value per look (in time order), never increasing: ``min(p_prev, 1/Λ)``."""
    if mixing_sd <= 0:
        raise ValueError("the mixing scale must be positive")
    result: list[float] = []
    p = 1.0
    for item in estimates:
        if item is not None:
            p = min(p, math.exp(-max(log_likelihood_ratio(item, mixing_sd), 0.0)))
        result.append(p)
    return result


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm-adjusted p-values (family-wise error) for comparisons with one control."""
    if not p_values:
        return []
    if len(p_values) == 1:
        return [float(p_values[0])]
    return [float(p) for p in multipletests(list(p_values), method="holm")[1]]


def bonferroni(p_values: Sequence[float]) -> list[float]:
    """Bonferroni-adjusted p-values (simpler, more conservative than Holm)."""
    return [min(1.0, float(p) * len(p_values)) for p in p_values]

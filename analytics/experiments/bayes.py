"""Bayesian results of a test: probability each variant is best, expected loss, and lift.

What it estimates, per variant: the posterior probability that its true metric is the best,
the expected loss of choosing it (how much worse than the best it is expected to be,
relative to the control's metric) and its lift over the control with a credible interval.

Models (conjugate; posteriors drawn by Monte Carlo from a seeded ``numpy`` Generator):

* CTR, conversion rate: Beta-Binomial, uniform Beta(1, 1) prior. Day-to-day dispersion
  ``φ`` divides successes and failures (an effective sample size), widening the posterior.
* CPA: conversions ~ Poisson(λ · spend), Jeffreys prior on λ, so λ ~ Gamma(c + ½, spend);
  CPA = 1/λ (lower is better).
* ROAS: λ as for CPA times the mean order value μ; order values ~ Gamma(shape k = 1/cv²)
  with a conjugate Gamma prior on their rate worth one order at the pooled mean, so
  μ = k / Gamma(k(c + 1), revenue + pooled mean order value). Only totals are needed.

:func:`prob_beats_exact` gives P(p_B > p_A) exactly for two Beta posteriors (Evan Miller's
sum), used to check the Monte Carlo.

Failure modes: the priors are weak, so tiny samples give wide, honest but unhelpful
answers; the Monte Carlo error of a probability is about sqrt(p(1-p)/draws) (0.15 points at
20,000 draws and p = 95%); ROAS assumes the order-value spread ``cv`` (not estimated from
totals); none of the models sees trends within the test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from scipy.special import betaln

from analytics.experiments.counts import Counts, Metric
from analytics.experiments.design import DEFAULT_ORDER_VALUE_CV

DEFAULT_DRAWS = 20_000
CREDIBLE_MASS = 0.90


@dataclass(frozen=True)
class Lift:
    """Relative change of a variant's metric over the control's (0.18 = +18%)."""

    median: float
    low: float
    high: float
    mass: float = CREDIBLE_MASS


@dataclass(frozen=True)
class VariantResult:
    name: str
    mean: float  # posterior mean of the metric (CPA and ROAS per minor unit / ratio)
    prob_best: float
    expected_loss: float  # relative to the control's posterior mean
    lift: Lift | None  # None for the control
    cpa: Decimal | None = None  # posterior mean CPA in minor units (CPA tests), for cards


@dataclass(frozen=True)
class BayesResult:
    metric: Metric
    variants: tuple[VariantResult, ...]  # the control first

    @property
    def control(self) -> VariantResult:
        return self.variants[0]

    @property
    def leader(self) -> VariantResult:
        """The variant most likely to be best."""
        return max(self.variants, key=lambda v: v.prob_best)

    def get(self, name: str) -> VariantResult:
        for v in self.variants:
            if v.name == name:
                return v
        raise KeyError(name)


def posterior_draws(
    metric: Metric,
    totals: Sequence[Counts],
    rng: np.random.Generator,
    *,
    draws: int = DEFAULT_DRAWS,
    dispersion: float = 1.0,
    order_value_cv: float = DEFAULT_ORDER_VALUE_CV,
) -> np.ndarray:
    """Draws of each variant's true metric, shape ``(variants, draws)``."""
    phi = max(dispersion, 1.0)
    rows = []
    if metric.is_rate:
        for t in totals:
            s, n = t.events(metric), t.exposure(metric)
            rows.append(rng.beta(1 + s / phi, 1 + max(n - s, 0) / phi, size=draws))
        return np.vstack(rows)
    if any(t.spend <= 0 for t in totals):
        raise ValueError("every variant needs spend for a CPA or ROAS posterior")
    lambdas = [
        rng.gamma(t.conversions / phi + 0.5, 1.0, size=draws) / (t.spend / phi) for t in totals
    ]
    if metric is Metric.CPA:
        return 1.0 / np.vstack(lambdas)
    k = 1.0 / max(order_value_cv, 1e-3) ** 2
    conversions = sum(t.conversions for t in totals)
    pooled_aov = sum(t.revenue for t in totals) / conversions if conversions else 1.0
    for lam, t in zip(lambdas, totals, strict=True):
        order_rate = rng.gamma(k * (t.conversions + 1), 1.0, size=draws) / (t.revenue + pooled_aov)
        rows.append(lam * k / order_rate)
    return np.vstack(rows)


def summarise(
    metric: Metric, names: Sequence[str], samples: np.ndarray, mass: float = CREDIBLE_MASS
) -> BayesResult:
    """Probability to be best, expected loss and lift from posterior draws (control first)."""
    if samples.shape[0] != len(names) or len(names) < 2:
        raise ValueError("one row of draws per variant, at least two variants")
    oriented = samples if metric.higher_is_better else -samples
    best_index = np.argmax(oriented, axis=0)
    best_value = oriented.max(axis=0)
    control = samples[0]
    scale = float(np.mean(control)) or 1.0
    tail = (1 - mass) / 2
    results = []
    for i, name in enumerate(names):
        prob = float(np.mean(best_index == i))
        loss = float(np.mean(best_value - oriented[i])) / abs(scale)
        lift = None
        if i > 0:
            ratio = samples[i] / control - 1
            low, median, high = np.quantile(ratio, [tail, 0.5, 1 - tail])
            lift = Lift(float(median), float(low), float(high), mass)
        mean = float(np.mean(samples[i]))
        cpa = Decimal(round(mean)) if metric is Metric.CPA else None
        results.append(VariantResult(name, mean, prob, loss, lift, cpa))
    return BayesResult(metric, tuple(results))


def compare(
    metric: Metric,
    totals: Sequence[tuple[str, Counts]],
    *,
    seed: int = 0,
    draws: int = DEFAULT_DRAWS,
    dispersion: float = 1.0,
    order_value_cv: float = DEFAULT_ORDER_VALUE_CV,
    mass: float = CREDIBLE_MASS,
) -> BayesResult:
    """The Bayesian comparison of named variants' totals (the control first)."""
    rng = np.random.default_rng(seed)
    samples = posterior_draws(
        metric,
        [t for _, t in totals],
        rng,
        draws=draws,
        dispersion=dispersion,
        order_value_cv=order_value_cv,
    )
    return summarise(metric, [name for name, _ in totals], samples, mass)


def prob_beats_exact(alpha_a: float, beta_a: float, alpha_b: int, beta_b: float) -> float:
    """P(p_B > p_A) for p_A ~ Beta(alpha_a, beta_a), p_B ~ Beta(alpha_b, beta_b); integer alpha_b.

    Evan Miller (2015): sum over i < alpha_b of
    B(alpha_a + i, beta_a + beta_b) / ((beta_b + i) B(1 + i, beta_b) B(alpha_a, beta_a)).
    """
    if alpha_b != int(alpha_b) or alpha_b < 1:
        raise ValueError("alpha_b must be a positive integer")
    total = 0.0
    for i in range(int(alpha_b)):
        total += math.exp(
            betaln(alpha_a + i, beta_a + beta_b)
            - math.log(beta_b + i)
            - betaln(1 + i, beta_b)
            - betaln(alpha_a, beta_a)
        )
    return min(1.0, max(0.0, total))

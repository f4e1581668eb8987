"""Response curves: what one more unit of daily spend buys, per campaign or ad set.

What it estimates
    For each object (a CBO campaign or an ABO ad set) a power curve of settled
    daily revenue and conversions against daily spend::

        value(spend) = exp(level + elasticity · (log spend − log ref_spend))

    ``ref_spend`` is the object's geometric-mean daily spend, so ``level`` is the
    log value at the spend it usually runs at (well measured even when the budget
    never moved) and ``elasticity`` is the share of a 1% spend increase that shows
    up as revenue (1.0: linear, no saturation; 0.3: strongly saturated). From it:
    average ROAS, marginal ROAS ``elasticity · revenue / spend`` and the spend at
    which the marginal ROAS falls to break-even, each with a 90% interval.

How
    Each object is fitted with a statsmodels GLM with a log link (Tweedie
    variance power 1.5 for revenue, which tolerates zero-revenue days; Poisson for
    conversions), dispersion from Pearson's χ². The raw elasticities and the log
    ROAS at the reference spend are then partially pooled towards the account:
    empirical-Bayes, precision-weighted shrinkage with the between-object variance
    estimated by DerSimonian–Laird (bounded: elasticities of one account differ by
    a standard deviation of at most 0.25), and a weakly informative prior on the
    account's mean elasticity (normal, centred on 0.6). An object whose budget
    never moved has no information on its elasticity and gets the account's; one
    with few days gets a ROAS pulled towards the account's. Intervals come from
    2,000 parametric draws of (level, elasticity) from the pooled posterior
    (a seeded generator: the same data give the same interval).

Assumptions
    Spend is the cause and revenue the effect (the auction's own budget pacing is
    ignored); the curve is stable over the window (no seasonality, fatigue or
    creative changes inside it); days are independent given spend; revenue is
    settled (provisional days completed by :mod:`analytics.brain.nowcast` may be passed
    with a lower weight).

Failure modes
    Extrapolating far beyond the observed spend range (the curve reports that
    range; callers should keep steps small); seasonal swings that move spend and
    revenue together inflate the elasticity; a structural break (new creative)
    inside the window blends two curves; elasticities are clipped to (0.05, 1.0),
    so a curve that truly grows faster than linear is treated as linear.
"""

from __future__ import annotations

import math
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

import numpy as np
import statsmodels.api as sm

#: Weakly informative prior on the account's mean elasticity (normal: mean, sd).
PRIOR_ELASTICITY = (0.6, 0.2)
ELASTICITY_BOUNDS = (0.05, 1.0)
#: Floors of the between-object standard deviations (objects may always differ a little).
MIN_TAU_ELASTICITY = 0.15
MIN_TAU_LEVEL = 0.10
#: Ceilings of the same (the prior's view of how different an account's objects can be):
#: elasticities of one account rarely differ by more than ~0.25, ROAS by more than ~e^1.
MAX_TAU_ELASTICITY = 0.25
MAX_TAU_LEVEL = 1.0
#: Spread of log spend below which the budget "never moved": no elasticity information.
MIN_LOG_SPREAD = 0.05
DRAWS = 2000
INTERVAL = 0.90


@dataclass(frozen=True)
class Observation:
    """One object-day: spend, settled revenue and conversions (minor units / counts)."""

    object_id: str
    day: date
    spend: float | int | Decimal
    revenue: float | int | Decimal
    conversions: float | int | Decimal
    weight: float = 1.0  # < 1 for nowcast-completed provisional days


@dataclass(frozen=True)
class Estimate:
    """A point estimate with a two-sided interval (90% unless stated)."""

    mean: float
    low: float
    high: float

    def scaled(self, factor: float) -> Estimate:
        values = sorted((self.low * factor, self.high * factor))
        return Estimate(self.mean * factor, values[0], values[1])


@dataclass(frozen=True)
class PowerCurve:
    """``value(spend) = exp(level + elasticity · (log spend − log ref_spend))``, with its
    posterior covariance (level variance, elasticity variance, covariance)."""

    level: float
    elasticity: float
    ref_spend: float
    var_level: float
    var_elasticity: float
    cov: float = 0.0

    def value(self, spend: float) -> float:
        if spend <= 0:
            return 0.0
        return math.exp(self.level + self.elasticity * (math.log(spend) - math.log(self.ref_spend)))

    def draws(self, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """Posterior draws of (level, elasticity), elasticity clipped to its bounds."""
        rng = np.random.default_rng(seed)
        cov = np.array([[self.var_level, self.cov], [self.cov, self.var_elasticity]])
        sample = rng.multivariate_normal([self.level, self.elasticity], cov, size=n)
        return sample[:, 0], np.clip(sample[:, 1], *ELASTICITY_BOUNDS)

    def values(self, spend: float, levels: np.ndarray, elasticities: np.ndarray) -> np.ndarray:
        if spend <= 0:
            return np.zeros_like(levels)
        return np.exp(levels + elasticities * (math.log(spend) - math.log(self.ref_spend)))


def _interval(sample: np.ndarray, mean: float) -> Estimate:
    """The point (kept inside its interval: clipping the draws can move the tails past it)."""
    tail = (1 - INTERVAL) / 2 * 100
    low, high = np.percentile(sample, [tail, 100 - tail])
    return Estimate(min(max(mean, float(low)), float(high)), float(low), float(high))


@dataclass(frozen=True)
class ResponseCurve:
    """Spend → settled revenue and conversions for one object (floats in minor units)."""

    object_id: str
    revenue_curve: PowerCurve
    conversions_curve: PowerCurve
    days: int
    spend_range: tuple[float, float]  # observed daily spend (min, max)
    pooled_share: float  # how much of the elasticity came from the account (0..1)

    @property
    def elasticity(self) -> float:
        return self.revenue_curve.elasticity

    def _seed(self, purpose: str) -> int:
        return zlib.crc32(f"{self.object_id}:{purpose}".encode())

    @cached_property
    def _draws(self) -> tuple[np.ndarray, np.ndarray]:
        return self.revenue_curve.draws(DRAWS, self._seed("revenue"))

    def _revenue_draws(self) -> tuple[np.ndarray, np.ndarray]:
        """Posterior draws of (level, elasticity), drawn once per curve (seeded)."""
        return self._draws

    def revenue(self, spend: float) -> float:
        return self.revenue_curve.value(spend)

    def conversions(self, spend: float) -> float:
        return self.conversions_curve.value(spend)

    def expected(self, spend: float) -> Estimate:
        """Expected settled daily revenue at ``spend``, with its interval."""
        levels, elasticities = self._revenue_draws()
        sample = self.revenue_curve.values(spend, levels, elasticities)
        return _interval(sample, self.revenue(spend))

    def roas(self, spend: float) -> Estimate:
        """Average ROAS at ``spend``."""
        return self.expected(spend).scaled(1 / spend) if spend > 0 else Estimate(0.0, 0.0, 0.0)

    def marginal_roas_draws(self, spend: float) -> np.ndarray:
        levels, elasticities = self._revenue_draws()
        draws: np.ndarray = elasticities * self.revenue_curve.values(spend, levels, elasticities)
        return draws / spend

    def marginal_roas(self, spend: float) -> Estimate:
        """Revenue from one more unit of spend at ``spend`` (derivative of the curve)."""
        if spend <= 0:
            return Estimate(0.0, 0.0, 0.0)
        mean = self.elasticity * self.revenue(spend) / spend
        return _interval(self.marginal_roas_draws(spend), mean)

    def p_marginal_above(self, spend: float, threshold: float) -> float:
        """Posterior probability that the marginal ROAS at ``spend`` exceeds ``threshold``."""
        if spend <= 0:
            return 0.0
        return float(np.mean(self.marginal_roas_draws(spend) > threshold))

    def optimum_spend(self, break_even: float) -> float:
        """Spend at which the marginal ROAS falls to ``break_even`` (inf for a linear curve)."""
        return spend_where(self.revenue_curve, break_even, marginal=True)

    def spend_cap_for_roas(self, target: float) -> float:
        """Largest spend at which the average ROAS still meets ``target``."""
        return spend_where(self.revenue_curve, target, marginal=False)

    def spend_cap_for_cpa(self, target_cpa: float) -> float:
        """Largest spend at which the average cost per conversion stays within ``target_cpa``."""
        return spend_where(self.conversions_curve, 1 / target_cpa, marginal=False)

    def profit_change(self, spend_from: float, spend_to: float, margin: float) -> Estimate:
        """Expected change in daily contribution profit (revenue × margin − spend)."""
        levels, elasticities = self._revenue_draws()
        delta = self.revenue_curve.values(spend_to, levels, elasticities) - (
            self.revenue_curve.values(spend_from, levels, elasticities)
        )
        sample = delta * margin - (spend_to - spend_from)
        mean = (self.revenue(spend_to) - self.revenue(spend_from)) * margin - (
            spend_to - spend_from
        )
        return _interval(sample, mean)


def spend_where(curve: PowerCurve, ratio: float, *, marginal: bool) -> float:
    """Spend at which the marginal (or average) value per unit of spend equals ``ratio``.

    value/spend = exp(level − b·log ref) · spend^(b−1); the marginal adds a factor b.
    """
    b = curve.elasticity
    if ratio <= 0:
        return math.inf
    if b >= 0.999:
        return math.inf  # linear: no saturation inside the curve
    log_scale = curve.level - b * math.log(curve.ref_spend) + (math.log(b) if marginal else 0.0)
    return math.exp((log_scale - math.log(ratio)) / (1 - b))


# --- fitting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Raw:
    """One object's own fit before pooling (log value per spend at its reference spend)."""

    object_id: str
    ref_spend: float
    log_ratio: float  # log(value / spend) at ref_spend
    se_ratio: float
    elasticity: float | None
    se_elasticity: float | None
    cov: float
    days: int
    spend_range: tuple[float, float]


def _fit_one(
    object_id: str,
    spend: np.ndarray,
    value: np.ndarray,
    weights: np.ndarray,
    family: sm.families.Family,
    fallback_ratio: float,
) -> _Raw:
    log_spend = np.log(spend)
    ref = float(np.exp(np.average(log_spend, weights=weights)))
    x = log_spend - math.log(ref)
    spread = float(np.ptp(x)) if len(x) > 1 else 0.0
    days = len(spend)
    span = (float(spend.min()), float(spend.max()))
    if value.sum() <= 0:
        # Nothing sold yet: "half a sale" at the account's value per sale, and a wide interval.
        return _Raw(
            object_id, ref, math.log(fallback_ratio / spend.sum()), 1.0, None, None, 0, days, span
        )
    if days < 3 or spread < MIN_LOG_SPREAD:
        total = float(np.sum(weights * value)) / float(np.sum(weights * spend))
        rel = min(float(np.std(np.log(np.maximum(value, 1e-9) / spend))), 1.5) if days > 2 else 0.6
        se = max(float(rel), 0.2) / math.sqrt(max(float(weights.sum()), 1.0))
        return _Raw(object_id, ref, math.log(total), se, None, None, 0.0, days, span)
    design = np.column_stack([np.ones(days), x])
    model = sm.GLM(value, design, family=family, var_weights=weights)
    try:
        result = model.fit(scale="X2", tol_criterion="params")
    except (ValueError, np.linalg.LinAlgError):  # pragma: no cover - degenerate data
        total = float(value.sum() / spend.sum())
        return _Raw(object_id, ref, math.log(total), 0.5, None, None, 0.0, days, span)
    params = np.asarray(result.params)
    cov = np.asarray(result.cov_params())
    if not np.all(np.isfinite(cov)):  # pragma: no cover - degenerate data
        cov = np.diag([0.25, 1.0])
    return _Raw(
        object_id,
        ref,
        float(params[0]) - math.log(ref),
        math.sqrt(max(cov[0, 0], 1e-8)),
        float(params[1]),
        math.sqrt(max(cov[1, 1], 1e-8)),
        float(cov[0, 1]),
        days,
        span,
    )


def _tau2(
    estimates: Sequence[float], ses: Sequence[float], floor: float, ceiling: float
) -> tuple[float, float]:
    """DerSimonian–Laird between-object variance (within bounds) and the weighted mean."""
    y = np.asarray(estimates, dtype=float)
    v = np.asarray(ses, dtype=float) ** 2
    w = 1 / v
    mean = float(np.sum(w * y) / np.sum(w))
    if len(y) < 2:
        return floor**2, mean
    q = float(np.sum(w * (y - mean) ** 2))
    c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    tau2 = max((q - (len(y) - 1)) / c, 0.0) if c > 0 else 0.0
    tau2 = min(max(tau2, floor**2), ceiling**2)
    w_star = 1 / (v + tau2)
    return tau2, float(np.sum(w_star * y) / np.sum(w_star))


def _shrink(estimate: float, se: float, mean: float, tau2: float) -> tuple[float, float, float]:
    """Posterior mean, variance and the weight given to the pool."""
    precision_own, precision_pool = 1 / se**2, 1 / tau2
    variance = 1 / (precision_own + precision_pool)
    pooled = precision_pool * variance
    return (estimate * precision_own + mean * precision_pool) * variance, variance, pooled


def _pool(raws: Sequence[_Raw]) -> dict[str, tuple[PowerCurve, float]]:
    """Partial pooling of elasticity and log ROAS towards the account."""
    prior_mean, prior_sd = PRIOR_ELASTICITY
    with_slope = [r for r in raws if r.elasticity is not None and r.se_elasticity is not None]
    tau2_b, _ = _tau2(
        [r.elasticity for r in with_slope] or [prior_mean],  # type: ignore[misc]
        [r.se_elasticity for r in with_slope] or [prior_sd],  # type: ignore[misc]
        MIN_TAU_ELASTICITY,
        MAX_TAU_ELASTICITY,
    )
    # The account's mean elasticity: the objects' evidence combined with the prior.
    precisions = [1 / ((r.se_elasticity or 1.0) ** 2 + tau2_b) for r in with_slope]
    weighted = sum(p * (r.elasticity or 0.0) for p, r in zip(precisions, with_slope, strict=True))
    total = sum(precisions) + 1 / prior_sd**2
    mean_b = (weighted + prior_mean / prior_sd**2) / total
    var_mean_b = 1 / total
    tau2_r, mean_r = _tau2(
        [r.log_ratio for r in raws], [r.se_ratio for r in raws], MIN_TAU_LEVEL, MAX_TAU_LEVEL
    )
    out: dict[str, tuple[PowerCurve, float]] = {}
    for raw in raws:
        if raw.elasticity is None or raw.se_elasticity is None:
            b, var_b, pooled = mean_b, tau2_b + var_mean_b, 1.0
            cov = 0.0
        else:
            b, var_b, pooled = _shrink(raw.elasticity, raw.se_elasticity, mean_b, tau2_b)
            var_b += pooled**2 * var_mean_b  # the account's mean is itself uncertain
            cov = raw.cov * (var_b / raw.se_elasticity**2)  # shrinks with the slope's variance
        r, var_r, _ = _shrink(raw.log_ratio, raw.se_ratio, mean_r, tau2_r)
        b = float(np.clip(b, *ELASTICITY_BOUNDS))
        curve = PowerCurve(
            level=r + math.log(raw.ref_spend),
            elasticity=b,
            ref_spend=raw.ref_spend,
            var_level=var_r,
            var_elasticity=var_b,
            cov=float(
                np.clip(cov, -0.99 * math.sqrt(var_r * var_b), 0.99 * math.sqrt(var_r * var_b))
            ),
        )
        out[raw.object_id] = (curve, pooled)
    return out


def fit_curves(observations: Iterable[Observation]) -> dict[str, ResponseCurve]:
    """One pooled :class:`ResponseCurve` per object that spent on at least one day.

    Days without spend carry no information on the curve and are ignored; pass
    every object of one account together (the pool is the account).
    """
    by_object: dict[str, list[Observation]] = defaultdict(list)
    for obs in observations:
        if float(obs.spend) > 0 and obs.weight > 0:
            by_object[obs.object_id].append(obs)
    if not by_object:
        return {}
    arrays = {}
    for object_id, rows in by_object.items():
        arrays[object_id] = (
            np.array([float(r.spend) for r in rows]),
            np.array([max(float(r.revenue), 0.0) for r in rows]),
            np.array([max(float(r.conversions), 0.0) for r in rows]),
            np.array([float(r.weight) for r in rows]),
        )
    spend_total = sum(float(a[0].sum()) for a in arrays.values())
    revenue_total = sum(float(a[1].sum()) for a in arrays.values())
    conversions_total = sum(float(a[2].sum()) for a in arrays.values())
    value_per_sale = revenue_total / conversions_total if conversions_total else spend_total
    revenue_family = sm.families.Tweedie(link=sm.families.links.Log(), var_power=1.5)
    poisson = sm.families.Poisson(link=sm.families.links.Log())
    revenue_raw = [
        _fit_one(oid, s, rev, w, revenue_family, 0.5 * value_per_sale)
        for oid, (s, rev, _, w) in arrays.items()
    ]
    conversion_raw = [
        _fit_one(oid, s, conv, w, poisson, 0.5) for oid, (s, _, conv, w) in arrays.items()
    ]
    revenue_pooled = _pool(revenue_raw)
    conversion_pooled = _pool(conversion_raw)
    out: dict[str, ResponseCurve] = {}
    for raw in revenue_raw:
        curve, pooled = revenue_pooled[raw.object_id]
        out[raw.object_id] = ResponseCurve(
            object_id=raw.object_id,
            revenue_curve=curve,
            conversions_curve=conversion_pooled[raw.object_id][0],
            days=raw.days,
            spend_range=raw.spend_range,
            pooled_share=pooled,
        )
    return out

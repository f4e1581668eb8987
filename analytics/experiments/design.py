"""Design of an A/B test: minimum detectable effect and expected duration (power analysis).

What it estimates: for the account's own baseline (rate and daily volume per variant), the
smallest relative improvement a test of a given length detects with the target power, and
the whole weeks a test needs for a target improvement.

Model. Every metric is reduced to a standardised effect ``e`` with unit variance per
observation unit, so one two-sample z-test (statsmodels ``NormalIndPower``) covers them:

* CTR, conversion rate: Cohen's h (``proportion_effectsize``, arcsine transform), units are
  impressions (CTR) or clicks (conversion rate);
* CPA: log ratio of conversions per spend (Poisson: var(log count) = 1/count), units are
  expected conversions;
* ROAS: log ratio of revenue per spend, compound Poisson with order values of coefficient of
  variation ``cv``: var = (1 + cv²)/conversions, so ``e = log ratio / sqrt(1 + cv²)``.

Day-to-day over-dispersion ``φ`` (see :func:`analytics.experiments.counts.dispersion`)
divides the effective sample. More than two variants: each challenger is compared with the
control at ``alpha / (k - 1)`` (Bonferroni; Holm's first step uses the same level, so this is
what Holm needs in the worst case).

Sequential monitoring: the verdict checks every day with an mSPRT
(:mod:`analytics.experiments.sequential`), which pays for peeking with a higher bar than a
fixed-horizon z-test. With the mixing scale set to the design's effect, power at the horizon
depends only on ``r = e²·n / (2φ)``: ``Φ(√r − c(r))`` with
``c(r)² = (1 + 1/r)(2 ln(1/α) + ln(1 + r))``; solving it gives about 1.9 times the fixed-horizon
sample at α = 5%, power = 80%. Both numbers are reported. The early-stopping chance is left
out, so the sequential duration is slightly conservative.

Failure modes: the baseline is a point estimate (a wrong baseline gives a wrong duration);
trends and fatigue inside the test are not modelled; for rates the mSPRT works on the raw
difference while the design uses the arcsine scale (close for the small lifts tests target).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from scipy.optimize import brentq
from scipy.stats import norm
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from analytics.experiments.counts import Counts, Metric, dispersion

Correction = Literal["holm", "bonferroni"]

#: Fewest events (clicks for CTR, conversions otherwise) each variant needs before a verdict.
MIN_EVENTS: dict[Metric, int] = {Metric.CTR: 100, Metric.CVR: 30, Metric.CPA: 30, Metric.ROAS: 30}
#: Coefficient of variation of order values when the account's is unknown.
DEFAULT_ORDER_VALUE_CV = 0.4
DAYS_PER_WEEK = 7


@dataclass(frozen=True)
class Baseline:
    """The account's own recent performance, per variant-to-be.

    ``rate`` is successes per trial for CTR/conversion rate, and conversions per minor unit
    of spend for CPA/ROAS; ``daily_units`` is impressions, clicks or spend (minor units) per
    variant per day.
    """

    metric: Metric
    rate: float
    daily_units: float
    dispersion: float = 1.0
    order_value_cv: float = DEFAULT_ORDER_VALUE_CV

    @classmethod
    def ctr(cls, ctr: float, daily_impressions: float, dispersion: float = 1.0) -> Baseline:
        return cls(Metric.CTR, ctr, daily_impressions, dispersion)

    @classmethod
    def cvr(cls, cvr: float, daily_clicks: float, dispersion: float = 1.0) -> Baseline:
        return cls(Metric.CVR, cvr, daily_clicks, dispersion)

    @classmethod
    def cpa(cls, cpa: Decimal | int, daily_spend: int, dispersion: float = 1.0) -> Baseline:
        """From a CPA and a daily spend per variant, both in minor units."""
        return cls(Metric.CPA, 1 / float(cpa), float(daily_spend), dispersion)

    @classmethod
    def roas(
        cls,
        cpa: Decimal | int,
        daily_spend: int,
        order_value_cv: float = DEFAULT_ORDER_VALUE_CV,
        dispersion: float = 1.0,
    ) -> Baseline:
        """ROAS precision depends on conversions, hence the CPA (minor units)."""
        return cls(Metric.ROAS, 1 / float(cpa), float(daily_spend), dispersion, order_value_cv)

    @classmethod
    def from_history(
        cls,
        metric: Metric,
        daily: Sequence[Counts],
        *,
        share: float = 1.0,
        order_value_cv: float = DEFAULT_ORDER_VALUE_CV,
    ) -> Baseline:
        """The account's own baseline from daily counts (increments, not running totals).

        ``share`` is the part of that volume each variant will get (0.5 when a test splits
        the same budget in two). Dispersion is measured on the same days.
        """
        days = [d for d in daily if d.exposure(metric) > 0]
        if not days:
            raise ValueError("no history with delivery")
        events = sum(d.events(metric) for d in days)
        exposure = sum(d.exposure(metric) for d in days)
        conversions = sum(d.conversions for d in days)
        if events <= 0 or (not metric.is_rate and conversions <= 0):
            raise ValueError("no events in the history: no baseline rate")
        rate = events / exposure if metric.is_rate else conversions / exposure
        return cls(
            metric,
            rate,
            exposure / len(days) * share,
            dispersion([days], metric),
            order_value_cv,
        )

    @property
    def events_per_unit(self) -> float:
        """Events (clicks or conversions) per design unit; 1 for CPA/ROAS, whose unit is one."""
        return self.rate if self.metric.is_rate else 1.0

    def units_per_day(self) -> float:
        """Design units (trials, or expected conversions) per variant per day."""
        return self.daily_units if self.metric.is_rate else self.daily_units * self.rate


@dataclass(frozen=True)
class Design:
    """A planned test: what it can detect, for how long, and the monitoring parameters."""

    baseline: Baseline
    variants: int
    alpha: float  # family-wise
    alpha_per_comparison: float
    power: float
    mde: float  # relative improvement (CPA: relative decrease) detected with ``power``
    effect_size: float  # standardised, see the module docstring
    fixed_horizon_units: int  # per variant, a test looked at once (statsmodels)
    units_per_variant: int  # per variant, monitored daily with the mSPRT
    min_events: int  # per variant before any verdict
    weeks: int
    max_weeks: int
    mixing_sd: float  # mSPRT mixing scale in the sequential statistic's units
    correction: Correction = "holm"

    @property
    def metric(self) -> Metric:
        return self.baseline.metric

    @property
    def days(self) -> int:
        """Planned duration: whole weeks."""
        return self.weeks * DAYS_PER_WEEK

    @property
    def max_days(self) -> int:
        """After this many days without a winner the test is inconclusive."""
        return self.days

    @property
    def feasible(self) -> bool:
        """The target effect is detectable within ``max_weeks``."""
        return self.weeks <= self.max_weeks

    def exposure_per_variant(self) -> float:
        """``units_per_variant`` in exposure units: impressions, clicks, or minor units spent."""
        b = self.baseline
        return self.units_per_variant if b.metric.is_rate else self.units_per_variant / b.rate


def comparison_alpha(alpha: float, variants: int) -> float:
    """Per-comparison level for ``variants - 1`` comparisons with the control."""
    if variants < 2:
        raise ValueError("a test needs at least two variants")
    return alpha / (variants - 1)


def effect_size(baseline: Baseline, mde: float) -> float:
    """Standardised effect of a relative improvement ``mde`` (CPA: a decrease by ``mde``)."""
    if mde <= 0:
        raise ValueError("the effect must be a positive improvement")
    metric = baseline.metric
    if metric.is_rate:
        treated = baseline.rate * (1 + mde)
        if treated >= 1:
            raise ValueError("the improved rate would exceed 100%")
        return abs(float(proportion_effectsize(treated, baseline.rate)))
    if metric is Metric.CPA:
        if mde >= 1:
            raise ValueError("a CPA cannot fall by 100% or more")
        return -math.log1p(-mde)
    return math.log1p(mde) / math.sqrt(1 + baseline.order_value_cv**2)


def relative_effect(baseline: Baseline, effect: float) -> float:
    """Inverse of :func:`effect_size`: the relative improvement a standardised effect means."""
    metric = baseline.metric
    if metric.is_rate:
        angle = math.asin(math.sqrt(baseline.rate)) + effect / 2
        treated = math.sin(min(angle, math.pi / 2)) ** 2
        return treated / baseline.rate - 1
    if metric is Metric.CPA:
        return -math.expm1(-effect)
    return math.expm1(effect * math.sqrt(1 + baseline.order_value_cv**2))


def mixing_sd(baseline: Baseline, mde: float) -> float:
    """The mSPRT mixing scale: the design effect in the sequential statistic's own units."""
    if baseline.metric.is_rate:
        return baseline.rate * mde
    if baseline.metric is Metric.CPA:
        return -math.log1p(-mde)
    return math.log1p(mde)


def _msprt_threshold(r: float, alpha: float) -> float:
    """z a difference must reach for the mSPRT to reject when ``r`` = τ²/V."""
    return math.sqrt((1 + 1 / r) * (2 * math.log(1 / alpha) + math.log1p(r)))


def sequential_r(alpha: float, power: float) -> float:
    """``r = e²·n/(2φ)`` at which a daily-monitored mSPRT reaches ``power`` at its horizon."""
    target = float(norm.ppf(power))
    return float(brentq(lambda r: math.sqrt(r) - _msprt_threshold(r, alpha) - target, 0.5, 1e4))


def fixed_horizon_units(effect: float, alpha: float, power: float) -> float:
    """Units per variant for a two-sided z-test looked at once (statsmodels)."""
    n = NormalIndPower().solve_power(
        effect_size=effect, alpha=alpha, power=power, ratio=1.0, alternative="two-sided"
    )
    return float(n)


def minimum_detectable_effect(
    baseline: Baseline,
    days: int,
    *,
    variants: int = 2,
    alpha: float = 0.05,
    power: float = 0.8,
    sequential: bool = True,
) -> float:
    """Smallest relative improvement a ``days``-long test detects with ``power``.

    ``sequential`` (the default) accounts for daily monitoring with the mSPRT; ``False``
    gives the textbook fixed-horizon figure.
    """
    if days <= 0:
        raise ValueError("a test lasts at least one day")
    a = comparison_alpha(alpha, variants)
    units = baseline.units_per_day() * days / max(baseline.dispersion, 1.0)
    if sequential:
        effect = math.sqrt(2 * sequential_r(a, power) / units)
    else:
        effect = float(
            NormalIndPower().solve_power(
                effect_size=None, nobs1=units, alpha=a, power=power, alternative="two-sided"
            )
        )
    return relative_effect(baseline, effect)


def plan(
    baseline: Baseline,
    mde: float,
    *,
    variants: int = 2,
    alpha: float = 0.05,
    power: float = 0.8,
    correction: Correction = "holm",
    max_weeks: int = 8,
) -> Design:
    """The whole weeks (at least one) a test needs to detect ``mde`` while monitored daily.

    The duration also covers :data:`MIN_EVENTS` per variant. ``feasible`` is false when it
    exceeds ``max_weeks`` (the design is still returned, so the card can say how long).
    """
    if baseline.units_per_day() <= 0 or baseline.rate <= 0:
        raise ValueError("the baseline needs a positive rate and daily volume")
    a = comparison_alpha(alpha, variants)
    e = effect_size(baseline, mde)
    phi = max(baseline.dispersion, 1.0)
    fixed = fixed_horizon_units(e, a, power) * phi
    sequential = 2 * phi * sequential_r(a, power) / e**2
    min_events = MIN_EVENTS[baseline.metric]
    needed = max(sequential, min_events / baseline.events_per_unit)
    days = math.ceil(needed / baseline.units_per_day())
    weeks = max(1, math.ceil(days / DAYS_PER_WEEK))
    return Design(
        baseline=baseline,
        variants=variants,
        alpha=alpha,
        alpha_per_comparison=a,
        power=power,
        mde=mde,
        effect_size=e,
        fixed_horizon_units=math.ceil(fixed),
        units_per_variant=math.ceil(sequential),
        min_events=min_events,
        weeks=weeks,
        max_weeks=max_weeks,
        mixing_sd=mixing_sd(baseline, mde),
        correction=correction,
    )

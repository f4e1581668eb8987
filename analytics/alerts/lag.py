"""The account's own attribution lag at hour level, fitted from successive hourly reads.

What it estimates: ``F(age)``, the share of an hour's purchases reported
``age`` hours after that hour, in the sandbox's (and Meta's) family: a share
``p0`` at once, the rest exponentially delayed with mean ``m`` hours,
truncated at the 7-day click window (:func:`analytics.alerts.series.exponential_lag_cdf`).

How: the hourly job reads the same entity every hour, so each click hour is
seen at several ages. Between two reads its reported purchases grow by an
increment that is Poisson with mean ``final * (F(a_k) - F(a_{k-1}))`` (Clark's
LDF curve-fitting, as ``analytics.brain.nowcast`` does with days); each hour's
final count is profiled out as ``last reported / F(last age)``, and ``p0`` and
``m`` are fitted by maximum likelihood (scipy, L-BFGS-B on logit/log scales).

Assumptions: one lag per account, not depending on the hour, the weekday or
the campaign; reported counts only grow. Failure modes: with reads spanning
only a day or two the tail mean is an extrapolation (bounded to 5-200 h);
too few purchases (under ``MIN_PURCHASES`` seen late) → ``None`` and the
caller keeps the default curve.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from analytics.alerts.series import (
    DEFAULT_LAG_WINDOW_HOURS,
    Array,
    HourlySeries,
    LagCDF,
    exponential_lag_cdf,
)

#: Purchases that must be seen in the reads for a fit (fewer: keep the default curve).
MIN_PURCHASES = 30
_MEAN_BOUNDS = (5.0, 200.0)


@dataclass(frozen=True)
class LagFit:
    """The fitted lag: share reported at once, mean delay of the rest, purchases it rests on."""

    immediate_share: float
    mean_hours: float
    purchases: int
    window_hours: float = DEFAULT_LAG_WINDOW_HOURS

    @property
    def cdf(self) -> LagCDF:
        return exponential_lag_cdf(self.immediate_share, self.mean_hours, self.window_hours)


def _increments(reads: Sequence[HourlySeries]) -> tuple[Array, Array, Array]:
    """Per click hour: ages at each read (hours × reads), increments, last reported.

    Each read covers the hours up to its own end, so a click hour is absent from
    the reads before it: there its age is negative (``F = 0``) and its count 0,
    and its first increment is simply what the first read saw.
    """
    ordered = sorted(reads, key=lambda r: r.end)
    hours = max(len(r) for r in ordered)
    ages = np.full((hours, len(ordered)), -1.0)
    reported = np.zeros((hours, len(ordered)))
    for column, read in enumerate(ordered):
        ages[: len(read), column] = read.ages(read.end)
        reported[: len(read), column] = np.maximum(read.conversions, 0.0)
    reported = np.maximum.accumulate(reported, axis=1)
    increments = np.diff(reported, axis=1, prepend=0.0)
    return ages, increments, reported[:, -1]


def _negative_loglik(theta: Array, ages: Array, increments: Array, last: Array) -> float:
    p0 = 1.0 / (1.0 + math.exp(-theta[0]))
    cdf = exponential_lag_cdf(p0, math.exp(theta[1]))
    f = cdf(ages)
    final = last / np.maximum(f[:, -1], 1e-9)
    mu = np.maximum(final[:, None] * np.diff(f, axis=1, prepend=0.0), 1e-12)
    return float(np.sum(mu - increments * np.log(mu)))


def fit_lag(reads: Sequence[HourlySeries]) -> LagFit | None:
    """The lag from two or more reads of one entity starting at the same hour, or ``None``.

    Reads are the series as read at their own end (conversions as reported
    then), e.g. the hourly job's successive reads; the longer the span and the
    denser the reads, the better the tail and the immediate share are seen.
    """
    if len(reads) < 2 or len({r.start for r in reads}) != 1:
        return None
    ages, increments, last = _increments(reads)
    keep = last > 0
    if increments[keep][:, 1:].sum() < 1 or last.sum() < MIN_PURCHASES:
        return None
    ages, increments, last = ages[keep], increments[keep], last[keep]
    bounds = [(-5.0, 5.0), (math.log(_MEAN_BOUNDS[0]), math.log(_MEAN_BOUNDS[1]))]
    result = optimize.minimize(
        _negative_loglik,
        np.array([0.0, math.log(30.0)]),
        args=(ages, increments, last),
        method="L-BFGS-B",
        bounds=bounds,
    )
    p0 = 1.0 / (1.0 + math.exp(-float(result.x[0])))
    return LagFit(p0, math.exp(float(result.x[1])), int(last.sum()))

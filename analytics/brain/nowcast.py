"""Attribution-lag nowcast: how much of a recent day's conversions are still to be reported.

What it estimates
    An account's lag curve ``F(age)``: the share of a day's final conversions (or
    revenue) already reported ``age`` days after the day ended, from SNAPSHOTS of
    the reported figure taken at successive syncs; then, for a provisional day,
    its expected final figure ``reported / F(age)`` with a 90% interval.

How
    Clark's LDF curve-fitting (Clark 2003, "LDF Curve-Fitting and Stochastic
    Reserving: A Maximum Likelihood Approach"): the increments between a day's
    successive snapshots are over-dispersed Poisson with mean
    ``final_day · (F(age_i) − F(age_{i−1}))``. ``F`` is parametric: a share ``p0``
    reported at once plus a Weibull CDF for the rest::

        F(age) = p0 + (1 − p0) · (1 − exp(−(age / scale)^shape))

    Each day's final figure is profiled out in closed form (``last reported /
    F(last age)``), the three parameters are fitted by maximum likelihood with
    scipy.optimize (L-BFGS-B on unconstrained transforms), the dispersion is
    Pearson's χ² over the degrees of freedom. A completion's interval combines the
    process variance of what is still to arrive (over-dispersed Poisson, from
    scipy.stats: negative binomial, since the day's own rate is only known through
    what was reported) with the parameter uncertainty (draws from the inverse
    Hessian). The dispersion is floored at 1 (a Poisson count is the least variable
    a count can be).

Assumptions
    One lag curve per account and series (conversions and revenue are fitted
    separately: the dispersion is in the series' own units); the lag does not
    depend on the weekday, the campaign or the volume; reported figures only grow
    (downward revisions are clipped to zero increments); a snapshot's age is
    measured from the END of the day in the account's timezone.

Failure modes
    Without snapshots beyond a few days the Weibull tail is an extrapolation (the
    fit says how far its data reach: ``max_age``); a change in the attribution
    setting mid-window mixes two curves; very small counts (a handful of
    conversions a day) give wide intervals, which is the honest answer.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import optimize, special, stats

from analytics.brain.curves import Estimate

INTERVAL = 0.90
#: Minimum number of days with at least two snapshots for a fit.
MIN_DAYS = 5
_DRAWS = 400


@dataclass(frozen=True)
class Snapshot:
    """A day's cumulative reported figure as seen ``age_days`` after the day ended."""

    day: date
    age_days: float
    reported: float


@dataclass(frozen=True)
class Completion:
    """A provisional day completed: the reported figure, the share reported so far, and the
    expected final figure with its interval."""

    reported: float
    share_reported: float
    final: Estimate


@dataclass(frozen=True)
class LagCurve:
    """``F(age) = p0 + (1 − p0)·Weibull(shape, scale).cdf(age)`` with its uncertainty."""

    immediate_share: float
    shape: float
    scale: float
    dispersion: float
    covariance: tuple[tuple[float, ...], ...]  # of (logit p0, log shape, log scale)
    days: int
    max_age: float

    def share(self, age_days: float) -> float:
        """Expected share of a day's final figure reported ``age_days`` after it ended."""
        return float(_cdf(np.array([age_days]), self._theta())[0])

    def _theta(self) -> np.ndarray:
        p0 = min(max(self.immediate_share, 1e-6), 1 - 1e-6)
        return np.array([math.log(p0 / (1 - p0)), math.log(self.shape), math.log(self.scale)])

    def settled_by(self, share: float = 0.98) -> float:
        """Age (days) by which ``share`` of a day's figure is expected to be reported."""
        if self.immediate_share >= share:
            return 0.0
        rest = (share - self.immediate_share) / (1 - self.immediate_share)
        return float(self.scale * (-math.log(1 - rest)) ** (1 / self.shape))

    def complete(self, reported: float, age_days: float) -> Completion:
        """Expected final figure of a day reported as ``reported`` at ``age_days``."""
        share = self.share(age_days)
        reported = max(reported, 0.0)
        if share >= 0.999:
            return Completion(reported, share, Estimate(reported, reported, reported))
        mean_final = reported / share
        rng = np.random.default_rng(int(age_days * 1000) + int(reported) % 100_000)
        cov = np.array(self.covariance)
        thetas = rng.multivariate_normal(self._theta(), cov, size=_DRAWS)
        shares = np.array([_cdf(np.array([age_days]), t)[0] for t in thetas])
        shares = np.clip(shares, 1e-3, 1.0)
        # Still to arrive, for each parameter draw: the day's rate is only known through what
        # was reported (Gamma posterior), so the rest is negative binomial (over-dispersed).
        phi = max(self.dispersion, 1.0)
        u = rng.random(_DRAWS)
        remaining = phi * stats.nbinom.ppf(u, max(reported, 0.5) / phi, shares)
        sample = reported + remaining
        tail = (1 - INTERVAL) / 2 * 100
        low, high = np.percentile(sample, [tail, 100 - tail])
        return Completion(reported, share, Estimate(mean_final, float(low), float(high)))


#: Bound on the fitted log-parameters: a posterior draw far in a tail must not overflow exp()
#: (math.exp raises past ~709; a night once stopped on it).
_LOG_BOUND = 50.0


def _cdf(age: np.ndarray, theta: np.ndarray) -> np.ndarray:
    p0 = float(special.expit(theta[0]))
    shape, scale = (math.exp(min(max(t, -_LOG_BOUND), _LOG_BOUND)) for t in theta[1:3])
    age = np.maximum(age, 0.0)
    # Far past the scale the power overflows to inf while the optimiser explores: the CDF is 1.
    with np.errstate(over="ignore"):
        return p0 + (1 - p0) * (1 - np.exp(-((age / scale) ** shape)))


@dataclass(frozen=True)
class _Day:
    ages: np.ndarray
    increments: np.ndarray
    last: float


def _days(snapshots: Iterable[Snapshot]) -> list[_Day]:
    by_day: dict[date, list[Snapshot]] = defaultdict(list)
    for snap in snapshots:
        if snap.age_days >= 0:
            by_day[snap.day].append(snap)
    out = []
    for rows in by_day.values():
        rows.sort(key=lambda s: s.age_days)
        ages = np.array([s.age_days for s in rows])
        cumulative = np.maximum.accumulate(np.array([max(s.reported, 0.0) for s in rows]))
        if cumulative[-1] <= 0:
            continue
        increments = np.diff(cumulative, prepend=0.0)
        out.append(_Day(ages, increments, float(cumulative[-1])))
    return out


def _negative_loglik(theta: np.ndarray, days: Sequence[_Day]) -> float:
    total = 0.0
    for day in days:
        f = _cdf(day.ages, theta)
        final = day.last / max(f[-1], 1e-9)
        mu = np.maximum(final * np.diff(f, prepend=0.0), 1e-12)
        total += float(np.sum(mu - day.increments * np.log(mu)))
    return total


def _pearson(theta: np.ndarray, days: Sequence[_Day]) -> tuple[float, int]:
    chi2, n = 0.0, 0
    for day in days:
        f = _cdf(day.ages, theta)
        final = day.last / max(f[-1], 1e-9)
        mu = np.maximum(final * np.diff(f, prepend=0.0), 1e-12)
        chi2 += float(np.sum((day.increments - mu) ** 2 / mu))
        n += len(mu) - 1  # one degree of freedom per day goes to its profiled final figure
    return chi2, n


def fit_lag(snapshots: Iterable[Snapshot]) -> LagCurve | None:
    """The account's lag curve, or None without enough days seen at two or more ages."""
    days = [d for d in _days(snapshots) if len(d.ages) >= 2]
    if len(days) < MIN_DAYS:
        return None
    start = np.array([0.0, 0.0, 0.0])  # p0 = 0.5, shape 1, scale 1 day
    bounds = [(-6.0, 6.0), (math.log(0.2), math.log(8.0)), (math.log(0.02), math.log(60.0))]
    result = optimize.minimize(
        _negative_loglik, start, args=(days,), method="L-BFGS-B", bounds=bounds
    )
    theta = np.asarray(result.x)
    chi2, n = _pearson(theta, days)
    dispersion = max(chi2 / max(n - 3, 1), 1e-3)
    covariance = _covariance(_hessian(lambda t: _negative_loglik(t, days), theta), dispersion)
    return LagCurve(
        immediate_share=float(1 / (1 + math.exp(-theta[0]))),
        shape=float(math.exp(theta[1])),
        scale=float(math.exp(theta[2])),
        dispersion=float(dispersion),
        covariance=tuple(tuple(float(v) for v in row) for row in covariance),
        days=len(days),
        max_age=float(max(d.ages[-1] for d in days)),
    )


#: Variance (log scale) of a direction the likelihood does not pin down.
_VAGUE = 0.25


def _covariance(hessian: np.ndarray, dispersion: float) -> np.ndarray:
    """The Laplace covariance, inverse Hessian × dispersion, made a valid one.

    A fit that stops at a bound (every conversion reported at once: shape and scale at
    their limits) has directions of flat or negative numerical curvature, and their inverse
    is no variance: draws from it were ill-defined (numpy warned, SVD pressed on). Each such
    eigen-direction gets the vague variance instead; the determined ones keep theirs.
    """
    symmetric = (hessian + hessian.T) / 2
    if not np.all(np.isfinite(symmetric)):
        return np.diag([_VAGUE] * len(hessian))
    curvature, directions = np.linalg.eigh(symmetric)
    determined = curvature > 1e-9
    variance = np.where(determined, dispersion / np.where(determined, curvature, 1.0), _VAGUE)
    covariance = directions @ np.diag(variance) @ directions.T
    return np.asarray((covariance + covariance.T) / 2)


def _hessian(f: Callable[[np.ndarray], float], x: np.ndarray, step: float = 1e-3) -> np.ndarray:
    """Central-difference Hessian (three parameters: 19 evaluations)."""
    n = len(x)
    h = np.zeros((n, n))
    f0 = f(x)
    for i in range(n):
        for j in range(i, n):
            ei, ej = np.eye(n)[i] * step, np.eye(n)[j] * step
            if i == j:
                value = (f(x + ei) - 2 * f0 + f(x - ei)) / step**2
            else:
                value = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (
                    4 * step**2
                )
            h[i, j] = h[j, i] = value
    return h

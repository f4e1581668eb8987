"""Robust deviation scores: how surprising an observed total is against its expectation.

Two families, both returning a one-sided tail probability:

* **counts** (impressions, clicks, conversions, revenue in order-sized units):
  a Gamma-Poisson (negative binomial) likelihood. The Poisson part is the
  sampling noise of rare events; the Gamma part, with relative variance
  ``dispersion``, is the wobble of the auction that no hour profile explains
  (a day-level part shared by a window's hours plus an hour-level part that
  averages out over longer windows). ``Var = mu + dispersion * mu**2``. With
  ``dispersion = 0`` it is the plain Poisson tail.
* **money** (spend): a log-normal tail on ``log(observed / expected)`` with
  the scale taken from the account's own history (median/MAD), because spend
  is not a count.

A window whose expectation is below a minimum volume gets no score (tail 1):
three expected purchases that did not come are not evidence of anything.

:func:`scan_windows` looks at the last 1, 2, 3, 4, 6, 8, 12 and 24 hours (and,
for the purchases of a low-volume account, 36, 48 and 72: :data:`LONG_WINDOWS`) and
keeps the most surprising window that also shows the minimum effect; its tail
probability is Bonferroni-adjusted for the number of windows tried (11 instead
of 8 when the long windows are looked at, so the per-run bar is unchanged), and its
start is the incident's "since when". The latest window with enough volume
must still show half the effect (in log terms), so a long window does not
keep an incident alive hours after the account recovered.

Failure modes: an underestimated dispersion (too little history, a regime
change) makes everything look significant; the materiality floor and the
minimum effect are the second line of defence. Counts far above 1e6 lose
precision in the negative binomial, harmless at these thresholds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

from analytics.alerts.series import Array

Side = Literal["low", "high"]

#: Window lengths (hours, ending now) the scan tries.
WINDOWS: tuple[int, ...] = (1, 2, 3, 4, 6, 8, 12, 24)
#: The same plus up to three days, for evidence that accumulates slowly (a few purchases an hour).
LONG_WINDOWS: tuple[int, ...] = (*WINDOWS, 36, 48, 72)
#: Expected volume of the most recent window that must still show half the effect.
RECENT_VOLUME = 20.0


@dataclass(frozen=True)
class Deviation:
    """One window's evidence: totals, their ratio and the (adjusted) tail probability."""

    hours: int  # window length, ending now
    observed: float
    expected: float
    tail_probability: float

    @property
    def ratio(self) -> float:
        """Observed over expected (1.0 is exactly as usual)."""
        return self.observed / self.expected if self.expected > 0 else math.inf


def count_tail(
    observed: Array | float, expected: Array | float, dispersion: Array | float, side: Side
) -> Array:
    """P(X <= observed) (``low``) or P(X >= observed) (``high``) under Gamma-Poisson."""
    obs = np.asarray(observed, dtype=np.float64)
    mu = np.maximum(np.asarray(expected, dtype=np.float64), 1e-12)
    phi = np.asarray(dispersion, dtype=np.float64)
    k = np.floor(obs + 1e-9) if side == "low" else np.ceil(obs - 1e-9)
    if np.all(phi <= 1e-9):
        tail = stats.poisson.cdf(k, mu) if side == "low" else stats.poisson.sf(k - 1, mu)
    else:
        size = 1.0 / np.maximum(phi, 1e-9)
        p = size / (size + mu)
        tail = stats.nbinom.cdf(k, size, p) if side == "low" else stats.nbinom.sf(k - 1, size, p)
    return np.clip(np.asarray(tail, dtype=np.float64), 0.0, 1.0)


def lognormal_tail(
    observed: Array | float, expected: Array | float, sigma: Array | float, side: Side
) -> Array:
    """Tail of ``log(observed / expected)`` under a normal law of scale ``sigma``."""
    obs = np.asarray(observed, dtype=np.float64)
    exp = np.asarray(expected, dtype=np.float64)
    floor = np.maximum(exp * 0.01, 1.0)  # a stopped series scores as 1% of usual, not -inf
    z = np.log((obs + floor) / (exp + floor)) / np.maximum(
        np.asarray(sigma, dtype=np.float64), 1e-6
    )
    tail = stats.norm.cdf(z) if side == "low" else stats.norm.sf(z)
    return np.asarray(tail, dtype=np.float64)


def robust_log_scale(observed: Array, expected: Array) -> float:
    """Scale of log(observed / expected) by median absolute deviation (1.4826 * MAD)."""
    mask = expected > 0
    if mask.sum() < 3:
        return math.inf
    ratios = np.log((observed[mask] + 0.5) / (expected[mask] + 0.5))
    return float(1.4826 * np.median(np.abs(ratios - np.median(ratios))))


def scan_windows(
    observed: Array,
    expected: Array,
    *,
    side: Side,
    count: bool,
    dispersion: float,
    min_volume: float,
    min_effect: float,
    hourly_dispersion: float = 0.0,
    windows: Sequence[int] = WINDOWS,
) -> Deviation | None:
    """The most surprising recent window that shows at least ``min_effect``.

    ``observed``/``expected`` are per-hour arrays ending now (``expected`` in
    the same units). A window of ``w`` hours has relative variance
    ``dispersion / max(1, w / 24) + hourly_dispersion / w`` beyond Poisson: the
    day-level wobble is shared by every hour of a day, the hour-level one
    averages out, and a window of several days averages the days' wobbles
    (taken as independent from day to day).
    ``min_effect`` is a ratio: for ``high`` the window must
    reach ``observed >= min_effect * expected``, for ``low``
    ``observed <= min_effect * expected``. For money (``count=False``)
    ``dispersion`` is the variance of the log ratio. Returns ``None`` when no
    window qualifies.
    """
    size = observed.shape[0]
    usable = [w for w in windows if w <= size]
    if not usable:
        return None
    obs_cum = np.cumsum(observed[::-1])
    exp_cum = np.cumsum(expected[::-1])
    idx = np.array(usable) - 1
    obs_w, exp_w = obs_cum[idx], exp_cum[idx]
    effect = obs_w >= min_effect * exp_w if side == "high" else obs_w <= min_effect * exp_w
    enough = (exp_w >= min_volume) & (exp_w > 0)
    valid = effect & enough
    if not valid.any():
        return None
    lengths = np.array(usable, dtype=np.float64)
    phi = max(dispersion, 0.0) / np.maximum(lengths / 24.0, 1.0)
    phi = phi + max(hourly_dispersion, 0.0) / lengths
    if count:
        tails = count_tail(obs_w, exp_w, phi, side)
    else:
        tails = lognormal_tail(obs_w, exp_w, np.sqrt(phi), side)
    tails = np.where(valid, tails, 1.0)
    best = int(np.argmin(tails))
    # The latest hours must still show at least half the effect (in log terms), so a long
    # window does not keep an incident alive after it recovered. The latest hours are the
    # shortest window with enough volume, or the best window itself when that is shorter
    # (a fresh onset: the hours before it, still normal, must not veto it).
    steady = exp_w >= max(min_volume, RECENT_VOLUME)
    latest = int(np.argmax(steady)) if steady.any() else len(usable) - 1
    latest = min(latest, best)
    half = math.sqrt(min_effect)
    ratio = obs_w[latest] / exp_w[latest]
    if (side == "high" and ratio < half) or (side == "low" and ratio > half):
        return None
    adjusted = min(1.0, float(tails[best]) * len(usable))
    return Deviation(usable[best], float(obs_w[best]), float(exp_w[best]), adjusted)

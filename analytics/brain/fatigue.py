"""Fatigue and saturation signals per ad or ad set, from its daily delivery history.

What it estimates
    Two trends and a verdict:

    * CTR decay with cumulative exposure: a quasi-binomial GLM (statsmodels,
      logit link, dispersion from Pearson's χ²) of daily clicks out of
      impressions on the cumulative frequency reached before that day
      (cumulative impressions ÷ the mean daily reach: a proxy for exposures per
      person, since unique reach does not add up across days). Its slope with a
      90% interval, and the CTR drop from the first days to now implied by the fit.
    * Frequency rising: OLS of the daily frequency (impressions ÷ reach) on the
      day index, slope with a 90% interval.

    ``fatigued`` when the CTR slope is negative with 90% confidence and the fitted
    drop is at least ``MIN_DROP``; ``saturating`` when frequency rises with 90%
    confidence and exceeds ``MIN_FREQUENCY``. The signal carries its figures so a
    card (or the experiments module's creative refresh) can cite them.

Assumptions
    CTR changes only through exposure (no creative or targeting edits in the
    window); weekday and seasonal swings average out over ``MIN_DAYS`` or more;
    reach per day is a fair denominator for "people exposed".

Failure modes
    A seasonal drop in CTR that coincides with growing exposure reads as fatigue;
    a budget cut lowers frequency and can hide saturation; very few clicks per day
    give wide intervals (no signal rather than a wrong one).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import statsmodels.api as sm
from scipy import stats

from analytics.brain.curves import Estimate

MIN_DAYS = 7
#: Fitted CTR drop (first days → now) that counts as fatigue.
MIN_DROP = 0.20
#: Daily frequency above which a rising trend counts as saturation.
MIN_FREQUENCY = 1.5
INTERVAL = 0.90


@dataclass(frozen=True)
class DeliveryDay:
    day: date
    impressions: int
    reach: int
    clicks: int


@dataclass(frozen=True)
class FatigueSignal:
    object_id: str
    level: str  # ad | adset
    days: int
    fatigued: bool
    saturating: bool
    ctr_slope: Estimate | None  # change in logit CTR per unit of cumulative frequency
    ctr_drop: float | None  # fitted relative CTR drop, first day → last day (0.3 = −30%)
    ctr_first: float | None
    ctr_now: float | None
    frequency_slope: Estimate | None  # change in daily frequency per day
    frequency_now: float | None
    cumulative_frequency: float

    @property
    def reasons(self) -> tuple[str, ...]:
        out = []
        if self.fatigued:
            out.append("ctr_decaying")
        if self.saturating:
            out.append("frequency_rising")
        return tuple(out)


def _ctr_trend(
    impressions: np.ndarray, clicks: np.ndarray, exposure: np.ndarray
) -> tuple[Estimate, float, float, float] | None:
    if clicks.sum() < 20 or np.ptp(exposure) <= 0:
        return None
    design = sm.add_constant(exposure)
    # Proportions weighted by impressions: statsmodels' Pearson scale is wrong for the
    # two-column (successes, failures) form, which would make the interval far too narrow.
    model = sm.GLM(
        clicks / impressions, design, family=sm.families.Binomial(), var_weights=impressions
    )
    # Started from the empirical-logit weighted least squares line: IRLS then needs 2-3 steps.
    share = (clicks + 0.5) / (impressions + 1.0)
    start = np.polyfit(exposure, np.log(share / (1 - share)), 1, w=np.sqrt(clicks + 0.5))[::-1]
    try:
        result = model.fit(scale="X2", tol_criterion="params", start_params=start)
    except (ValueError, np.linalg.LinAlgError):  # pragma: no cover - degenerate data
        return None
    low, high = np.asarray(result.conf_int(alpha=1 - INTERVAL))[1]
    slope = float(np.asarray(result.params)[1])
    fitted = np.asarray(result.predict(design))
    first, now = float(fitted[0]), float(fitted[-1])
    return Estimate(slope, float(low), float(high)), 1 - now / first, first, now


def _frequency_trend(frequency: np.ndarray) -> Estimate:
    x = sm.add_constant(np.arange(len(frequency), dtype=float))
    result = sm.OLS(frequency, x).fit()
    slope = float(np.asarray(result.params)[1])
    se = float(np.asarray(result.bse)[1])
    if not math.isfinite(se):  # pragma: no cover - perfectly flat series
        se = 0.0
    t = stats.t.ppf(1 - (1 - INTERVAL) / 2, max(len(frequency) - 2, 1))
    return Estimate(slope, slope - t * se, slope + t * se)


def detect(object_id: str, level: str, history: Sequence[DeliveryDay]) -> FatigueSignal:
    """The object's fatigue and saturation signal (no signal with fewer than ``MIN_DAYS``)."""
    days = sorted((d for d in history if d.impressions > 0), key=lambda d: d.day)
    impressions = np.array([d.impressions for d in days], dtype=float)
    reach = np.array([max(d.reach, 1) for d in days], dtype=float)
    clicks = np.array([min(d.clicks, d.impressions) for d in days], dtype=float)
    mean_reach = float(reach.mean()) if len(days) else 1.0
    # Exposure before each day (what the audience had already seen when the day began).
    exposure = (np.cumsum(impressions) - impressions) / mean_reach
    cumulative = float(impressions.sum() / mean_reach) if len(days) else 0.0
    if len(days) < MIN_DAYS:
        return FatigueSignal(
            object_id,
            level,
            len(days),
            False,
            False,
            None,
            None,
            None,
            None,
            None,
            None,
            cumulative,
        )
    ctr = _ctr_trend(impressions, clicks, exposure)
    frequency = impressions / reach
    freq_slope = _frequency_trend(frequency)
    frequency_now = float(frequency[-3:].mean())
    fatigued = bool(ctr is not None and ctr[0].high < 0 and ctr[1] >= MIN_DROP)
    saturating = freq_slope.low > 0 and frequency_now >= MIN_FREQUENCY
    return FatigueSignal(
        object_id=object_id,
        level=level,
        days=len(days),
        fatigued=fatigued,
        saturating=saturating,
        ctr_slope=ctr[0] if ctr else None,
        ctr_drop=ctr[1] if ctr else None,
        ctr_first=ctr[2] if ctr else None,
        ctr_now=ctr[3] if ctr else None,
        frequency_slope=freq_slope,
        frequency_now=frequency_now,
        cumulative_frequency=cumulative,
    )

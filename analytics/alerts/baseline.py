"""The expected value of each hourly metric, from the account's own history.

What it estimates: for a *relation* ``numerator | denominator`` (for example
impressions per unit of spend, purchases per click, spend per hour) the rate
expected in a given local hour::

    rate(hour, weekday) = level * hour_profile[hour] * weekday_profile[weekday]

and so the expected numerator of an hour, ``rate * denominator * F(age)``,
where ``F`` is the attribution-lag CDF for purchases and revenue (1 for the
rest). Unconditional volumes use one "hour" as denominator; the ratio
relations give CPM, CTR, CPA and ROAS conditionally on what was actually
bought, so a quiet Sunday morning is not a CPM spike.

How: the hour-of-day profile pools all days of the history (shrunk toward
flat by a few pseudo-events, lightly smoothed over neighbouring hours), the weekday profile pools each weekday (shrunk
toward 1), and the level is the median of the last seven days' ratios to the
profile (a ratio of sums for low-volume relations), so one bad day in the
history does not move it and the expectation follows the account's current
scale. For purchases and revenue the level and the dispersion leave out the
last ``LEVEL_GUARD_DAYS`` days (a guard band, as in change detection): the
detectors weigh up to 72 hours of purchase evidence, so a sustained drop must
not enter the expectation it is judged against. A low-volume account's level
is a ratio of sums, which a drop of two days of seven would pull down by a
fifth at each midnight refit; behind the guard band it cannot move it at all
within the evidence window. Cost: a real, lasting change of conversion rate
is followed three days later (it stays alerted meanwhile, which is the point). The relative variance left over (the Gamma part of the scores) comes
from the daily and hourly residuals of the last 14 days, by MAD, minus the
Poisson share, split into a day-level part (shared by all hours of a day,
shrunk toward a typical 10% wobble because a few weeks of days estimate a
variance poorly) and an hour-level part (averaging out over longer windows).

Assumptions: multiplicative, separable hour and weekday effects; the history
has at least three complete days; the lag CDF passed in is right on average.
Failure modes: a fresh account (no baseline, detectors stay silent), a
deliberate change of scale (a doubled budget looks like a spend spike for a
day until the level follows), holidays not in the profile, and a lag model
that is wrong for the account (tracking alerts then drift late or early).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import numpy as np

from analytics.alerts.scores import robust_log_scale
from analytics.alerts.series import LAGGED, Array, HourlySeries, LagCDF, default_lag_cdf, shift

RelationName = Literal[
    "spend",
    "impressions",
    "clicks",
    "landing_page_views",
    "conversions",
    "revenue",
    "impressions|spend",
    "clicks|impressions",
    "landing_page_views|clicks",
    "conversions|clicks",
    "conversions|spend",
    "revenue|spend",
]
#: numerator, denominator (None: per hour) for every relation the detectors use.
RELATIONS: dict[RelationName, tuple[str, str | None]] = {
    "spend": ("spend", None),
    "impressions": ("impressions", None),
    "clicks": ("clicks", None),
    "landing_page_views": ("landing_page_views", None),
    "conversions": ("conversions", None),
    "revenue": ("revenue", None),
    "impressions|spend": ("impressions", "spend"),
    "clicks|impressions": ("clicks", "impressions"),
    "landing_page_views|clicks": ("landing_page_views", "clicks"),
    "conversions|clicks": ("conversions", "clicks"),
    "conversions|spend": ("conversions", "spend"),
    "revenue|spend": ("revenue", "spend"),
}
#: Days of history used for the profiles, for the level and for the dispersion.
PROFILE_DAYS = 28
LEVEL_DAYS = 7
DISPERSION_DAYS = 14
MIN_DAYS = 3
#: Most recent days left out of the level and dispersion of lagged relations (purchases,
#: revenue): as long as the longest purchase evidence window (72 h), see the module docstring.
LEVEL_GUARD_DAYS = 3
#: Days the level of a lagged relation needs at least (the guard band shrinks to leave them).
MIN_LEVEL_DAYS = 2
#: Hours of clicks whose late purchases may still arrive (beyond it the lag CDF is taken as 1).
LAG_HORIZON_HOURS = 168.0
#: Pseudo-events that shrink a sparse hour or weekday toward the average.
PSEUDO_EVENTS = 20.0
#: Smallest relative variance the scores assume (a 5% day-to-day wobble).
MIN_DISPERSION = 0.0025
#: Typical day-to-day relative variance of an auction (a 10% wobble) and its weight in days.
PRIOR_DISPERSION = 0.01
PRIOR_DAYS = 7
#: One revenue "event" for scoring is this many average orders (order values vary).
REVENUE_UNIT_ORDERS = 1.5


@dataclass(frozen=True, eq=False)
class RelationFit:
    """One relation's fitted rate profile, level and leftover dispersion."""

    numerator: str
    denominator: str | None
    level: float  # rate at profile 1
    hour_profile: Array = field(repr=False)  # 24, mean 1 over the denominator
    weekday_profile: Array = field(repr=False)  # 7, Monday first
    dispersion: float  # day-level relative variance beyond Poisson (log variance for money)
    count_unit: float  # numerator units per scoring event (1 for counts)
    lagged: bool
    hourly_dispersion: float = 0.0  # hour-level part, independent from hour to hour

    @property
    def is_count(self) -> bool:
        return self.numerator != "spend"

    def rate(self, hour_of_day: Array | np.ndarray, weekday: Array | np.ndarray) -> Array:
        rate: Array = self.level * self.hour_profile[hour_of_day] * self.weekday_profile[weekday]
        return rate


@dataclass(frozen=True, eq=False)
class Baseline:
    """Every relation fitted on the history that ended at ``fitted_until``."""

    fitted_until: datetime
    relations: dict[str, RelationFit]
    lag_cdf: LagCDF = field(repr=False)
    days: int  # complete days of history used

    def relation(self, name: RelationName) -> RelationFit:
        return self.relations[name]

    def expected(
        self,
        name: RelationName,
        series: HourlySeries,
        first: int,
        as_of: datetime | None = None,
    ) -> Array:
        """Expected numerator for each hour of ``series`` from ``first`` on.

        Ratio relations are conditional on the series' own denominator; lagged
        ones are scaled by ``F(age at as_of)`` (``as_of`` defaults to the
        series' end).
        """
        fit = self.relations[name]
        hours = series.hour_of_day[first:]
        days = series.weekday[first:]
        expected = fit.rate(hours, days)
        if fit.denominator is not None:
            expected = expected * series.metric(fit.denominator)[first:]
        if fit.lagged:
            moment = as_of or series.end
            expected = expected * self.lag_cdf(series.ages(moment, first))
        return expected

    def expected_arrivals(self, series: HourlySeries, hours: int) -> Array:
        """Purchases expected to be *reported during* each of the last ``hours`` hours.

        Every recent hour's settled expectation (purchases per click times its
        clicks) spread over later hours by the lag CDF: what a working pixel
        delivers hour by hour, new clicks and late reports of old ones alike.
        """
        fit = self.relations["conversions|clicks"]
        size = len(series)
        hours = min(hours, size)
        reach = hours + math.ceil(LAG_HORIZON_HOURS) + 1
        first = max(0, size - reach)
        settled = fit.level / fit.count_unit * series.clicks[first:]
        settled = settled * fit.hour_profile[series.hour_of_day[first:]]
        settled = settled * fit.weekday_profile[series.weekday[first:]]
        click_mid = np.arange(first, size, dtype=np.float64) + 0.5
        report_end = np.arange(size - hours, size, dtype=np.float64) + 1.0
        age = report_end[:, None] - click_mid[None, :]
        share = self.lag_cdf(age) - self.lag_cdf(age - 1.0)
        arrivals: Array = (share * settled[None, :]).sum(axis=1) * fit.count_unit
        return arrivals

    def expected_hour(self, metric: str, hour_start: datetime) -> float:
        """The settled expected value of one metric in the local hour starting at ``hour_start``."""
        fit = self.relations[metric]
        local = hour_start.astimezone(self.fitted_until.tzinfo)
        return float(
            fit.level * fit.hour_profile[local.hour] * fit.weekday_profile[local.weekday()]
        )

    def expected_day(self, metric: str, day_start: datetime) -> float:
        """The settled expected total of a metric over the 24 hours from ``day_start``."""
        return sum(self.expected_hour(metric, shift(day_start, i)) for i in range(24))

    def expected_ratios(self, hour_start: datetime) -> dict[str, float]:
        """CPM and CPA (minor units), CTR and ROAS (fractions) expected in one hour."""
        spend = self.expected_hour("spend", hour_start)
        impressions = self.expected_hour("impressions", hour_start)
        clicks = self.expected_hour("clicks", hour_start)
        conversions = self.expected_hour("conversions", hour_start)
        revenue = self.expected_hour("revenue", hour_start)
        return {
            "cpm": 1000 * spend / impressions if impressions else float("nan"),
            "ctr": clicks / impressions if impressions else float("nan"),
            "cpa": spend / conversions if conversions else float("nan"),
            "roas": revenue / spend if spend else float("nan"),
        }


def _profile(values: Array, labels: np.ndarray, size: int, denominators: Array) -> Array:
    """Per-label ratio to the overall rate, shrunk toward 1 by a few pseudo-events."""
    num = np.bincount(labels, weights=values, minlength=size)
    den = np.bincount(labels, weights=denominators, minlength=size)
    overall = values.sum() / denominators.sum()
    profile = (num + PSEUDO_EVENTS) / (den * overall + PSEUDO_EVENTS)
    # Renormalise so the profile is neutral on the history's own mix.
    return np.asarray(profile * values.sum() / max(float((den * overall * profile).sum()), 1e-12))


def _dispersion(observed: Array, expected: Array, count: bool) -> float:
    mask = expected > (5.0 if count else 0.0)
    if mask.sum() < 5:
        return np.inf
    scale = robust_log_scale(observed[mask], expected[mask])
    poisson = float(np.median(1.0 / (expected[mask] + 0.5))) if count else 0.0
    return max(scale**2 - poisson, 0.0)


def _fit_relation(
    series: HourlySeries,
    numerator: str,
    denominator: str | None,
    lag_weights: Array,
    day_index: np.ndarray,
    first_level_day: int,
    first_dispersion_day: int,
) -> RelationFit | None:
    lagged = numerator in LAGGED
    num = series.metric(numerator).astype(np.float64)
    den = np.ones_like(num) if denominator is None else series.metric(denominator).copy()
    if lagged:
        den = den * lag_weights
    unit = 1.0
    if numerator == "revenue":
        orders = series.conversions.sum()
        unit = REVENUE_UNIT_ORDERS * (series.revenue.sum() / orders) if orders else 1.0
    num = num / unit
    if den.sum() <= 0 or num.sum() <= 0:
        return None
    hour_profile = _profile(num, series.hour_of_day, 24, den)
    # Neighbouring hours share most of their behaviour: a light circular smoothing
    # takes the sampling noise out of low-volume profiles (purchases) at little bias.
    hour_profile = 0.5 * hour_profile + 0.25 * (
        np.roll(hour_profile, 1) + np.roll(hour_profile, -1)
    )
    shaped = den * hour_profile[series.hour_of_day]
    # Weekday profile from days, each weekday shrunk toward 1 by how many days it has.
    day_num = np.bincount(day_index, weights=num).astype(np.float64)
    day_exp = np.bincount(day_index, weights=shaped).astype(np.float64)
    day_weekday = np.bincount(day_index, weights=series.weekday) / np.bincount(day_index)
    weekday_of_day = np.rint(day_weekday).astype(np.int64)
    overall = num.sum() / shaped.sum()
    weekday = _profile(day_num, weekday_of_day, 7, day_exp)
    counts = np.bincount(weekday_of_day, minlength=7)
    weekday = 1.0 + (weekday - 1.0) * counts / (counts + 1.0)
    # Level: recent days against the profile, median unless volumes are small; purchases
    # and revenue skip the guard band of the last days (see the module docstring).
    total_days = int(day_num.shape[0])
    guard = min(LEVEL_GUARD_DAYS, max(total_days - MIN_LEVEL_DAYS, 0)) if lagged else 0
    level_end = total_days - guard
    recent = slice(max(first_level_day - guard, 0), level_end)
    expected_days = day_exp[recent] * weekday[weekday_of_day[recent]]
    observed_days = day_num[recent]
    if observed_days.mean() >= 20 and (expected_days > 0).all():
        level = float(np.median(observed_days / expected_days))
    else:
        level = float(observed_days.sum() / max(expected_days.sum(), 1e-12))
    if level <= 0:
        level = overall
    # Dispersion: hourly residuals of the last two weeks, daily residuals of every day
    # (few days make a noisy MAD), the latter corrected for the weekday profile having
    # been fitted on the same days (it absorbs part of their wobble).
    fit = RelationFit(numerator, denominator, level, hour_profile, weekday, 0.0, unit, lagged)
    expected_hours = den * fit.rate(series.hour_of_day, series.weekday)
    tail_hours = (day_index >= max(first_dispersion_day - guard, 0)) & (day_index < level_end)
    count = numerator != "spend"
    hourly = _dispersion(num[tail_hours], expected_hours[tail_hours], count)
    by_day_exp = np.bincount(day_index, weights=expected_hours).astype(np.float64)
    keep = by_day_exp > 0
    keep[level_end:] = False
    daily = _dispersion(day_num[keep], by_day_exp[keep], count)
    fitted_share = float(np.sum(counts / (counts + 1.0))) / max(int(keep.sum()), 1)
    daily = daily / max(1.0 - fitted_share, 0.5)
    # Hourly residuals carry day + hour noise; daily totals carry day + hour/24.
    hour_part = 0.0
    if np.isfinite(hourly) and np.isfinite(daily):
        hour_part = max(hourly - daily, 0.0) * 24.0 / 23.0
        day_part = daily - hour_part / 24.0
    elif np.isfinite(daily) or np.isfinite(hourly):
        day_part = daily if np.isfinite(daily) else hourly
    else:
        day_part = 0.25  # no usable residuals: assume a wide 50% wobble
    # A few days say little about a variance: shrink the day part toward a typical
    # auction wobble, as if PRIOR_DAYS more days had shown it (an inverse-gamma prior).
    days = int(keep.sum())
    day_part = (days * max(day_part, MIN_DISPERSION) + PRIOR_DAYS * PRIOR_DISPERSION) / (
        days + PRIOR_DAYS
    )
    return RelationFit(
        numerator, denominator, level * unit, hour_profile, weekday,
        day_part, unit, lagged, hour_part,
    )  # fmt: skip


def fit_baseline(
    series: HourlySeries,
    *,
    until: datetime | None = None,
    lag_cdf: LagCDF = default_lag_cdf,
) -> Baseline | None:
    """Fit every relation on the complete local days of ``series`` before ``until``.

    ``until`` (default: the series' end) is rounded down to a local midnight;
    conversions in ``series`` must be as reported at ``until``. Returns
    ``None`` with fewer than three complete days of history.
    """
    moment = until or series.end
    if moment.tzinfo is None:
        raise ValueError("until must be timezone-aware")
    local = moment.astimezone(series.start.tzinfo)
    cutoff_day = local.toordinal()
    hours = int(np.searchsorted(series.day, cutoff_day, side="left"))
    if hours == 0:
        return None
    first_day = int(series.day[0])
    if series.hour_of_day[0] != 0:
        first_day += 1  # the first day is partial
    first_day = max(first_day, cutoff_day - PROFILE_DAYS)
    begin = int(np.searchsorted(series.day, first_day, side="left"))
    window = series.window(begin, hours)
    day_index = (window.day - first_day).astype(np.int64)
    days = int(day_index.max()) + 1 if len(window) else 0
    if days < MIN_DAYS:
        return None
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    lag_weights = lag_cdf(window.ages(midnight))
    relations: dict[str, RelationFit] = {}
    for name, (numerator, denominator) in RELATIONS.items():
        fit = _fit_relation(
            window,
            numerator,
            denominator,
            lag_weights,
            day_index,
            max(days - LEVEL_DAYS, 0),
            max(days - DISPERSION_DAYS, 0),
        )
        if fit is not None:
            relations[name] = fit
    return Baseline(midnight, relations, lag_cdf, days)

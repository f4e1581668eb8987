"""Hourly metric series of one entity (account, campaign, ad set) and the attribution-lag CDF.

A :class:`HourlySeries` is what the detectors read: contiguous whole hours,
oldest first, starting at a timezone-aware local hour. Conversions and revenue
are *as reported at the moment the series was read*: recent hours are still
incomplete because purchases arrive over the attribution window. The lag CDF
``F(age_hours)`` says which share of an hour's conversions is reported
``age_hours`` after the middle of that hour; the baseline multiplies its
expectation by it, so an incomplete evening is not mistaken for a broken pixel.

The arrays are read-only numpy views so an hour-by-hour replay can take
prefixes without copying.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

import numpy as np
import numpy.typing as npt

Metric = Literal["spend", "impressions", "clicks", "landing_page_views", "conversions", "revenue"]
METRICS: tuple[Metric, ...] = (
    "spend",
    "impressions",
    "clicks",
    "landing_page_views",
    "conversions",
    "revenue",
)
#: Metrics whose recent hours are incomplete because of attribution lag.
LAGGED: frozenset[str] = frozenset({"conversions", "revenue"})

HOUR = timedelta(hours=1)
Array = npt.NDArray[np.float64]
LagCDF = Callable[[Array], Array]

#: Hours after a click by which every purchase is reported (Meta's default 7-day click window).
DEFAULT_LAG_WINDOW_HOURS = 168.0
#: Share of purchases the default lag model reports within their own hour: the middle of the
#: sandbox's per-account range (``ads.sandbox.attribution``: 40-65 %).
DEFAULT_IMMEDIATE_SHARE = 0.525
#: Mean delay (hours) of the others: the geometric middle of the sandbox's 20-60 h.
DEFAULT_MEAN_DELAY_HOURS = 34.6


def exponential_lag_cdf(
    immediate_share: float,
    mean_hours: float,
    window_hours: float = DEFAULT_LAG_WINDOW_HOURS,
) -> LagCDF:
    """The sandbox's lag family at hour level: a share at once, the rest exponential.

    ``F(age) = p0 + (1 - p0) * (1 - exp(-age / m)) / (1 - exp(-W / m))`` for
    ``0 <= age < W``, 1 after the window ``W`` (the attribution setting), 0
    before the click. Same law as ``ads.sandbox.attribution.LagProfile``, with
    the age counted from the click's hour instead of the end of its day.
    """
    mean = max(mean_hours, 1e-3)
    truncation = 1.0 - np.exp(-window_hours / mean)

    def cdf(age_hours: Array) -> Array:
        age = np.asarray(age_hours, dtype=np.float64)
        tail = (1.0 - np.exp(-np.clip(age, 0.0, window_hours) / mean)) / truncation
        share = immediate_share + (1.0 - immediate_share) * tail
        return np.where(age < 0, 0.0, np.where(age >= window_hours, 1.0, share))

    return cdf


_DEFAULT_LAG = exponential_lag_cdf(DEFAULT_IMMEDIATE_SHARE, DEFAULT_MEAN_DELAY_HOURS)


def default_lag_cdf(age_hours: Array) -> Array:
    """Share of an hour's purchases reported ``age_hours`` after it (vectorised).

    The sandbox's (and Meta's) shape with the middle of the sandbox's per-account
    parameters and the full 7-day click window, so a day is complete only after
    168 hours, not 72. Used until the account's own lag is fitted
    (:func:`analytics.alerts.lag.fit_lag` on successive hourly reads).
    """
    return _DEFAULT_LAG(age_hours)


def shift(moment: datetime, hours: float) -> datetime:
    """``moment`` plus elapsed hours, in its own zone (right across DST changes).

    Python adds a timedelta to an aware datetime on the wall clock; an hourly
    series needs real elapsed time, so the arithmetic goes through UTC.
    """
    return (moment.astimezone(UTC) + hours * HOUR).astimezone(moment.tzinfo)


def hours_between(earlier: datetime, later: datetime) -> float:
    """Elapsed hours from ``earlier`` to ``later`` (absolute time, whatever their zones)."""
    return (later.astimezone(UTC) - earlier.astimezone(UTC)).total_seconds() / 3600.0


def _frozen(values: Sequence[float] | Array) -> Array:
    array = np.array(values, dtype=np.float64)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class HourlySeries:
    """One entity's hourly totals from ``start`` (a local hour), oldest first.

    Money (spend, revenue) is in minor units; counts are whole numbers. Built
    with :meth:`build`; :meth:`upto` gives a prefix sharing the same memory.
    """

    start: datetime
    spend: Array
    impressions: Array
    clicks: Array
    landing_page_views: Array
    conversions: Array
    revenue: Array
    hour_of_day: npt.NDArray[np.int64] = field(repr=False)
    weekday: npt.NDArray[np.int64] = field(repr=False)
    day: npt.NDArray[np.int64] = field(repr=False)  # local date ordinal

    @classmethod
    def build(
        cls,
        start: datetime,
        *,
        spend: Sequence[float] | Array,
        impressions: Sequence[float] | Array,
        clicks: Sequence[float] | Array,
        landing_page_views: Sequence[float] | Array,
        conversions: Sequence[float] | Array,
        revenue: Sequence[float] | Array,
    ) -> HourlySeries:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        columns = [spend, impressions, clicks, landing_page_views, conversions, revenue]
        lengths = {len(column) for column in columns}
        if len(lengths) != 1:
            raise ValueError("every metric needs one value per hour")
        count = lengths.pop()
        locals_ = [shift(start, i) for i in range(count)]
        hours = np.array([moment.hour for moment in locals_], dtype=np.int64)
        weekdays = np.array([moment.weekday() for moment in locals_], dtype=np.int64)
        days = np.array([moment.toordinal() for moment in locals_], dtype=np.int64)
        for array in (hours, weekdays, days):
            array.setflags(write=False)
        spend_, imps, clicks_, views, convs, rev = (_frozen(column) for column in columns)
        return cls(start, spend_, imps, clicks_, views, convs, rev, hours, weekdays, days)

    def __len__(self) -> int:
        return int(self.spend.shape[0])

    @property
    def end(self) -> datetime:
        """The moment the last hour ends (when the series was complete)."""
        return shift(self.start, len(self))

    def hour_start(self, index: int) -> datetime:
        return shift(self.start, index)

    def metric(self, name: str) -> Array:
        value: Array = getattr(self, name)
        return value

    def upto(self, hours: int) -> HourlySeries:
        """The first ``hours`` hours (a view, no copy)."""
        return self.window(0, hours)

    def window(self, first: int, stop: int) -> HourlySeries:
        """Hours ``first`` to ``stop - 1`` (a view, no copy)."""
        part = slice(first, stop)
        return HourlySeries(
            shift(self.start, first),
            self.spend[part],
            self.impressions[part],
            self.clicks[part],
            self.landing_page_views[part],
            self.conversions[part],
            self.revenue[part],
            self.hour_of_day[first:stop],
            self.weekday[first:stop],
            self.day[first:stop],
        )

    def with_reported(self, conversions: Array, revenue: Array) -> HourlySeries:
        """The same hours with conversions and revenue as reported at another moment."""
        if conversions.shape != self.spend.shape or revenue.shape != self.spend.shape:
            raise ValueError("one value per hour")
        return HourlySeries(
            self.start,
            self.spend,
            self.impressions,
            self.clicks,
            self.landing_page_views,
            _frozen(conversions),
            _frozen(revenue),
            self.hour_of_day,
            self.weekday,
            self.day,
        )

    def ages(self, as_of: datetime, first: int = 0) -> Array:
        """Hours from the middle of each hour (from ``first`` on) to ``as_of``."""
        offset = hours_between(self.start, as_of)
        index = np.arange(first, len(self), dtype=np.float64)
        return offset - index - 0.5


def purchases_reported_between(previous: HourlySeries, current: HourlySeries) -> float:
    """Purchases reported between two reads of the same entity (the "arrivals" of that hour).

    Any click hour counts, late reports of old clicks included, so both reads must
    reach back past the attribution window from the same first hour. The hourly
    job keeps these increments, one per run, for the tracking detector.
    """
    if previous.start != current.start:
        raise ValueError("both reads must start at the same hour")
    return float(current.conversions.sum() - previous.conversions.sum())

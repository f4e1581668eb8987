"""Hourly series from successive reads of an account's daily figures.

The platforms give intra-day figures as the running totals of "today" (and
of the days before, which keep growing as late purchases are attributed).
The hourly job reads the last eight days every hour; this module turns those
reads into what the detectors score:

* spend, impressions and clicks of an hour: the growth of its local day's
  total between the read before and the read after it (a missed read spreads
  the growth evenly over the hours it covers);
* purchases and revenue of an hour, as reported at the last read: the
  hour's growth of its day's purchases when first read, scaled so each
  day adds up to its latest reported total (late reports are spread like the
  purchases seen at once, or like clicks when none were);
* arrivals: purchases reported between two reads, any day, what a working
  pixel delivers hour by hour (the tracking detector's evidence).

Assumptions: each read is taken at an hour boundary and covers every day
still growing; a day's late purchases came from its hours in proportion to
those reported at once. Landing-page views are not in the account-level
read: they are taken as the clicks (the tracking detector's site check then
never blocks).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from analytics.alerts.series import HOUR, Array, HourlySeries

#: Order of the figures in a day's totals.
FIELDS = ("spend", "impressions", "clicks", "conversions", "revenue")


@dataclass(frozen=True)
class AccountRead:
    """The account's running totals per local day, as reported at ``at`` (an hour boundary)."""

    at: datetime
    days: Mapping[date, tuple[float, float, float, float, float]]

    def total(self, day: date, field: int) -> float:
        values = self.days.get(day)
        return 0.0 if values is None else values[field]


def _hour_floor(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def build_series(reads: Sequence[AccountRead], timezone: str) -> tuple[HourlySeries, Array] | None:
    """The hourly series (as reported at the last read) and the arrivals per hour, or ``None``.

    Hours run from the first read to the last; fewer than two reads give nothing.
    """
    ordered = sorted(reads, key=lambda r: r.at)
    if len(ordered) < 2:
        return None
    zone = ZoneInfo(timezone)
    first = _hour_floor(ordered[0].at)
    hours = int((_hour_floor(ordered[-1].at) - first) / HOUR)
    if hours <= 0:
        return None
    values = np.zeros((len(FIELDS), hours))
    arrivals = np.zeros(hours)
    seen_at_once = np.zeros(hours)  # purchases an hour showed when first read
    day_of = [(first + (i * HOUR)).astimezone(zone).date() for i in range(hours)]
    for before, after in itertools.pairwise(ordered):
        lo = int((_hour_floor(before.at) - first) / HOUR)
        hi = int((_hour_floor(after.at) - first) / HOUR)
        if hi <= lo:
            continue
        span = range(lo, hi)
        for day in {day_of[i] for i in span}:
            own = [i for i in span if day_of[i] == day]
            for field in range(3):
                grown = after.total(day, field) - before.total(day, field)
                values[field, own] += max(grown, 0.0) / len(own)
            grown = after.total(day, 3) - before.total(day, 3)
            seen_at_once[own] += max(grown, 0.0) / len(own)
        arrivals[hi - 1] += sum(
            max(after.total(day, 3) - before.total(day, 3), 0.0) for day in after.days
        )
    # A day's purchases as last reported: by the last read that still covered it (a read
    # covers only the last eight days, so older days' settled totals come from earlier reads).
    latest: dict[date, tuple[float, float]] = {}
    for read in ordered:
        for day, figures in read.days.items():
            latest[day] = (figures[3], figures[4])
    by_day: dict[date, list[int]] = {}
    for index, day in enumerate(day_of):
        by_day.setdefault(day, []).append(index)
    for day, indices in by_day.items():
        members = np.array(indices, dtype=np.int64)
        weights = seen_at_once[members]
        weights = weights if weights.sum() > 0 else values[2, members]
        weights = weights if weights.sum() > 0 else np.ones(len(members))
        share = weights / weights.sum()
        conversions, revenue = latest.get(day, (0.0, 0.0))
        if day == day_of[0]:
            # Only the part of the first day the reads cover: what the first read had
            # already seen came from hours before the series.
            conversions -= ordered[0].total(day, 3)
            revenue -= ordered[0].total(day, 4)
        values[3, members] = max(conversions, 0.0) * share
        values[4, members] = max(revenue, 0.0) * share
    series = HourlySeries.build(
        first.astimezone(zone),
        spend=values[0],
        impressions=values[1],
        clicks=values[2],
        landing_page_views=values[2],
        conversions=values[3],
        revenue=values[4],
    )
    return series, arrivals


def read_from_totals(at: datetime, totals: Mapping[str, Sequence[str | float]]) -> AccountRead:
    """An :class:`AccountRead` from its stored form (ISO day -> five figures)."""
    days = {
        date.fromisoformat(day): (
            float(v[0]),
            float(v[1]),
            float(v[2]),
            float(v[3]),
            float(v[4]),
        )
        for day, v in totals.items()
    }
    return AccountRead(at, days)


def recent_days(now: datetime, timezone: str, days: int = 8) -> tuple[date, date]:
    """The local days a read covers: today and the ``days - 1`` before (attribution window)."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    return today - timedelta(days=days - 1), today

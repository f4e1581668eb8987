"""Synthetic hourly accounts with known truth, for the tests and ``bench/bench_alerts.py``.

An account delivers like the sandbox's model (``ads/sandbox/model.py``): a
steady spend per hour, an auction CPM shaped by hour-of-day and weekday
multipliers, link clicks at a CTR, purchases at a conversion rate shaped by
weekday, order values log-normal around an average, and purchases reported
with lag like the sandbox's attribution model (``ads/sandbox/attribution.py``:
a share within the hour, the rest exponentially delayed, truncated at the
7-day click window; each account's share and mean delay in ``AccountSpec``).
The callers pass the sandbox's curves in (this package imports no project
code). Day-level and hour-level log-normal wobbles make the quiet series as
noisy as a real one.

Incidents change the truth from an onset hour for a duration: a CPM shock,
a broken pixel (purchases that would be reported in the window never are),
a CPA doubling, a CTR collapse, a delivery stall, a spend spike, a
disapproval (part of the spend stops and those ads report DISAPPROVED).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from analytics.alerts.findings import AdStatus
from analytics.alerts.series import Array, HourlySeries, shift

FLAT_HOURS = (1.0,) * 24
FLAT_WEEK = (1.0,) * 7
INCIDENT_KINDS = (
    "cpm_shock",
    "broken_pixel",
    "cpa_doubling",
    "ctr_collapse",
    "delivery_stall",
    "spend_spike",
    "disapproval",
)


@dataclass(frozen=True)
class AccountSpec:
    """The true economics of one simulated account (money in minor units)."""

    daily_spend: float
    cpm: float = 2600.0
    ctr: float = 0.012  # link clicks per impression
    landing_rate: float = 0.8  # landing-page views per link click
    cvr: float = 0.022  # purchases per link click
    aov: float = 21000.0
    hour_cpm: Sequence[float] = FLAT_HOURS
    weekday_cpm: Sequence[float] = FLAT_WEEK
    weekday_cvr: Sequence[float] = FLAT_WEEK
    day_noise: float = 0.06  # log-sd of day-level CPM, CTR, CVR wobble
    hour_noise: float = 0.08  # log-sd of hour-level spend and CPM wobble
    immediate_share: float = 0.525  # purchases reported within their own hour
    lag_mean_hours: float = 34.6  # mean delay of the others (exponential)
    lag_window_hours: float = 168.0  # the 7-day click window: nothing reported after it
    ads: int = 4


@dataclass(frozen=True)
class Incident:
    """A change of truth from hour ``onset`` (index) for ``duration`` hours."""

    kind: str
    onset: int
    duration: int
    magnitude: float  # multiplier of the affected quantity (share blocked for disapproval)

    def active(self, hours: int) -> Array:
        index = np.arange(hours)
        return ((index >= self.onset) & (index < self.onset + self.duration)).astype(np.float64)


@dataclass(frozen=True, eq=False)
class SimulatedAccount:
    """Settled hourly delivery plus every purchase with its report hour."""

    spec: AccountSpec
    settled: HourlySeries
    purchase_hour: np.ndarray = field(repr=False)
    report_hour: np.ndarray = field(repr=False)  # visible once the clock passes this hour
    purchase_value: np.ndarray = field(repr=False)
    incidents: tuple[Incident, ...] = ()

    @property
    def start(self) -> datetime:
        return self.settled.start

    def observed(self, hours: int) -> HourlySeries:
        """The first ``hours`` hours as read at their end (recent purchases not all in yet)."""
        visible = (self.report_hour < hours) & (self.purchase_hour < hours)
        conversions = np.bincount(self.purchase_hour[visible], minlength=hours)[:hours]
        revenue = np.bincount(
            self.purchase_hour[visible], weights=self.purchase_value[visible], minlength=hours
        )[:hours].astype(np.float64)
        return self.settled.upto(hours).with_reported(conversions.astype(np.float64), revenue)

    def arrivals(self, hours: int) -> Array:
        """Purchases reported during each of the first ``hours`` hours (any click hour)."""
        visible = self.report_hour < hours
        counts = np.bincount(self.report_hour[visible], minlength=hours)[:hours]
        return counts.astype(np.float64)

    def ad_statuses(self, hours: int) -> tuple[AdStatus, ...]:
        """Each ad's effective status at the end of hour ``hours - 1``."""
        usual = round(self.spec.daily_spend / self.spec.ads)
        blocked = 0
        for incident in self.incidents:
            if incident.kind == "disapproval" and incident.onset < hours <= (
                incident.onset + incident.duration
            ):
                blocked = max(1, round(incident.magnitude * self.spec.ads))
        return tuple(
            AdStatus(f"ad{i}", f"Ad {i}", "DISAPPROVED" if i < blocked else "ACTIVE", usual)
            for i in range(self.spec.ads)
        )


def simulate_account(
    spec: AccountSpec,
    start: datetime,
    hours: int,
    seed: int,
    incidents: Sequence[Incident] = (),
) -> SimulatedAccount:
    """Simulate ``hours`` hours from local midnight ``start`` (seeded, reproducible)."""
    rng = np.random.default_rng(seed)
    moments = [shift(start, i) for i in range(hours)]
    hour_of_day = np.array([m.hour for m in moments])
    weekday = np.array([m.weekday() for m in moments])
    day = np.array([m.toordinal() for m in moments])
    day -= day[0]
    days = int(day[-1]) + 1

    def day_wobble() -> Array:
        return np.asarray(np.exp(rng.normal(0.0, spec.day_noise, days))[day], dtype=np.float64)

    def hour_wobble() -> Array:
        return np.exp(rng.normal(0.0, spec.hour_noise, hours))

    spend_rate = np.full(hours, spec.daily_spend / 24.0) * hour_wobble()
    cpm = (
        spec.cpm
        * np.asarray(spec.hour_cpm)[hour_of_day]
        * np.asarray(spec.weekday_cpm)[weekday]
        * day_wobble()
        * hour_wobble()
    )
    ctr = spec.ctr * day_wobble()
    cvr = spec.cvr * np.asarray(spec.weekday_cvr)[weekday] * day_wobble()
    pixel_lost = np.zeros(hours, dtype=bool)
    for incident in incidents:
        active = incident.active(hours)
        factor = 1.0 + active * (incident.magnitude - 1.0)
        if incident.kind == "cpm_shock":
            cpm = cpm * factor
        elif incident.kind == "cpa_doubling":
            cvr = cvr / factor
        elif incident.kind == "ctr_collapse":
            ctr = ctr * factor
        elif incident.kind in ("delivery_stall", "spend_spike"):
            spend_rate = spend_rate * factor
        elif incident.kind == "disapproval":
            spend_rate = spend_rate * (1.0 - active * incident.magnitude)
        elif incident.kind == "broken_pixel":
            pixel_lost |= active.astype(bool)
        else:
            raise ValueError(f"unknown incident kind {incident.kind!r}")
    spend = np.rint(spend_rate)
    impressions = rng.poisson(spend * 1000.0 / cpm).astype(np.float64)
    clicks = rng.binomial(impressions.astype(np.int64), np.clip(ctr, 0, 1)).astype(np.float64)
    views = rng.binomial(clicks.astype(np.int64), spec.landing_rate).astype(np.float64)
    purchases = rng.poisson(clicks * cvr)
    purchase_hour = np.repeat(np.arange(hours), purchases)
    count = purchase_hour.shape[0]
    late = rng.random(count) >= spec.immediate_share
    truncation = 1.0 - np.exp(-spec.lag_window_hours / spec.lag_mean_hours)
    tail = -spec.lag_mean_hours * np.log(1.0 - rng.random(count) * truncation)
    delay = np.where(late, np.minimum(tail, spec.lag_window_hours), 0.0)
    report_hour = purchase_hour + np.floor(0.5 + delay).astype(np.int64)
    value = np.rint(spec.aov * np.exp(rng.normal(-0.06, 0.35, count)))
    lost = pixel_lost[np.minimum(report_hour, hours - 1)] & (report_hour < hours)
    purchase_hour, report_hour, value = purchase_hour[~lost], report_hour[~lost], value[~lost]
    settled_conversions = np.bincount(purchase_hour, minlength=hours).astype(np.float64)
    settled_revenue = np.bincount(purchase_hour, weights=value, minlength=hours).astype(np.float64)
    series = HourlySeries.build(
        start,
        spend=spend,
        impressions=impressions,
        clicks=clicks,
        landing_page_views=views,
        conversions=settled_conversions,
        revenue=settled_revenue,
    )
    assert series.hour_of_day.shape[0] == hours and series.day.shape[0] == len(day)
    return SimulatedAccount(spec, series, purchase_hour, report_hour, value, tuple(incidents))

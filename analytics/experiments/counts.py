"""What an experiment measures: the primary metric and each variant's cumulative counts.

A metric is a ratio of two counts. CTR is clicks per impression and conversion rate
conversions per click (both binomial: a numerator that cannot exceed its denominator);
CPA is spend per conversion and ROAS revenue per spend (conversions modelled as Poisson
in spend). Counts are cumulative since the test started; money is integer minor units.

Dispersion: real ads vary from day to day (auction, audience, weekday) more than a
binomial or Poisson model says. :func:`dispersion` measures that excess from the daily
increments (Pearson chi-square over days, as a quasi-likelihood model does) and the other
modules widen their uncertainty by it. It is floored at 1 (never narrower than the count
model) and is noisy with few days; it cannot see variation shared by every day of a test
(a trend), only day-to-day scatter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Metric(StrEnum):
    """The primary metric of a test."""

    CTR = "ctr"  # clicks / impressions, higher is better
    CVR = "cvr"  # conversions / clicks, higher is better
    CPA = "cpa"  # spend / conversions, lower is better
    ROAS = "roas"  # revenue / spend, higher is better

    @property
    def is_rate(self) -> bool:
        """Binomial (successes out of trials) rather than events per spend."""
        return self in (Metric.CTR, Metric.CVR)

    @property
    def higher_is_better(self) -> bool:
        return self is not Metric.CPA


@dataclass(frozen=True)
class Counts:
    """One variant's totals (cumulative up to ``day``, or one day's increment)."""

    day: date
    impressions: int = 0
    clicks: int = 0
    conversions: int = 0
    spend: int = 0  # minor units
    revenue: int = 0  # minor units

    def events(self, metric: Metric) -> int:
        """The numerator events the metric's uncertainty comes from (clicks or conversions)."""
        return self.clicks if metric is Metric.CTR else self.conversions

    def exposure(self, metric: Metric) -> int:
        """What the events are counted out of: impressions, clicks, or spend."""
        if metric is Metric.CTR:
            return self.impressions
        if metric is Metric.CVR:
            return self.clicks
        return self.spend

    def minus(self, earlier: Counts) -> Counts:
        """The increment from ``earlier`` to this (one day's counts from cumulative ones)."""
        return Counts(
            day=self.day,
            impressions=self.impressions - earlier.impressions,
            clicks=self.clicks - earlier.clicks,
            conversions=self.conversions - earlier.conversions,
            spend=self.spend - earlier.spend,
            revenue=self.revenue - earlier.revenue,
        )


def increments(cumulative: Sequence[Counts]) -> list[Counts]:
    """Daily counts from a cumulative series (the first day is its own increment)."""
    result: list[Counts] = []
    previous: Counts | None = None
    for row in cumulative:
        result.append(row if previous is None else row.minus(previous))
        previous = row
    return result


def dispersion(daily: Sequence[Sequence[Counts]], metric: Metric) -> float:
    """Variance of daily counts relative to the count model, pooled over variants (>= 1).

    ``daily`` holds each variant's per-day increments. For rates the reference is the
    binomial variance n·p·(1-p) with the variant's overall p; for CPA/ROAS the Poisson
    variance of conversions given the day's spend. Days without exposure are skipped.
    """
    chi2 = 0.0
    dof = 0
    for days in daily:
        rows = [d for d in days if d.exposure(metric) > 0]
        if len(rows) < 2:
            continue
        events = sum(d.events(metric) for d in rows)
        exposure = sum(d.exposure(metric) for d in rows)
        p = events / exposure
        if p <= 0 or (metric.is_rate and p >= 1):
            continue
        for d in rows:
            n = d.exposure(metric)
            expected = n * p
            variance = expected * (1 - p) if metric.is_rate else expected
            chi2 += (d.events(metric) - expected) ** 2 / variance
        dof += len(rows) - 1
    if dof == 0:
        return 1.0
    return max(1.0, chi2 / dof)

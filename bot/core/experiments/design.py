"""The design of a test from the account's own history: baseline, MDE, duration.

Reads the source's last :data:`HISTORY_DAYS` complete days (daily insights through
``rt.ads``), scales its daily volume to one variant's budget, and hands both to the
pure power analysis (:func:`analytics.experiments.design.plan`). The stored design is
plain JSON from which :func:`rebuild` gives the same :class:`Design` every day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from ads.base import AdsPlatform, InsightRow, Level, Period
from analytics.experiments.counts import Counts, Metric
from analytics.experiments.design import Baseline, Design, minimum_detectable_effect, plan

HISTORY_DAYS = 28
#: The lift the duration is planned for: what a copy or audience change plausibly moves.
TARGET_LIFT = 0.20
ALPHA = 0.05
POWER = 0.8
MAX_WEEKS = 6


class NoBaseline(ValueError):
    """The source has too little delivery in the window to plan a test on."""


def daily_counts(rows: Sequence[InsightRow]) -> list[Counts]:
    """Per-day totals (several objects' rows of one day add up), oldest first."""
    by_day: dict[date, Counts] = {}
    for row in rows:
        seen = by_day.get(row.date_start, Counts(row.date_start))
        by_day[row.date_start] = Counts(
            row.date_start,
            seen.impressions + row.impressions,
            seen.clicks + row.clicks,
            seen.conversions + int(row.conversions),
            seen.spend + int(row.spend),
            seen.revenue + int(row.revenue),
        )
    return [by_day[d] for d in sorted(by_day)]


def history(
    ads: AdsPlatform, account_id: str, level: Level, object_ids: Sequence[str], today: date
) -> list[Counts]:
    """The source's complete days before ``today`` (account level: the whole account)."""
    period = Period(today - timedelta(days=HISTORY_DAYS), today - timedelta(days=1))
    ids = None if level is Level.ACCOUNT else list(object_ids)
    rows = ads.insights(account_id, level, period, object_ids=ids, daily=True)
    return daily_counts(rows)


def design_for(
    metric: Metric, days: Sequence[Counts], variant_budget: int, variants: int
) -> dict[str, Any]:
    """The plan as stored JSON: baseline, planned weeks and what that duration detects."""
    spent = [d.spend for d in days if d.spend > 0]
    if not spent:
        raise NoBaseline("no delivery in the window")
    share = variant_budget / (sum(spent) / len(spent))
    try:
        baseline = Baseline.from_history(metric, days, share=share)
        planned = plan(
            baseline, TARGET_LIFT, variants=variants, alpha=ALPHA, power=POWER, max_weeks=MAX_WEEKS
        )
    except ValueError as exc:
        raise NoBaseline(str(exc)) from exc
    weeks = min(planned.weeks, MAX_WEEKS)
    mde = minimum_detectable_effect(
        baseline, weeks * 7, variants=variants, alpha=ALPHA, power=POWER
    )
    return {
        "metric": metric.value,
        "rate": baseline.rate,
        "daily_units": baseline.daily_units,
        "dispersion": baseline.dispersion,
        "variants": variants,
        "target_lift": TARGET_LIFT,
        "weeks": weeks,
        "days": weeks * 7,
        "feasible": planned.feasible,
        "weeks_for_target": planned.weeks,
        "mde": mde,
        "alpha": ALPHA,
        "power": POWER,
        "history_days": len(days),
    }


def rebuild(stored: dict[str, Any]) -> Design:
    """The :class:`Design` the daily verdict uses, from the stored JSON (capped duration)."""
    baseline = Baseline(
        Metric(stored["metric"]),
        float(stored["rate"]),
        float(stored["daily_units"]),
        float(stored["dispersion"]),
    )
    design = plan(
        baseline,
        float(stored["target_lift"]),
        variants=int(stored["variants"]),
        alpha=float(stored["alpha"]),
        power=float(stored["power"]),
        max_weeks=MAX_WEEKS,
    )
    if design.weeks > MAX_WEEKS:  # the card said so: the test ends after MAX_WEEKS anyway
        design = replace(design, weeks=MAX_WEEKS)
    return design

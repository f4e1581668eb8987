"""Synthetic experiments with known truth: daily binomial clicks and Poisson purchases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np

from analytics.experiments.counts import Counts

START = date(2026, 9, 7)  # a Monday


def cumulative(
    rng: np.random.Generator,
    days: int,
    *,
    ctr: float,
    impressions: int = 4000,
    cvr: float = 0.02,
    spend: int = 10_000,
    aov: int = 20_000,
    day_noise: float = 0.0,
) -> list[Counts]:
    """One variant's cumulative counts; ``day_noise`` is the log-sd of the daily CTR."""
    rows: list[Counts] = []
    total = Counts(START)
    for offset in range(days):
        p = min(ctr * float(np.exp(rng.normal(0, day_noise))), 1.0) if day_noise else ctr
        clicks = int(rng.binomial(impressions, p))
        conversions = int(rng.binomial(clicks, cvr))
        revenue = int(rng.gamma(6.25, aov / 6.25, size=conversions).sum()) if conversions else 0
        total = Counts(
            START + timedelta(days=offset),
            total.impressions + impressions,
            total.clicks + clicks,
            total.conversions + conversions,
            total.spend + spend,
            total.revenue + revenue,
        )
        rows.append(total)
    return rows


def experiment(
    seed: int, ctrs: Sequence[float], days: int, names: str = "ABCDE", **kwargs: float
) -> dict[str, list[Counts]]:
    """Variants named A, B, ... with the given true CTRs."""
    rng = np.random.default_rng(seed)
    return {
        names[i]: cumulative(rng, days, ctr=ctr, **kwargs)  # type: ignore[arg-type]
        for i, ctr in enumerate(ctrs)
    }

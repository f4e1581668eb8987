"""The fatigue detector fires on a known CTR decay and stays quiet on a flat series."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np

from analytics.brain.fatigue import DeliveryDay, detect

START = date(2026, 11, 1)


def _history(rng, days: int, *, fatigue: float, audience: float = 150_000.0):
    """The sandbox's mechanism: CTR × (0.35 + 0.65·exp(−fatigue·cumulative frequency))."""
    out, seen = [], 0.0
    for d in range(days):
        impressions = int(30_000 * math.exp(rng.normal(0, 0.1)))
        cumulative = seen / audience
        ctr = 0.015 * (0.35 + 0.65 * math.exp(-fatigue * cumulative))
        clicks = int(rng.binomial(impressions, ctr))
        frequency = 1.1 + 0.9 * (1 - math.exp(-0.3 * cumulative)) if fatigue else 1.1
        reach = int(impressions / (frequency * math.exp(rng.normal(0, 0.02))))
        out.append(DeliveryDay(START + timedelta(d), impressions, reach, clicks))
        seen += impressions
    return out


def test_fires_on_a_known_decay() -> None:
    rng = np.random.default_rng(1)
    signal = detect("ad1", "ad", _history(rng, 21, fatigue=0.25))
    assert signal.fatigued
    assert signal.ctr_slope is not None and signal.ctr_slope.high < 0
    assert signal.ctr_drop is not None and signal.ctr_drop > 0.3
    assert signal.saturating  # frequency climbing past 1.5
    assert "ctr_decaying" in signal.reasons


def test_quiet_on_flat_series() -> None:
    fired = 0
    for seed in range(20):
        rng = np.random.default_rng(100 + seed)
        signal = detect("ad", "ad", _history(rng, 21, fatigue=0.0))
        fired += signal.fatigued or signal.saturating
    assert fired <= 1


def test_no_signal_from_a_few_days() -> None:
    rng = np.random.default_rng(2)
    signal = detect("new", "ad", _history(rng, 4, fatigue=0.5))
    assert not signal.fatigued and signal.ctr_slope is None

"""Evidence before action: one lucky week does not scale, one bad day does not cut."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from analytics.brain.evidence import AccountRates, DayCounts, assess

TODAY = date(2026, 11, 30)
AOV = 20_000.0
BREAK_EVEN = 2.0
#: The account: ROAS 2.4 (conversions per minor unit of spend × order value).
ACCOUNT = AccountRates(conversions_per_spend=2.4 / AOV, value_per_conversion=AOV)


def _days(rng, n: int, spend: float, roas: float, *, end: date = TODAY) -> list[DayCounts]:
    out = []
    for i in range(n):
        conversions = int(rng.poisson(spend * roas / AOV))
        out.append(DayCounts(end - timedelta(n - i), spend, conversions, conversions * AOV))
    return out


def test_one_lucky_week_does_not_make_a_scale_case() -> None:
    # A new object: seven days, a handful of sales at an apparent ROAS of 5.
    days = [DayCounts(TODAY - timedelta(7 - i), 10_000, 0, 0) for i in range(7)]
    days[2] = DayCounts(days[2].day, 10_000, 3, 3 * AOV)
    days[5] = DayCounts(days[5].day, 10_000, 2, 2 * AOV)
    evidence = assess("lucky", days, TODAY, ACCOUNT)
    assert evidence.current.revenue / evidence.current.spend > 1.4  # looks profitable
    assert not evidence.current.enough
    assert not evidence.supports_scale(BREAK_EVEN)


def test_a_steady_winner_has_a_scale_case() -> None:
    rng = np.random.default_rng(1)
    evidence = assess("winner", _days(rng, 28, 30_000, 3.5), TODAY, ACCOUNT)
    assert evidence.current.enough
    assert evidence.supports_scale(BREAK_EVEN)
    roas = evidence.current.roas()
    assert roas.low < 3.5 < roas.high


def test_one_bad_day_does_not_make_a_pause_case() -> None:
    rng = np.random.default_rng(2)
    days = _days(rng, 27, 30_000, 3.0, end=TODAY - timedelta(1))
    days.append(DayCounts(TODAY - timedelta(1), 60_000, 0, 0))  # a terrible day
    evidence = assess("steady", days, TODAY, ACCOUNT)
    assert not evidence.supports_pause(BREAK_EVEN)


def test_a_clear_loser_has_a_pause_case_on_settled_days_only() -> None:
    rng = np.random.default_rng(3)
    days = _days(rng, 21, 30_000, 0.9)
    evidence = assess("loser", days, TODAY, ACCOUNT)
    assert evidence.supports_pause(BREAK_EVEN)
    # The same figures while every day is still provisional: no pause case.
    provisional = [DayCounts(d.day, d.spend, d.conversions, d.revenue, True) for d in days]
    assert not assess("loser", provisional, TODAY, ACCOUNT).supports_pause(BREAK_EVEN)


def test_cpa_probability_follows_the_rate() -> None:
    rng = np.random.default_rng(4)
    evidence = assess("x", _days(rng, 28, 30_000, 2.0), TODAY, ACCOUNT)
    cpa = evidence.current.cpa().mean  # true CPA: AOV / ROAS = 10,000
    assert 8_000 < cpa < 12_500
    assert evidence.current.p_cpa_above(6_000) > 0.95
    assert evidence.current.p_cpa_above(16_000) < 0.05

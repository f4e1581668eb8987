"""Opportunities: a budget-limited campaign beating its target; a segment whose ROAS rises."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np

from analytics.alerts.findings import ActionKind, AlertKind
from analytics.alerts.opportunities import (
    DailyTotals,
    SegmentTotals,
    detect_rising_segment,
    detect_scale_opportunity,
    rising_segments,
)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def days(
    roas: float, spend_share: float, *, seed: int = 0, budget: int = 200_000
) -> list[DailyTotals]:
    """Seven days of a campaign with the given true ROAS (order value R$ 200)."""
    rng = np.random.default_rng(seed)
    result = []
    for i in range(7):
        spend = round(budget * spend_share)
        orders = int(rng.poisson(spend * roas / 20_000))
        revenue = int(sum(rng.lognormal(np.log(20_000) - 0.06, 0.35, orders)))
        result.append(
            DailyTotals(date(2026, 11, 13) + timedelta(days=i), spend, orders, revenue, budget)
        )
    return result


def test_budget_limited_winner_is_an_opportunity() -> None:
    found = detect_scale_opportunity("c1", days(3.2, 0.99), NOW, target_roas=Decimal("2.0"))
    assert found is not None
    assert found.kind is AlertKind.SCALE_OPPORTUNITY and found.action is ActionKind.RAISE_BUDGET
    assert float(found.observed) > 2.6
    # A 20% raise (R$ 400 a day) at 60% above target: about R$ 240 a day of upside.
    assert 15_000 <= found.money_at_stake_per_day <= 35_000


def test_no_opportunity_when_not_limited_or_not_beating_the_target() -> None:
    assert detect_scale_opportunity("c1", days(3.2, 0.7), NOW, target_roas=Decimal("2.0")) is None
    assert detect_scale_opportunity("c1", days(2.05, 0.99), NOW, target_roas=Decimal("2.0")) is None
    assert detect_scale_opportunity("c1", days(3.2, 0.99), NOW) is None  # no target, no verdict


def test_cpa_target_works_the_same_way() -> None:
    # True CPA 20.000 / 3.2 = 6.250 against a target of 10.000.
    found = detect_scale_opportunity("c1", days(3.2, 0.99, seed=1), NOW, target_cpa=10_000)
    assert found is not None and found.metric == "cpa"
    assert detect_scale_opportunity("c1", days(3.2, 0.99, seed=1), NOW, target_cpa=6_000) is None


def test_rising_segment_against_its_own_past() -> None:
    previous = SegmentTotals(spend=1_400_000, conversions=175, revenue=3_500_000)  # ROAS 2.5
    recent = SegmentTotals(spend=700_000, conversions=160, revenue=3_150_000)  # ROAS 4.5
    found = detect_rising_segment("instagram_stories", recent, previous, NOW, recent_days=7)
    assert found is not None and found.kind is AlertKind.RISING_SEGMENT
    assert float(found.change) == 0.8
    assert found.money_at_stake_per_day == round(100_000 * 2.0)


def test_a_lucky_week_of_a_small_segment_is_not_a_trend() -> None:
    previous = SegmentTotals(spend=60_000, conversions=6, revenue=120_000)  # ROAS 2.0
    recent = SegmentTotals(spend=30_000, conversions=5, revenue=100_000)  # ROAS 3.3, 5 orders
    assert detect_rising_segment("desktop", recent, previous, NOW, recent_days=7) is None


def test_rising_is_judged_against_the_whole_so_a_lagging_week_is_not_a_rise() -> None:
    previous = {
        "age=25-34": SegmentTotals(spend=1_500_000, conversions=300, revenue=3_750_000),
        "age=35-44": SegmentTotals(spend=1_500_000, conversions=300, revenue=3_750_000),
    }
    # The recent week: late purchases still arriving, every segment at 70% of its ROAS...
    lagging = {
        "age=25-34": SegmentTotals(spend=500_000, conversions=70, revenue=875_000),
        "age=35-44": SegmentTotals(spend=500_000, conversions=70, revenue=875_000),
    }

    def whole(parts: dict[str, SegmentTotals]) -> SegmentTotals:
        return SegmentTotals(
            sum(p.spend for p in parts.values()),
            sum(p.conversions for p in parts.values()),
            sum(p.revenue for p in parts.values()),
        )

    assert (
        rising_segments(lagging, previous, whole(lagging), whole(previous), NOW, recent_days=7)
        == []
    )
    # ...and one segment earning twice its share: that one rises, the other does not.
    surge = {
        "age=25-34": lagging["age=25-34"],
        "age=35-44": SegmentTotals(spend=500_000, conversions=150, revenue=3_000_000),
    }
    [found] = rising_segments(surge, previous, whole(surge), whole(previous), NOW, recent_days=7)
    assert found.entity_id == "age=35-44" and found.kind is AlertKind.RISING_SEGMENT

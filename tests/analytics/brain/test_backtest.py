"""A rules-tool rule replayed over a history with a known truth."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from analytics.brain.backtest import Day, Rule, fires_today, metric_value, replay

START = date(2026, 10, 1)
TARGETS = {
    "cpa": Decimal(4500),
    "roas": Decimal(3),
    "ctr": None,
    "spend": None,
    "conversions": None,
}


def days(cpa: float, n: int = 30, spend: int = 20000, aov: int = 20000) -> list[Day]:
    conversions = spend / cpa
    return [
        Day(START + timedelta(days=i), spend, 10000, 150, conversions, round(conversions * aov))
        for i in range(n)
    ]


def test_a_pause_rule_fires_once_on_the_loser_and_its_effect_is_the_profit_it_forgoes() -> None:
    rule = Rule("pause", "cpa", ">", Decimal(2), relative=True, window=3)
    history = {"loser": ("Loser", days(cpa=15000)), "winner": ("Winner", days(cpa=3000))}
    result = replay(
        rule,
        history,
        targets=TARGETS,
        margin=Decimal("0.45"),
        since=START + timedelta(days=3),
        until=START + timedelta(days=29),
    )
    assert [(f.object_id, f.day) for f in result.firings] == [("loser", START + timedelta(days=3))]
    # Loser: 20000 spend, 1.33 sales x R$ 200 a day -> margin*revenue - spend < 0 each day.
    per_day = 0.45 * round(20000 / 15000 * 20000) - 20000
    assert result.profit_change == round(-per_day * 27)
    assert result.profit_change > 0  # pausing a loser saves money


def test_reading_recent_days_as_reported_fires_on_provisional_data() -> None:
    """A campaign settled at 1.5x the target CPA looks like 3x while its sales are arriving."""
    rule = Rule("pause", "cpa", ">", Decimal(2), relative=True, window=3)
    history = {"fine": ("Fine", days(cpa=6750))}

    def half_reported(age: float) -> float:  # half of a day's sales known at once, all by day 2
        return 0.5 if age < 2 else 1.0

    settled = replay(rule, history, targets=TARGETS, margin=None, since=START + timedelta(days=3),
                     until=START + timedelta(days=29))  # fmt: skip
    seen_then = replay(rule, history, targets=TARGETS, margin=None, since=START + timedelta(days=3),
                       until=START + timedelta(days=29), share=half_reported)  # fmt: skip
    assert settled.firings == ()
    assert seen_then.firings and seen_then.on_provisional == len(seen_then.firings)


def test_a_budget_rule_waits_for_its_cooldown() -> None:
    rule = Rule("raise", "roas", ">", Decimal(4), window=3, cooldown=3)
    history = {"winner": ("Winner", days(cpa=3000))}  # ROAS 6,67 every day
    result = replay(rule, history, targets=TARGETS, margin=None, since=START + timedelta(days=3),
                    until=START + timedelta(days=14))  # fmt: skip
    fired = [f.day for f in result.firings]
    assert fired == [START + timedelta(days=d) for d in (3, 6, 9, 12)]


def test_metric_values_and_shadow_mode_read_the_same_window() -> None:
    window = days(cpa=10000, n=3)
    morning = START + timedelta(days=3)
    assert metric_value("cpa", window, morning) == 10000
    assert metric_value("roas", window, morning) == 2.0
    assert metric_value("ctr", window, morning) == 1.5
    history = {"a": ("A", days(cpa=10000, n=10)), "b": ("B", days(cpa=4000, n=10))}
    rule = Rule("pause", "cpa", ">", Decimal(2), relative=True, window=3)
    assert fires_today(rule, history, targets=TARGETS, today=START + timedelta(days=10)) == [
        ("a", "A", 10000.0)
    ]

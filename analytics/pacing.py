"""Budget pacing: month-to-date spend against a monthly limit, and where the month will end.

Pure arithmetic on Decimal minor units, tested with plain values. The
projection assumes the recent daily run rate continues: today's remaining
spend plus one run-rate day for every day left in the month.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

#: Days of history the run rate averages (fewer at the start of an account's life).
RUN_RATE_DAYS = 7


@dataclass(frozen=True)
class Pacing:
    """Where a month stands: spent, projected, the limit, and what to do to land on it."""

    today: date
    limit: Decimal
    spent: Decimal  # month to date, today's partial spend included
    spent_today: Decimal
    run_rate: Decimal  # expected spend of a full day
    projected: Decimal  # month-end spend if nothing changes
    days_left: int  # whole days after today

    @property
    def month(self) -> str:
        return f"{self.today:%Y-%m}"

    @property
    def percent(self) -> Decimal:
        """Month-to-date spend as a percentage of the limit."""
        return self.spent * 100 / self.limit if self.limit else Decimal(0)

    @property
    def projected_percent(self) -> Decimal:
        return self.projected * 100 / self.limit if self.limit else Decimal(0)

    @property
    def overshoots(self) -> bool:
        return self.projected > self.limit

    @property
    def remaining(self) -> Decimal:
        return max(self.limit - self.spent, Decimal(0))

    @property
    def allowed_daily(self) -> Decimal:
        """The daily spend that lands exactly on the limit from tomorrow on."""
        today_left = max(self.run_rate - self.spent_today, Decimal(0))
        budget_left = max(self.remaining - today_left, Decimal(0))
        if self.days_left <= 0:
            return Decimal(0)
        return (budget_left / self.days_left).quantize(Decimal(1), rounding=ROUND_DOWN)

    @property
    def reduction_factor(self) -> Decimal:
        """How much of today's run rate fits (1 = no change needed, 0 = stop now)."""
        if not self.run_rate:
            return Decimal(1)
        return min(Decimal(1), self.allowed_daily / self.run_rate)


def days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def run_rate(complete_days: Sequence[Decimal], window: int = RUN_RATE_DAYS) -> Decimal:
    """Average spend of the most recent complete days (oldest first)."""
    recent = list(complete_days)[-window:]
    if not recent:
        return Decimal(0)
    return sum(recent, Decimal(0)) / len(recent)


def pace(
    *,
    today: date,
    limit: Decimal,
    month_to_date: Decimal,
    spent_today: Decimal,
    recent_complete_days: Sequence[Decimal],
) -> Pacing:
    """Month-to-date vs ``limit`` and the projection to month end.

    ``month_to_date`` includes ``spent_today``; ``recent_complete_days`` are the
    daily spends before today (oldest first, may reach into last month).
    """
    rate = run_rate(recent_complete_days)
    if not recent_complete_days:
        rate = spent_today  # a brand new account: today is all we know
    days_left = days_in_month(today) - today.day
    projected = month_to_date + max(rate - spent_today, Decimal(0)) + rate * days_left
    return Pacing(
        today=today,
        limit=limit,
        spent=month_to_date,
        spent_today=spent_today,
        run_rate=rate,
        projected=projected,
        days_left=days_left,
    )


def crossed(percent: Decimal, thresholds: Iterable[int]) -> list[int]:
    """The thresholds (in percent of the limit) that month-to-date spend has reached."""
    return sorted(t for t in set(thresholds) if percent >= t)


def scaled_budget(current: Decimal, factor: Decimal, minor_per_unit: int) -> Decimal:
    """``current × factor`` rounded down to whole currency units (R$ 37,00, not R$ 37,41)."""
    unit = Decimal(minor_per_unit)
    value = (current * factor / unit).quantize(Decimal(1), rounding=ROUND_DOWN) * unit
    return max(value, unit)

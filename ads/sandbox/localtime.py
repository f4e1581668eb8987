"""Local days and hours: an account's day in UTC, and the hour-of-day price curve over it.

Why separate: Graph reports by the account's local day (23 or 25 hours on DST
changes), and the auction price follows the local clock, so delivery needs
both for every campaign-day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ads.sandbox import model
from ads.sandbox.records import AccountRecord

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class HourCurve:
    """Prefix integral over a local day of 1 / (hour-of-day CPM multiplier), in seconds.

    Lets an interval's impressions be priced hour by hour in O(1): the day's
    hours are whole UTC hours for the whole-hour-offset timezones the sandbox uses.
    """

    start: datetime
    inverse: tuple[float, ...]  # per hour slot
    prefix: tuple[float, ...]  # integral at each slot start

    @classmethod
    def build(cls, start: datetime, end: datetime, account: AccountRecord) -> HourCurve:
        slots = round((end - start).total_seconds() / 3600)
        inverse = tuple(
            1.0 / model.HOUR_CPM[(start + i * HOUR).astimezone(account.tz).hour]
            for i in range(slots)
        )
        prefix = [0.0]
        for value in inverse:
            prefix.append(prefix[-1] + value * 3600)
        return cls(start, inverse, tuple(prefix))

    def at(self, moment: datetime) -> float:
        offset = (moment - self.start).total_seconds()
        slot = min(int(offset // 3600), len(self.inverse) - 1)
        return self.prefix[slot] + (offset - slot * 3600) * self.inverse[slot]


def day_bounds(day: date, account: AccountRecord) -> tuple[datetime, datetime]:
    """UTC start and end of a local day (23 or 25 hours on DST changes)."""
    tz = account.tz
    start = datetime.combine(day, time(0), tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(UTC)
    return start, end


def local_day(moment: datetime, account: AccountRecord) -> date:
    return moment.astimezone(account.tz).date()

"""The sandbox's simulated clock.

Delivery in the sandbox is a function of simulated time, not wall time: tests
and demos move it forward explicitly (``advance``) so "yesterday", attribution
lag and pacing are reproducible. Time only moves forward, which is what lets
the delivery engine cache completed days safely.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


def hour_floor(moment: datetime) -> datetime:
    """``moment`` in UTC, truncated to the hour (the default sandbox start)."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


class SimClock:
    """A timezone-aware clock that moves only when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the sandbox clock needs a timezone-aware start")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("the sandbox clock cannot move backwards")
        with self._lock:
            self._now += delta
            return self._now

    def set(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("the sandbox clock needs a timezone-aware time")
        with self._lock:
            target = moment.astimezone(UTC)
            if target < self._now:
                raise ValueError("the sandbox clock cannot move backwards; reset the sandbox")
            self._now = target
            return self._now

    def rewind(self, moment: datetime) -> None:
        """Used only by ``reset``: the state is rebuilt, so caches cannot go stale."""
        with self._lock:
            self._now = moment.astimezone(UTC)

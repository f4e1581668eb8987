"""The scheduler follows the sandbox's clock (issue 15, item 10).

rq-scheduler's cron entries fire on the machine's clock, every quarter of a real hour;
against the sandbox, time moves when someone runs ``mediabrain sandbox advance``. This
follower looks at the platform's clock every couple of seconds and, as soon as it crossed a
schedule boundary, fans out what became due (the same idempotent :func:`run_due` a cron tick
runs, so the two never send twice). It primes the schedule cursors at start, so the first
advance runs that day's jobs instead of looking back only an hour.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from jobs import runs
from jobs.schedules import ALL_KINDS, STEP, run_due

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

POLL_SECONDS = 2.0


def crossed(last: datetime, now: datetime) -> bool:
    """Whether a schedule boundary (every :data:`STEP`) lies in (last, now]."""
    step = int(STEP.total_seconds())
    return int(now.timestamp()) // step > int(last.timestamp()) // step


def prime_missing(rt: Runtime, now: datetime) -> list[str]:
    """Start the schedules that never looked at the clock from ``now`` (others keep theirs)."""
    started = []
    for kind in ALL_KINDS:
        name = f"schedule:{kind.value}"
        if runs.read_cursor(rt.db, name) is None:
            runs.write_cursor(rt.db, name, now)
            started.append(kind.value)
    return started


class ClockFollower:
    """A daemon thread: when the platform's clock crosses a boundary, run what is due."""

    def __init__(
        self,
        rt: Runtime,
        *,
        poll: float = POLL_SECONDS,
        on_run: Callable[[list[str]], None] | None = None,
    ) -> None:
        self.rt = rt
        self.poll = poll
        self.on_run = on_run
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="clock-follower", daemon=True)
        self._last: datetime | None = None

    def start(self) -> ClockFollower:
        """Prime the schedules now (when the clock can be read) and follow it in the background."""
        try:
            self.look()
        except Exception as exc:  # the sandbox not up yet: the thread keeps trying
            logger.warning("clock follower: cannot read the clock yet (%s)", type(exc).__name__)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)  # a look under way finishes its fan-out first

    def look(self) -> list[str]:
        """One look at the clock: what was fanned out (nothing unless a boundary passed)."""
        now = self.rt.now()
        if self._last is None:  # the first look: schedules that never ran start here
            started = prime_missing(self.rt, now)
            if started:
                logger.info("clock follower: schedules %s start at %s", started, now.isoformat())
            self._last = now
            return []
        last = self._last
        if not crossed(last, now):
            self._last = now
            return []
        enqueued = run_due(self.rt).enqueued
        self._last = now  # only once run: a failed look is looked at again
        logger.info("clock follower: clock at %s, %d jobs due", now.isoformat(), len(enqueued))
        if self.on_run is not None:
            self.on_run(enqueued)
        return enqueued

    def _loop(self) -> None:
        while not self._stop.wait(self.poll):
            try:
                self.look()
            except Exception:  # the sandbox restarting, the database busy: next look retries
                logger.warning("clock follower: look failed; retrying", exc_info=True)

"""Waiting for what runs elsewhere, and a clock for what runs here.

:func:`eventually` polls a condition until it holds: only for real processes,
threads and sockets. Code that takes a clock gets a :class:`FakeClock` instead,
so its tests never sleep.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(
    predicate: Callable[[], T | None],
    *,
    timeout: float = 20.0,
    interval: float = 0.05,
    what: str = "",
    detail: Callable[[], str] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """The first truthy value of ``predicate()``, polled every ``interval`` up to ``timeout``.

    On time-out the test fails with ``what`` and, if given, ``detail()`` (a worker's log).
    """
    deadline = clock() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if clock() >= deadline:
            extra = f"\n{detail()}" if detail is not None else ""
            raise AssertionError(
                f"timed out after {timeout:g}s waiting for {what or repr(predicate)}{extra}"
            )
        sleep(interval)


class FakeClock:
    """A time function and a sleep that advances it: code under test never waits for real.

    ``clock.time()`` is seconds since the epoch (start it at ``time.time()`` when the
    code also talks to a real Redis, whose key expiries follow the real clock);
    ``clock.sleep(s)`` and ``clock.advance(s)`` move it; ``clock.sleeps`` lists the sleeps.
    """

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)

    def advance(self, seconds: float) -> float:
        self.now += max(0.0, seconds)
        return self.now

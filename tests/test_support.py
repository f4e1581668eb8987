"""The shared test support: ``eventually`` waits on its clock, and fails saying what it waited for."""

from __future__ import annotations

import pytest

from tests.support.waiting import FakeClock, eventually


def test_eventually_returns_the_first_truthy_value_without_real_waiting() -> None:
    clock = FakeClock()
    answers = iter([None, 0, "", "ready", "later"])
    value = eventually(
        lambda: next(answers), timeout=1, interval=0.1, clock=clock.time, sleep=clock.sleep
    )
    assert value == "ready"
    assert clock.sleeps == [0.1, 0.1, 0.1]  # polled three times before the answer came


def test_eventually_fails_after_its_timeout_with_what_and_the_detail() -> None:
    clock = FakeClock()
    with pytest.raises(AssertionError, match=r"after 2s waiting for the card\nworker log"):
        eventually(
            lambda: None,
            timeout=2,
            interval=0.5,
            what="the card",
            detail=lambda: "worker log",
            clock=clock.time,
            sleep=clock.sleep,
        )
    assert clock.now - 1_700_000_000.0 == pytest.approx(2.0)

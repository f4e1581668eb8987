"""The scheduler follows the sandbox clock: `mediabrain sandbox advance --days 1` runs that
day's jobs within seconds, the first advance included (issue 15, item 10)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete

from mediabrain.cli import main
from mediabrain.clock_follower import ClockFollower, crossed
from storage.models import RunRecord
from tests.support.waiting import eventually


def test_the_first_advance_sends_that_days_report_within_seconds(make_world: Any) -> None:
    world = make_world()
    with world.rt.db.session() as session:  # a scheduler that never looked at the clock
        session.execute(delete(RunRecord).where(RunRecord.key.startswith("cursor:schedule:")))
    follower = ClockFollower(world.rt, poll=0.05).start()
    try:
        assert main(["sandbox", "advance", "--url", world.sandbox.url, "--days", "1"]) == 0
        reports = eventually(
            lambda: [r for r in world.to("console:ana") if r.kind == "report"],
            timeout=60,
            what="the daily report after the first advance",
        )
        assert "Relatório diário" in reports[0].text
        eventually(
            lambda: [r for r in world.to("console:bob") if r.kind == "report"],
            timeout=60,
            what="New York's daily report too",
        )
    finally:
        follower.stop()
    assert follower.look() == []  # the clock has not moved since: nothing runs twice
    assert world.kinds("console:ana").count("report") == 1


def test_a_boundary_is_crossed_only_when_the_clock_passes_a_quarter_hour() -> None:
    at = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    assert not crossed(at, at)
    assert not crossed(at, at.replace(minute=14))
    assert crossed(at.replace(minute=14), at.replace(minute=15))
    assert crossed(at, at.replace(day=2))

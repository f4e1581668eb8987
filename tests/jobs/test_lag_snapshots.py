"""Each sync keeps what it saw of recent days; the lag curve the nowcast fits from them
matches the sandbox account's true attribution lag."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from ads.sandbox.attribution import default_lag_profile
from analytics.brain.inputs import lag_curves
from storage.models import MetricSnapshot

DEMO = "act_1000000001"

# Nine simulated days of every schedule (the hourly smart alerts included): ~70 s on an idle
# machine, past the suite's 120 s default on a loaded one.
pytestmark = pytest.mark.timeout(400)


def test_syncs_keep_snapshots_and_the_fitted_lag_matches_the_sandbox(make_world: Any) -> None:
    world = make_world()
    world.report_at(world.ws1, 5)
    world.report_at(world.ws2, 5)
    for _ in range(9 * 4):  # nine days, the schedules running every 6 hours
        world.advance(hours=6)
    with world.rt.db.session() as session:
        ages = session.scalars(
            select(MetricSnapshot.age_hours).where(MetricSnapshot.ad_account_id == world.account1)
        ).all()
        assert len(set(ages)) >= 28 and max(ages) >= 24 * 6  # many ages, up to the window's end
        assert session.scalar(select(func.count()).select_from(MetricSnapshot)) == len(
            session.scalars(select(MetricSnapshot.id)).all()
        )
        today = world.sandbox.state.today(DEMO)
        curve, _ = lag_curves(session, world.account1, today - timedelta(days=30))
    assert curve is not None
    state = world.sandbox.state
    truth = state.account(DEMO).lag or default_lag_profile(state.seed, DEMO)
    for age in (0.5, 1.0, 3.0, 6.0):
        assert abs(curve.share(age) - truth.share(age * 24)) < 0.08, age

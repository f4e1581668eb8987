"""The daily A/B tests job: each running test's verdict and card, and last night's tired creatives.

Scheduled once a day per ad account at :data:`jobs.schedules.EXPERIMENTS_HOUR` local time
(``jobs.schedules`` kind ``experiments-daily``); the work is in :mod:`bot.core.experiments`.
Tired creatives are found every night with the decision engine's run (``jobs.optimize``,
the same fatigue detector its holds read) and raised here the next morning, beside the
tests' cards, each ad at most once per cooldown (:mod:`bot.core.experiments.fatigue`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from bot.core.experiments import fatigue, monitor
from jobs.optimize import last_night
from vocabulary.runtime import get_runtime

#: A night's findings older than this are not raised (the next night looks again).
FRESH_NIGHTS = 2

if TYPE_CHECKING:
    from jobs.schedules import JobSpec
    from vocabulary.runtime import Runtime


def experiments_daily(rt: Runtime, spec: JobSpec) -> dict[str, Any]:
    assert spec.workspace_id is not None and spec.account_pk is not None
    report = monitor.daily(rt, spec.workspace_id, spec.account_pk)
    local_day = date.fromisoformat(spec.stamp)  # the slot's local date, YYYYMMDD
    found = tired_last_night(rt, spec.unit, local_day)
    if found:
        report["fatigue"] = fatigue.raise_found(rt, spec.workspace_id, spec.account_pk, found)
    return report


def tired_last_night(rt: Runtime, unit: str, today: date) -> list[dict[str, Any]]:
    """What the latest nightly run found tired, if that night is recent."""
    record = last_night(rt, unit)
    if record is None:
        return []
    night = date.fromisoformat(record.key.rsplit(":", 1)[-1])
    if night < today - timedelta(days=FRESH_NIGHTS):
        return []
    return list((record.detail or {}).get("tired_creatives") or [])


def refresh_test(workspace_id: int, run_id: str) -> str:
    """The crew's fresh copy for a tired creative is ready: launch it as a test (by name)."""
    row = fatigue.launch_refresh(get_runtime(), workspace_id, run_id)
    return f"experiment #{row.number}" if row is not None else "no test"

"""The daily A/B tests job: each running test's verdict and card; on Mondays, tired creatives.

Scheduled once a day per ad account at :data:`jobs.schedules.EXPERIMENTS_HOUR` local time
(``jobs.schedules`` kind ``experiments-daily``); the work is in :mod:`bot.core.experiments`.
Fatigue builds over weeks, so the creative scan (21 days of every active ad) runs weekly.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from bot.core.experiments import fatigue, monitor
from vocabulary.runtime import get_runtime

#: Monday: the week's first look at tired creatives.
FATIGUE_WEEKDAY = 0

if TYPE_CHECKING:
    from jobs.schedules import JobSpec
    from vocabulary.runtime import Runtime


def experiments_daily(rt: Runtime, spec: JobSpec) -> dict[str, Any]:
    assert spec.workspace_id is not None and spec.account_pk is not None
    report = monitor.daily(rt, spec.workspace_id, spec.account_pk)
    local_day = date.fromisoformat(spec.stamp)  # the slot's local date, YYYYMMDD
    if local_day.weekday() == FATIGUE_WEEKDAY:
        report["fatigue"] = fatigue.scan(rt, spec.workspace_id, spec.account_pk)
    return report


def refresh_test(workspace_id: int, run_id: str) -> str:
    """The crew's fresh copy for a tired creative is ready: launch it as a test (by name)."""
    row = fatigue.launch_refresh(get_runtime(), workspace_id, run_id)
    return f"experiment #{row.number}" if row is not None else "no test"

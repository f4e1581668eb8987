"""What happens when the sandbox's simulated clock moves (console ``/avancar 1d``, CLI, tests).

Schedules normally fire on wall-clock time through rq-scheduler; with the
sandbox we let simulated days pass in seconds and run whatever became due.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mediabrain.runtime import Runtime


def on_clock_advanced(rt: Runtime) -> None:
    """Run the scheduled work that became due at the sandbox's new time."""
    from jobs import schedules

    run_due = getattr(schedules, "run_due", None)
    if run_due is not None:
        run_due(rt)

"""``mediabrain scheduler``: rq-scheduler with the product's periodic jobs, registered idempotently.

The cron entries (fixed ids, see :data:`jobs.schedules.CRON`) only wake the
schedules up; each tick runs on a worker and fans out one job per workspace or
ad account, each guarded by a run record. Running two schedulers, or
restarting one, therefore never duplicates an entry or a message:
rq-scheduler's lock lets one of them enqueue at a time, registering replaces
entries by id, and the run records refuse a slot that already ran.

Against the sandbox, a :class:`~mediabrain.clock_follower.ClockFollower` also
watches the simulated clock, so ``mediabrain sandbox advance`` runs what became
due within seconds instead of at the next real quarter-hour.

Every loop the scheduler checks its entries are still there and registers
again the ones that vanished (Redis restarted without persistence), so the
schedules heal themselves; ``/healthz`` and ``mediabrain status`` report them.
"""

from __future__ import annotations

import logging

from jobs.schedules import ensure_registered, register
from mediabrain.clock_follower import ClockFollower
from mediabrain.runtime import build_runtime
from vocabulary.runtime import set_runtime
from vocabulary.settings import Settings

logger = logging.getLogger(__name__)


def run_scheduler(settings: Settings, *, burst: bool = False) -> int:
    """Register the cron entries and run rq-scheduler (``burst``: enqueue what is due, return)."""
    settings.check_secret_key()  # before anything starts: one key for every host
    if not settings.redis_url:
        logger.error("scheduler: MEDIABRAIN_REDIS_URL is not set")
        return 2
    # redis-py: only processes configured with Redis load it
    from redis import Redis

    # rq-scheduler: the scheduler process only
    from rq_scheduler import Scheduler

    class HealingScheduler(Scheduler):  # type: ignore[misc]
        """rq-scheduler that puts back vanished entries before each look for due jobs."""

        def enqueue_jobs(self) -> object:
            try:
                ensure_registered(self, settings)
            except Exception:  # Redis hiccup: the next loop checks again
                logger.exception("scheduler: could not check the entries")
            return super().enqueue_jobs()

    connection = Redis.from_url(settings.redis_url)
    scheduler = HealingScheduler(
        queue_name="default", connection=connection, interval=settings.scheduler_interval_seconds
    )
    ids = register(scheduler, settings)
    logger.info("scheduler: entries %s registered; running", ", ".join(ids))
    follower = None if burst or not settings.use_sandbox else _follow_sandbox_clock(settings)
    try:
        scheduler.run(burst=burst)
    finally:
        if follower is not None:
            follower.stop()
    return 0


def _follow_sandbox_clock(settings: Settings) -> ClockFollower:
    """Watch the sandbox's clock (a sandbox that is not up yet is looked at again later)."""
    rt = build_runtime(settings)
    set_runtime(rt)
    return ClockFollower(rt).start()

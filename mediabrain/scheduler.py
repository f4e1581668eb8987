"""``mediabrain scheduler``: rq-scheduler with the product's periodic jobs, registered idempotently.

The cron entries (fixed ids, see :data:`jobs.schedules.CRON`) only wake the
schedules up; each tick runs on a worker and fans out one job per workspace or
ad account, each guarded by a run record. Running two schedulers, or
restarting one, therefore never duplicates an entry or a message:
rq-scheduler's lock lets one of them enqueue at a time, registering replaces
entries by id, and the run records refuse a slot that already ran.
"""

from __future__ import annotations

import logging

from jobs.schedules import register
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

    connection = Redis.from_url(settings.redis_url)
    scheduler = Scheduler(queue_name="default", connection=connection, interval=30)
    ids = register(scheduler, settings)
    logger.info("scheduler: entries %s registered; running", ", ".join(ids))
    scheduler.run(burst=burst)
    return 0

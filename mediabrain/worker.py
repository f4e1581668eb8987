"""``mediabrain worker``: an RQ worker on queues high, default, low, crew (in that priority).

``--queues crew`` (or ``high,default,low``) splits them across processes: in production
crew runs get a worker of their own (Procfile ``crew``), so a long LLM run never keeps
a report or an approval waiting.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from mediabrain.bootstrap import prepare
from mediabrain.runtime import build_runtime
from vocabulary.queue import QUEUES
from vocabulary.settings import Settings

logger = logging.getLogger(__name__)


def run_worker(
    settings: Settings, *, burst: bool = False, queues: Sequence[str] | None = None
) -> int:
    settings.check_secret_key()  # before anything starts: one key for every host
    if not settings.redis_url:
        logger.error(
            "worker: MEDIABRAIN_REDIS_URL is not set; on the embedded default jobs run in-process"
        )
        return 2
    # redis-py: only processes configured with Redis load it
    from redis import Redis

    # RQ: only with Redis; the embedded default runs jobs in-process
    from rq import Worker

    # Migrate/seed once in the parent; each job builds its own runtime in the work horse.
    setup = build_runtime(settings)
    prepare(setup)
    setup.close()
    connection = Redis.from_url(settings.redis_url)
    names = list(queues or QUEUES)
    # A busy worker heartbeats this often; the sweeper (jobs/reconcile.py) reads a silent one as dead.
    worker = Worker(
        names,
        connection=connection,
        job_monitoring_interval=settings.worker_heartbeat_seconds,
    )
    logger.info("worker %s: listening on %s", worker.name, ", ".join(names))
    worker.work(burst=burst, with_scheduler=True)
    return 0

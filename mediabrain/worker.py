"""``mediabrain worker``: an RQ worker on queues high, default, low (in that priority)."""

from __future__ import annotations

import logging
import time
from typing import Any

from mediabrain.bootstrap import prepare
from mediabrain.runtime import build_runtime
from vocabulary import metrics
from vocabulary.queue import QUEUES
from vocabulary.settings import Settings

logger = logging.getLogger(__name__)


def run_worker(settings: Settings, *, burst: bool = False) -> int:
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

    class MeasuredWorker(Worker):  # type: ignore[misc]
        """Records each job's duration and failure by function (``/metrics``)."""

        def perform_job(self, job: Any, queue: Any, *args: Any, **kwargs: Any) -> bool:
            started = time.perf_counter()
            ok = bool(super().perform_job(job, queue, *args, **kwargs))
            labels = {"function": str(job.func_name)}
            metrics.observe(
                self.connection,
                "mb_job_seconds",
                labels,
                time.perf_counter() - started,
                metrics.JOB_BUCKETS,
            )
            if not ok:
                metrics.incr(self.connection, "mb_job_failures", labels)
            return ok

    # A busy worker heartbeats this often; the sweeper (jobs/reconcile.py) reads a silent one as dead.
    worker = MeasuredWorker(
        list(QUEUES),
        connection=connection,
        job_monitoring_interval=settings.worker_heartbeat_seconds,
    )
    logger.info("worker %s: listening on %s", worker.name, ", ".join(QUEUES))
    worker.work(burst=burst, with_scheduler=True)
    return 0

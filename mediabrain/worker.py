"""``mediabrain worker``: an RQ worker on queues high, default, low, crew (in that priority).

``--queues crew`` (or ``high,default,low``) splits them across processes: in production
crew runs get a worker of their own (Procfile ``crew``), so a long LLM run never keeps
a report or an approval waiting.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from mediabrain.bootstrap import prepare
from mediabrain.runtime import build_runtime
from vocabulary import metrics
from vocabulary.queue import QUEUES, WARM
from vocabulary.runtime import current_runtime, set_runtime
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
    from redis.exceptions import ConnectionError as RedisConnectionError  # redis-py: as above
    from redis.exceptions import TimeoutError as RedisTimeoutError  # redis-py: as above

    # RQ: only with Redis; the embedded default runs jobs in-process
    from rq import Worker
    from rq.job import JobStatus  # RQ: the worker process only
    from rq.utils import now as rq_now  # RQ: the worker process only
    from rq.worker import WorkerStatus  # RQ: the worker process only

    # Migrate/seed once; inline jobs share one warm runtime, each work horse builds its own.
    setup = build_runtime(settings)
    prepare(setup)
    setup.close()
    # The reports and their charts (matplotlib, ~1.5 s to import) load at start, not inside
    # the first job: a worker's first report after a deploy would otherwise pay it in the
    # morning's fan-out. Work horses, forked from here, inherit them too.
    import analytics.charts  # noqa: F401
    import jobs.reports  # noqa: F401

    connection = Redis.from_url(settings.redis_url)
    names = list(queues or QUEUES)

    beats = _Beats(settings.worker_heartbeat_seconds)

    class MeasuredWorker(Worker):  # type: ignore[misc]
        """Forks only for slow queues; records each job's duration and failure (``/metrics``).

        Routine turns (queue ``high``) and jobs enqueued ``warm`` (scheduled reports and
        syncs) run in this process: no fork, no new runtime, pools and caches reused (a fork
        per turn capped a worker at a few turns a second; a work horse per report tripled a
        fan-out). Crew runs and the rest keep a work horse each, so a crash or a leak there
        never takes the worker down.
        """

        #: RQ beats and records its state several times per job, one to three Redis round
        #: trips each: at tens of turns a second that was more Redis traffic than the turns'
        #: own. Beats within this window (a fraction of the sweeper's, 3 × the heartbeat)
        #: and an unchanged state are not sent again.
        beat_window = min(1.0, settings.worker_heartbeat_seconds / 4)
        _beat_at = float("-inf")
        _beat_timeout = 0

        def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
            if pipeline is not None:  # part of RQ's own round trip: free
                super().heartbeat(timeout, pipeline=pipeline)
                return
            timeout = timeout or self.worker_ttl + 60
            now = time.monotonic()
            if now - self._beat_at < self.beat_window and timeout <= self._beat_timeout:
                return
            try:  # best effort: one missed beat in a Redis restart is not death (the
                # sweeper waits for three), while RQ would quit on the error
                with self.connection.pipeline(transaction=False) as pipe:
                    super().heartbeat(timeout, pipeline=pipe)
                    pipe.execute()
            except (RedisConnectionError, RedisTimeoutError):
                logger.warning("worker: heartbeat failed (Redis away?); the next one tries again")
                return
            self._beat_at, self._beat_timeout = now, timeout

        def set_state(self, state: str, pipeline: Any = None) -> None:
            if pipeline is None and state == getattr(self, "_state", None):
                return
            super().set_state(state, pipeline=pipeline)

        #: Set while a job runs in this process: its end is written with RQ's own round trips.
        _inline = False

        def execute_job(self, job: Any, queue: Any) -> None:
            if queue.name in settings.worker_inline_queues or job.meta.get(WARM):
                started = False
                try:
                    execution = self.prepare_execution(job)
                    started = True
                    self._inline = True
                    try:
                        with beats.busy():
                            self.perform_job(job, queue, execution)
                    finally:
                        self._inline = False
                    self.set_state(WorkerStatus.IDLE)  # sent with the job's metric: no-op
                except (RedisConnectionError, RedisTimeoutError):
                    # Redis went away around the job (a restart): RQ's bookkeeping failed, not
                    # the job. Stay up and wait for Redis (RQ would quit); the sweeper
                    # (jobs/reconcile.py) settles a job that ran. One taken off its queue but
                    # never started goes back to the front of it.
                    logger.exception("worker: Redis failed around job %s; waiting for it", job.id)
                    self._wait_for_redis()
                    if not started:
                        self._put_back(job, queue)
                return
            super().execute_job(job, queue)

        def _put_back(self, job: Any, queue: Any) -> None:
            try:
                queue.enqueue_job(job, at_front=True)
                logger.warning("worker: job %s was taken but never started; queued again", job.id)
            except Exception:
                logger.exception("worker: job %s could not be queued again", job.id)

        def unsubscribe(self) -> None:
            """RQ's, with the wait bounded. redis-py 8's ``PubSubWorkerThread.stop()`` waits
            for its thread, which RQ parks in ``get_message`` for up to 60 s: when the
            unsubscribe's reply lands before the stop, a quitting worker (a burst's end, a
            deploy's SIGTERM) hung a minute (seen in ``bench/bench_reports.py``)."""
            thread = self.pubsub_thread
            if not thread:
                return
            self.pubsub.unsubscribe()
            thread.stop(timeout=1)
            if not thread.is_alive():  # else the daemon thread closes it, or dies with us
                self.pubsub.close()

        def _wait_for_redis(self) -> None:
            delay = 0.5
            while not self._stop_requested:
                try:
                    self.connection.ping()
                    return
                except (RedisConnectionError, RedisTimeoutError):
                    time.sleep(delay)
                    delay = min(2 * delay, 5.0)

        def handle_execution_ended(self, job: Any, queue: Any, heartbeat_ttl: int) -> None:
            """RQ's, without its own round trip for an inline job that succeeded with no
            callback: the job's last beat is saved with the rest of the job in the success
            transaction (``Job.save``) a moment later."""
            succeeded = job.get_status(refresh=False) != JobStatus.FAILED
            if self._inline and succeeded and not job._success_callback_name:
                job.ended_at = job.last_heartbeat = rq_now()
                return
            super().handle_execution_ended(job, queue, heartbeat_ttl)

        def perform_job(self, job: Any, queue: Any, *args: Any, **kwargs: Any) -> bool:
            started = time.perf_counter()
            ok = bool(super().perform_job(job, queue, *args, **kwargs))
            labels = {"function": str(job.func_name)}
            # One round trip for the metrics and, inline, the worker's idle state (two before)
            try:
                with self.connection.pipeline(transaction=False) as pipe:
                    metrics.observe_on(
                        pipe,
                        "mb_job_seconds",
                        labels,
                        time.perf_counter() - started,
                        metrics.JOB_BUCKETS,
                    )
                    if not ok:
                        pipe.hincrbyfloat(*metrics.counter_field("mb_job_failures", labels), 1)
                    if self._inline:
                        self.set_state(WorkerStatus.IDLE, pipeline=pipe)
                    pipe.execute()
            except Exception:  # metrics are best effort; the state is sent again next time
                self._state = ""  # matches no state: sent again
                logger.debug("worker: job metrics not recorded", exc_info=True)
            return ok

    # A forked work horse must not share this process's database connections.
    os.register_at_fork(after_in_child=_fresh_pools_in_child)
    # A busy worker heartbeats this often; the sweeper (jobs/reconcile.py) reads a silent one as dead.
    worker = MeasuredWorker(
        names,
        connection=connection,
        job_monitoring_interval=settings.worker_heartbeat_seconds,
    )
    beats.worker = worker
    logger.info("worker %s: listening on %s", worker.name, ", ".join(names))
    # RQ sets its own loggers to INFO whatever ours say: four lines a job, a good part of a
    # routine turn's cost at WARNING, where nobody reads them
    worker.work(burst=burst, with_scheduler=True, logging_level=settings.log_level.upper())
    return 0


class _Beats:
    """Keep saying "alive" while inline jobs run (the sweeper reads silence as death).

    One thread for the worker's life, not one per job: starting and joining a thread per
    turn cost more than the turn's own bookkeeping on a busy machine.
    """

    def __init__(self, every: int) -> None:
        self.every = every
        self.worker: Any = None
        self._running = threading.Event()
        self._thread: threading.Thread | None = None

    @contextmanager
    def busy(self) -> Iterator[None]:
        if self._thread is None:
            self._thread = threading.Thread(target=self._beat, name="heartbeat", daemon=True)
            self._thread.start()
        self._running.set()
        try:
            yield
        finally:
            self._running.clear()

    def _beat(self) -> None:
        while True:
            self._running.wait()
            time.sleep(self.every)
            if not self._running.is_set():
                continue
            try:
                self.worker.heartbeat()
            except Exception:  # Redis hiccup: the next beat tries again
                logger.debug("worker: heartbeat failed", exc_info=True)


def _fresh_pools_in_child() -> None:
    """In a work horse: drop the parent's pooled connections unclosed (SQLAlchemy's advice
    for fork) and let the horse build its own runtime."""
    rt = current_runtime()
    if rt is None:
        return
    rt.db.engine.dispose(close=False)
    if rt.ack_db is not None:
        rt.ack_db.engine.dispose(close=False)
    set_runtime(None)

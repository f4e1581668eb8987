"""One enqueue call for every job: RQ on Redis, or in-process on the embedded default.

Queues: ``high`` (inbound messages, button clicks), ``default`` (reports),
``low`` (syncs), ``crew`` (crew runs: long LLM work, on its own so it never
holds up the others; a worker of its own listens to it in production). Without ``MEDIABRAIN_REDIS_URL`` the same job
function runs right away in this process, so there is one code path.

Jobs are named by their dotted path (``"jobs.execute.execute_proposal"``), so
the layers below the job entry points enqueue work without importing them.
"""

from __future__ import annotations

import importlib
import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, Literal

from redis import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

QueueName = Literal["high", "default", "low", "crew"]
QUEUES: tuple[QueueName, ...] = ("high", "default", "low", "crew")
FAILURE_TTL = 7 * 24 * 3600
#: Job meta flag: run inside the worker process, warm (no work horse forked for it).
WARM = "warm"


class QueueUnavailable(RuntimeError):
    """The job could not be enqueued (Redis down); the caller must tell the user."""


class JobQueue:
    def __init__(
        self, redis: Redis | None, *, job_timeout: int = 600, background: bool = False
    ) -> None:
        self.redis = redis
        self.job_timeout = job_timeout
        self.ran_inline: list[str] = []  # in-process mode: ids of jobs run, for diagnostics
        # In the web process without Redis, jobs go to a thread so the webhook still acks at once.
        self._pool = (
            ThreadPoolExecutor(max_workers=2, thread_name_prefix="job") if background else None
        )

    @property
    def in_process(self) -> bool:
        return self.redis is None

    def enqueue(
        self,
        func: str | Callable[..., Any],
        *args: Any,
        queue: QueueName = "default",
        job_id: str | None = None,
        on_failure: str | None = None,
        on_stopped: str | None = None,
        at: datetime | None = None,
        warm: bool = False,
        riding: Callable[[Any], None] | None = None,
        **kwargs: Any,
    ) -> str:
        """Run ``func(*args, **kwargs)`` on a worker (or here, on the embedded default).

        ``func`` is a job function or its dotted name (``"jobs.inbound.process_inbound"``).
        ``on_failure`` / ``on_stopped`` name callbacks RQ runs when the job raises, times
        out, is found abandoned (its worker died) or is stopped; in-process they are not
        needed (the job's own ``except`` sees everything). ``at``: not before this moment
        (RQ's scheduler, run by every worker; in-process, a timer thread). ``warm``: the
        worker runs it in its own process, with its pools and caches, instead of forking a
        work horse (short routine jobs: a fork and a new runtime cost more than the job).
        ``riding(pipeline)`` adds writes of the caller's (an ack's latency metric) to the
        enqueue's one Redis round trip (RQ alone makes several); not called in-process.
        """
        name = func if isinstance(func, str) else f"{func.__module__}.{func.__qualname__}"
        if self.redis is None:
            if at is not None:
                return self._run_later(at, resolve(name), name, args, kwargs, job_id)
            return self._run_inline(resolve(name), name, args, kwargs, job_id)
        # RQ: only with Redis; the embedded default runs jobs in-process
        from rq import Callback, Queue

        options: dict[str, Any] = {"meta": {WARM: True}} if warm else {}
        if on_failure:
            options["on_failure"] = Callback(on_failure)
        if on_stopped:
            options["on_stopped"] = Callback(on_stopped)
        try:
            rq_queue = Queue(queue, connection=self.redis)
            if at is not None:
                job = rq_queue.enqueue_at(
                    at,
                    name,
                    *args,
                    job_id=job_id,
                    job_timeout=self.job_timeout,
                    failure_ttl=FAILURE_TTL,
                    result_ttl=3600,
                    **options,
                    **kwargs,
                )
                logger.info("queue %s: %s scheduled at %s job=%s", queue, name, at, job.id)
                return str(job.id)
            pipe = self.redis.pipeline()
            job = rq_queue.enqueue(
                name,
                *args,
                job_id=job_id,
                job_timeout=self.job_timeout,
                failure_ttl=FAILURE_TTL,
                result_ttl=3600,
                pipeline=pipe,
                **options,
                **kwargs,
            )
            ours = len(pipe.command_stack)
            if riding is not None:
                riding(pipe)
            answers = pipe.execute(raise_on_error=False)
            failed = [a for a in answers[:ours] if isinstance(a, Exception)]
            if failed:  # the job's own writes; a rider's failure never fails the enqueue
                raise failed[0]
        except RedisError as exc:
            logger.error("queue %s: cannot enqueue %s: %s", queue, name, exc)
            raise QueueUnavailable(str(exc)) from exc
        logger.info("queue %s: enqueued %s job=%s", queue, name, job.id)
        return job.id

    def _run_inline(
        self,
        func: Callable[..., Any],
        name: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        job_id: str | None,
    ) -> str:
        job_id = job_id or str(uuid.uuid4())
        self.ran_inline.append(job_id)
        if self._pool is not None:
            self._pool.submit(_run_logged, func, name, job_id, args, kwargs)
        else:
            _run_logged(func, name, job_id, args, kwargs)
        return job_id

    def _run_later(
        self,
        at: datetime,
        func: Callable[..., Any],
        name: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        job_id: str | None,
    ) -> str:
        job_id = job_id or str(uuid.uuid4())
        delay = max(0.0, (at - datetime.now(UTC)).total_seconds())
        timer = threading.Timer(delay, _run_logged, (func, name, job_id, args, kwargs))
        timer.daemon = True
        timer.start()
        return job_id

    def drain(self) -> None:
        """Wait for background in-process jobs (web process shutdown, tests)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="job")

    def ping(self) -> None:
        if self.redis is not None:
            self.redis.ping()


def _run_logged(
    func: Callable[..., Any], name: str, job_id: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    try:
        func(*args, **kwargs)
    except Exception:
        # Job functions tell the user themselves; here we only keep the process alive.
        logger.exception("job %s (%s) failed in-process", job_id, name)


def resolve(name: str) -> Callable[..., Any]:
    """The job function a dotted name points to (what RQ's worker does for a queued job)."""
    module, _, attr = name.rpartition(".")
    func: Callable[..., Any] = getattr(importlib.import_module(module), attr)
    return func

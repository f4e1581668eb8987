"""A Redis restart while a worker finishes an inline job does not take the worker down.

Found by the soak (``bench/soak.py``): Redis (AOF) was SIGKILLed and started again
while a worker ran a routine turn inline; RQ's bookkeeping after the job (heartbeat,
result) raised ``ConnectionError``, the worker quit with "unhandled exception" and
every turn queued behind it waited for a process manager. Real pieces: a private
``redis-server`` with AOF, a ``mediabrain worker`` subprocess, PostgreSQL.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue
from rq.job import Job, JobStatus

from tests.support.faults import RedisServer
from tests.support.waiting import eventually
from tests.support.workers import start_worker

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _status(url: str, job_id: str) -> JobStatus | None:
    try:
        return Job.fetch(job_id, connection=Redis.from_url(url)).get_status()
    except Exception:
        return None


def test_a_worker_keeps_working_after_redis_restarts_under_an_inline_job(
    make_runtime, pg_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    redis = RedisServer(tmp_path / "redis").start()
    try:
        make_runtime(database_url=pg_url, redis_url=redis.url, sandbox="off")  # migrated
        worker = start_worker(
            {
                "database_url": pg_url,
                "redis_url": redis.url,
                "data_dir": tmp_path / "data",
                "sandbox": "off",
                "worker_heartbeat_seconds": 1,
            },
            tmp_path / "worker.log",
        )
        queue = Queue("high", connection=Redis.from_url(redis.url))  # inline: no work horse
        queue.enqueue("time.sleep", 3, job_id="busy")
        eventually(
            lambda: _status(redis.url, "busy") == JobStatus.STARTED,
            timeout=60,
            what="the worker to start the job",
            detail=worker.tail,
        )
        time.sleep(1.2)  # AOF (everysec) has written the job down
        redis.kill()
        time.sleep(3.5)  # the job ends while Redis is away
        redis.start()
        time.sleep(3)
        assert not worker.crashed, worker.tail()

        Queue("high", connection=Redis.from_url(redis.url)).enqueue("time.sleep", 0, job_id="after")
        eventually(
            lambda: _status(redis.url, "after") == JobStatus.FINISHED,
            timeout=60,
            what="the same worker to run the next job",
            detail=worker.tail,
        )
        assert not worker.crashed
        worker.stop(grace=2)
    finally:
        redis.stop()

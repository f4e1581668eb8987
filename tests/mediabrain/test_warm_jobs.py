"""A job enqueued warm runs inside the worker process; any other default job in a work horse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from redis import Redis
from rq.job import Job

from tests.support.workers import worker_env
from vocabulary.queue import JobQueue

pytestmark = [pytest.mark.redis]


def run_burst_worker(redis_url: str, tmp_path: Path) -> int:
    """``mediabrain worker`` until the queues are empty; its pid."""
    env = worker_env(
        {
            "redis_url": redis_url,
            "data_dir": tmp_path,
            "database_url": f"sqlite:///{tmp_path / 'mb.sqlite3'}",
            "sandbox": "off",
        }
    )
    code = (
        "from mediabrain.worker import run_worker; from vocabulary.settings import load_settings;"
        "raise SystemExit(run_worker(load_settings(), burst=True))"
    )
    process = subprocess.Popen([sys.executable, "-c", code], env=env)
    assert process.wait(timeout=120) == 0
    return process.pid


def test_a_warm_job_runs_in_the_worker_itself_and_a_cold_one_in_a_work_horse(
    redis_url: str, tmp_path: Path
) -> None:
    connection = Redis.from_url(redis_url)
    queue = JobQueue(connection)
    warm = queue.enqueue(os.getpid, queue="default", warm=True)
    cold = queue.enqueue(os.getpid, queue="default")

    worker_pid = run_burst_worker(redis_url, tmp_path)

    assert Job.fetch(warm, connection=connection).return_value() == worker_pid
    horse = Job.fetch(cold, connection=connection).return_value()
    assert isinstance(horse, int) and horse != worker_pid

"""Redis restarted without persistence loses the periodic entries: the scheduler puts them
back on its next loop, and ``/healthz`` and ``mediabrain status`` say when they are missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from redis import Redis
from rq_scheduler import Scheduler

from jobs.schedules import CRON, register
from mediabrain.status import missing_schedules
from mediabrain.web import create_app
from tests.support.waiting import eventually
from tests.support.workers import TEST_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, pg_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIABRAIN_")}
    env.update(
        {
            "MEDIABRAIN_DATA_DIR": str(tmp_path / "data"),
            "MEDIABRAIN_SANDBOX": "off",
            "MEDIABRAIN_DATABASE_URL": pg_url,
            "MEDIABRAIN_REDIS_URL": redis_url,
            "MEDIABRAIN_SECRET_KEY": TEST_SECRET_KEY,  # required off SQLite
            "PYTHONPATH": str(ROOT),
            **extra,
        }
    )
    return env


def test_healthz_and_status_report_missing_schedules(
    make_runtime, pg_url: str, redis_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(database_url=pg_url, redis_url=redis_url, sandbox="off")
    client = TestClient(create_app(rt.settings, rt))
    register(Scheduler(queue_name="default", connection=rt.redis))
    assert client.get("/healthz").json()["schedules"] == "ok"
    status = subprocess.run(
        [sys.executable, "-m", "mediabrain.cli", "status"],
        env=_env(tmp_path, pg_url, redis_url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert status.returncode == 0, status.stderr
    assert "mediabrain-reconcile" in status.stdout and "MISSING" not in status.stdout
    assert "high" in status.stdout and "queued=0" in status.stdout

    rt.redis.flushdb()  # Redis restarted with no persistence
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert all(entry.id in body["schedules"] for entry in CRON)
    status = subprocess.run(
        [sys.executable, "-m", "mediabrain.cli", "status"],
        env=_env(tmp_path, pg_url, redis_url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert status.returncode == 1
    assert status.stdout.count("MISSING") == len(CRON)


def test_the_running_scheduler_registers_vanished_entries_again(
    pg_url: str, redis_url: str, tmp_path: Path
) -> None:
    redis = Redis.from_url(redis_url)
    log = (tmp_path / "scheduler.log").open("wb")
    env = _env(tmp_path, pg_url, redis_url, MEDIABRAIN_SCHEDULER_INTERVAL_SECONDS="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "mediabrain.cli", "scheduler"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        eventually(lambda: missing_schedules(redis) == [], timeout=60, what="the entries")
        redis.flushdb()
        assert len(missing_schedules(redis)) == len(CRON)
        eventually(
            lambda: missing_schedules(redis) == [],
            timeout=30,
            what="the scheduler to register the vanished entries again",
            detail=lambda: (tmp_path / "scheduler.log").read_text(),
        )
        assert process.poll() is None  # the same process, still running
        assert "were missing; registered again" in (tmp_path / "scheduler.log").read_text()
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()

"""`mediabrain scheduler` registration on real Redis and rq-scheduler, and fan-out through RQ."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from redis import Redis
from rq import Queue, SimpleWorker
from rq_scheduler import Scheduler
from sqlalchemy import delete

from jobs import runs, schedules
from jobs.schedules import CRON, register, run_due
from storage.models import RunRecord
from vocabulary.inbound import Channel


def cron_jobs(connection: Redis) -> dict[str, Any]:
    scheduler = Scheduler(connection=connection)
    return {job.id: job for job in scheduler.get_jobs()}


def forget_cursors(world: Any) -> None:
    """As if another scheduler looked at the clock without knowing how far this one got."""
    with world.rt.db.session() as session:
        session.execute(delete(RunRecord).where(RunRecord.key.startswith("cursor:schedule:")))


def test_two_schedulers_and_a_restart_register_one_set_of_jobs(redis_url: str) -> None:
    connection = Redis.from_url(redis_url)
    first = Scheduler(queue_name="default", connection=connection, interval=30)
    second = Scheduler(queue_name="default", connection=connection, interval=30)
    register(first)
    register(second)
    register(Scheduler(queue_name="default", connection=connection))  # a restart
    jobs = cron_jobs(connection)
    assert sorted(jobs) == sorted(entry.id for entry in CRON)
    assert connection.zcard(Scheduler.scheduled_jobs_key) == len(CRON)
    report = jobs["mediabrain-daily-report"]
    assert report.func_name == "jobs.schedules.tick"
    assert report.kwargs == {"kinds": ["daily-report"]}
    assert report.meta["cron_string"] == "*/15 * * * *"


def test_the_scheduler_command_twice_leaves_one_set(redis_url: str, tmp_path: Any) -> None:
    """The real entry point in its own processes: a second scheduler, then a restart."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIABRAIN_")}
    env.update({"MEDIABRAIN_REDIS_URL": redis_url, "MEDIABRAIN_DATA_DIR": str(tmp_path)})
    code = (
        "from mediabrain.scheduler import run_scheduler; from vocabulary.settings import load_settings;"
        "raise SystemExit(run_scheduler(load_settings(), burst=True))"
    )
    for _ in range(2):
        subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    connection = Redis.from_url(redis_url)
    assert sorted(cron_jobs(connection)) == sorted(entry.id for entry in CRON)
    assert connection.zcard(Scheduler.scheduled_jobs_key) == len(CRON)


def test_an_entry_no_longer_wanted_is_removed(redis_url: str) -> None:
    connection = Redis.from_url(redis_url)
    scheduler = Scheduler(connection=connection)
    scheduler.cron("0 * * * *", func=schedules.tick, kwargs={"kinds": []}, id="mediabrain-old")
    scheduler.cron("0 * * * *", func=schedules.tick, kwargs={"kinds": []}, id="someone-else")
    register(scheduler)
    jobs = cron_jobs(connection)
    assert "mediabrain-old" not in jobs
    assert "someone-else" in jobs  # not ours: left alone


def test_the_fan_out_through_rq_sends_once_even_when_enqueued_twice(
    make_world: Any, pg_url: str, redis_url: str
) -> None:
    world = make_world(pg_url, redis_url=redis_url)
    world.rt.set_sender(Channel.CONSOLE, world.sender)
    world.sandbox.advance_clock(hours=3)  # 18:00 in São Paulo
    ran = run_due(world.rt)
    report_id = next(j for j in ran.enqueued if j.startswith("daily-report:"))
    rq_id = report_id.replace(":", "_")
    # A second scheduler that had not seen the first one's cursor enqueues the same ids.
    forget_cursors(world)
    again = run_due(world.rt)
    assert report_id in again.enqueued  # not run yet, so not known as done
    queues = [Queue(name, connection=world.rt.redis) for name in ("default", "low")]
    SimpleWorker(queues, connection=world.rt.redis).work(burst=True)
    reports = [r for r in world.to("console:ana") if r.kind == "report"]
    assert len(reports) == 1
    assert Queue("default", connection=world.rt.redis).fetch_job(rq_id) is not None
    record = runs.record(world.rt.db, report_id)
    assert record is not None and record.status == "done" and record.detail["sent"] == 1
    # After the run, a third look at the clock knows the slot is done and enqueues nothing.
    forget_cursors(world)
    third = run_due(world.rt)
    assert report_id in third.skipped

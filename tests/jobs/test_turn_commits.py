"""A turn in few commits keeps its guarantees: the claim rides in the turn's first
transaction, so a worker that dies before that commit leaves the event unclaimed
with its RQ job over; the sweeper runs it again (once) or tells the person.

Real Redis, PostgreSQL and RQ; the death is RQ's own bookkeeping of an abandoned
job (its job failed, nothing claimed), as a SIGKILL between dequeue and the
turn's first commit leaves it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from rq import Queue, SimpleWorker
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry
from sqlalchemy import select

from bot.core.ingest import accept
from jobs.inbound import run_inbound
from jobs.reconcile import sweep
from storage.clock import utcnow
from storage.models import InboundEvent
from tests.recording import RecordingSender
from tests.support.console import console_inbound
from vocabulary.inbound import Channel
from vocabulary.runtime import Runtime

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def _runtime(
    make_runtime, pg_url: str, redis_url: str, **extra: object
) -> tuple[Runtime, RecordingSender]:  # type: ignore[no-untyped-def]
    rt = make_runtime(database_url=pg_url, redis_url=redis_url, sandbox="off", **extra)
    sender = RecordingSender()
    rt.set_sender(Channel.CONSOLE, sender)
    return rt, sender


def _event(rt: Runtime) -> InboundEvent:
    with rt.db.session() as session:
        row = session.scalars(select(InboundEvent)).one()
        return row


def _abandoned_before_its_first_commit(rt: Runtime, event_pk: int) -> None:
    """What RQ leaves when a worker dies mid-job: the job failed (abandoned), out of the queue."""
    queue = Queue("high", connection=rt.redis)
    job = Job.fetch(f"inbound-{event_pk}", connection=rt.redis)
    queue.remove(job)
    job.set_status(JobStatus.FAILED)
    FailedJobRegistry(queue=queue).add(job, ttl=3600, exc_string="abandoned")


def _later(rt: Runtime) -> datetime:
    return utcnow() + timedelta(seconds=rt.settings.lease_seconds + 1)


def test_a_turn_killed_before_its_claim_committed_is_run_again_and_answered_once(
    make_runtime, pg_url, redis_url
) -> None:
    rt, sender = _runtime(make_runtime, pg_url, redis_url)
    accepted = accept(rt, console_inbound("ajuda", event_id="evt-killed"))
    assert accepted.event_pk is not None
    _abandoned_before_its_first_commit(rt, accepted.event_pk)
    assert _event(rt).status == "received" and sender.sent == []  # never claimed

    assert sweep(rt, now=_later(rt))["requeued"] == 1  # lease over, its job over: again
    SimpleWorker([Queue("high", connection=rt.redis)], connection=rt.redis).work(burst=True)

    assert len(sender.sent) == 1 and "O que eu sei fazer" in sender.texts[0]
    event = _event(rt)
    assert (event.status, event.attempts) == ("done", 2)  # the dead run counts as one
    assert sweep(rt, now=_later(rt))["requeued"] == 0  # and nothing runs it a third time
    assert len(sender.sent) == 1


def test_a_turn_taken_by_a_worker_that_died_before_its_claim_is_run_again(
    make_runtime, pg_url, redis_url
) -> None:
    """RQ still says "started" (the dead worker's key outlives it by minutes), its heartbeat
    is stale: the sweeper does not wait for RQ to call the job abandoned."""
    rt, sender = _runtime(make_runtime, pg_url, redis_url)
    accepted = accept(rt, console_inbound("ajuda", event_id="evt-taken"))
    assert accepted.event_pk is not None
    queue = Queue("high", connection=rt.redis)
    job = Job.fetch(f"inbound-{accepted.event_pk}", connection=rt.redis)
    queue.remove(job)  # dequeued by the worker that is about to die
    job.worker_name = "dead-worker"
    job.set_status(JobStatus.STARTED)
    job.save()
    stale = utcnow() - timedelta(minutes=5)
    assert rt.redis is not None
    rt.redis.hset(
        "rq:worker:dead-worker", "last_heartbeat", stale.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    )

    assert sweep(rt, now=_later(rt))["requeued"] == 1
    SimpleWorker([queue], connection=rt.redis).work(burst=True)
    assert len(sender.sent) == 1 and "O que eu sei fazer" in sender.texts[0]
    assert (_event(rt).status, _event(rt).attempts) == ("done", 2)


def test_a_turn_taken_by_a_live_worker_is_left_to_it(make_runtime, pg_url, redis_url) -> None:
    rt, sender = _runtime(make_runtime, pg_url, redis_url)
    accepted = accept(rt, console_inbound("ajuda", event_id="evt-busy"))
    assert accepted.event_pk is not None
    queue = Queue("high", connection=rt.redis)
    job = Job.fetch(f"inbound-{accepted.event_pk}", connection=rt.redis)
    queue.remove(job)
    job.worker_name = "busy-worker"
    job.set_status(JobStatus.STARTED)
    job.save()
    fresh = utcnow().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert rt.redis is not None
    rt.redis.hset("rq:worker:busy-worker", "last_heartbeat", fresh)

    assert sweep(rt, now=utcnow() + timedelta(seconds=rt.settings.lease_seconds + 1)) == {
        "events": 0,
        "requeued": 0,
        "proposals": 0,
        "crew_runs": 0,
        "runs": 0,
    }
    assert sender.sent == [] and _event(rt).status == "received"


def test_out_of_attempts_the_person_is_told_to_send_it_again(
    make_runtime, pg_url, redis_url
) -> None:
    rt, sender = _runtime(make_runtime, pg_url, redis_url, inbound_max_attempts=1)
    accepted = accept(rt, console_inbound("ajuda", event_id="evt-lost"))
    assert accepted.event_pk is not None
    _abandoned_before_its_first_commit(rt, accepted.event_pk)

    assert sweep(rt, now=_later(rt))["requeued"] == 1
    assert Queue("high", connection=rt.redis).count == 0
    [(_, told)] = sender.sent
    assert told.kind == "error" and "ajuda" in told.text
    event = _event(rt)
    assert event.status == "failed" and event.error_ref and event.error_ref in told.text


def test_a_turn_done_is_not_run_again(make_runtime, pg_url, redis_url) -> None:
    """One transaction marks the turn done with its answer: a stray second run finds it so."""
    rt, sender = _runtime(make_runtime, pg_url, redis_url)
    accepted = accept(rt, console_inbound("ajuda", event_id="evt-twice"))
    assert accepted.event_pk is not None
    SimpleWorker([Queue("high", connection=rt.redis)], connection=rt.redis).work(burst=True)
    assert _event(rt).status == "done" and len(sender.sent) == 1

    assert run_inbound(rt, accepted.event_pk) == "skipped"
    assert len(sender.sent) == 1
    assert sweep(rt, now=_later(rt)) == {
        "events": 0,
        "requeued": 0,
        "proposals": 0,
        "crew_runs": 0,
        "runs": 0,
    }

"""Nothing lost: settle the work a dead worker left half done.

A worker claims a message, an approved change, a crew run or a scheduled run
with a *lease* (``lease_until``). If the worker dies (SIGKILL, OOM, a deploy),
the claim would otherwise stay ``processing`` / ``executing`` / ``running``
forever. Two things settle it:

- RQ's callbacks (``on_failure``, also called for abandoned and timed-out
  jobs, and ``on_stopped``), enqueued with the job (``bot/core/ingest.py``,
  ``supervisor/lifecycle.py``);
- :func:`sweep`, a periodic job (``mediabrain-reconcile``, every minute): a
  lease past its end whose RQ job is not held by a live worker (heartbeat) is
  settled, and a message whose queued job vanished (Redis restarted without
  persistence) or ended before its claim committed (the claim rides in the turn's
  first transaction: a worker killed before it leaves the message unclaimed) is
  queued again.

Settling a message: answered already (the first reply was recorded) → done;
else the channel is asked whether a reply tagged with the event went out (the worker
died after the platform accepted it, before "answered" committed) → done, not repeated;
attempts left → queued again under a new job id (the turn runs again, once);
otherwise the user is told plainly to send it again. Settling a change: the
executor reads the target back (``supervisor.executor.settle``). Every
transition is a compare-and-set, so the callback and the sweeper racing settle once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update

from bot.core.ingest import INBOUND_FAILED, INBOUND_STOPPED, reply_language_or
from storage.clock import utcnow
from storage.models import CrewRun, InboundEvent, Proposal, RunRecord
from supervisor.executor import settle as settle_execution
from vocabulary.destinations import Destination
from vocabulary.errors import new_ref
from vocabulary.i18n import translate
from vocabulary.inbound import Inbound
from vocabulary.outbox import already_answered
from vocabulary.queue import QueueUnavailable
from vocabulary.replies import Reply
from vocabulary.runtime import Runtime, get_runtime

logger = logging.getLogger(__name__)

INBOUND_JOB = "jobs.inbound.process_inbound"


def inbound_job_id(event_pk: int, attempts: int) -> str:
    """The RQ job id of an event's next run: the first keeps ``inbound-<pk>``."""
    return f"inbound-{event_pk}" if attempts == 0 else f"inbound-{event_pk}-r{attempts}"


# --- is the job still in someone's hands? ------------------------------------------------


def job_alive(rt: Runtime, job_id: str) -> bool:
    """True while RQ says ``job_id`` is started by a worker whose heartbeat is fresh.

    When Redis cannot be asked we answer True: settling blind could run a change twice.
    """
    if rt.redis is None:
        return False
    from rq.exceptions import NoSuchJobError  # RQ: only with Redis
    from rq.job import Job, JobStatus  # RQ: only with Redis
    from rq.utils import utcparse  # RQ: only with Redis

    try:
        job = Job.fetch(job_id, connection=rt.redis)
        if job.get_status() != JobStatus.STARTED or not job.worker_name:
            return False
        beat = rt.redis.hget(f"rq:worker:{job.worker_name}", "last_heartbeat")
    except NoSuchJobError:
        return False
    except Exception:
        logger.warning("reconcile: cannot ask Redis about job %s", job_id, exc_info=True)
        return True
    if not beat:
        return False
    age = utcnow() - utcparse(beat.decode() if isinstance(beat, bytes) else str(beat))
    return age.total_seconds() < 3 * rt.settings.worker_heartbeat_seconds


#: RQ job states after which nothing will run the job again.
JOB_OVER = frozenset({"failed", "stopped", "canceled", "finished"})


def job_state(rt: Runtime, job_id: str) -> str | None:
    """RQ's status of ``job_id``; None when Redis no longer holds it ("queued" when it
    cannot be asked: leave it for the next sweep)."""
    if rt.redis is None:
        return "queued"
    try:
        if not rt.redis.exists(f"rq:job:{job_id}"):
            return None
        raw: Any = rt.redis.hget(f"rq:job:{job_id}", "status")
    except Exception:
        return "queued"
    return raw.decode() if isinstance(raw, bytes) else str(raw or "queued")


# --- messages ------------------------------------------------------------------------------


def settle_event(rt: Runtime, event_pk: int, *, check_alive: bool = True) -> str:
    """Settle an event left ``processing``; returns what happened (or its status, untouched)."""
    with rt.db.session() as session:
        row = session.get(InboundEvent, event_pk)
        if row is None or row.status != "processing":
            return row.status if row else "unknown"
        attempts, answered = row.attempts, row.answered_at is not None
        payload = dict(row.payload or {})
    if check_alive and job_alive(rt, inbound_job_id(event_pk, max(attempts - 1, 0))):
        return "alive"
    if answered:
        moved = _move(rt, event_pk, attempts, "done", processed_at=utcnow())
        logger.warning("inbound event %s: its worker died after answering; done", event_pk)
        return "answered" if moved else "raced"
    if _answered_on_platform(rt, event_pk, payload):
        moved = _move(rt, event_pk, attempts, "done", processed_at=utcnow(), answered_at=utcnow())
        logger.warning(
            "inbound event %s: its worker died after the platform took its reply; done, "
            "not answered again",
            event_pk,
        )
        return "answered" if moved else "raced"
    if attempts < rt.settings.inbound_max_attempts:
        if not _move(rt, event_pk, attempts, "queued"):
            return "raced"
        logger.warning("inbound event %s: its worker died; running it again", event_pk)
        _requeue(rt, event_pk, attempts)
        return "retried"
    ref = new_ref()
    if not _move(rt, event_pk, attempts, "failed", error_ref=ref, processed_at=utcnow()):
        return "raced"
    logger.error(
        "inbound event %s: lost %d time(s), telling the user ref=%s", event_pk, attempts, ref
    )
    _tell_lost(rt, Inbound.from_payload(payload), ref)
    return "told"


def _answered_on_platform(rt: Runtime, event_pk: int, payload: dict[str, Any]) -> bool:
    """Did a reply tagged with this event reach the platform, though "answered" never committed?

    Only a sure yes stops the turn from running again. "Cannot tell" (a channel that
    cannot be read back: a Slack reply through a slash command's ``response_url``, or a
    platform that does not answer) runs it again as before: the window between the
    platform's acceptance and the commit is milliseconds, a worker dying before any
    reply is far likelier, and a lost answer is worse than an ephemeral one twice.
    """
    try:
        inbound = Inbound.from_payload(payload)
        to = Destination.reply_to(inbound, rt.settings.language)  # reading back: any language
        sender = rt.sender(inbound.channel)
    except Exception:
        logger.warning("inbound event %s: cannot ask its channel", event_pk, exc_info=True)
        return False
    return already_answered(sender, to, event_pk) is True


def _retry_unclaimed(rt: Runtime, event_pk: int, attempts: int, state: str) -> bool:
    """A job that ended without its event's claim committed (its worker killed before the
    turn's first commit, which holds the claim): run it again under the next job id, or,
    out of attempts, tell the user. A compare-and-set on ``attempts``, as everywhere here."""
    tried = attempts + 1
    give_up = tried >= rt.settings.inbound_max_attempts
    ref = new_ref() if give_up else None
    values: dict[str, Any] = {"attempts": tried}
    if give_up:
        values.update(status="failed", error_ref=ref, processed_at=utcnow())
    with rt.db.session() as session:
        moved = session.execute(
            update(InboundEvent)
            .where(
                InboundEvent.id == event_pk,
                InboundEvent.status.in_(("received", "queued")),
                InboundEvent.attempts == attempts,
            )
            .values(**values)
        ).rowcount  # type: ignore[attr-defined]
        payload = dict(session.get_one(InboundEvent, event_pk).payload or {}) if moved else {}
    if not moved:
        return False
    if ref is not None:
        logger.error("inbound event %s: its job %s, telling the user ref=%s", event_pk, state, ref)
        _tell_lost(rt, Inbound.from_payload(payload), ref)
        return True
    logger.warning(
        "inbound event %s: its job %s before the claim; running it again", event_pk, state
    )
    _requeue(rt, event_pk, tried)
    return True


def _move(rt: Runtime, event_pk: int, attempts: int, status: str, **values: Any) -> bool:
    with rt.db.session() as session:
        moved = session.execute(
            update(InboundEvent)
            .where(
                InboundEvent.id == event_pk,
                InboundEvent.status == "processing",
                InboundEvent.attempts == attempts,
            )
            .values(status=status, lease_until=None, **values)
        ).rowcount  # type: ignore[attr-defined]
    return bool(moved)


def _requeue(rt: Runtime, event_pk: int, attempts: int) -> None:
    try:
        rt.queue.enqueue(
            INBOUND_JOB,
            event_pk,
            queue="high",
            job_id=inbound_job_id(event_pk, attempts),
            on_failure=INBOUND_FAILED,
            on_stopped=INBOUND_STOPPED,
        )
    except QueueUnavailable:
        logger.error("inbound event %s: cannot queue it again yet; the next sweep will", event_pk)


def _tell_lost(rt: Runtime, inbound: Inbound, ref: str) -> None:
    language = reply_language_or(rt, inbound)
    text = (inbound.text or (inbound.action.name if inbound.action else ""))[:60]
    reply = Reply(translate("reliability.turn_lost", language, text=text, ref=ref), kind="error")
    try:
        rt.sender(inbound.channel).send(Destination.reply_to(inbound, language), reply)
    except Exception:
        logger.exception("inbound: could not tell the user about the lost message ref=%s", ref)


# --- the sweep -----------------------------------------------------------------------------


def sweep(rt: Runtime, now: datetime | None = None) -> dict[str, int]:
    """Settle every claim past its lease; queue again messages whose job vanished."""
    now = now or utcnow()
    lost_after = now - timedelta(seconds=rt.settings.lease_seconds)
    counts = {"events": 0, "requeued": 0, "proposals": 0, "crew_runs": 0, "runs": 0}
    with rt.db.session() as session:
        expired_events = session.scalars(
            select(InboundEvent.id).where(
                InboundEvent.status == "processing",
                or_(InboundEvent.lease_until.is_(None), InboundEvent.lease_until < now),
            )
        ).all()
        waiting = session.execute(
            select(InboundEvent.id, InboundEvent.attempts).where(
                InboundEvent.status.in_(("received", "queued")),
                InboundEvent.received_at < lost_after,
            )
        ).all()
        proposals = session.execute(
            select(Proposal.id, Proposal.workspace_id).where(
                Proposal.state == "executing",
                or_(Proposal.lease_until.is_(None), Proposal.lease_until < now),
            )
        ).all()
    for pk in expired_events:
        if settle_event(rt, pk) in ("answered", "retried", "told"):
            counts["events"] += 1
    for pk, attempts in waiting:
        job_id = inbound_job_id(pk, attempts)
        state = job_state(rt, job_id)
        if state is None:
            logger.warning("inbound event %s: its job %s vanished; queueing again", pk, job_id)
            _requeue(rt, pk, attempts)
            counts["requeued"] += 1
        elif state in JOB_OVER and _retry_unclaimed(rt, pk, attempts, state):
            counts["requeued"] += 1
        elif (
            state == "started"
            and not job_alive(rt, job_id)
            and _retry_unclaimed(rt, pk, attempts, "died with its worker")
        ):
            # Taken by a worker that died before the claim committed; RQ calls the job
            # abandoned only once its worker's key expires (minutes): not worth waiting for.
            counts["requeued"] += 1
    for proposal_id, workspace_id in proposals:
        if job_alive(rt, proposal_id):
            continue
        settle_execution(rt, workspace_id, proposal_id)
        counts["proposals"] += 1
    counts["crew_runs"] = _settle_crew_runs(rt, now)
    counts["runs"] = _release_runs(rt, now)
    if any(counts.values()):
        logger.warning("reconcile: settled %s", counts)
    return counts


def _settle_crew_runs(rt: Runtime, now: datetime) -> int:
    """A crew run whose worker died: failed, and the person told (nothing was changed)."""
    with rt.db.session() as session:
        stuck = session.execute(
            select(CrewRun.id, CrewRun.destination).where(
                CrewRun.status == "running", CrewRun.lease_until < now
            )
        ).all()
    settled = 0
    for run_id, destination in stuck:
        if job_alive(rt, f"crew-{run_id}"):
            continue
        ref = new_ref()
        with rt.db.session() as session:
            moved = session.execute(
                update(CrewRun)
                .where(CrewRun.id == run_id, CrewRun.status == "running")
                .values(status="failed", error_ref=ref, finished_at=now, lease_until=None)
            ).rowcount  # type: ignore[attr-defined]
        if not moved:
            continue
        settled += 1
        to = Destination.from_payload(dict(destination or {}))
        try:
            reply = Reply(translate("crew.failed", to.language, ref=ref), kind="error")
            rt.sender(to.channel).send(to, reply)
        except Exception:
            logger.exception("crew run %s: could not tell the user ref=%s", run_id, ref)
    return settled


def _release_runs(rt: Runtime, now: datetime) -> int:
    """Scheduled runs stuck ``started`` past their lease become ``failed``: claimable again."""
    with rt.db.session() as session:
        released = session.execute(
            update(RunRecord)
            .where(RunRecord.status == "started", RunRecord.lease_until < now)
            .values(status="failed", lease_until=None, detail={"error": "lease expired"})
        ).rowcount  # type: ignore[attr-defined]
    return int(released or 0)


# --- entry points (RQ) ---------------------------------------------------------------------


def sweep_job() -> dict[str, int]:
    """The periodic job (``mediabrain-reconcile``)."""
    return sweep(get_runtime())


def on_inbound_failure(job: Any, connection: Any, *exc_info: Any) -> None:
    """RQ: the job raised, timed out or was abandoned; settle its event if still processing."""
    settle_event(get_runtime(), int(job.args[0]), check_alive=False)


def on_inbound_stopped(job: Any, connection: Any) -> None:
    settle_event(get_runtime(), int(job.args[0]), check_alive=False)


def on_execution_failure(job: Any, connection: Any, *exc_info: Any) -> None:
    """RQ: an execution died; the executor reads the target back (no-op once finished)."""
    proposal_id, workspace_id = job.args[0], int(job.args[1])
    settle_execution(get_runtime(), workspace_id, proposal_id)


def on_execution_stopped(job: Any, connection: Any) -> None:
    proposal_id, workspace_id = job.args[0], int(job.args[1])
    settle_execution(get_runtime(), workspace_id, proposal_id)

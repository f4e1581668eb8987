"""The webhook path, in order: (verified by the adapter) → rate limit → dedupe → persist →
enqueue → ack.

Adapters call :func:`admit` (or :func:`accept`) after checking the platform
signature. It must stay fast (milliseconds): no ads calls, no LLM, no rendering
here. :func:`admit` is the one "accept, or tell the user why not": each adapter
only delivers the explanation its own way (Slack's ack, a WhatsApp message).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from sqlalchemy import Table, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core import throttle
from bot.core.identity import reply_language
from storage.clock import utcnow
from storage.models import InboundEvent, RefusedEvent
from vocabulary import metrics
from vocabulary.errors import new_ref
from vocabulary.i18n import translate
from vocabulary.inbound import Inbound
from vocabulary.queue import QueueUnavailable

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

DEDUPE_TTL_SECONDS = 24 * 3600
#: RQ callbacks (by name: jobs/ sits above) settling an event whose job died or was stopped.
INBOUND_FAILED = "jobs.reconcile.on_inbound_failure"
INBOUND_STOPPED = "jobs.reconcile.on_inbound_stopped"
#: Stores an event the web process could not (its database stalled), then processes it.
PERSIST_JOB = "jobs.inbound.persist_inbound"
ACK_METRIC = "mb_ack_seconds"
#: The events' table, for the ack's plain Core insert.
INBOUND_EVENTS = cast(Table, InboundEvent.__table__)
REFUSED_EVENTS = cast(Table, RefusedEvent.__table__)


class DatabaseUnavailable(QueueUnavailable):
    """The event could not be stored (the database away, and the queue could not take it)."""


@dataclass(frozen=True)
class Accepted:
    status: Literal["queued", "duplicate"]
    event_pk: int | None = None
    timed: bool = False  # the ack's latency metric rode with the enqueue


def accept(rt: Runtime, inbound: Inbound, *, started: float | None = None) -> Accepted:
    """Record an inbound event once and queue its processing.

    Raises :class:`QueueUnavailable` when the event cannot be queued; nothing is
    kept in that case, so the platform's retry (or the user's) can succeed. With
    ``started`` (a ``perf_counter`` reading) the ack's latency metric is written in the
    enqueue's own Redis round trip (timed up to it), and ``timed`` says so.
    """
    channel = inbound.channel.value
    redis_key = f"mb:dedupe:{channel}:{inbound.event_id}"
    if rt.redis is not None:
        try:
            first = rt.redis.set(redis_key, "1", nx=True, ex=DEDUPE_TTL_SECONDS)
        except Exception as exc:
            raise QueueUnavailable(str(exc)) from exc
        if not first:
            logger.info("inbound %s:%s: duplicate (redis)", channel, inbound.event_id)
            return Accepted("duplicate")
    db = rt.ack_db or rt.db  # the web process's bounded engine: an ack never waits long
    try:
        event_pk = db.bounded(lambda session: _store(session, inbound))
    except IntegrityError:
        logger.info("inbound %s:%s: duplicate (database)", channel, inbound.event_id)
        return Accepted("duplicate")
    except Exception as exc:
        if rt.ack_db is not None and _handed_to_worker(rt, inbound, exc):
            return Accepted("queued")
        # Not stored: forget the Redis mark too, or the platform's redelivery would look
        # like a duplicate and the message would be lost.
        _forget_mark(rt, redis_key)
        logger.error("inbound %s:%s: not stored: %s", channel, inbound.event_id, exc)
        raise DatabaseUnavailable(f"database unavailable: {exc}") from exc
    timed = started is not None and rt.redis is not None

    def ack_metric(pipe: Any) -> None:
        if started is not None:
            latency = time.perf_counter() - started
            metrics.observe_on(pipe, ACK_METRIC, {"channel": channel}, latency, metrics.ACK_BUCKETS)

    try:
        rt.queue.enqueue(
            "jobs.inbound.process_inbound",
            event_pk,
            queue="high",
            job_id=f"inbound-{event_pk}",
            on_failure=INBOUND_FAILED,
            on_stopped=INBOUND_STOPPED,
            riding=ack_metric if timed else None,
        )
    except QueueUnavailable:
        _forget(rt, event_pk, redis_key)
        raise
    return Accepted("queued", event_pk, timed=timed)


def _ack_metric(redis: Any, channel: str, started: float) -> None:
    latency = time.perf_counter() - started
    metrics.observe(redis, ACK_METRIC, {"channel": channel}, latency, metrics.ACK_BUCKETS)


def _store(session: Session, inbound: Inbound) -> int:
    """One ``INSERT … RETURNING id``: a Core statement, not the ORM's unit of work (an ack's
    largest CPU cost was the flush machinery for a row nobody reads back here)."""
    stored = session.execute(
        insert(INBOUND_EVENTS)
        .values(
            platform=inbound.channel.value,
            event_key=inbound.event_id,
            payload=inbound.to_payload(),
            status="received",
            received_at=utcnow(),
            attempts=0,
        )
        .returning(INBOUND_EVENTS.c.id)
    )
    return int(stored.scalar_one())


@dataclass(frozen=True)
class Admission:
    """An inbound event at the door: queued, a duplicate, or refused with words for the user."""

    status: Literal["queued", "duplicate", "refused", "limited"]
    #: When refused: what to tell the user, in ``language``; None when they were told
    #: already (the same event refused before: a redelivery, or sent twice).
    explanation: str | None = None
    language: str = ""


def admit(
    rt: Runtime,
    inbound: Inbound,
    *,
    language: Callable[[Inbound], str] | None = None,
    failed_key: str = "error.queue_down",
) -> Admission:
    """:func:`accept` ``inbound``, or explain to its sender why it was not.

    The queue (or Redis) down → ``error.queue_down``; anything else (the database,
    most likely) → ``failed_key`` with an error ``ref`` logged beside the traceback.
    Nothing of the event is kept when refused, so the platform's retry (or the user's) can
    succeed; a refusal for the queue is remembered in the database, so the same event
    refused again is refused without words (one notice per message).
    ``language`` finds the person's language (default: :func:`reply_language_or`).
    """
    channel = inbound.channel.value
    started = time.perf_counter()
    try:
        limited = _over_limit(rt, inbound, language)
        if limited is not None:
            return limited
        accepted = accept(rt, inbound, started=started)
        if not accepted.timed:
            _ack_metric(rt.redis, channel, started)
        return Admission(accepted.status)
    except QueueUnavailable as exc:
        logger.error("%s %s: queue unavailable: %s", channel, inbound.event_id, exc)
        key, params = "error.queue_down", {}
        if not isinstance(exc, DatabaseUnavailable) and not _first_refusal(rt, inbound):
            logger.info("%s %s: refused again; its sender was told", channel, inbound.event_id)
            return Admission("refused")
    except Exception:
        ref = new_ref()
        logger.exception("%s %s: could not accept (ref=%s)", channel, inbound.event_id, ref)
        key, params = failed_key, {"ref": ref}
    lang = language(inbound) if language is not None else reply_language_or(rt, inbound)
    return Admission("refused", translate(key, lang, **params), lang)


def _first_refusal(rt: Runtime, inbound: Inbound) -> bool:
    """Remember that ``inbound``'s sender is being told it was refused; False when told before.

    Only for the queue away (the database answers): when the database is the part away,
    nothing can be remembered, and a second notice beats none.
    """
    db = rt.ack_db or rt.db
    try:
        db.bounded(
            lambda session: session.execute(
                insert(REFUSED_EVENTS).values(
                    platform=inbound.channel.value,
                    event_key=inbound.event_id,
                    refused_at=utcnow(),
                )
            )
        )
    except IntegrityError:
        return False
    except Exception:
        logger.warning("%s: refusal not remembered", inbound.event_id, exc_info=True)
    return True


def _over_limit(
    rt: Runtime, inbound: Inbound, language: Callable[[Inbound], str] | None
) -> Admission | None:
    """The person's message bucket (issue 13): refused once with words, then quietly."""
    try:
        verdict = throttle.door(rt, inbound)
    except Exception as exc:
        # Redis down or hung: accept() needs it too, so say so now rather than wait on it
        # again (each wait costs a socket timeout, and the ack must beat Slack's 3 s).
        logger.warning("%s: rate limit unavailable", inbound.event_id, exc_info=True)
        raise QueueUnavailable(str(exc)) from exc
    if verdict.allowed:
        return None
    lang = language(inbound) if language is not None else reply_language_or(rt, inbound)
    notice = throttle.door_notice(rt, inbound, verdict, lang)
    return Admission("limited", notice, lang)


def reply_language_or(rt: Runtime, inbound: Inbound, default: str | None = None) -> str:
    """The person's language, or the default when the database is what is down."""
    fallback = default or rt.settings.language
    try:
        return (rt.ack_db or rt.db).bounded(
            lambda session: reply_language(session, inbound, fallback)
        )
    except Exception:
        logger.warning("%s: language lookup failed", inbound.event_id, exc_info=True)
        return fallback


def _handed_to_worker(rt: Runtime, inbound: Inbound, exc: Exception) -> bool:
    """The database is slow or down: queue the event itself; the worker stores it first."""
    channel = inbound.channel.value
    try:
        rt.queue.enqueue(
            PERSIST_JOB,
            channel,
            inbound.event_id,
            inbound.to_payload(),
            queue="high",
            job_id=f"inbound-{channel}-{_safe(inbound.event_id)}",
        )
    except QueueUnavailable:
        return False
    logger.warning(
        "inbound %s:%s: database did not answer in time (%s); queued for the worker to store",
        channel,
        inbound.event_id,
        type(exc).__name__,
    )
    return True


def _safe(event_id: str) -> str:
    """An RQ-acceptable job id part (letters, digits, ``-`` and ``_``)."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in event_id)[:120]


def _forget(rt: Runtime, event_pk: int, redis_key: str) -> None:
    with rt.db.session() as session:
        event = session.get(InboundEvent, event_pk)
        if event is not None:
            session.delete(event)
    _forget_mark(rt, redis_key)


def _forget_mark(rt: Runtime, redis_key: str) -> None:
    if rt.redis is None:
        return
    try:
        rt.redis.delete(redis_key)
    except Exception:  # Redis may be the reason we are here; the DB row is gone anyway.
        logger.warning("inbound: could not clear dedupe key %s", redis_key)

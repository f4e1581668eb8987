"""The worker side of an inbound event: load it, run the turn, record the outcome.

A failure tells the user "something went wrong (ref X)", keeps every stored
row, lands in RQ's failed registry (the exception propagates) and leaves the
worker running.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.conversation import handle_turn
from storage.clock import utcnow
from storage.models import InboundEvent
from vocabulary import trace
from vocabulary.destinations import Destination
from vocabulary.errors import new_ref, something_went_wrong
from vocabulary.i18n import Locale
from vocabulary.inbound import Inbound
from vocabulary.runtime import Runtime, get_runtime

logger = logging.getLogger(__name__)

#: The events' table: the turn's bookkeeping (claim, answered, done) as plain Core
#: statements, three a turn without the ORM's bulk-update machinery.
EVENTS = cast(Table, InboundEvent.__table__)


def process_inbound(event_pk: int) -> str:
    rt = get_runtime()
    return run_inbound(rt, event_pk)


def persist_inbound(channel: str, event_key: str, payload: dict[str, Any]) -> str:
    """An event the web process could not store in time: store it here (once), then run it."""
    rt = get_runtime()
    try:
        with rt.db.session() as session:
            event = InboundEvent(platform=channel, event_key=event_key, payload=payload)
            session.add(event)
            session.flush()
            event_pk = event.id
    except IntegrityError:
        # Stored already: by a redelivery, or by the web process just before its deadline
        # (then nobody queued it). Run it unless it was taken; the claim decides.
        with rt.db.session() as session:
            row = session.scalar(
                select(InboundEvent).where(
                    InboundEvent.platform == channel, InboundEvent.event_key == event_key
                )
            )
            if row is None or row.status != "received":
                logger.info("inbound %s:%s: stored and handled already", channel, event_key)
                return "duplicate"
            event_pk = row.id
    return run_inbound(rt, event_pk)


def run_inbound(rt: Runtime, event_pk: int) -> str:
    with trace.working_on(event=event_pk, on_first_send=lambda tx: _answered(rt, event_pk, tx)):
        return _run(rt, event_pk)


def _run(rt: Runtime, event_pk: int) -> str:
    """Claim, turn and outcome in as few commits as the guarantees allow (one session).

    The claim joins the turn's first transaction, committed before any reply leaves;
    "done" joins its last. A failure rolls back what was not committed and records
    "failed" on its own (the claim may have been rolled back with it: failed either way).
    """
    inbound: Inbound | None = None
    try:
        with rt.db.session() as session:
            payload = _claim(rt, session, event_pk)
            if payload is None:
                logger.info("inbound event %s: already handled, skipping", event_pk)
                return "skipped"
            inbound = Inbound.from_payload(payload)
            handle_turn(rt, inbound, session=session)
            _mark(session, event_pk, "done", None)
    except Exception:
        if inbound is None:  # not claimed (the database, most likely): nothing to settle here
            raise
        ref = new_ref()
        logger.exception("inbound event %s failed ref=%s", event_pk, ref)
        _finish(rt, event_pk, "failed", ref)
        _tell_user(rt, inbound, ref)
        raise
    return "done"


def _claim(rt: Runtime, session: Session, event_pk: int) -> dict[str, Any] | None:
    """Take the event (one UPDATE … RETURNING): its payload, or None when someone else has."""
    now = utcnow()
    events = EVENTS.c
    row = session.execute(
        update(EVENTS)
        .where(events.id == event_pk, events.status.in_(("received", "queued")))
        .values(
            status="processing",
            attempts=events.attempts + 1,
            lease_until=now + timedelta(seconds=rt.settings.lease_seconds),
        )
        .returning(events.payload)
    ).first()
    return dict(row[0] or {}) if row is not None else None


def _mark(session: Session, event_pk: int, status: str, ref: str | None) -> None:
    session.execute(
        update(EVENTS)
        .where(EVENTS.c.id == event_pk)
        .values(status=status, error_ref=ref, processed_at=utcnow(), lease_until=None)
    )


def _finish(rt: Runtime, event_pk: int, status: str, ref: str | None) -> None:
    with rt.db.session() as session:
        _mark(session, event_pk, status, ref)


def _answered(rt: Runtime, event_pk: int, session: Session | None) -> None:
    """The first reply left: a retry after a crash must not answer again.

    Written in the sender's transaction recording that reply when it offers one (one
    commit for both), else in its own. Not on SQLite: the turn's own transaction may
    hold the file's one write lock, and the embedded default runs jobs in the process
    that received them (no worker to lose).
    """
    if rt.db.dialect == "sqlite":
        return
    mark = (
        update(EVENTS)
        .where(EVENTS.c.id == event_pk, EVENTS.c.answered_at.is_(None))
        .values(answered_at=utcnow())
    )
    if session is not None:
        session.execute(mark)
        return
    with rt.db.session() as own:
        own.execute(mark)


def _tell_user(rt: Runtime, inbound: Inbound, ref: str) -> None:
    locale = Locale(language=rt.settings.language, timezone=rt.settings.timezone)
    to = Destination.reply_to(inbound, locale.language)
    try:
        rt.sender(inbound.channel).send(to, something_went_wrong(locale, ref))
    except Exception:
        logger.exception("inbound: could not tell the user about ref=%s", ref)

"""What this thread is working on (an inbound event, a proposal), for logs and for leases.

The job entry points set the ids with :func:`working_on`; every log line then
carries them (``mediabrain.logs`` adds a filter), and the first reply that
leaves the :class:`~vocabulary.outbox.Outbox` during the turn calls the hook
the job installed (``jobs/inbound.py`` records that the event was answered, so
a retry after a crash never answers twice). A sender that records what it
delivered in the database (WhatsApp) hands that transaction to :func:`note_sent`:
the mark joins the record, one commit instead of two.

A reply (not a progress line) leaving during an event's turn carries :func:`reply_tag`
(``mb:e:<event pk>``) to the platform, free on the send itself: should the worker die
between the platform's acceptance and the "answered" commit, the reconciler can ask the
channel whether that event was answered before running the turn again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Work:
    """The ids a unit of work is about, and what to do once it first answers someone."""

    event: int | None = None
    proposal: str | None = None
    #: Called once with the transaction recording the delivery (or None: commit your own).
    on_first_send: Callable[[Any], None] | None = None
    sent: bool = field(default=False)
    replying: bool = field(default=False)  # a reply (not a progress line) is leaving now

    def label(self) -> str:
        parts = []
        if self.event is not None:
            parts.append(f"event={self.event}")
        if self.proposal is not None:
            parts.append(f"proposal={self.proposal}")
        return " ".join(parts)


logger = logging.getLogger(__name__)

_current: ContextVar[Work | None] = ContextVar("mediabrain_work", default=None)


def current() -> Work | None:
    return _current.get()


@contextmanager
def working_on(
    *,
    event: int | None = None,
    proposal: str | None = None,
    on_first_send: Callable[[Any], None] | None = None,
) -> Iterator[Work]:
    """Within the block, logs and sends are about ``event`` / ``proposal`` (nested: merged)."""
    outer = _current.get()
    work = Work(
        event=event if event is not None else (outer.event if outer else None),
        proposal=proposal if proposal is not None else (outer.proposal if outer else None),
        on_first_send=on_first_send,
    )
    token = _current.set(work)
    try:
        yield work
    finally:
        _current.reset(token)


@contextmanager
def replying(is_reply: bool) -> Iterator[None]:
    """Within the block the outbox hands a reply (``is_reply``) or a progress line to its sender."""
    work = _current.get()
    if work is None:
        yield
        return
    outer, work.replying = work.replying, is_reply
    try:
        yield
    finally:
        work.replying = outer


def event_tag(event_pk: int) -> str:
    """What a reply to inbound event ``event_pk`` carries to the platform (and gets back)."""
    return f"mb:e:{event_pk}"


def reply_tag() -> str | None:
    """The tag for the message leaving now: an event's reply, not a progress line; else None.

    A progress line is not an answer: a turn killed after one must still run again.
    """
    work = _current.get()
    if work is None or work.event is None or not work.replying:
        return None
    return event_tag(work.event)


def note_sent(session: Any = None) -> None:
    """A reply reached the platform: run the unit's hook once (never raises without a session).

    ``session``: the sender's open transaction recording the delivery (only a reply's
    counts, not a progress line's); the hook writes its mark there and errors propagate,
    since the record's commit decides for both.
    """
    work = _current.get()
    if work is None or work.sent:
        return
    if session is not None:
        if not work.replying:
            return
        work.sent = True
        if work.on_first_send is not None:
            work.on_first_send(session)
        return
    work.sent = True
    if work.on_first_send is not None:
        try:
            work.on_first_send(None)
        except Exception:  # a bookkeeping failure must not fail the turn
            logger.warning("could not record the answer", exc_info=True)

"""Delivery status of what we sent: stored, only ever moving forward, failures retried or reported.

WhatsApp reports ``sent`` → ``delivered`` → ``read`` (or ``failed``) through
status callbacks that may arrive in any order and more than once. Each update
is a compare-and-set on ``outbound_messages`` (status only moves to a later
rank), so a late ``sent`` never undoes a ``read``. A message that fails is
retried when the cause is temporary (throughput, pair rate, service errors),
re-sent as a template when the 24-hour window had closed (131047), and
otherwise reported: a log line, an audit entry and a note to the workspace's
admins (at most one per error code per hour).
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.clock import utcnow
from storage.models import OutboundMessage, OutboundStatusEvent, Role
from storage.repositories import audit
from vocabulary.i18n import Locale
from vocabulary.inbound import Channel
from vocabulary.notify import people_destinations, send
from vocabulary.replies import Reply
from vocabulary.runtime import get_runtime
from vocabulary.trace import note_sent

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

CHANNEL = "whatsapp"
#: Later states outrank earlier ones; ``failed`` is final.
RANK: dict[str, int] = {
    "queued": 0,
    "accepted": 1,  # the Cloud API took it (send call answered)
    "sent": 2,
    "delivered": 3,
    "read": 4,
    "played": 5,
    "failed": 6,
}

RE_ENGAGEMENT = 131047  # more than 24 h since the user's last message
#: Worth another try later: throughput, pair rate, spam rate, and the platform's own trouble.
RETRYABLE = {4, 80007, 130429, 131048, 131056, 1, 2, 131000, 131016, 135000}
MAX_ATTEMPTS = 4
REPORT_EVERY_SECONDS = 3600
OUTBOUND_MESSAGES = cast(Table, OutboundMessage.__table__)


@dataclass(frozen=True)
class StatusChange:
    outbound_id: int
    status: str
    moved: bool


def error_text(code: int | None, message: str) -> str:
    return f"{code}: {message}" if code is not None else message


def error_code(text: str | None) -> int | None:
    match = re.match(r"^(\d+):", text or "")
    return int(match.group(1)) if match else None


# --- records -----------------------------------------------------------------------------


def record_sent(
    rt: Runtime, external_id: str, item: dict[str, Any], kind: str, *, status: str = "accepted"
) -> int:
    """Remember a message the Cloud API accepted (or one that failed at once)."""
    values = {
        "conversation_id": item.get("conversation_id"),
        "kind": kind,
        "payload": {"item": item},
    }
    if item.get("tracker"):  # the event this reply answers (a status may have brought it first)
        values["tracker"] = item["tracker"]
    try:
        with rt.db.session() as session:
            now = utcnow()
            # Core INSERT … RETURNING: every reply writes one; the ORM's flush cost more
            row_id = session.execute(
                insert(OUTBOUND_MESSAGES)
                .values(
                    channel=CHANNEL,
                    external_id=external_id,
                    status=status,
                    status_at=now,
                    created_at=now,
                    error=None,
                    **values,
                )
                .returning(OUTBOUND_MESSAGES.c.id)
            ).scalar_one()
            note_sent(session)  # a turn's first reply: "answered" commits with its record
            return int(row_id)
    except IntegrityError:
        # A status callback got here first and left a placeholder: keep its status.
        with rt.db.session() as session:
            row_id = session.scalar(
                select(OutboundMessage.id).where(
                    OutboundMessage.channel == CHANNEL, OutboundMessage.external_id == external_id
                )
            )
            session.execute(
                update(OutboundMessage).where(OutboundMessage.id == row_id).values(**values)
            )
            note_sent(session)
            return int(row_id or 0)


def record_sent_all(rt: Runtime, sent: list[tuple[str, dict[str, Any], str]]) -> None:
    """:func:`record_sent` for the messages of one reply, each accepted already: one
    INSERT and one commit for all (a reply of two messages cost two of each).

    A status callback that left a placeholder first makes the INSERT fail before anything
    else is written: each message is then recorded on its own, keeping the placeholder's
    status, as :func:`record_sent` does.
    """
    if len(sent) == 1:
        record_sent(rt, *sent[0])
        return
    now = utcnow()
    rows = [
        {
            "channel": CHANNEL,
            "external_id": external_id,
            "status": "accepted",
            "status_at": now,
            "created_at": now,
            "error": None,
            "conversation_id": item.get("conversation_id"),
            "kind": kind,
            "payload": {"item": item},
            "tracker": item.get("tracker") or None,
        }
        for external_id, item, kind in sent
    ]
    try:
        with rt.db.session() as session:
            session.execute(insert(OUTBOUND_MESSAGES).values(rows))
            note_sent(session)  # a turn's first reply: "answered" commits with its records
    except IntegrityError:
        for one in sent:
            record_sent(rt, *one)


def record_failed(
    rt: Runtime, item: dict[str, Any], kind: str, code: int | None, message: str
) -> int:
    """A message the Cloud API refused outright (it never got an id)."""
    with rt.db.session() as session:
        row = OutboundMessage(
            channel=CHANNEL,
            external_id=f"refused:{uuid.uuid4().hex}",
            conversation_id=item.get("conversation_id"),
            kind=kind,
            status="failed",
            status_at=utcnow(),
            error=error_text(code, message),
            payload={"item": item},
        )
        session.add(row)
        session.flush()
        return row.id


def record_status(
    rt: Runtime,
    external_id: str,
    status: str,
    at: datetime,
    *,
    code: int | None = None,
    message: str = "",
    tracker: str | None = None,
) -> StatusChange | None:
    """Apply one status callback; None when the status is unknown to us or older than the stored one.

    ``tracker``: the ``biz_opaque_callback_data`` the message was sent with, echoed by the
    callback; kept on the message, so a reply whose record died with its worker is still
    known to have been sent (:meth:`WhatsAppSender.already_answered`).
    """
    rank = RANK.get(status)
    if rank is None:
        logger.info("whatsapp status %s for %s ignored", status, external_id)
        return None
    earlier = [name for name, value in RANK.items() if value < rank]
    values: dict[str, Any] = {"status": status, "status_at": at}
    if status == "failed":
        values["error"] = error_text(code, message)
    if tracker:
        values["tracker"] = tracker[:191]
    for _ in range(2):
        with rt.db.session() as session:
            moved = session.execute(  # type: ignore[attr-defined]
                update(OutboundMessage)
                .where(
                    OutboundMessage.channel == CHANNEL,
                    OutboundMessage.external_id == external_id,
                    OutboundMessage.status.in_(earlier),
                )
                .values(**values)
            ).rowcount
            row_id = session.scalar(
                select(OutboundMessage.id).where(
                    OutboundMessage.channel == CHANNEL, OutboundMessage.external_id == external_id
                )
            )
            if tracker and row_id is not None and not moved:  # a stale status still says who
                session.execute(
                    update(OutboundMessage)
                    .where(OutboundMessage.id == row_id, OutboundMessage.tracker.is_(None))
                    .values(tracker=tracker[:191])
                )
        if row_id is not None:
            if not moved:
                logger.debug("whatsapp status %s for %s: stale, kept", status, external_id)
            _history(rt, int(row_id), external_id, status, at, values.get("error"), bool(moved))
            return StatusChange(int(row_id), status, bool(moved))
        try:  # a status for a message we have not recorded (yet): keep it
            with rt.db.session() as session:
                row = OutboundMessage(
                    channel=CHANNEL,
                    external_id=external_id,
                    kind="unknown",
                    payload={},
                    **values,
                )
                session.add(row)
                session.flush()
                row_id = row.id
        except IntegrityError:
            continue  # recorded concurrently: apply the compare-and-set again
        _history(rt, int(row_id), external_id, status, at, values.get("error"), True)
        return StatusChange(int(row_id), status, True)
    return None


def _history(
    rt: Runtime,
    outbound_id: int,
    external_id: str,
    status: str,
    at: datetime,
    error: str | None,
    applied: bool,
) -> None:
    """Keep the callback itself (a redelivery of the same one is kept once)."""
    try:
        with rt.db.session() as session:
            session.add(
                OutboundStatusEvent(
                    outbound_id=outbound_id,
                    channel=CHANNEL,
                    external_id=external_id,
                    status=status,
                    at=at,
                    error=error,
                    applied=applied,
                )
            )
    except IntegrityError:
        logger.debug("whatsapp status %s for %s: a redelivery, kept once", status, external_id)


# --- failures -----------------------------------------------------------------------------


def retry_or_report(outbound_id: int) -> str:
    """RQ job: a message failed after the Cloud API accepted it."""
    return handle_failure(get_runtime(), outbound_id)


def handle_failure(rt: Runtime, outbound_id: int) -> str:
    with rt.db.session() as session:
        row = session.get(OutboundMessage, outbound_id)
        if row is None or row.status != "failed":
            return "skipped"
        item = dict((row.payload or {}).get("item") or {})
        error = row.error or ""
    code = error_code(error)
    if not item:
        logger.warning("whatsapp message %s failed (%s) and cannot be retried", outbound_id, error)
        return "unknown"
    sender = rt.sender(Channel.WHATSAPP)
    if code == RE_ENGAGEMENT and item.get("fallback"):
        sender.submit(sender.fallback_item(item))  # type: ignore[attr-defined]
        return "template"
    if code in RETRYABLE and int(item.get("attempt", 0)) + 1 < MAX_ATTEMPTS:
        sender.retry(item, code)  # type: ignore[attr-defined]
        return "retried"
    report_failure(rt, item, code, error)
    return "reported"


def report_failure(rt: Runtime, item: dict[str, Any], code: int | None, error: str) -> None:
    """Tell the people who can act: log, audit, and (throttled) the workspace's admins."""
    chat = str(item.get("chat", ""))
    workspace_id = item.get("workspace_id")
    logger.warning("whatsapp delivery to …%s failed: %s", chat[-4:], error)
    if workspace_id is None:
        return
    with rt.db.session(workspace_id) as session:
        audit(
            session,
            workspace_id,
            actor="channel:whatsapp",
            action="whatsapp.delivery_failed",
            subject=chat,
            channel=CHANNEL,
            detail={"code": code, "error": error[:300]},
        )
    if rt.redis is not None:
        try:
            first = rt.redis.set(
                f"mb:wa:reported:{workspace_id}:{code}", "1", nx=True, ex=REPORT_EVERY_SECONDS
            )
        except Exception:
            first = True
        if not first:
            return
    _notify_admins(rt, workspace_id, chat, code, error)


def _notify_admins(rt: Runtime, workspace_id: int, chat: str, code: int | None, error: str) -> None:
    from bot.whatsapp import messages as _messages  # noqa: F401

    detail = error.split(":", 1)[-1].strip()[:200]
    for to in people_destinations(rt, workspace_id, Role.ADMIN):
        if to.channel is Channel.WHATSAPP and to.chat_id == chat:
            continue  # not back into the chat that could not be reached
        text = Locale(language=to.language).t(
            "whatsapp.delivery_failed", number=chat, error=detail, code=code or "?"
        )
        send(rt, to, Reply(text, kind="notice"))

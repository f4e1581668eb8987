"""pywa handlers: translate each update and hand it on, nothing else.

Messages and button clicks become :class:`~vocabulary.inbound.Inbound` events for
:func:`bot.core.ingest.accept` (dedupe → persist → enqueue); delivery statuses
are stored (:mod:`bot.whatsapp.status`). The blocking database and Redis work
runs in a thread so the event loop keeps serving webhooks.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from pywa.handlers import (
    CallbackButtonHandler,
    CallbackSelectionHandler,
    MessageHandler,
    MessageStatusHandler,
)
from pywa.types import CallbackButton, CallbackSelection, Message, MessageStatus, MessageType

from bot.core.ingest import admit
from bot.whatsapp.callbacks import decode_action
from bot.whatsapp.status import record_status, retry_or_report
from vocabulary.destinations import Destination
from vocabulary.inbound import Action, Channel, Inbound, ReplyHints
from vocabulary.queue import QueueUnavailable
from vocabulary.replies import Reply

if TYPE_CHECKING:
    import pywa_async

    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

#: Message types nobody needs an answer to.
IGNORED = {
    MessageType.REACTION,
    MessageType.SYSTEM,
    MessageType.UNKNOWN,
    MessageType.REQUEST_WELCOME,
    MessageType.EDIT,
    MessageType.REVOKE,
}
UNSUPPORTED_ACTION = "whatsapp.unsupported"


def _who(user: Any) -> str:
    """The chat and user id: the phone number (wa_id) when shared, else the business-scoped id."""
    return str(user.wa_id or user.bsuid)


def inbound_from_message(msg: Message) -> Inbound | None:
    """A typed (or captioned) message; other media asks the core for an "only text" answer."""
    if msg.type in IGNORED:
        return None
    who = _who(msg.from_user)
    text = ""
    action = None
    if msg.type == MessageType.TEXT and msg.text:
        text = msg.text
    elif msg.caption:
        text = msg.caption
    else:
        action = Action(UNSUPPORTED_ACTION, str(msg.type))
    return Inbound(
        channel=Channel.WHATSAPP,
        event_id=msg.id,
        chat_id=who,
        user_id=who,
        received_at=msg.timestamp,
        text=text,
        action=action,
        user_name=msg.from_user.name or "",
    )


def inbound_from_click(click: CallbackButton | CallbackSelection) -> Inbound | None:
    """A reply button, list row or template quick reply we rendered."""
    action = decode_action(str(click.data))
    who = _who(click.from_user)
    replied = getattr(click, "reply_to_message", None)
    hints = ReplyHints(message_ref=replied.id if replied is not None else "")
    if action is None:  # e.g. a template button without our payload: treat its title as typed
        return Inbound(
            channel=Channel.WHATSAPP,
            event_id=click.id,
            chat_id=who,
            user_id=who,
            received_at=click.timestamp,
            text=click.title or "",
            user_name=click.from_user.name or "",
        )
    return Inbound(
        channel=Channel.WHATSAPP,
        event_id=click.id,
        chat_id=who,
        user_id=who,
        received_at=click.timestamp,
        action=action,
        user_name=click.from_user.name or "",
        reply_hints=hints,  # the card that was clicked (our wamid)
    )


def ingest(rt: Runtime, inbound: Inbound) -> str:
    """Accept one event; when it cannot be queued, tell the user (nothing is kept, a retry can succeed).

    Anything refused is explained as "the queue is down": WhatsApp would not redeliver
    after our 200, so the person is the one to try again. Once per message: the same
    message refused again (redelivered before our 200 reached Meta) is not told twice.
    """
    admission = admit(rt, inbound)
    if admission.explanation is None:
        return admission.status
    to = Destination.reply_to(inbound, admission.language)
    try:
        rt.sender(inbound.channel).send(to, Reply(admission.explanation, kind="error"))
    except Exception:
        logger.exception("whatsapp %s: could not tell the user the queue is down", inbound.event_id)
    return "not_accepted"


def store_status(rt: Runtime, update: MessageStatus) -> str:
    """Keep a delivery status; a new failure is retried or reported by a job."""
    error = update.error
    change = record_status(
        rt,
        update.id,
        str(update.status),
        update.timestamp,
        code=error.code if error is not None else None,
        message=(error.message if error is not None else ""),
        tracker=str(update.tracker) if update.tracker else None,  # biz_opaque_callback_data
    )
    if change is None or not change.moved:
        return "kept"
    if change.status == "failed":
        try:
            rt.queue.enqueue(retry_or_report, change.outbound_id, queue="default")
        except QueueUnavailable:
            logger.error(
                "whatsapp: failure of message %s stored, retry not queued", change.outbound_id
            )
    return change.status


def register_handlers(wa: pywa_async.WhatsApp, rt: Runtime) -> None:
    """Wire the handlers on the webhook client."""

    async def on_message(_: Any, msg: Message) -> None:
        inbound = inbound_from_message(msg)
        if inbound is not None:
            await asyncio.to_thread(ingest, rt, inbound)

    async def on_click(_: Any, click: CallbackButton | CallbackSelection) -> None:
        inbound = inbound_from_click(click)
        if inbound is not None:
            await asyncio.to_thread(ingest, rt, inbound)

    async def on_status(_: Any, update: MessageStatus) -> None:
        await asyncio.to_thread(store_status, rt, update)

    wa.add_handlers(
        MessageHandler(on_message),
        CallbackButtonHandler(on_click),
        CallbackSelectionHandler(on_click),
        MessageStatusHandler(on_status),
    )

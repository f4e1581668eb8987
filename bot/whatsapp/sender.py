"""``WhatsAppSender``: replies leave as WhatsApp messages through pywa's sync client.

For each reply: free-form inside the user's 24-hour window (text, reply
buttons or a list, the chart as an uploaded image), an approved template
outside it; every message goes through the pacer and is recorded in
``outbound_messages`` for its status callbacks.

A turn's reply carries ``biz_opaque_callback_data`` = ``mb:e:<event pk>`` (pywa's
``tracker=``), kept in the pacer's item and echoed by every status callback: the
reconciler asks :meth:`WhatsAppSender.already_answered` before running again a turn
whose worker died after the Cloud API took its reply (no extra call on the way out).
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy import select

from bot.whatsapp.client import sync_client
from bot.whatsapp.pacing import NUMBER, PaceConfig, Pacer
from bot.whatsapp.render import (
    MAX_LIST_ROWS,
    TEXT_LIMIT,
    Outgoing,
    TemplateNames,
    render_reply,
    template_for,
)
from bot.whatsapp.status import (
    MAX_ATTEMPTS,
    RE_ENGAGEMENT,
    record_failed,
    record_sent,
    record_sent_all,
    report_failure,
)
from bot.whatsapp.window import needs_template, window_open
from storage.clock import utcnow
from storage.models import OutboundMessage
from vocabulary import trace
from vocabulary.destinations import Destination
from vocabulary.inbound import Channel
from vocabulary.outbox import Capabilities
from vocabulary.replies import Reply
from vocabulary.runtime import get_runtime

if TYPE_CHECKING:
    import pywa

    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

NUMBER_THROTTLED = {4, 80007, 130429, 131048}
USER_THROTTLED = {131056}
TRANSIENT = {1, 2, 131000, 131016, 135000}


#: WhatsApp cannot edit a sent message: progress is a few short new lines (each one a
#: message on the person's phone), no tool steps; a list shows at most ten choices.
CAPABILITIES = Capabilities(
    edits_in_place=False,
    progress_interval=8.0,
    progress_steps=False,
    buttons_per_message=MAX_LIST_ROWS,
    asks_reason=False,
)


class WhatsAppSender:
    capabilities = CAPABILITIES

    def __init__(
        self,
        rt: Runtime,
        *,
        pacer: Pacer | None = None,
        client: pywa.WhatsApp | None = None,
    ) -> None:
        self.rt = rt
        self.settings = rt.settings
        if pacer is None and rt.redis is not None:
            throughput = rt.settings.whatsapp_throughput  # the number's bucket holds 1 s of it
            pacer = Pacer(rt.redis, PaceConfig(number_rate=throughput, number_burst=throughput))
        self.pacer = pacer
        self._client = client
        self._lock = threading.Lock()

    @property
    def client(self) -> pywa.WhatsApp:
        with self._lock:
            if self._client is None:
                self._client = sync_client(self.settings)
            return self._client

    @property
    def templates(self) -> TemplateNames:
        s = self.settings
        return TemplateNames(
            report=s.whatsapp_template_report,
            alert=s.whatsapp_template_alert,
            approval=s.whatsapp_template_approval,
            language=s.whatsapp_template_language,
        )

    # --- Sender protocol ---------------------------------------------------------------
    def send(self, to: Destination, reply: Reply) -> str | None:
        if reply.kind == "progress" and to.proactive:
            return None
        fallback = template_for(reply, self.templates)
        if needs_template(to.last_inbound_at, utcnow(), proactive=to.proactive):
            if reply.kind == "progress":
                return None
            outs = [fallback]
            logger.info(
                "whatsapp: …%s outside the 24h window: template %s",
                to.chat_id[-4:],
                fallback.template,
            )
        else:
            outs = render_reply(reply, to.language)
        tracker = trace.reply_tag()  # a turn's reply: the event it answers, echoed back
        items = [
            self._item(
                to, self._uploaded(out), fallback if index == 0 and out.kind != "template" else None
            )
            for index, out in enumerate(outs)
        ]
        if tracker is not None:
            for item in items:
                item["tracker"] = tracker
        ref: str | None = None
        for sent in self.submit_all(items):
            ref = sent or ref
        return ref

    def update(self, to: Destination, ref: str, reply: Reply) -> None:
        """WhatsApp cannot edit our messages: progress updates are dropped, anything else is sent."""
        if reply.kind == "progress":
            return
        self.send(to, reply)

    def already_answered(self, to: Destination, event_pk: int) -> bool:
        """Did a reply tagged for ``event_pk`` go out (recorded, or echoed by a status)?

        The Cloud API cannot list what was sent; its status callbacks return the tag, so
        a reply accepted by a worker that died before recording it is known once its
        ``sent`` status arrived (seconds; the sweeper waits a lease, ``lease_seconds``).
        A message that failed does not count. One indexed query, only when settling.
        """
        with self.rt.db.session() as session:
            found = session.scalar(
                select(OutboundMessage.id)
                .where(
                    OutboundMessage.channel == Channel.WHATSAPP.value,
                    OutboundMessage.tracker == trace.event_tag(event_pk),
                    OutboundMessage.status != "failed",
                )
                .limit(1)
            )
        return found is not None

    # --- delivery ----------------------------------------------------------------------
    def _item(self, to: Destination, out: Outgoing, fallback: Outgoing | None) -> dict[str, Any]:
        return {
            "id": uuid.uuid4().hex,
            "chat": to.chat_id,
            "out": out.to_dict(),
            "fallback": fallback.to_dict() if fallback is not None else None,
            "conversation_id": to.conversation_id,
            "workspace_id": to.workspace_id,
            "last_inbound_at": to.last_inbound_at.isoformat() if to.last_inbound_at else None,
            "attempt": 0,
        }

    def _uploaded(self, out: Outgoing) -> Outgoing:
        """Upload a chart before the message is queued (media uploads are not paced per user)."""
        if out.kind != "image" or out.png is None:
            return out
        # pywa: the WhatsApp SDK, loaded only where WhatsApp is configured
        import pywa.errors

        try:
            media = self.client.upload_media(out.png, mime_type="image/png", filename=out.filename)
        except (pywa.errors.WhatsAppError, httpx.HTTPError) as exc:
            logger.warning("whatsapp: chart upload failed (%s); sending its text only", exc)
            body = out.body or "📈"
            if out.choices:
                return Outgoing("buttons", body=body, choices=out.choices)
            return Outgoing("text", body=body)
        return replace(out, png=None, media_id=str(media.id))

    def submit(self, item: dict[str, Any]) -> str | None:
        """Send now if the user's and the number's buckets allow it, else queue behind the user's pending."""
        return self.submit_all([item])[0]

    def submit_all(self, items: list[dict[str, Any]]) -> list[str | None]:
        """:meth:`submit` for the messages of one reply (one chat), in order, under one hold
        of the chat's lock. The lock and the tokens of a user with nothing pending are taken
        in one Redis round trip (:meth:`Pacer.sending`), the release is a second: a reply
        of two messages took four."""
        if self.pacer is None or not items:
            return [self._deliver(item) for item in items]
        # redis-py: only processes configured with Redis load it
        from redis.exceptions import RedisError

        chat = items[0]["chat"]
        refs: list[str | None] = []
        accepted: list[tuple[str, dict[str, Any], str]] = []  # recorded together, at the end
        try:
            try:
                with self.pacer.sending(chat, len(items)) as ready:
                    for index, item in enumerate(items):
                        if index < ready:  # its tokens are taken
                            ref = self._deliver(item, accepted)
                            refs.append(ref)
                            if ref is not None and ref.startswith("pending:"):
                                ready = 0  # deferred: the rest queue behind it
                            continue
                        waits = self.pacer.acquire_if_idle(chat)
                        if waits == 0:
                            refs.append(self._deliver(item, accepted))
                            continue
                        wait = self.pacer.config.user_interval if waits is None else waits
                        self.pacer.push(chat, item)
                        self.pacer.schedule_flush(chat, wait)
                        refs.append(f"pending:{item['id']}")
            except RedisError as exc:
                if len(refs) == len(items):  # all sent or queued; only releasing the lock failed
                    return refs
                logger.warning("whatsapp pacing unavailable (%s): sending unpaced", exc)
                refs += [self._deliver(item, accepted) for item in items[len(refs) :]]
        finally:  # whatever the Cloud API took is recorded, even when a later send raised
            if accepted:
                self._record(record_sent_all, accepted)
        return refs

    def flush(self, chat_id: str) -> int:
        """Send what waits for ``chat_id`` as far as the buckets allow; returns messages sent."""
        if self.pacer is None:
            return 0
        sent = 0
        with self.pacer.lock(chat_id):
            self.pacer.release_flush(chat_id)
            while self.pacer.has_pending(chat_id):
                wait = self.pacer.acquire(chat_id)
                if wait > 0:
                    self.pacer.schedule_flush(chat_id, wait)
                    break
                item = self.pacer.pop(chat_id)
                if item is None:
                    break
                item = self._merge_following(chat_id, item)
                ref = self._deliver(item)
                if ref is not None and not ref.startswith("pending:"):
                    sent += 1
        return sent

    def _merge_following(self, chat_id: str, item: dict[str, Any]) -> dict[str, Any]:
        """Join the pending texts after ``item`` into it: one message instead of several."""
        assert self.pacer is not None
        out = Outgoing.from_dict(item["out"])
        while out.mergeable:
            following = self.pacer.peek(chat_id)
            if following is None:
                break
            nxt = Outgoing.from_dict(following["out"])
            if not nxt.mergeable or len(out.body) + 2 + len(nxt.body) > TEXT_LIMIT:
                break
            self.pacer.pop(chat_id)
            out = replace(out, body=f"{out.body}\n\n{nxt.body}")
            item = {**item, "fallback": item.get("fallback") or following.get("fallback")}
        return {**item, "out": out.to_dict()}

    def _deliver(
        self, item: dict[str, Any], accepted: list[tuple[str, dict[str, Any], str]] | None = None
    ) -> str | None:
        """One send call; throttling and transient errors defer the item, others are reported.

        ``accepted``: where a reply's sends collect what the Cloud API took, for the caller
        to record in one transaction once the reply's last message left (else recorded here).
        """
        # pywa: the WhatsApp SDK, loaded only where WhatsApp is configured
        import pywa.errors

        out = Outgoing.from_dict(item["out"])
        if out.kind != "template" and item.get("fallback") and self._window_closed(item):
            return self._deliver(self.fallback_item(item), accepted)
        try:
            message_id = self._send_out(item["chat"], out, item.get("tracker"))
        except pywa.errors.WhatsAppError as exc:
            return self._on_error(item, out, exc.code, exc.message)
        except httpx.TransportError as exc:
            return self._on_error(item, out, None, f"transport: {exc}")
        if accepted is not None:
            accepted.append((message_id, item, out.kind))
        else:
            self._record(record_sent, message_id, item, out.kind)
        if self.pacer is not None and int(item.get("attempt", 0)):
            self.pacer.clear_backoff(item["chat"])
        return message_id

    def _window_closed(self, item: dict[str, Any]) -> bool:
        raw = item.get("last_inbound_at")
        return raw is not None and not window_open(datetime.fromisoformat(str(raw)), utcnow())

    def _on_error(
        self, item: dict[str, Any], out: Outgoing, code: int | None, message: str
    ) -> str | None:
        chat = item["chat"]
        if code == RE_ENGAGEMENT and item.get("fallback"):
            logger.info("whatsapp: …%s window closed (131047): sending the template", chat[-4:])
            return self._deliver(self.fallback_item(item))
        delay: float | None = None
        if self.pacer is not None and int(item.get("attempt", 0)) + 1 < MAX_ATTEMPTS:
            if code in NUMBER_THROTTLED:
                delay = self.pacer.backoff(NUMBER, self.pacer.config.number_backoff)
            elif code in USER_THROTTLED:
                delay = self.pacer.backoff(chat, self.pacer.config.user_backoff)
            elif code in TRANSIENT or code is None:
                delay = self.pacer.backoff(chat, self.pacer.config.number_backoff)
        if delay is not None:
            assert self.pacer is not None
            self.pacer.push(chat, {**item, "attempt": int(item.get("attempt", 0)) + 1}, front=True)
            self.pacer.schedule_flush(chat, delay)
            return f"pending:{item['id']}"
        self._record(record_failed, item, out.kind, code, message)
        self._record(report_failure, item, code, f"{code}: {message}" if code else message)
        return None

    def _record(self, write: Any, *args: Any) -> None:
        """Write a delivery record. On SQLite the turn that is sending may still hold the
        database's only write lock, so the record is written by a thread once it is free."""
        if self.rt.db.dialect != "sqlite":
            write(self.rt, *args)
            return

        def later() -> None:
            try:
                write(self.rt, *args)
            except Exception:
                logger.exception("whatsapp: delivery record not written")

        threading.Thread(target=later, name="whatsapp-record", daemon=True).start()

    def fallback_item(self, item: dict[str, Any]) -> dict[str, Any]:
        """The same message as its approved template (window closed)."""
        return {**item, "id": uuid.uuid4().hex, "out": item["fallback"], "fallback": None}

    def retry(self, item: dict[str, Any], code: int | None) -> str | None:
        """Send again a message that failed after acceptance (status callback), after a back-off."""
        retry = {**item, "id": uuid.uuid4().hex, "attempt": int(item.get("attempt", 0)) + 1}
        if self.pacer is None:
            return self._deliver(retry)
        chat = item["chat"]
        scope = NUMBER if code in NUMBER_THROTTLED else chat
        base = (
            self.pacer.config.user_backoff
            if code in USER_THROTTLED
            else self.pacer.config.number_backoff
        )
        with self.pacer.lock(chat):
            delay = self.pacer.backoff(scope, base)
            self.pacer.push(chat, retry, front=True)
            self.pacer.schedule_flush(chat, delay)
        return f"pending:{retry['id']}"

    def _send_out(self, chat: str, out: Outgoing, tracker: str | None = None) -> str:
        # pywa: the WhatsApp SDK, loaded only where WhatsApp is configured
        from pywa.types import Button, Section, SectionList, SectionRow

        # pywa: the WhatsApp SDK, loaded only where WhatsApp is configured
        from pywa.types.templates import BodyText, QuickReplyButton, TemplateLanguage

        client = self.client
        if out.kind == "text":
            return client.send_message(to=chat, text=out.body, tracker=tracker).id
        if out.kind == "buttons":
            buttons = [Button(title=c.title, callback_data=c.data) for c in out.choices]
            return client.send_message(to=chat, text=out.body, buttons=buttons, tracker=tracker).id
        if out.kind == "list":
            rows = [
                SectionRow(title=c.title, callback_data=c.data, description=c.description)
                for c in out.choices
            ]
            section = SectionList(
                button_title=out.list_button,
                sections=[Section(title=out.list_button[:24], rows=rows)],
            )
            return client.send_message(to=chat, text=out.body, buttons=section, tracker=tracker).id
        if out.kind == "image":
            assert out.media_id is not None  # uploaded before it was queued
            return client.send_image(
                to=chat,
                image=out.media_id,
                caption=out.body or None,
                buttons=[Button(title=c.title, callback_data=c.data) for c in out.choices] or None,
                tracker=tracker,
            ).id
        params: list[Any] = [BodyText.params(*out.params)] if out.params else []  # type: ignore[arg-type]
        params += [
            QuickReplyButton.params(callback_data=payload, index=index)
            for index, payload in enumerate(out.payloads)
        ]
        return client.send_template(
            to=chat,
            name=out.template,
            language=TemplateLanguage(out.language),
            params=params or None,
            tracker=tracker,
        ).id


def flush_pending(chat_id: str) -> int:
    """RQ job (scheduled by the pacer): send what waits for one user."""
    sender = get_runtime().sender(Channel.WHATSAPP)
    return sender.flush(chat_id)  # type: ignore[attr-defined]

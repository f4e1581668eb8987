"""Proactive messages to people: admins, approvers, subscribed chats.

A person is reached in the conversations where they last talked to us (a
Slack DM or channel, their WhatsApp chat, the console).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from storage.models import Conversation, Message, Role, User
from storage.repositories import members_with_role, workspace_settings
from vocabulary import metrics
from vocabulary.destinations import Destination
from vocabulary.i18n import Locale
from vocabulary.inbound import Channel
from vocabulary.replies import Reply

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)


def destination_for(
    conversation: Conversation, language: str, *, proactive: bool = True
) -> Destination:
    return Destination(
        channel=Channel(conversation.channel),
        chat_id=conversation.chat_id,
        thread_id=conversation.thread_id,
        conversation_id=conversation.id,
        workspace_id=conversation.workspace_id,
        language=language,
        last_inbound_at=conversation.last_inbound_at,
        proactive=proactive,
    )


def people_destinations(rt: Runtime, workspace_id: int, minimum: Role) -> list[Destination]:
    """The latest conversation per channel of each member with at least ``minimum`` role."""
    out: list[Destination] = []
    with rt.db.session(workspace_id) as session:
        prefs = workspace_settings(session, workspace_id)
        for membership in members_with_role(session, workspace_id, minimum):
            user = session.get(User, membership.user_id)
            latest = session.execute(
                select(Message.conversation_id, func.max(Message.id))
                .where(Message.user_id == membership.user_id, Message.role == "user")
                .group_by(Message.conversation_id)
            ).all()
            seen_channels: set[str] = set()
            for conversation_id, _ in sorted(latest, key=lambda row: row[1], reverse=True):
                conversation = session.get(Conversation, conversation_id)
                if conversation is None or conversation.channel in seen_channels:
                    continue
                seen_channels.add(conversation.channel)
                language = (user.language if user else None) or prefs.language
                out.append(destination_for(conversation, language))
    return out


def send(rt: Runtime, to: Destination, reply: Reply) -> str | None:
    try:
        return rt.sender(to.channel).send(to, reply)
    except Exception:
        logger.exception("notify: delivery to %s:%s failed", to.channel.value, to.chat_id)
        return None


def direct_destinations(rt: Runtime, workspace_id: int, minimum: Role) -> list[Destination]:
    """Members with at least ``minimum`` role who never wrote to us, where we can still
    reach them first: a Slack DM (the sender opens it with ``conversations.open``) or a
    WhatsApp template (outside any window: ``last_inbound_at`` unknown)."""
    out: list[Destination] = []
    with rt.db.session(workspace_id) as session:
        prefs = workspace_settings(session, workspace_id)
        for membership in members_with_role(session, workspace_id, minimum):
            user = session.get(User, membership.user_id)
            if user is None:
                continue
            wrote = session.scalar(
                select(func.count())
                .select_from(Message)
                .where(Message.user_id == user.id, Message.role == "user")
            )
            if wrote:
                continue
            language = user.language or prefs.language
            for channel, chat_id in (
                (Channel.SLACK, user.slack_user_id),
                (Channel.WHATSAPP, user.whatsapp_number),
            ):
                if chat_id:
                    out.append(
                        Destination(
                            channel=channel,
                            chat_id=chat_id,
                            workspace_id=workspace_id,
                            language=language,
                            proactive=True,
                        )
                    )
    return out


def alert_admins(rt: Runtime, workspace_id: int, key: str, **params: Any) -> int:
    """Tell every admin, where they talk to us or else where we can open a chat with them.

    Returns how many messages left; when none did, the failure is logged as an ALARM
    (the one signal left for an operator watching the logs).
    """
    sent = 0
    destinations = [
        *people_destinations(rt, workspace_id, Role.ADMIN),
        *direct_destinations(rt, workspace_id, Role.ADMIN),
    ]
    for to in destinations:
        locale = Locale(language=to.language)
        if send(rt, to, Reply(locale.t(key, **params), kind="notice")) is not None:
            sent += 1
    if sent:
        metrics.incr(rt.redis, "mb_alerts_sent", {"key": key}, sent)
        logger.info("notify: %s sent to %d admin chat(s) of workspace %s", key, sent, workspace_id)
    else:
        metrics.incr(rt.redis, "mb_alarms", {"key": key})
        logger.error(
            "ALARM notify: no admin of workspace %s could be told %s (%d destination(s) tried)",
            workspace_id,
            key,
            len(destinations),
        )
    return sent

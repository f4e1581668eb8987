"""Who receives a pushed report, alert or digest: subscribed chats, and admins by default.

A chat that said "relatório diário às 9h" or "desligar alertas" has a
``Subscription`` row of that kind and gets exactly what it asked for. Every
other chat where an admin (approvers too, for the digest) last talked to us
gets the workspace's defaults (report at ``report_hour``, alerts at
``alert_thresholds``), so a new install is useful before anyone configures it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Conversation, Message, Role, Subscription, User
from storage.repositories import workspace_settings
from vocabulary.destinations import Destination
from vocabulary.notify import destination_for, people_destinations

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

DAILY_REPORT = "daily_report"
ALERTS = "alerts"
DIGEST = "digest"
KINDS = (DAILY_REPORT, ALERTS, DIGEST)

#: Who gets a kind of push when their chat never said otherwise.
DEFAULT_AUDIENCE = {DAILY_REPORT: Role.ADMIN, ALERTS: Role.ADMIN, DIGEST: Role.APPROVER}


@dataclass(frozen=True)
class Recipient:
    to: Destination
    thresholds: tuple[int, ...] = ()
    explicit: bool = False  # the chat subscribed itself (vs. an admin's default)


def conversation_language(session: Session, conversation: Conversation, default: str) -> str:
    """The chat's language: set on the chat, else that of whoever last wrote in it."""
    if conversation.language:
        return conversation.language
    user_language = session.scalar(
        select(User.language)
        .join(Message, Message.user_id == User.id)
        .where(Message.conversation_id == conversation.id, Message.role == "user")
        .order_by(Message.id.desc())
        .limit(1)
    )
    return user_language or default


def recipients(
    rt: Runtime, workspace_id: int, kind: str, *, hour: int | None = None
) -> list[Recipient]:
    """Where a push of ``kind`` goes (for a daily report: the chats that want it at ``hour``)."""
    out: list[Recipient] = []
    seen: set[int] = set()
    with rt.db.session(workspace_id) as session:
        prefs = workspace_settings(session, workspace_id)
        default_thresholds = tuple(prefs.alert_thresholds or ())
        explicit = {
            sub.conversation_id: sub
            for sub in session.scalars(select(Subscription).where(Subscription.kind == kind))
        }
        for conversation_id, sub in sorted(explicit.items()):
            if not sub.enabled:
                continue
            if (
                kind == DAILY_REPORT
                and (sub.hour if sub.hour is not None else prefs.report_hour) != hour
            ):
                continue
            conversation = session.get(Conversation, conversation_id)
            if conversation is None:
                continue
            language = conversation_language(session, conversation, prefs.language)
            out.append(
                Recipient(
                    destination_for(conversation, language),
                    tuple(sub.thresholds or default_thresholds),
                    explicit=True,
                )
            )
            seen.add(conversation_id)
        default_hour = prefs.report_hour
    if kind == DAILY_REPORT and hour != default_hour:
        return out
    for to in people_destinations(rt, workspace_id, DEFAULT_AUDIENCE[kind]):
        if to.conversation_id in explicit or to.conversation_id in seen:
            continue
        seen.add(to.conversation_id)  # type: ignore[arg-type]
        out.append(Recipient(to, default_thresholds))
    return out

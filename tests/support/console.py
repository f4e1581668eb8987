"""One console turn, as a person types it: handled by the core, or accepted on the inbound path."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from bot.core.conversation import handle_turn
from bot.core.ingest import accept
from vocabulary.inbound import Action, Channel, Inbound
from vocabulary.replies import Reply
from vocabulary.runtime import Runtime


def console_inbound(
    text: str = "",
    *,
    user: str = "ana",
    action: Action | None = None,
    at: datetime | None = None,
    event_id: str | None = None,
) -> Inbound:
    """One line typed on the console by ``user`` (a fresh event id unless given)."""
    return Inbound(
        channel=Channel.CONSOLE,
        event_id=event_id or uuid.uuid4().hex,
        chat_id=f"console:{user}",
        user_id=user,
        user_name=user,
        received_at=at or datetime.now(UTC),
        text=text,
        action=action,
    )


def say(
    rt: Runtime,
    text: str = "",
    *,
    user: str = "ana",
    action: Action | None = None,
    at: datetime | None = None,
) -> list[Reply]:
    """One console turn handled in-process by the core; returns the replies of that turn."""
    return handle_turn(rt, console_inbound(text, user=user, action=action, at=at))


def say_accepted(
    rt: Runtime,
    text: str = "",
    *,
    user: str = "ana",
    action: Action | None = None,
    at: datetime | None = None,
) -> None:
    """One console turn on the real inbound path (persisted, queued, then the core)."""
    accept(rt, console_inbound(text, user=user, action=action, at=at))

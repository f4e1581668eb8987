"""What comes in: an ``Inbound`` event (a message or a button press) on a ``Channel``.

Adapters (Slack, WhatsApp, console) translate their platform payloads to an
``Inbound``; no platform type ever crosses into the core.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from vocabulary.text import storable


def _clean_strings(value: Inbound | Action | ReplyHints) -> None:
    """Make every str field of a frozen inbound value storable (see :mod:`vocabulary.text`)."""
    for field in fields(value):
        current = getattr(value, field.name)
        if isinstance(current, str):
            cleaned = storable(current)
            if cleaned != current:
                object.__setattr__(value, field.name, cleaned)


class Channel(StrEnum):
    CONSOLE = "console"
    SLACK = "slack"
    WHATSAPP = "whatsapp"


@dataclass(frozen=True)
class Action:
    """A button press: which action and on what (e.g. ``approval.approve`` / approval id)."""

    name: str
    value: str = ""

    def __post_init__(self) -> None:
        _clean_strings(self)


@dataclass(frozen=True)
class ReplyHints:
    """What a channel's sender needs to answer this very event, beyond the chat and thread.

    Set by the adapter that built the :class:`Inbound`, read back only by the same
    channel's sender (the core passes them through untouched, except ``message_ref``,
    the card a button was clicked on). Empty strings mean "not given".
    """

    via: str = ""  # how the event came: command, mention, dm, action, view
    command: str = ""  # the slash command as typed, for the ack
    response_url: str = ""  # Slack's reply-to-this-interaction URL
    message_ref: str = ""  # the message a button was clicked on (a sender's ref)
    team_id: str = ""  # the platform workspace the reply goes through (Slack team)

    def __post_init__(self) -> None:
        _clean_strings(self)

    def to_payload(self) -> dict[str, str]:
        """The hints that are set, as a plain dict (the stored form since the first release)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    @classmethod
    def from_payload(cls, data: Mapping[str, Any] | None) -> ReplyHints:
        """Read a stored dict; unknown keys (from older or newer releases) are ignored."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: str(v) for k, v in (data or {}).items() if k in known and v})

    def with_team(self, team_id: str) -> ReplyHints:
        return replace(self, team_id=team_id) if team_id else self


@dataclass(frozen=True)
class Inbound:
    """One thing a user said or clicked, already verified and deduplicated by the adapter."""

    channel: Channel
    event_id: str  # the platform's id for this event; unique per channel
    chat_id: str  # Slack channel / WhatsApp number / console session
    user_id: str  # Slack user id / WhatsApp number / console login
    received_at: datetime
    text: str = ""
    action: Action | None = None
    thread_id: str = ""  # Slack thread ts; "" for the chat itself
    team_id: str = ""  # Slack workspace (team) id, when the platform has one
    user_name: str = ""
    reply_hints: ReplyHints = ReplyHints()
    #: A language the channel asks for this event (the console's ``--language``): it wins over
    #: stored preferences for this session only. "" = none.
    language: str = ""

    def __post_init__(self) -> None:
        # NUL bytes and invalid UTF-8 never reach storage, whichever channel built us.
        _clean_strings(self)

    def to_payload(self) -> dict[str, Any]:
        return {
            "channel": self.channel.value,
            "event_id": self.event_id,
            "chat_id": self.chat_id,
            "user_id": self.user_id,
            "received_at": self.received_at.isoformat(),
            "text": self.text,
            "action": {"name": self.action.name, "value": self.action.value}
            if self.action
            else None,
            "thread_id": self.thread_id,
            "team_id": self.team_id,
            "user_name": self.user_name,
            "reply_hints": self.reply_hints.to_payload(),
            **({"language": self.language} if self.language else {}),
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Inbound:
        action = data.get("action")
        return cls(
            channel=Channel(data["channel"]),
            event_id=data["event_id"],
            chat_id=data["chat_id"],
            user_id=data["user_id"],
            received_at=datetime.fromisoformat(data["received_at"]),
            text=data.get("text") or "",
            action=Action(action["name"], action.get("value", "")) if action else None,
            thread_id=data.get("thread_id") or "",
            team_id=data.get("team_id") or "",
            user_name=data.get("user_name") or "",
            reply_hints=ReplyHints.from_payload(data.get("reply_hints")),
            language=data.get("language") or "",
        )

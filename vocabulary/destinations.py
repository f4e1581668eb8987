"""Where a reply goes: a chat (and thread) on a channel, with what that channel needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from vocabulary.inbound import Channel, Inbound, ReplyHints


@dataclass(frozen=True)
class Destination:
    """Where a reply goes: a chat (and thread) on a channel, with what the channel needs."""

    channel: Channel
    chat_id: str
    thread_id: str = ""
    conversation_id: int | None = None
    workspace_id: int | None = None
    language: str = "pt-BR"
    last_inbound_at: datetime | None = None  # WhatsApp's 24-hour window starts here
    hints: ReplyHints = field(
        default_factory=ReplyHints
    )  # what the channel needs to answer (Slack response_url, team)
    proactive: bool = False  # pushed by a schedule, not an answer to the user

    @classmethod
    def reply_to(
        cls,
        inbound: Inbound,
        language: str,
        *,
        conversation_id: int | None = None,
        workspace_id: int | None = None,
        last_inbound_at: datetime | None = None,
    ) -> Destination:
        """The chat (and thread) ``inbound`` came from, with its reply hints."""
        return cls(
            channel=inbound.channel,
            chat_id=inbound.chat_id,
            thread_id=inbound.thread_id,
            conversation_id=conversation_id,
            workspace_id=workspace_id,
            language=language,
            last_inbound_at=last_inbound_at or inbound.received_at,
            hints=inbound.reply_hints.with_team(inbound.team_id),
        )

    def to_payload(self) -> dict[str, Any]:
        """A JSON-safe form, for job arguments and stored runs."""
        return {
            "channel": self.channel.value,
            "chat_id": self.chat_id,
            "thread_id": self.thread_id,
            "conversation_id": self.conversation_id,
            "workspace_id": self.workspace_id,
            "language": self.language,
            "last_inbound_at": self.last_inbound_at.isoformat() if self.last_inbound_at else None,
            "hints": self.hints.to_payload(),
            "proactive": self.proactive,
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Destination:
        last = data.get("last_inbound_at")
        return cls(
            channel=Channel(data["channel"]),
            chat_id=data["chat_id"],
            thread_id=data.get("thread_id") or "",
            conversation_id=data.get("conversation_id"),
            workspace_id=data.get("workspace_id"),
            language=data.get("language") or "pt-BR",
            last_inbound_at=datetime.fromisoformat(last) if last else None,
            hints=ReplyHints.from_payload(data.get("hints")),
            proactive=bool(data.get("proactive", False)),
        )

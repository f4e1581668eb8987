"""Slack payloads → :class:`~vocabulary.inbound.Inbound`, as pure functions.

Conversations: a DM is one conversation (replies in a thread stay in that
thread); a mention in a channel starts (or continues) a thread, and each
thread is its own conversation; slash commands belong to the channel.

Event ids are stable per user action so retries dedupe: the Events API's
``event_id``; a slash command's or a click's ``trigger_id``.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from datetime import datetime
from typing import Any

from bot.slack.blocks import action_name
from vocabulary.inbound import Action, Channel, Inbound, ReplyHints

#: ``/ads <sub> ...`` → the text the core understands (its router reads pt-BR and English).
HELP_WORDS = {"", "help", "ajuda", "?"}
ASK_WORDS = {"ask", "perguntar", "pergunta", "pergunte"}

_LEADING_MENTION = re.compile(r"^\s*<@[A-Z0-9]+(?:\|[^>]*)?>[\s,:]*")
_LINK = re.compile(r"<(?:mailto:)?([^<>|]+)\|([^<>]+)>")
_BARE = re.compile(r"<(?:mailto:)?([^<>|@#!]+)>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+\|([^>]*)>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)[^>]*>")


def clean_text(text: str) -> str:
    """Slack's wire format → what the user typed: links, channels, entities."""
    text = _CHANNEL.sub(r"#\1", text)
    text = _SPECIAL.sub(r"@\1", text)
    text = _LINK.sub(r"\2", text)
    text = _BARE.sub(r"\1", text)
    return html.unescape(text).strip()


def command_text(text: str) -> str:
    """``/ads`` subcommands: ``help``, ``ask <question>`` → the question, the rest as typed."""
    text = clean_text(text)
    first, _, rest = text.partition(" ")
    if first.lower() in HELP_WORDS and not rest.strip():
        return "help"
    if first.lower() in ASK_WORDS:
        return rest.strip() or "help"
    return text


def _stable_id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"{prefix}:{digest[:32]}"


def from_command(command: dict[str, Any], received_at: datetime) -> Inbound:
    trigger = command.get("trigger_id")
    event_id = (
        f"command:{trigger}"
        if trigger
        else _stable_id("command", command.get("team_id"), command.get("user_id"), command)
    )
    hints = ReplyHints(
        via="command",
        command=f"{command.get('command', '/ads')} {command.get('text', '')}".strip(),
        response_url=command.get("response_url") or "",
    )
    return Inbound(
        channel=Channel.SLACK,
        event_id=event_id,
        chat_id=command.get("channel_id", ""),
        user_id=command.get("user_id", ""),
        received_at=received_at,
        text=command_text(command.get("text", "")),
        team_id=command.get("team_id", ""),
        user_name=command.get("user_name", ""),
        reply_hints=hints,
    )


def from_event(body: dict[str, Any], received_at: datetime) -> Inbound | None:
    """An app mention or a DM; None for everything else (edits, bots, channel chatter)."""
    event = body.get("event") or {}
    kind = event.get("type")
    if event.get("bot_id") or event.get("subtype") not in (None, "file_share", "thread_broadcast"):
        return None
    if kind == "app_mention":
        thread_id = event.get("thread_ts") or event.get("ts", "")
        via = "mention"
    elif kind == "message" and event.get("channel_type") == "im":
        thread_id = event.get("thread_ts", "")
        via = "dm"
    else:
        return None
    text = clean_text(_LEADING_MENTION.sub("", event.get("text", "")))
    event_id = body.get("event_id") or _stable_id("event", event.get("channel"), event.get("ts"))
    return Inbound(
        channel=Channel.SLACK,
        event_id=event_id,
        chat_id=event.get("channel", ""),
        user_id=event.get("user", ""),
        received_at=received_at,
        text=text,
        thread_id=thread_id,
        # The user's team as the payload says; the listener checks it against the installation.
        team_id=event.get("user_team") or event.get("team") or body.get("team_id", ""),
        reply_hints=ReplyHints(via=via),
    )


def from_action(body: dict[str, Any], received_at: datetime) -> Inbound | None:
    """A button click on one of our messages → an :class:`Action` for the core."""
    actions = body.get("actions") or []
    if not actions:
        return None
    clicked = actions[0]
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id", ""
    )
    message = body.get("message") or {}
    message_ts = message.get("ts") or (body.get("container") or {}).get("message_ts", "")
    user = body.get("user") or {}
    trigger = body.get("trigger_id")
    event_id = (
        f"action:{trigger}"
        if trigger
        else _stable_id(
            "action", channel, message_ts, clicked.get("action_id"), clicked.get("action_ts")
        )
    )
    hints = ReplyHints(
        via="action",
        message_ref=f"{channel}:{message_ts}" if channel and message_ts else "",
        response_url=body.get("response_url") or "",
    )
    return Inbound(
        channel=Channel.SLACK,
        event_id=event_id,
        chat_id=channel,
        user_id=user.get("id", ""),
        received_at=received_at,
        action=Action(action_name(clicked.get("action_id", "")), clicked.get("value", "")),
        thread_id=message.get("thread_ts", ""),
        team_id=(body.get("team") or {}).get("id") or user.get("team_id", ""),
        user_name=user.get("username") or user.get("name", ""),
        reply_hints=hints,
    )

"""What Slack sends: signed slash commands, events and button clicks (tests, bench, demo)."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

TEAM_ID = "T0001"
CHANNEL_ID = "C0001"
_seq = itertools.count(1)


def signed_headers(
    secret: str, body: str, *, timestamp: int | None = None, content_type: str
) -> dict[str, str]:
    """Slack's v0 signature over ``v0:<timestamp>:<body>``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    assert signature is not None
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
        "Content-Type": content_type,
    }


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def slash_command(
    text: str,
    *,
    response_url: str,
    command: str = "/ads",
    user_id: str = "U0ANA",
    user_name: str = "ana",
    channel_id: str = CHANNEL_ID,
    team_id: str = TEAM_ID,
    trigger_id: str | None = None,
) -> tuple[str, str]:
    """(body, content type) of a slash command invocation."""
    body = urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": team_id,
            "team_domain": "fake-agency",
            "channel_id": channel_id,
            "channel_name": "midia",
            "user_id": user_id,
            "user_name": user_name,
            "command": command,
            "text": text,
            "api_app_id": "A0FAKE",
            "response_url": response_url,
            "trigger_id": trigger_id or f"{next(_seq)}.{uuid.uuid4().hex[:12]}",
        }
    )
    return body, FORM


def event_callback(
    event: dict[str, Any], *, event_id: str | None = None, team_id: str = TEAM_ID
) -> tuple[str, str]:
    body = {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "api_app_id": "A0FAKE",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team_id, "user_id": "UBOT", "is_bot": True}],
    }
    return json.dumps(body), JSON


def _ts() -> str:
    return f"{time.time():.6f}"


def app_mention(
    text: str,
    *,
    user_id: str = "U0ANA",
    channel_id: str = CHANNEL_ID,
    thread_ts: str | None = None,
    **kw: Any,
) -> tuple[str, str]:
    event = {
        "type": "app_mention",
        "user": user_id,
        "text": f"<@UBOT> {text}",
        "ts": _ts(),
        "channel": channel_id,
        "event_ts": _ts(),
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event_callback(event, **kw)


def direct_message(
    text: str, *, user_id: str = "U0ANA", channel_id: str = "D0ANA", **kw: Any
) -> tuple[str, str]:
    event = {
        "type": "message",
        "channel_type": "im",
        "user": user_id,
        "text": text,
        "ts": _ts(),
        "channel": channel_id,
        "event_ts": _ts(),
    }
    return event_callback(event, **kw)


def block_action(
    action_id: str,
    value: str,
    *,
    message: dict[str, Any],
    response_url: str,
    user_id: str = "U0ANA",
    user_name: str = "ana",
    team_id: str = TEAM_ID,
    trigger_id: str | None = None,
) -> tuple[str, str]:
    """A button click on ``message`` (as the fake Slack recorded it: channel, ts, blocks)."""
    payload = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": "A0FAKE",
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": message["channel"],
            "is_ephemeral": False,
        },
        "trigger_id": trigger_id or f"{next(_seq)}.{uuid.uuid4().hex[:12]}",
        "team": {"id": team_id, "domain": "fake-agency"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": message["channel"], "name": "midia"},
        "message": {
            "type": "message",
            "user": "UBOT",
            "ts": message["ts"],
            **({"thread_ts": message["thread_ts"]} if message.get("thread_ts") else {}),
            "text": message.get("text", ""),
            "blocks": message.get("blocks", []),
        },
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "actions",
                "value": value,
                "action_ts": _ts(),
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}), FORM


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The buttons of a recorded message, in order."""
    return [
        element
        for block in message.get("blocks", [])
        if block.get("type") == "actions"
        for element in block["elements"]
    ]


def view_submission(
    view: dict[str, Any],
    values: dict[str, dict[str, dict[str, Any]]],
    *,
    user_id: str = "U0ANA",
    user_name: str = "ana",
    team_id: str = TEAM_ID,
) -> tuple[str, str]:
    """Submitting a modal the bot opened (``view`` as views.open returned it)."""
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "fake-agency"},
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": "A0FAKE",
        "token": "legacy-verification-token",
        "trigger_id": f"{next(_seq)}.{uuid.uuid4().hex[:12]}",
        "view": {**view, "state": {"values": values}, "hash": uuid.uuid4().hex[:10]},
    }
    return urlencode({"payload": json.dumps(payload)}), FORM

"""Why a proposal was rejected, asked in a Slack modal right after the Reject click.

The click itself goes the usual way (accept → worker → supervisor); the modal only
opens beside it, and its submission comes back as one more inbound event, the
``approval.reason`` action with the typed reason, which the core attaches to that
decision (audit and the crew's learnings). Nothing here decides anything.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from vocabulary.i18n import translate
from vocabulary.inbound import Action, Channel, Inbound, ReplyHints

CALLBACK_ID = "mediabrain.rejection_reason"
BLOCK_ID = "reason"
INPUT_ID = "text"
REASON_ACTION = "approval.reason"
#: ``supervisor.cards.REJECT``, spelled out so the web process need not import the supervisor.
REJECT_ACTION = "approval.reject"
MAX_CHARS = 500


def reason_modal(proposal_id: str, inbound: Inbound, language: str) -> dict[str, Any]:
    """The modal; where to answer travels in ``private_metadata``."""
    meta = {"proposal": proposal_id, "channel": inbound.chat_id, "thread": inbound.thread_id}
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": json.dumps(meta),
        "title": {"type": "plain_text", "text": translate("slack.reason.title", language)},
        "submit": {"type": "plain_text", "text": translate("slack.reason.submit", language)},
        "close": {"type": "plain_text", "text": translate("slack.reason.skip", language)},
        "blocks": [
            {
                "type": "input",
                "block_id": BLOCK_ID,
                "optional": True,
                "label": {"type": "plain_text", "text": translate("slack.reason.label", language)},
                "element": {
                    "type": "plain_text_input",
                    "action_id": INPUT_ID,
                    "multiline": True,
                    "max_length": MAX_CHARS,
                    "placeholder": {
                        "type": "plain_text",
                        "text": translate("slack.reason.placeholder", language),
                    },
                },
            }
        ],
    }


def from_submission(body: dict[str, Any], received_at: datetime) -> Inbound | None:
    """The submitted modal → the ``approval.reason`` action (None when nothing was typed)."""
    view = body.get("view") or {}
    values = (view.get("state") or {}).get("values") or {}
    reason = ((values.get(BLOCK_ID) or {}).get(INPUT_ID) or {}).get("value") or ""
    reason = reason.strip()
    if not reason:
        return None
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return None
    user = body.get("user") or {}
    digest = hashlib.sha256(f"{view.get('id')}:{reason}".encode()).hexdigest()[:16]
    return Inbound(
        channel=Channel.SLACK,
        event_id=f"view:{view.get('id', '')}:{digest}",
        chat_id=str(meta.get("channel", "")),
        user_id=user.get("id", ""),
        received_at=received_at,
        text=reason[:MAX_CHARS],
        action=Action(REASON_ACTION, str(meta.get("proposal", ""))),
        thread_id=str(meta.get("thread", "")),
        team_id=(body.get("team") or {}).get("id") or user.get("team_id", ""),
        user_name=user.get("username") or user.get("name", ""),
        reply_hints=ReplyHints(via="view"),
    )

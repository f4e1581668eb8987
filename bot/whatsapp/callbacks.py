"""Button callback data: an ``Action`` packed into WhatsApp's button id and back.

The format is ``name|value`` (e.g. ``approval.approve|<proposal uuid>``):
compact, readable in logs, and within WhatsApp's limits (256 characters for a
reply button id, 200 for a list row id, template quick-reply payloads alike).
"""

from __future__ import annotations

from vocabulary.inbound import Action

SEPARATOR = "|"
REPLY_BUTTON_ID_LIMIT = 256
LIST_ROW_ID_LIMIT = 200


def encode_action(action: Action, *, limit: int = REPLY_BUTTON_ID_LIMIT) -> str | None:
    """The callback data for ``action``, or None when it cannot fit ``limit`` characters."""
    if not action.name or SEPARATOR in action.name:
        return None
    data = f"{action.name}{SEPARATOR}{action.value}"
    return data if len(data) <= limit else None


def decode_action(data: str) -> Action | None:
    """The action a clicked button stands for; None for data we did not produce."""
    name, separator, value = (data or "").partition(SEPARATOR)
    if not separator or not name.strip():
        return None
    return Action(name=name, value=value)

"""WhatsApp Cloud API webhook payloads as Meta sends them (with ``contacts[].user_id``), signed."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any

PHONE_ID = "106540352242922"
WABA_ID = "102290129340398"
DISPLAY_NUMBER = "15550783881"
APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "verify-me-please"
TOKEN = "test-whatsapp-token"

_ids = itertools.count(1)


def new_id() -> str:
    return f"wamid.IN{time.time_ns()}{next(_ids)}"


def _contact(number: str, name: str) -> dict[str, Any]:
    return {"profile": {"name": name}, "wa_id": number, "user_id": f"BR.{number[-8:]}"}


def _update(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": WABA_ID, "changes": [{"value": value, "field": "messages"}]}],
    }


def _value(**extra: Any) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": PHONE_ID},
        **extra,
    }


def _message(
    number: str, message_id: str | None, timestamp: int | None, **content: Any
) -> dict[str, Any]:
    return {
        "from": number,
        "from_user_id": f"BR.{number[-8:]}",
        "id": message_id or new_id(),
        "timestamp": str(timestamp or int(time.time())),
        **content,
    }


def text(
    number: str,
    body: str,
    *,
    message_id: str | None = None,
    timestamp: int | None = None,
    name: str = "Ana",
) -> dict[str, Any]:
    msg = _message(number, message_id, timestamp, type="text", text={"body": body})
    return _update(_value(contacts=[_contact(number, name)], messages=[msg]))


def image(
    number: str, *, caption: str | None = None, message_id: str | None = None
) -> dict[str, Any]:
    media: dict[str, Any] = {"id": "1234567890", "mime_type": "image/jpeg", "sha256": "abc"}
    if caption:
        media["caption"] = caption
    msg = _message(number, message_id, None, type="image", image=media)
    return _update(_value(contacts=[_contact(number, "Ana")], messages=[msg]))


def button_click(
    number: str, data: str, title: str = "Aprovar", *, message_id: str | None = None
) -> dict[str, Any]:
    msg = _message(
        number,
        message_id,
        None,
        type="interactive",
        context={"from": DISPLAY_NUMBER, "id": "wamid.CARD"},
        interactive={"type": "button_reply", "button_reply": {"id": data, "title": title}},
    )
    return _update(_value(contacts=[_contact(number, "Ana")], messages=[msg]))


def list_choice(
    number: str, data: str, title: str, *, message_id: str | None = None
) -> dict[str, Any]:
    msg = _message(
        number,
        message_id,
        None,
        type="interactive",
        context={"from": DISPLAY_NUMBER, "id": "wamid.LIST"},
        interactive={"type": "list_reply", "list_reply": {"id": data, "title": title}},
    )
    return _update(_value(contacts=[_contact(number, "Ana")], messages=[msg]))


def template_button(number: str, payload: str, label: str = "Aprovar") -> dict[str, Any]:
    msg = _message(
        number,
        None,
        None,
        type="button",
        context={"from": DISPLAY_NUMBER, "id": "wamid.TEMPLATE"},
        button={"payload": payload, "text": label},
    )
    return _update(_value(contacts=[_contact(number, "Ana")], messages=[msg]))


def status(
    message_id: str,
    state: str,
    number: str,
    *,
    timestamp: int | None = None,
    error_code: int | None = None,
    tracker: str | None = None,
) -> dict[str, Any]:
    """A status callback; ``tracker``: the message's ``biz_opaque_callback_data``, echoed."""
    item: dict[str, Any] = {
        "id": message_id,
        "status": state,
        "timestamp": str(timestamp or int(time.time())),
        "recipient_id": number,
        "recipient_user_id": f"BR.{number[-8:]}",
    }
    if tracker is not None:
        item["biz_opaque_callback_data"] = tracker
    if error_code is not None:
        item["errors"] = [
            {
                "code": error_code,
                "title": "failed",
                "message": f"error {error_code}",
                "error_data": {"details": f"error {error_code}"},
            }
        ]
    return _update(_value(contacts=[_contact(number, "Ana")], statuses=[item]))


def batch(*updates: dict[str, Any]) -> dict[str, Any]:
    """Several updates' items in one POST, as WhatsApp may batch them."""
    value = _value(contacts=[], messages=[], statuses=[])
    for update in updates:
        inner = update["entry"][0]["changes"][0]["value"]
        value["contacts"] += inner.get("contacts", [])
        value["messages"] += inner.get("messages", [])
        value["statuses"] += inner.get("statuses", [])
    return _update(value)


def signed(payload: dict[str, Any], secret: str = APP_SECRET) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={signature}"}

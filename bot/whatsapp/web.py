"""The WhatsApp webhook on the web app: ``GET/POST /whatsapp/webhook`` served by pywa's async client.

We use pywa's custom-server entry points (challenge, signature validator,
update handler) on our own FastAPI routes instead of its generated ones,
because those acknowledge first and handle later in a background task: an
update we failed to queue would be lost without anyone noticing. Here the
order is: verify the ``X-Hub-Signature-256`` → dedupe, persist, enqueue
(the handlers) → acknowledge.

pywa reads only the first item of an update; WhatsApp may batch several
messages or statuses into one POST, so after the signature is checked each
item is handed to pywa as an update of its own.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse

from bot.whatsapp.client import WEBHOOK_PATH, webhook_client
from bot.whatsapp.handlers import register_handlers

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

HUB_VERIFY_TOKEN = "hub.verify_token"
HUB_CHALLENGE = "hub.challenge"
HUB_SIGNATURE = "X-Hub-Signature-256"


def mount_whatsapp(app: FastAPI, rt: Runtime) -> None:
    wa = webhook_client(rt.settings)
    register_handlers(wa, rt)
    app.state.whatsapp = wa

    @app.get(WEBHOOK_PATH, include_in_schema=False)
    async def whatsapp_challenge(request: Request) -> PlainTextResponse:
        content, status = await wa.webhook_challenge_handler(
            vt=request.query_params.get(HUB_VERIFY_TOKEN),
            ch=request.query_params.get(HUB_CHALLENGE),
        )
        return PlainTextResponse(content or "", status_code=status)

    @app.post(WEBHOOK_PATH, include_in_schema=False)
    async def whatsapp_webhook(request: Request) -> PlainTextResponse:
        body = await request.body()
        refused = await wa.webhook_update_validator(
            update=body, hmac_header=request.headers.get(HUB_SIGNATURE)
        )
        if refused is not None:
            return PlainTextResponse(refused[0], status_code=refused[1])
        singles = split_update(body)
        if singles is None:
            logger.warning("whatsapp: signed update with an unexpected shape refused")
            return PlainTextResponse("Bad Request", status_code=400)
        for single in singles:
            content, status = await wa.webhook_update_handler(single)
            if status >= 400:
                return PlainTextResponse(content, status_code=status)
        return PlainTextResponse("ok")


def split_update(body: bytes) -> list[bytes] | None:
    """One update per message / status, each with its own contact, so pywa sees every item.

    None when the JSON has not the webhook's shape (objects where objects belong), so the
    route answers 400 instead of failing on it.
    """
    try:
        update = json.loads(body)
    except ValueError:
        return [body]  # pywa answers non-JSON bodies itself (400)
    if not _well_formed(update):
        return None
    if _single(update):
        return [body]  # already one item with its one contact: passed on as received
    entries = update.get("entry") or []
    singles: list[bytes] = []
    for entry in entries:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            items = [("messages", m) for m in value.get("messages") or []]
            items += [("statuses", s) for s in value.get("statuses") or []]
            if not items:
                singles.append(_wrap(update, entry, change, value))
                continue
            for kind, item in items:
                single = {k: v for k, v in value.items() if k not in ("messages", "statuses")}
                single[kind] = [item]
                single["contacts"] = _contacts_for(value, kind, item)
                singles.append(_wrap(update, entry, change, single))
    return singles or [body]


def _single(update: dict[str, Any]) -> bool:
    """One entry, one change, one message or status and one contact: what WhatsApp sends
    nearly always, and what :func:`split_update` would rebuild (a JSON round trip per ack)."""
    entries = update.get("entry") or []
    if len(entries) != 1:
        return False
    changes = entries[0].get("changes") or []
    if len(changes) != 1:
        return False
    value = changes[0].get("value") or {}
    items = len(value.get("messages") or []) + len(value.get("statuses") or [])
    return items == 1 and len(value.get("contacts") or []) == 1


def _objects(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _well_formed(update: Any) -> bool:
    """The webhook's nesting: entry → changes → value → messages / statuses / contacts."""
    if not isinstance(update, dict) or not _objects(update.get("entry") or []):
        return False
    for entry in update.get("entry") or []:
        if not _objects(entry.get("changes") or []):
            return False
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            if not isinstance(value, dict):
                return False
            if not all(
                _objects(value.get(key) or []) for key in ("messages", "statuses", "contacts")
            ):
                return False
    return True


def _wrap(
    update: dict[str, Any], entry: dict[str, Any], change: dict[str, Any], value: dict[str, Any]
) -> bytes:
    single = {
        **update,
        "entry": [{**entry, "changes": [{**change, "value": value}]}],
    }
    return json.dumps(single, separators=(",", ":")).encode()


def _contacts_for(value: dict[str, Any], kind: str, item: dict[str, Any]) -> list[dict[str, Any]]:
    """The contact the item is about; pywa 4.5 needs one (with ``user_id``) even for statuses."""
    contacts = value.get("contacts") or []
    if kind == "messages":
        wa_id, user_id = item.get("from"), item.get("from_user_id")
    else:
        wa_id, user_id = item.get("recipient_id"), item.get("recipient_user_id")
    for contact in contacts:
        if (wa_id and contact.get("wa_id") == wa_id) or (
            user_id and contact.get("user_id") == user_id
        ):
            return [contact]
    if contacts:
        return contacts[:1]
    return [{"wa_id": wa_id or "", "user_id": user_id or wa_id or ""}]

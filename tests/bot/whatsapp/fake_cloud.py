"""A local stand-in for the WhatsApp Cloud API (Graph): records what the bot sends.

Stdlib only, on 127.0.0.1 port 0. It answers ``POST /v<version>/<phone_id>/messages``
and ``POST /v<version>/<phone_id>/media`` in Graph's shapes, records each send
(text, interactive, image, template) and upload, and can be told to fail the
next sends with a given Cloud API error code (e.g. 130429, 131056, 131047), or to
hold its answer to sends for a number (the message is accepted and recorded, the
sender waits: a test kills the worker in that window).

:meth:`FakeCloudAPI.status_webhook` is the status callback Meta would post for a
recorded send (:meth:`FakeCloudAPI.send_statuses` has it posted to the app), echoing the ``biz_opaque_callback_data`` the message carried, as the
real API does (Meta's Cloud API docs, "Messages" reference: ``biz_opaque_callback_data``,
"an arbitrary string ... returned in the status webhook" of that message;
https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages).
"""

from __future__ import annotations

import email
import email.policy
import itertools
import json
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.bot.whatsapp import payloads

ERROR_MESSAGES = {
    130429: "Rate limit hit",
    131056: "(Business Account, Consumer Account) pair rate limit hit",
    131047: "Re-engagement message",
    131026: "Message undeliverable",
    132001: "Template name does not exist in the translation",
}


@dataclass
class Sent:
    """One message the bot sent."""

    id: str
    phone_id: str
    to: str
    type: str
    payload: dict[str, Any]
    authorization: str
    at: float = field(default_factory=time.monotonic)  # when it arrived

    @property
    def text(self) -> str:
        """The human-visible text: body, interactive body or image caption."""
        if self.type == "text":
            return str(self.payload["text"]["body"])
        if self.type == "interactive":
            return str(self.payload["interactive"]["body"]["text"])
        if self.type == "image":
            return str(self.payload["image"].get("caption", ""))
        if self.type == "template":
            parts = []
            for component in self.payload["template"].get("components", []):
                parts += [p.get("text", "") for p in component.get("parameters", [])]
            return " ".join(parts)
        return ""

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(title, id) of reply buttons, or list rows."""
        if self.type != "interactive":
            return []
        interactive = self.payload["interactive"]
        action = interactive["action"]
        if interactive["type"] == "button":
            return [(b["reply"]["title"], b["reply"]["id"]) for b in action["buttons"]]
        return [(r["title"], r["id"]) for s in action["sections"] for r in s["rows"]]

    @property
    def template(self) -> dict[str, Any] | None:
        return self.payload.get("template") if self.type == "template" else None

    @property
    def tracker(self) -> str | None:
        """The ``biz_opaque_callback_data`` it was sent with (pywa's ``tracker``)."""
        value = self.payload.get("biz_opaque_callback_data")
        return str(value) if value is not None else None


@dataclass
class Upload:
    id: str
    mime_type: str
    filename: str
    size: int
    data: bytes = field(repr=False)


class FakeCloudAPI:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.sent: list[Sent] = []
        self.on_send: list[Callable[[Sent], None]] = []  # called after each recorded send
        self.uploads: list[Upload] = []
        self.requests: list[tuple[str, str]] = []
        self._failures: list[int | None] = []  # None: that send is accepted
        self._held: set[str] = set()  # numbers whose sends are accepted, then not answered
        self._statuses_to: tuple[str, str] | None = None  # (webhook url, app secret)
        self.status_errors = 0  # status webhooks the app did not take
        self._release = threading.Event()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle --------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)
        return f"http://{host}:{port}"

    def start(self) -> FakeCloudAPI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()

    # --- control ------------------------------------------------------------------------
    def fail_next(self, code: int, times: int = 1, *, after: int = 0) -> None:
        """The next ``times`` sends answer with Cloud API error ``code`` (once ``after``
        more were accepted)."""
        with self._lock:
            self._failures.extend([None] * after + [code] * times)

    def hold(self, number: str) -> None:
        """Sends to ``number`` are accepted and recorded, but answered only at :meth:`release`
        (the sender waits on the platform's answer, as on a slow network)."""
        with self._lock:
            self._held.add(number)
            self._release.clear()

    def release(self) -> None:
        """Answer the held sends (and hold no more)."""
        with self._lock:
            self._held.clear()
            self._release.set()

    def status_webhook(self, sent: Sent, state: str = "sent") -> dict[str, Any]:
        """The status callback Meta posts for ``sent`` (unsigned; sign it with
        ``payloads.signed``), echoing its ``biz_opaque_callback_data`` like the real API."""
        return payloads.status(sent.id, state, sent.to, tracker=sent.tracker)

    def send_statuses(self, webhook_url: str, app_secret: str) -> None:
        """Post a signed ``sent`` status webhook to ``webhook_url`` after each accepted send,
        as Meta does (in a thread, seconds late at most; failures counted, not raised)."""
        self._statuses_to = (webhook_url, app_secret)

    def _post_status(self, sent: Sent) -> None:
        if self._statuses_to is None:
            return
        url, secret = self._statuses_to
        body, headers = payloads.signed(self.status_webhook(sent, "sent"), secret)
        try:
            request = urllib.request.Request(url, data=body, headers=headers, method="POST")
            with urllib.request.urlopen(request, timeout=30) as answer:
                answer.read()
        except Exception:  # the app restarting, or down: Meta would retry; we count it
            with self._lock:
                self.status_errors += 1

    def wait_for(
        self, predicate: Callable[[list[Sent]], bool], timeout: float = 30.0
    ) -> list[Sent]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(list(self.sent)):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out; sent so far: {self.sent!r}")
                self._changed.wait(remaining)
            return list(self.sent)

    def to(self, number: str) -> list[Sent]:
        with self._lock:
            return [s for s in self.sent if s.to == number]

    # --- HTTP -------------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:  # keep test output clean
                return

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                try:
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):  # the sender was killed meanwhile
                    return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                parts = self.path.strip("/").split("/")
                with fake._lock:
                    fake.requests.append(("POST", self.path))
                if len(parts) != 3 or not parts[0].startswith("v"):
                    self._answer(404, _error(100, f"Unknown path {self.path}"))
                    return
                _, phone_id, edge = parts
                authorization = self.headers.get("Authorization", "")
                if not authorization.startswith("Bearer "):
                    self._answer(401, _error(190, "Missing access token"))
                    return
                if edge == "media":
                    self._upload(body)
                elif edge == "messages":
                    self._message(phone_id, json.loads(body), authorization)
                else:
                    self._answer(404, _error(100, f"Unknown edge {edge}"))

            def _upload(self, body: bytes) -> None:
                message = email.message_from_bytes(
                    b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body,
                    policy=email.policy.HTTP,
                )
                file_part = None
                fields: dict[str, str] = {}
                for part in message.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    if name == "file":
                        file_part = part
                    elif isinstance(name, str) and name:
                        fields[name] = part.get_content()
                if file_part is None or fields.get("messaging_product") != "whatsapp":
                    self._answer(400, _error(100, "file and messaging_product are required"))
                    return
                data = file_part.get_payload(decode=True)
                assert isinstance(data, bytes)
                with fake._changed:
                    media_id = str(9_000_000 + next(fake._ids))
                    fake.uploads.append(
                        Upload(
                            media_id,
                            fields.get("type", file_part.get_content_type()),
                            file_part.get_filename() or "",
                            len(data),
                            data,
                        )
                    )
                    fake._changed.notify_all()
                self._answer(200, {"id": media_id})

            def _message(self, phone_id: str, payload: dict[str, Any], authorization: str) -> None:
                if payload.get("messaging_product") != "whatsapp" or "type" not in payload:
                    self._answer(400, _error(100, "Invalid parameter"))
                    return
                with fake._changed:
                    failure = fake._failures.pop(0) if fake._failures else None
                if failure is not None:
                    self._answer(400, _error(failure, ERROR_MESSAGES.get(failure, "error")))
                    return
                to = payload.get("to") or payload.get("recipient") or ""
                with fake._changed:
                    message_id = f"wamid.FAKE{next(fake._ids):06d}"
                    record = Sent(message_id, phone_id, to, payload["type"], payload, authorization)
                    fake.sent.append(record)
                    fake._changed.notify_all()
                    held = to in fake._held
                if fake._statuses_to is not None:
                    threading.Thread(target=fake._post_status, args=(record,), daemon=True).start()
                if held:
                    fake._release.wait(timeout=300)
                message: dict[str, Any] = {"id": message_id}
                if payload["type"] == "template":
                    message["message_status"] = "accepted"
                self._answer(
                    200,
                    {
                        "messaging_product": "whatsapp",
                        "contacts": [{"input": to, "wa_id": to}],
                        "messages": [message],
                    },
                )
                for listener in list(fake.on_send):
                    listener(record)

        return Handler


def _error(code: int, message: str) -> dict[str, Any]:
    return {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": message},
            "fbtrace_id": "FAKEtrace",
        }
    }

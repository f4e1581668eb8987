"""A local fake of Slack's Web API, for tests, the benchmark and demos (stdlib only).

It listens on 127.0.0.1 (port 0 = any free port), records every call and
answers like Slack: ``auth.test``, ``chat.postMessage`` / ``update`` /
``postEphemeral``, the three-step file upload (``files.getUploadURLExternal``
returns a loopback ``upload_url``), ``oauth.v2.access``, ``apps.connections.open``
(a loopback WebSocket for Socket Mode), ``conversations.history`` / ``replies``
(message ``metadata`` posted with chat.postMessage comes back with
``include_all_metadata``, as Slack's docs for those methods describe) and
``response_url`` endpoints. It
checks Block Kit limits the way Slack does (``invalid_blocks``) and can be told
to fail (429 with Retry-After, 5xx, ``not_in_channel``...).

Point the app at it with ``MEDIABRAIN_SLACK_API_URL=<fake.api_url>``.

Demo: ``python -m tests.bot.slack.fake_slack`` serves it on port 3001 and prints
every message the bot sends (see the README's Slack section); ``python -m tests.bot.slack.demo``
plays the Slack user.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import queue
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from tests.support.waiting import eventually

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0001"
_WS_MAGIC = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


@dataclass
class Call:
    """One request the fake received."""

    method: str  # Web API method, "upload", "response_url" or "oauth.authorize"
    params: dict[str, Any]
    token: str | None = None
    key: str = ""  # the response_url key or the uploaded file id
    body: bytes = field(default=b"", repr=False)
    at: float = field(default_factory=time.monotonic)


@dataclass
class Failure:
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    times: int = 1


class FakeSlack:
    """The fake server; ``with FakeSlack() as fake: ...`` or ``start()`` / ``stop()``."""

    def __init__(
        self,
        port: int = 0,
        *,
        team_id: str = TEAM_ID,
        team_name: str = "Fake Agency",
        on_call: Callable[[Call], None] | None = None,
    ) -> None:
        self.team_id = team_id
        self.team_name = team_name
        self.on_call = on_call
        self.calls: list[Call] = []
        self.messages: list[dict[str, Any]] = []  # what a Slack user would see, in order
        self.opened: list[str] = []  # users a DM was opened with (conversations.open)
        self.uploads: dict[str, dict[str, Any]] = {}
        self.views: list[dict[str, Any]] = []  # modals opened with views.open, with their ids
        self.not_in_channel: set[str] = set()
        self.valid_tokens: set[str] | None = None  # None: any xoxb-/xapp- token works
        self.oauth_codes: dict[str, dict[str, str]] = {}
        #: Who "approves" the next install on the fake authorize page.
        self.next_install = {
            "team_id": "T0INSTALL",
            "team_name": "Installed Agency",
            "user_id": "U0INSTALLER",
        }
        self._failures: dict[str, list[Failure]] = {}
        self._held: set[str] = set()  # channels whose posts are taken, then not answered
        self._release = threading.Event()
        self._lock = threading.Condition()
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._sockets: list[_WebSocket] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)
        return f"http://{host}:{port}/"

    @property
    def api_url(self) -> str:
        return f"{self.url}api/"

    def start(self) -> FakeSlack:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release()
        for ws in list(self._sockets):
            ws.close()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- test controls --------------------------------------------------------------------
    def response_url(self, key: str) -> str:
        return f"{self.url}response/{key}"

    def fail(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail like Slack would."""
        with self._lock:
            self._failures.setdefault(method, []).append(
                Failure(
                    status, error or ("ratelimited" if status == 429 else None), retry_after, times
                )
            )

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 15.0) -> list[Call]:
        """Block until ``method`` was called ``count`` times; returns those calls."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                calls = [call for call in self.calls if call.method == method]
                if len(calls) >= count:
                    return calls
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = sorted({call.method for call in self.calls})
                    raise TimeoutError(f"{method} called {len(calls)}/{count} times; saw {seen}")
                self._lock.wait(left)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.messages.clear()

    def push_socket_event(self, envelope: dict[str, Any], timeout: float = 10.0) -> dict[str, Any]:
        """Socket Mode: send an envelope to the connected app and wait for its ack."""
        eventually(lambda: self._sockets, timeout=timeout, what="a Socket Mode connection")
        return self._sockets[-1].request(envelope, timeout)

    # --- the Web API ----------------------------------------------------------------------
    def hold(self, channel: str) -> None:
        """Posts to ``channel`` are taken (the message is there) but answered only at
        :meth:`release`: the sender waits on Slack's answer, as on a slow network."""
        with self._lock:
            self._held.add(channel)
            self._release.clear()

    def release(self) -> None:
        """Answer the held posts (and hold no more)."""
        with self._lock:
            self._held.clear()
            self._release.set()

    def _hold_if_asked(self, method: str, params: dict[str, Any]) -> None:
        with self._lock:
            held = method == "chat.postMessage" and params.get("channel") in self._held
        if held:
            self._release.wait(timeout=300)

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()
        if self.on_call is not None:
            self.on_call(call)

    def _next_failure(self, method: str) -> Failure | None:
        with self._lock:
            pending = self._failures.get(method) or []
            if not pending:
                return None
            failure = pending[0]
            failure.times -= 1
            if failure.times <= 0:
                pending.pop(0)
            return failure

    def _ts_next(self) -> str:
        n = next(self._ts)
        return f"{1_700_000_000 + n}.{n:06d}"

    def api(
        self, method: str, params: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        failure = self._next_failure(method)
        if failure is not None:
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
            if failure.status >= 500:
                return failure.status, {"_raw": "<html>upstream error</html>"}, headers
            return failure.status, {"ok": False, "error": failure.error}, headers
        if method not in ("oauth.v2.access",) and not self._token_ok(token):
            return 200, {"ok": False, "error": "invalid_auth" if token else "not_authed"}, {}
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        return 200, handler(params, token), {}

    def _token_ok(self, token: str | None) -> bool:
        if not token:
            return False
        if self.valid_tokens is not None:
            return token in self.valid_tokens
        return token.startswith(("xoxb-", "xapp-", "xoxp-"))

    def _m_auth_test(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        team = self.team_id
        if token and token.startswith("xoxb-installed-"):
            team = token.split("-")[2]
        return {
            "ok": True,
            "url": "https://fake-agency.slack.com/",
            "team": self.team_name,
            "user": "mediabrain",
            "team_id": team,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _channel(self, channel: str) -> str:
        return "D" + channel[1:] if channel.startswith("U") else channel

    def _m_chat_postMessage(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel = params.get("channel") or ""
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if channel in self.not_in_channel:
            return {"ok": False, "error": "not_in_channel"}
        blocks = _json(params.get("blocks"))
        if not params.get("text") and not blocks:
            return {"ok": False, "error": "no_text"}
        problem = check_blocks(blocks or [])
        if problem:
            return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
        message = {
            "channel": self._channel(channel),
            "ts": self._ts_next(),
            "thread_ts": params.get("thread_ts") or None,
            "text": params.get("text", ""),
            "blocks": blocks or [],
            "user": BOT_USER_ID,
        }
        metadata = _json(params.get("metadata"))
        if isinstance(metadata, dict) and metadata.get("event_type"):
            message["metadata"] = metadata
        with self._lock:
            self.messages.append(message)
        return {"ok": True, "channel": message["channel"], "ts": message["ts"], "message": message}

    def _read(
        self, params: dict[str, Any], keep: Callable[[dict[str, Any]], bool]
    ) -> dict[str, Any]:
        """Messages of ``params["channel"]`` that ``keep`` selects, newest first, with their
        ``metadata`` only when ``include_all_metadata`` is asked (as Slack does)."""
        channel = str(params.get("channel") or "")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if channel in self.not_in_channel:
            return {"ok": False, "error": "not_in_channel"}
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        oldest = float(params.get("oldest") or 0)
        limit = int(params.get("limit") or 100)
        with self._lock:
            found = [
                {k: v for k, v in m.items() if k != "metadata" or with_metadata}
                for m in self.messages
                if m["channel"] == self._channel(channel) and float(m["ts"]) >= oldest and keep(m)
            ]
        found.sort(key=lambda m: float(m["ts"]), reverse=True)
        return {"ok": True, "messages": found[:limit], "has_more": len(found) > limit}

    def _m_conversations_history(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        return self._read(params, lambda m: not m.get("thread_ts") or m["thread_ts"] == m["ts"])

    def _m_conversations_replies(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        thread = str(params.get("ts") or "")
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        page = self._read(params, lambda m: thread in (m["ts"], m.get("thread_ts")))
        page["messages"] = page.get("messages", [])[::-1]  # a thread reads oldest first
        return page

    def _m_conversations_open(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        """A DM with one user (``users=U…``): its ``D…`` id, recorded in ``opened``."""
        users = str(params.get("users") or "")
        if not users or "," in users:
            return {
                "ok": False,
                "error": "users_list_not_supplied" if not users else "not_supported",
            }
        with self._lock:
            self.opened.append(users)
        return {"ok": True, "channel": {"id": self._channel(users)}}

    def _m_chat_update(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        blocks = _json(params.get("blocks"))
        problem = check_blocks(blocks or [])
        if problem:
            return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
        with self._lock:
            for message in self.messages:
                if message["channel"] == params.get("channel") and message["ts"] == params.get(
                    "ts"
                ):
                    message.update(
                        text=params.get("text", ""),
                        blocks=blocks or [],
                        edited=message.get("edited", 0) + 1,
                    )
                    metadata = _json(params.get("metadata"))
                    if isinstance(metadata, dict) and metadata.get("event_type"):
                        message["metadata"] = metadata
                    return {
                        "ok": True,
                        "channel": message["channel"],
                        "ts": message["ts"],
                        "text": message["text"],
                    }
        return {"ok": False, "error": "message_not_found"}

    def _m_chat_postEphemeral(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"ok": True, "message_ts": self._ts_next()}

    def _m_files_getUploadURLExternal(
        self, params: dict[str, Any], token: str | None
    ) -> dict[str, Any]:
        if not params.get("filename") or not str(params.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ids):06d}"
        with self._lock:
            self.uploads[file_id] = {
                "filename": params["filename"],
                "length": int(params["length"]),
                "data": None,
            }
        return {"ok": True, "upload_url": f"{self.url}upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(
        self, params: dict[str, Any], token: str | None
    ) -> dict[str, Any]:
        files = _json(params.get("files")) or []
        done = []
        with self._lock:
            for item in files:
                upload = self.uploads.get(item.get("id", ""))
                if upload is None or upload["data"] is None:
                    return {"ok": False, "error": "file_not_found"}
                upload.update(
                    title=item.get("title"),
                    channel=params.get("channel_id"),
                    thread_ts=params.get("thread_ts"),
                )
                done.append(
                    {"id": item["id"], "title": item.get("title"), "name": upload["filename"]}
                )
                self.messages.append(
                    {
                        "channel": params.get("channel_id"),
                        "ts": self._ts_next(),
                        "thread_ts": params.get("thread_ts"),
                        "text": "",
                        "blocks": [],
                        "files": [
                            {
                                "id": item["id"],
                                "title": item.get("title"),
                                "name": upload["filename"],
                                "size": len(upload["data"]),
                            }
                        ],
                        "user": BOT_USER_ID,
                    }
                )
        return {"ok": True, "files": done}

    def _m_files_info(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        upload = self.uploads.get(params.get("file", ""))
        if upload is None:
            return {"ok": False, "error": "file_not_found"}
        return {
            "ok": True,
            "file": {
                "id": params["file"],
                "name": upload["filename"],
                "title": upload.get("title"),
            },
        }

    def _m_oauth_v2_access(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        if not (token or "").startswith("basic:") and not params.get("client_id"):
            return {"ok": False, "error": "invalid_client_id"}
        grant = self.oauth_codes.pop(params.get("code", ""), None)
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        team = grant.get("team_id", "T0INSTALL")
        return {
            "ok": True,
            "app_id": "A0FAKE",
            "authed_user": {"id": grant.get("user_id", "U0INSTALLER")},
            "scope": grant.get("scope", "chat:write,commands"),
            "token_type": "bot",
            "access_token": f"xoxb-installed-{team}-{next(self._ids)}",
            "bot_user_id": BOT_USER_ID,
            "team": {"id": team, "name": grant.get("team_name", "Installed Agency")},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _m_views_open(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        if not params.get("trigger_id"):
            return {"ok": False, "error": "invalid_arguments"}
        view = _json(params.get("view"))
        opened = {**view, "id": f"V{next(self._ids):08d}"}
        with self._lock:
            self.views.append(opened)
        return {"ok": True, "view": opened}

    def _m_apps_connections_open(self, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        if not (token or "").startswith("xapp-"):
            return {"ok": False, "error": "invalid_auth"}
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)
        return {"ok": True, "url": f"ws://{host}:{port}/socket"}

    # --- a Slack user's view (demo) -------------------------------------------------------
    def last_message_with_buttons(self) -> dict[str, Any] | None:
        with self._lock:
            for message in reversed(self.messages):
                if any(block.get("type") == "actions" for block in message.get("blocks", [])):
                    return message
        return None


def check_blocks(blocks: list[dict[str, Any]]) -> str | None:
    """The Block Kit limits Slack enforces, answered as Slack does (``invalid_blocks``)."""
    if len(blocks) > 50:
        return "no more than 50 items allowed [json-pointer:/blocks]"
    action_ids: set[str] = set()
    for index, block in enumerate(blocks):
        kind = block.get("type")
        where = f"[json-pointer:/blocks/{index}]"
        if kind == "header" and len(block["text"]["text"]) > 150:
            return f"must be less than 151 characters {where}"
        if kind == "section":
            if "text" not in block and "fields" not in block:
                return f"must provide text or fields {where}"
            if len(block.get("text", {}).get("text", "")) > 3000:
                return f"must be less than 3001 characters {where}"
            if len(block.get("fields", [])) > 10:
                return f"no more than 10 items allowed {where}"
        if kind == "actions":
            if len(block["elements"]) > 25:
                return f"no more than 25 items allowed {where}"
            for element in block["elements"]:
                if len(element["text"]["text"]) > 75:
                    return f"must be less than 76 characters {where}"
                if element["action_id"] in action_ids:
                    return f"action_id already exists {where}"
                action_ids.add(element["action_id"])
        if kind not in ("header", "section", "actions", "context", "divider", "image"):
            return f"unsupported type {kind} {where}"
    return None


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def _reply(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            if isinstance(payload, dict) and "_raw" in payload:
                data, ctype = payload["_raw"].encode(), "text/html"
            elif isinstance(payload, (bytes, str)):
                data, ctype = (
                    payload.encode() if isinstance(payload, str) else payload,
                    "text/plain",
                )
            else:
                data, ctype = json.dumps(payload).encode(), "application/json; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            try:
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the caller was killed meanwhile
                return

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def do_POST(self) -> None:
            path = urlparse(self.path).path
            raw = self._body()
            if path.startswith("/api/"):
                method = path[len("/api/") :]
                params = self._params(raw)
                token = self._token(params)
                fake._record(Call(method, params, token, body=raw))
                status, payload, headers = fake.api(method, params, token)
                fake._hold_if_asked(method, params)
                self._reply(status, payload, headers)
            elif path.startswith("/upload/"):
                file_id = path.rsplit("/", 1)[-1]
                with fake._lock:
                    upload = fake.uploads.get(file_id)
                    if upload is not None:
                        upload["data"] = raw
                fake._record(Call("upload", {"file_id": file_id}, key=file_id, body=raw))
                if upload is None:
                    self._reply(404, "not found")
                else:
                    self._reply(200, f"OK - {len(raw)}")
            elif path.startswith("/response/"):
                key = path.rsplit("/", 1)[-1]
                params = json.loads(raw or b"{}")
                fake._record(Call("response_url", params, key=key, body=raw))
                failure = fake._next_failure("response_url")
                if failure is not None:
                    self._reply(failure.status, failure.error or "error")
                    return
                with fake._lock:
                    fake.messages.append(
                        {
                            "channel": f"response:{key}",
                            "ts": fake._ts_next(),
                            "thread_ts": None,
                            **params,
                        }
                    )
                self._reply(200, "ok")
            else:
                self._reply(404, {"ok": False, "error": "not_found"})

        def do_GET(self) -> None:
            parsed = urlparse(self.path)
            if parsed.path.startswith("/api/"):  # read methods (conversations.history…)
                method = parsed.path[len("/api/") :]
                params = self._params(b"")
                token = self._token(params)
                fake._record(Call(method, params, token))
                status, payload, headers = fake.api(method, params, token)
                self._reply(status, payload, headers)
                return
            if parsed.path == "/socket" and self.headers.get("Upgrade", "").lower() == "websocket":
                self._websocket()
                return
            if parsed.path == "/oauth/v2/authorize":
                query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
                fake._record(Call("oauth.authorize", query))
                code = f"code-{next(fake._ids)}"
                fake.oauth_codes[code] = {**fake.next_install, "scope": query.get("scope", "")}
                target = query.get("redirect_uri") or ""
                if target:
                    target += ("&" if "?" in target else "?") + urlencode(
                        {"code": code, "state": query.get("state", "")}
                    )
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self._reply(200, {"code": code, "state": query.get("state", "")})
                return
            if parsed.path == "/_fake/views":
                with fake._lock:
                    return self._reply(200, {"views": list(fake.views)})
            if parsed.path == "/_fake/messages":
                with fake._lock:
                    self._reply(200, {"messages": fake.messages})
                return
            if parsed.path.startswith("/_fake/files/"):
                upload = fake.uploads.get(parsed.path.rsplit("/", 1)[-1])
                if upload and upload["data"]:
                    self._reply(200, upload["data"])
                else:
                    self._reply(404, "not found")
                return
            self._reply(404, {"ok": False, "error": "not_found"})

        def _params(self, raw: bytes) -> dict[str, Any]:
            ctype = self.headers.get("Content-Type", "")
            query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
            if "application/json" in ctype:
                return {**query, **json.loads(raw or b"{}")}
            return {**query, **{k: v[0] for k, v in parse_qs(raw.decode()).items()}}

        def _token(self, params: dict[str, Any]) -> str | None:
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Bearer "):
                return auth[len("Bearer ") :]
            if auth.startswith("Basic "):  # oauth.v2.access: client id and secret
                client_id = base64.b64decode(auth[len("Basic ") :]).decode().partition(":")[0]
                return f"basic:{client_id}"
            return params.get("token")

        def _websocket(self) -> None:
            key = self.headers["Sec-WebSocket-Key"]
            accept = base64.b64encode(hashlib.sha1((key + _WS_MAGIC).encode()).digest()).decode()
            self.send_response(101)
            self.send_header("Upgrade", "websocket")
            self.send_header("Connection", "Upgrade")
            self.send_header("Sec-WebSocket-Accept", accept)
            self.end_headers()
            self.wfile.flush()
            ws = _WebSocket(self.connection, self.rfile)
            fake._sockets.append(ws)
            try:
                ws.send_text(
                    json.dumps(
                        {"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}}
                    )
                )
                ws.serve()
            finally:
                if ws in fake._sockets:
                    fake._sockets.remove(ws)
            self.close_connection = True

    return Handler


class _WebSocket:
    """Just enough RFC 6455 for Socket Mode: text frames, ping/pong, close."""

    def __init__(self, sock: socket.socket, rfile: Any) -> None:
        self.sock = sock
        self.rfile = rfile
        self._send_lock = threading.Lock()
        self._acks: dict[str, queue.Queue[dict[str, Any]]] = {}
        self._closed = False

    def _frame(self, opcode: int, payload: bytes) -> bytes:
        head = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            head += bytes([n])
        elif n < 65536:
            head += bytes([126]) + struct.pack("!H", n)
        else:
            head += bytes([127]) + struct.pack("!Q", n)
        return head + payload

    def send_text(self, text: str) -> None:
        with self._send_lock:
            self.sock.sendall(self._frame(0x1, text.encode()))

    def _recv_exact(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.rfile.read1(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    def serve(self) -> None:
        try:
            while not self._closed:
                b1, b2 = self._recv_exact(2)
                opcode, masked, n = b1 & 0x0F, b2 & 0x80, b2 & 0x7F
                if n == 126:
                    n = struct.unpack("!H", self._recv_exact(2))[0]
                elif n == 127:
                    n = struct.unpack("!Q", self._recv_exact(8))[0]
                mask = self._recv_exact(4) if masked else b"\0\0\0\0"
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(self._recv_exact(n)))
                if opcode == 0x8:
                    with self._send_lock:
                        self.sock.sendall(self._frame(0x8, data[:2]))
                    return
                if opcode == 0x9:
                    with self._send_lock:
                        self.sock.sendall(self._frame(0xA, data))
                elif opcode == 0x1:
                    message = json.loads(data)
                    waiter = self._acks.get(message.get("envelope_id", ""))
                    if waiter is not None:
                        waiter.put(message)
        except (ConnectionError, OSError):
            return

    def request(self, envelope: dict[str, Any], timeout: float) -> dict[str, Any]:
        envelope_id = envelope.setdefault("envelope_id", f"env-{time.monotonic_ns()}")
        waiter: queue.Queue[dict[str, Any]] = queue.Queue()
        self._acks[envelope_id] = waiter
        self.send_text(json.dumps(envelope))
        try:
            return waiter.get(timeout=timeout)
        finally:
            self._acks.pop(envelope_id, None)

    def close(self) -> None:
        self._closed = True
        try:
            with self._send_lock:
                self.sock.sendall(self._frame(0x8, struct.pack("!H", 1000)))
        except OSError:
            pass


# --- demo: ``python -m tests.bot.slack.fake_slack`` ------------------------------------------------


def describe(message: dict[str, Any]) -> str:
    """A terminal rendering of what a Slack user would see."""
    lines = []
    where = message.get("channel", "?") + (
        f" (thread {message['thread_ts']})" if message.get("thread_ts") else ""
    )
    label = f"edited #{message['edited']}" if message.get("edited") else "message"
    lines.append(f"── {label} in {where} ts={message.get('ts')}")
    for block in message.get("blocks") or []:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"  ▌{block['text']['text']}")
        elif kind == "section":
            if "text" in block:
                lines.extend("  " + line for line in block["text"]["text"].splitlines())
            for f in block.get("fields", []):
                lines.append("  · " + f["text"].replace("\n", " | "))
        elif kind == "context":
            lines.append("  (" + " ".join(e.get("text", "") for e in block["elements"]) + ")")
        elif kind == "actions":
            for i, e in enumerate(block["elements"], 1):
                confirm = " [asks to confirm]" if "confirm" in e else ""
                lines.append(
                    f"  [{i}] {e['text']['text']} ({e['action_id']}={e.get('value', '')}){confirm}"
                )
    if not message.get("blocks") and message.get("text"):
        lines.extend("  " + line for line in str(message["text"]).splitlines())
    for f in message.get("files") or []:
        lines.append(f"  📎 {f['name']} ({f['size']} bytes) — {f.get('title') or ''}")
    return html.unescape("\n".join(lines))  # Slack shows &lt; as <


def serve(port: int, charts_dir: Path | None, *, quiet: bool = False) -> None:
    printed: set[tuple[str, str, int]] = set()

    def show(call: Call) -> None:
        if call.method == "views.open":
            view = _json(call.params.get("view")) or {}
            label = next((b["label"]["text"] for b in view.get("blocks", []) if "label" in b), "")
            print(f"── modal opened: {view.get('title', {}).get('text', '')} · {label}", flush=True)
            print('  (answer it with: python -m tests.bot.slack.demo reason "…")', flush=True)
        if call.method == "upload" and charts_dir is not None:
            charts_dir.mkdir(parents=True, exist_ok=True)
            path = charts_dir / f"{call.key}.png"
            path.write_bytes(call.body)
            print(f"  📈 chart saved to {path}", flush=True)

    fake = FakeSlack(port, on_call=None if quiet else show).start()
    print(f"fake Slack Web API at {fake.api_url}  (set MEDIABRAIN_SLACK_API_URL to it)", flush=True)
    try:
        while True:
            time.sleep(0.3)
            if quiet:
                with fake._lock:  # keep memory flat under load
                    fake.calls.clear()
                    fake.messages.clear()
                continue
            with fake._lock:
                snapshot = [dict(m) for m in fake.messages]
            for message in snapshot:
                key = (message.get("channel", ""), message.get("ts", ""), message.get("edited", 0))
                if key not in printed:
                    printed.add(key)
                    print(describe(message), flush=True)
    except KeyboardInterrupt:
        fake.stop()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m tests.bot.slack.fake_slack", description=__doc__
    )
    parser.add_argument("--port", type=int, default=3001)
    parser.add_argument("--charts-dir", type=Path, default=Path("fake-slack-charts"))
    parser.add_argument("--quiet", action="store_true", help="print nothing, keep nothing (bench)")
    args = parser.parse_args(argv)
    serve(args.port, args.charts_dir, quiet=args.quiet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

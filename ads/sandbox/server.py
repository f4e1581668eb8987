"""The sandbox's HTTP shell: a stdlib threading server around :class:`GraphApp`.

Stdlib on purpose: it starts in milliseconds inside a test or inside
``mediabrain chat`` (a daemon thread), needs no event loop, and the official
SDK talks to it over real HTTP exactly as it talks to graph.facebook.com.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import logging
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ads.sandbox.demo import populate_demo
from ads.sandbox.faults import Fault
from ads.sandbox.graph import GraphApp, GraphRequest, GraphResponse
from ads.sandbox.incidents import SandboxIncident
from ads.sandbox.state import SandboxState
from ads.sandbox.stats import RequestStats
from ads.sandbox.usage import UsageLimits

logger = logging.getLogger(__name__)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    app: GraphApp


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "mediabrain-sandbox/1"
    disable_nagle_algorithm = True  # keep-alive + small writes would stall 40 ms per response
    server: _HTTPServer

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol-level failures (bad request line, unknown method) as Graph envelopes too."""
        self.close_connection = True
        self.request_version = "HTTP/1.1"  # answer with a status line even to garbage
        body = _envelope(message or "Bad request", code=1, transient=code >= 500)
        self._send(GraphResponse(code, body))

    def _serve(self, method: str) -> None:
        target = urlsplit(self.path)
        params = dict(parse_qsl(target.query, keep_blank_values=True))
        json_body: Any = None
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        content_type = self.headers.get("Content-Type", "")
        try:
            if raw and "application/json" in content_type:
                json_body = json.loads(raw)
                if isinstance(json_body, dict):
                    params.update(
                        {
                            k: v if isinstance(v, str) else json.dumps(v)
                            for k, v in json_body.items()
                        }
                    )
            elif raw and "multipart/form-data" in content_type:
                params.update(_multipart_fields(raw, content_type))
            elif raw:
                params.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
        except (ValueError, UnicodeDecodeError):
            self._send(
                GraphResponse(
                    400,
                    {
                        "error": {
                            "message": "Malformed request body",
                            "type": "OAuthException",
                            "code": 100,
                            "is_transient": False,
                            "fbtrace_id": "Amalformed",
                        }
                    },
                )
            )
            return
        token = params.get("access_token") or _bearer(self.headers.get("Authorization", ""))
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        request = GraphRequest(
            method=method,
            path=target.path or "/",
            params=params,
            token=token,
            base_url=f"http://{host}",
            json_body=json_body,
        )
        try:
            response = self.server.app.handle(request)
        except Exception:  # never a bare 5xx: Graph always answers with an envelope
            logger.exception("sandbox failed on %s %s", method, target.path)
            message = "An unexpected error has occurred. Please retry your request later."
            response = GraphResponse(500, _envelope(message, code=2, transient=True))
        self._send(response)

    def _send(self, response: GraphResponse) -> None:
        payload = json.dumps(response.body, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeouts)
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("sandbox %s - %s", self.address_string(), format % args)


def _envelope(message: str, *, code: int, transient: bool = False) -> dict[str, Any]:
    return {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "is_transient": transient,
            "fbtrace_id": "Asandbox0000",
        }
    }


def _bearer(header: str) -> str | None:
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() in ("bearer", "oauth") else None


def _multipart_fields(raw: bytes, content_type: str) -> dict[str, str]:
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
    fields: dict[str, str] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name and not part.get_filename():
            fields[str(name)] = part.get_content()
    return fields


class SandboxServer:
    """A running sandbox. Use as a context manager or call :meth:`stop`."""

    def __init__(self, app: GraphApp, httpd: _HTTPServer) -> None:
        self.app = app
        self._httpd = httpd
        host, port = httpd.server_address[:2]
        self.url = f"http://{host!s}:{port}"
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="meta-sandbox",
            daemon=True,
        )

    # --- lifecycle -----------------------------------------------------------------------------

    def _start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.app.stopping.set()  # wake requests sleeping in slow/timeout faults
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- views ------------------------------------------------------------------------------------

    @property
    def state(self) -> SandboxState:
        return self.app.state

    @property
    def stats(self) -> RequestStats:
        return self.app.stats

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def now(self) -> datetime:
        return self.state.now()

    # --- controls (same as the /_sandbox admin endpoints) ------------------------------------

    def advance_clock(self, *, days: float = 0, hours: float = 0, minutes: float = 0) -> datetime:
        return self.state.advance_clock(days=days, hours=hours, minutes=minutes)

    def set_clock(self, moment: datetime) -> datetime:
        return self.state.set_clock(moment)

    def inject_fault(
        self,
        kind: str,
        *,
        count: int = 1,
        path_contains: str | None = None,
        seconds: float | None = None,
        regain_after_minutes: int | None = None,
        code: int | None = None,
        apply: bool = False,
        token: str | None = None,
        method: str | None = None,
    ) -> Fault:
        """Make the next ``count`` matching requests fail (see :mod:`ads.sandbox.faults`)."""
        return self.app.inject(
            Fault(
                kind=kind,
                count=count,
                path_contains=path_contains,
                seconds=seconds,
                regain_after_minutes=regain_after_minutes,
                code=code,
                apply=apply,
                token=token,
                method=method,
            )
        )

    def clear_faults(self) -> None:
        self.app.clear_faults()

    def inject_incident(
        self,
        account_id: str,
        kind: str,
        *,
        at: datetime | None = None,
        hours: float | None = None,
        magnitude: float | None = None,
        segment: str | None = None,
    ) -> SandboxIncident:
        """Make ``kind`` happen to the account from ``at`` (default: now); see ``incidents``."""
        incident = SandboxIncident(kind, at or self.now(), hours, magnitude, segment)
        return self.state.inject_incident(account_id, incident)

    def clear_incidents(self, account_id: str) -> int:
        return self.state.clear_incidents(account_id)

    def restrict_token(self, token: str, account_ids: list[str]) -> None:
        """Let ``token`` see only these ad accounts (multi-tenant tests); others see all."""
        with self.state.lock:
            self.state.token_accounts[token] = set(account_ids)

    def reset(self) -> None:
        self.app.reset()


def start_sandbox(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    seed: int = 42,
    state_file: Path | None = None,
    start: datetime | None = None,
    latency: float = 0.0,
    populate: bool = True,
    limits: UsageLimits | None = None,
    state: SandboxState | None = None,
) -> SandboxServer:
    """Start a sandbox in a daemon thread and return it, already accepting requests.

    ``start`` fixes the simulated clock (default: now, truncated to the hour, or
    the clock saved in ``state_file``). ``populate=False`` gives an empty world
    instead of the demo accounts. ``state`` serves a world built beforehand
    (e.g. a benchmark scenario); ``seed``, ``start``, ``state_file`` and
    ``populate`` are then ignored.
    """
    if state is None:
        seeder = populate_demo if populate else None
        state = SandboxState(seed=seed, start=start, state_file=state_file, seeder=seeder)
    app = GraphApp(state, latency=latency, limits=limits)
    httpd = _HTTPServer((host, port), _Handler)
    httpd.app = app
    server = SandboxServer(app, httpd)
    server._start()
    logger.info(
        "Meta sandbox listening on %s (seed %s, clock %s)",
        server.url,
        state.seed,
        state.now().isoformat(),
    )
    return server


def serve_forever(
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    seed: int = 42,
    state_file: Path | None = None,
    start: datetime | None = None,
) -> None:
    """Run a standalone sandbox in the foreground until interrupted (``mediabrain sandbox``)."""
    state = SandboxState(seed=seed, start=start, state_file=state_file, seeder=populate_demo)
    app = GraphApp(state)
    httpd = _HTTPServer((host, port), _Handler)
    httpd.app = app
    address = "http://{}:{}".format(*httpd.server_address[:2])
    logger.info(
        "Meta sandbox listening on %s (seed %s, clock %s)", address, seed, state.now().isoformat()
    )
    try:
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        logger.info("Meta sandbox stopping")
    finally:
        app.stopping.set()
        httpd.server_close()

"""A loopback OAuth 2.0 token endpoint: refresh tokens in, short-lived access tokens out.

The google-ads client refreshes its access token with google-auth against the
``token_uri`` of its credentials (``https://oauth2.googleapis.com/token`` in
production). The sandbox answers the same form post (RFC 6749 §6) and remembers
which access tokens it issued, so the gRPC side can refuse anything else, and a
test can revoke a refresh token as a person would in their Google account.
"""

from __future__ import annotations

import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


class TokenAuthority:
    """Which refresh tokens are valid and which access tokens were issued (thread-safe)."""

    def __init__(self, lifetime_seconds: int = 3600) -> None:
        self.lifetime_seconds = lifetime_seconds
        self.revoked: set[str] = set()
        self.issued: dict[str, str] = {}  # access token -> refresh token
        self.refreshes = 0
        self._lock = threading.Lock()

    def refresh(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if form.get("grant_type") != "refresh_token" or not form.get("refresh_token"):
            return 400, {"error": "unsupported_grant_type"}
        if not form.get("client_id") or not form.get("client_secret"):
            return 401, {"error": "invalid_client", "error_description": "Unauthorized"}
        refresh_token = form["refresh_token"]
        with self._lock:
            if refresh_token in self.revoked:
                return 400, {
                    "error": "invalid_grant",
                    "error_description": "Token has been expired or revoked.",
                }
            access = "ya29.sandbox-" + secrets.token_urlsafe(24)
            self.issued[access] = refresh_token
            self.refreshes += 1
        return 200, {
            "access_token": access,
            "expires_in": self.lifetime_seconds,
            "scope": "https://www.googleapis.com/auth/adwords",
            "token_type": "Bearer",
        }

    def revoke(self, refresh_token: str) -> None:
        with self._lock:
            self.revoked.add(refresh_token)
            for access, refresh in list(self.issued.items()):
                if refresh == refresh_token:
                    del self.issued[access]

    def valid(self, access_token: str) -> bool:
        with self._lock:
            return access_token in self.issued


class _Handler(BaseHTTPRequestHandler):
    server: _TokenServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        form = {k: v[0] for k, v in parse_qs(body).items()}
        status, payload = self.server.authority.refresh(form)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        return None


class _TokenServer(ThreadingHTTPServer):
    daemon_threads = True
    authority: TokenAuthority


def start_token_endpoint(
    authority: TokenAuthority, host: str = "127.0.0.1", port: int = 0
) -> tuple[_TokenServer, str]:
    """Serve ``authority`` in a daemon thread; returns the server and its token URI."""
    httpd = _TokenServer((host, port), _Handler)
    httpd.authority = authority
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    address = "http://{}:{}/token".format(*httpd.server_address[:2])
    return httpd, address

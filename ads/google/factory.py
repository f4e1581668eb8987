"""Build the Google Ads connector for one set of credentials.

Credentials per workspace (encrypted like Meta's tokens): the developer token,
the OAuth client id and secret, the refresh token, and for manager accounts the
``login-customer-id``. Tests and the sandbox point ``endpoint`` and ``token_uri``
at loopback; the defaults are Google's production addresses.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ads.google.connector import GoogleAdsConnector
from ads.google.ids import parse_customer_id

PRODUCTION_ENDPOINT = "googleads.googleapis.com"
PRODUCTION_TOKEN_URI = "https://oauth2.googleapis.com/token"
API_VERSION = "v26"


@dataclass(frozen=True)
class GoogleCredentials:
    developer_token: str
    client_id: str
    client_secret: str
    refresh_token: str
    login_customer_id: str | None = None

    def __repr__(self) -> str:  # never show secrets
        return f"GoogleCredentials(login_customer_id={self.login_customer_id!r})"


class SharedClient:
    """A ``GoogleAdsClient`` whose services are built once: each ``get_service`` call of the
    library opens a new gRPC channel (a TLS handshake, and an OAuth refresh per client)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._services: dict[str, Any] = {}
        self._lock = threading.Lock()

    def get_service(self, name: str) -> Any:
        with self._lock:
            if name not in self._services:
                self._services[name] = self._client.get_service(name)
            return self._services[name]

    def get_type(self, name: str) -> Any:
        return self._client.get_type(name)


#: One client per credentials and endpoint in this process: connectors built per account
#: (every report of a fan-out) share its channels and its access token.
_CLIENTS: dict[tuple[GoogleCredentials, str, str], SharedClient] = {}
_CLIENTS_LOCK = threading.Lock()


def _forget_after_fork() -> None:
    """A forked work horse opens its own channels: gRPC's do not survive a fork."""
    global _CLIENTS_LOCK
    _CLIENTS.clear()
    _CLIENTS_LOCK = threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)


def shared_client(credentials: GoogleCredentials, endpoint: str, token_uri: str) -> SharedClient:
    with _CLIENTS_LOCK:
        key = (credentials, endpoint, token_uri)
        if key not in _CLIENTS:
            _CLIENTS[key] = SharedClient(_new_client(credentials, endpoint, token_uri))
        return _CLIENTS[key]


def _new_client(credentials: GoogleCredentials, endpoint: str, token_uri: str) -> Any:
    # google-ads pulls in gRPC and ~170 MB of generated types: load it only when a
    # Google account is actually used (the web process never does).
    from google.ads.googleads.client import GoogleAdsClient
    from google.oauth2.credentials import Credentials  # google-auth: with the client, late

    oauth = Credentials(
        token=None,
        refresh_token=credentials.refresh_token,
        client_id=credentials.client_id,
        client_secret=credentials.client_secret,
        token_uri=token_uri,
    )
    login = (
        parse_customer_id(credentials.login_customer_id) if credentials.login_customer_id else None
    )
    return GoogleAdsClient(
        credentials=oauth,
        developer_token=credentials.developer_token,
        endpoint=endpoint,
        login_customer_id=login,
        use_proto_plus=True,
        version=API_VERSION,
    )


def build_google_ads(
    credentials: GoogleCredentials,
    *,
    endpoint: str = PRODUCTION_ENDPOINT,
    token_uri: str = PRODUCTION_TOKEN_URI,
    timeout: float = 30.0,
    on_token_invalid: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> GoogleAdsConnector:
    client = shared_client(credentials, endpoint, token_uri)
    return GoogleAdsConnector(
        client, timeout=timeout, on_token_invalid=on_token_invalid, sleep=sleep
    )

"""The real google-ads client against the loopback Google Ads sandbox (TLS + OAuth)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from ads.google.connector import GoogleAdsConnector
from ads.google.factory import GoogleCredentials, build_google_ads
from ads.google.sandbox.server import GoogleSandbox, start_google_sandbox
from ads.google.sandbox.tls import loopback_certificate, trust
from ads.sandbox.demo import populate_demo
from ads.sandbox.state import SandboxState

START = datetime(2026, 3, 10, 15, tzinfo=UTC)
CREDENTIALS = GoogleCredentials("dev-token", "client-id", "client-secret", "1//refresh")


@pytest.fixture(scope="session", autouse=True)
def _trust_loopback_certificate() -> None:
    # gRPC reads its roots once per process: trust the sandbox's before any channel opens.
    trust(loopback_certificate().certificate_file)


@pytest.fixture
def google_sandbox() -> Iterator[GoogleSandbox]:
    state = SandboxState(seed=42, start=START, seeder=populate_demo)
    with start_google_sandbox(state) as server:
        yield server


ConnectorFactory = Callable[..., GoogleAdsConnector]


@pytest.fixture
def connect(google_sandbox: GoogleSandbox) -> ConnectorFactory:
    def build(credentials: GoogleCredentials = CREDENTIALS, **kw: object) -> GoogleAdsConnector:
        return build_google_ads(
            credentials,
            endpoint=google_sandbox.endpoint,
            token_uri=google_sandbox.token_uri,
            **kw,  # type: ignore[arg-type]
        )

    return build

"""Fixtures for the ads tests: the official SDK pointed at the local sandbox.

The SDK is used unmodified; only the session's ``GRAPH`` base URL changes
(an instance attribute, so several APIs with different tokens can coexist).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from facebook_business.api import FacebookAdsApi
from facebook_business.session import FacebookSession

from ads.sandbox import SandboxServer, start_sandbox

ApiFactory = Callable[..., FacebookAdsApi]


def _api(server: SandboxServer, token: str | None, timeout: float, version: str) -> FacebookAdsApi:
    session = FacebookSession(access_token=token, timeout=timeout)
    session.GRAPH = server.url
    return FacebookAdsApi(session, api_version=version)


@pytest.fixture
def make_api() -> ApiFactory:
    """``make_api(server, token="t", timeout=10, version="v24.0")`` -> a FacebookAdsApi."""

    def build(
        server: SandboxServer,
        token: str | None = "sandbox-token",
        *,
        timeout: float = 10.0,
        version: str = "v24.0",
    ) -> FacebookAdsApi:
        return _api(server, token, timeout, version)

    return build


@pytest.fixture
def graph_api(sandbox: SandboxServer, make_api: ApiFactory) -> FacebookAdsApi:
    """The SDK talking to the shared ``sandbox`` fixture with a valid token."""
    return make_api(sandbox)


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., SandboxServer]]:
    """Start extra sandboxes (stopped at teardown): ``make_sandbox(seed=1, start=...)``."""
    servers: list[SandboxServer] = []

    def build(*, start: datetime, **kwargs: object) -> SandboxServer:
        server = start_sandbox(start=start, **kwargs)  # type: ignore[arg-type]
        servers.append(server)
        return server

    yield build
    for server in servers:
        server.stop()

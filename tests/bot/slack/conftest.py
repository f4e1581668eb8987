"""Slack fixtures: the fake Slack Web API, a runtime wired to it, and signed requests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from mediabrain.web import create_app
from tests.bot.slack.fake_slack import FakeSlack
from tests.bot.slack.payloads import signed_headers
from tests.support.workers import WorkerProcess, worker_env

if TYPE_CHECKING:
    from httpx2 import Response  # what starlette's TestClient answers with

SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def slack_settings(fake_slack: FakeSlack) -> dict[str, Any]:
    return {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SECRET,
        "slack_api_url": fake_slack.api_url,
    }


class SlackClient:
    """The real web app behind Starlette's TestClient, with Slack-signed posts."""

    def __init__(self, client: TestClient) -> None:
        self.http = client

    def post(
        self,
        payload: tuple[str, str],
        *,
        secret: str = SECRET,
        timestamp: int | None = None,
        headers: dict[str, str] | None = None,
        signed: bool = True,
    ) -> Response:
        body, content_type = payload
        sent = (
            signed_headers(secret, body, timestamp=timestamp, content_type=content_type)
            if signed
            else {"Content-Type": content_type}
        )
        sent.update(headers or {})
        return self.http.post("/slack/events", content=body.encode(), headers=sent)


@pytest.fixture
def slack_app(
    slack_settings: dict[str, Any], make_runtime: Callable[..., Any]
) -> Iterator[Callable[..., Any]]:
    """``slack_app(**runtime kwargs) -> (runtime, SlackClient)`` through ``create_app``."""
    clients: list[TestClient] = []

    def build(**overrides: Any) -> tuple[Any, SlackClient]:
        rt = make_runtime(**{**slack_settings, **overrides})
        client = TestClient(create_app(rt.settings, rt))
        clients.append(client)
        return rt, SlackClient(client)

    yield build
    for client in clients:
        client.close()


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., WorkerProcess]]:
    """``start_worker(**MEDIABRAIN_settings)`` → a running worker with that environment."""
    workers: list[WorkerProcess] = []

    def start(**settings: str) -> WorkerProcess:
        settings.setdefault("data_dir", str(tmp_path / "worker-data"))
        worker = WorkerProcess(worker_env(settings), tmp_path / f"worker-{len(workers)}.log")
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()

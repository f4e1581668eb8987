"""Slack fixtures: the fake Slack Web API, a runtime wired to it, and signed requests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from mediabrain.web import create_app
from tests.slack.fake_slack import FakeSlack
from tests.slack.payloads import signed_headers

ROOT = Path(__file__).resolve().parents[2]
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
) -> Callable[..., Any]:
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


class WorkerProcess:
    """A real ``mediabrain worker`` subprocess (RQ), stopped at teardown."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        self._out = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mediabrain.cli", "worker"],
            env=env,
            cwd=ROOT,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._out.close()


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., WorkerProcess]]:
    """``start_worker(**MEDIABRAIN_settings)`` → a running worker with that environment."""
    workers: list[WorkerProcess] = []

    def start(**settings: str) -> WorkerProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDIABRAIN_", "SLACK_"))}
        env.update({f"MEDIABRAIN_{name.upper()}": value for name, value in settings.items()})
        env.setdefault("MEDIABRAIN_DATA_DIR", str(tmp_path / "worker-data"))
        env["PYTHONPATH"] = str(ROOT)
        worker = WorkerProcess(env, tmp_path / f"worker-{len(workers)}.log")
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()

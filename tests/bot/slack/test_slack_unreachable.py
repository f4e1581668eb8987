"""`mediabrain serve` starts when Slack cannot be reached (issue 15, item 9): auth.test is
retried in the background, /healthz says degraded, and WhatsApp keeps answering."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bot.slack.auth_check import start_auth_check
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI
from tests.support.waiting import eventually

ROOT = Path(__file__).resolve().parents[3]
NUMBER = "5511988887777"
CLOSED = "http://127.0.0.1:1/api/"  # nothing listens on port 1: Slack is unreachable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    code = "import sys; from mediabrain.cli import main; raise SystemExit(main(sys.argv[1:]))"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_serve_starts_without_slack_and_whatsapp_keeps_working(tmp_path: Path) -> None:
    cloud = FakeCloudAPI().start()
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MEDIABRAIN_", "SLACK_"))},
        "MEDIABRAIN_DATA_DIR": str(tmp_path),
        "MEDIABRAIN_SANDBOX": "off",
        "MEDIABRAIN_SLACK_BOT_TOKEN": "xoxb-test-token",
        "MEDIABRAIN_SLACK_SIGNING_SECRET": "test-signing-secret",
        "MEDIABRAIN_SLACK_API_URL": CLOSED,
        "MEDIABRAIN_WHATSAPP_PHONE_ID": payloads.PHONE_ID,
        "MEDIABRAIN_WHATSAPP_TOKEN": payloads.TOKEN,
        "MEDIABRAIN_WHATSAPP_APP_SECRET": payloads.APP_SECRET,
        "MEDIABRAIN_WHATSAPP_VERIFY_TOKEN": payloads.VERIFY_TOKEN,
        "MEDIABRAIN_WHATSAPP_API_URL": cloud.url,
    }
    added = cli("users", "add", "--whatsapp", NUMBER, "--role", "admin", env=env)
    assert added.wait(timeout=60) == 0
    server = cli("serve", "--port", str(port), env=env)
    base = f"http://127.0.0.1:{port}"
    try:

        def health() -> dict[str, str] | None:
            if server.poll() is not None:
                raise AssertionError(f"serve exited:\n{server.stdout.read()}")  # type: ignore[union-attr]
            try:
                return httpx.get(f"{base}/healthz", timeout=2).json()  # type: ignore[no-any-return]
            except httpx.HTTPError:
                return None

        state = eventually(health, timeout=60, what="serve's /healthz")
        assert state["status"] == "degraded" and state["slack"] == "degraded"
        assert state["database"] == "ok"

        # the number's owner answers the one-time code `users add` sent (issue 13), then asks
        code = re.search(r"\b(\d{6})\b", cloud.to(NUMBER)[-1].text)
        assert code, cloud.to(NUMBER)
        for text in (code.group(1), "ajuda"):
            body, headers = payloads.signed(payloads.text(NUMBER, text))
            response = httpx.post(f"{base}/whatsapp/webhook", content=body, headers=headers)
            assert response.status_code == 200
        sent = cloud.wait_for(
            lambda sent: any(s.to == NUMBER and "relatório" in s.text for s in sent), timeout=30
        )
        assert any("relatório" in s.text for s in sent if s.to == NUMBER)
        time.sleep(2.5)  # the first warning follows slack_sdk's own retry of auth.test (~1 s)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
        cloud.stop()
    assert "Traceback" not in output
    assert "slack: auth.test unreachable" in output


def test_the_check_retries_until_slack_answers(fake_slack) -> None:  # type: ignore[no-untyped-def]
    from slack_sdk import WebClient

    waits: list[float] = []
    client = WebClient(token="xoxb-test-token", base_url=CLOSED)
    answering = WebClient(token="xoxb-test-token", base_url=fake_slack.api_url)

    def sleep(seconds: float) -> bool:  # Slack comes back after two failed attempts
        waits.append(seconds)
        if len(waits) == 2:
            client.base_url = answering.base_url
        return False

    status = start_auth_check(client, first_delay=1, sleep=sleep)
    assert status.wait(30)
    assert status.state == "ok" and status.attempts == 3 and waits == [1, 2]

"""Socket Mode (``mediabrain serve --slack-socket-mode``) over the fake Slack's WebSocket."""

from __future__ import annotations

from urllib.parse import parse_qs

from rq import Queue
from sqlalchemy import select

from bot.slack.socket import start_socket_mode
from storage.models import InboundEvent
from tests.bot.slack import payloads
from tests.bot.slack.fake_slack import FakeSlack


def test_a_slash_command_over_socket_mode_is_acked_and_queued(
    make_runtime, slack_settings, fake_slack: FakeSlack, sqlite_url: str, redis_url: str
) -> None:
    rt = make_runtime(
        database_url=sqlite_url,
        redis_url=redis_url,
        sandbox="off",
        slack_app_token="xapp-1-test",
        **slack_settings,
    )
    handler = start_socket_mode(rt)
    try:
        body, _ = payloads.slash_command(
            "report yesterday", response_url=fake_slack.response_url("s")
        )
        command = {k: v[0] for k, v in parse_qs(body).items()}
        ack = fake_slack.push_socket_event(
            {"type": "slash_commands", "payload": command, "accepts_response_payload": True}
        )
    finally:
        handler.close()
    assert ack["payload"] == {"text": "⏳ Recebido: `/ads report yesterday`. Já te respondo aqui."}
    (opened,) = fake_slack.calls_to("apps.connections.open")
    assert opened.token == "xapp-1-test"
    assert Queue("high", connection=rt.redis).count == 1
    with rt.db.session() as session:
        (payload,) = session.scalars(select(InboundEvent.payload))
    assert payload["text"] == "report yesterday"

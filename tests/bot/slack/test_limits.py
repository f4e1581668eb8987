"""Issue 13, hole 6 on Slack: a flood of slash commands is cut at the door, told once."""

from __future__ import annotations

from rq import Queue

from tests.bot.slack import payloads
from tests.bot.slack.fake_slack import FakeSlack


def test_a_slash_command_flood_is_acked_honestly(
    slack_app, fake_slack: FakeSlack, pg_url: str, redis_url: str
) -> None:
    rt, slack = slack_app(
        database_url=pg_url, redis_url=redis_url, sandbox="off", rate_turns_person="3/1m"
    )
    responses = [
        slack.post(payloads.slash_command("campaigns", response_url=fake_slack.response_url("r")))
        for _ in range(12)
    ]
    assert {r.status_code for r in responses} == {200}
    acks = [r.text for r in responses]
    assert acks[:3] == ["⏳ Recebido: `/ads campaigns`. Já te respondo aqui."] * 3
    notice = responses[3].json()
    assert notice["response_type"] == "ephemeral"
    assert notice["text"].startswith("Recebi muitas mensagens suas em pouco tempo. Vou ignorar")
    assert acks[4:] == [""] * 8  # dropped quietly: no "got it" for what will not be answered
    assert Queue("high", connection=rt.redis).count == 3

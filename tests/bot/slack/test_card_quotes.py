"""Slack: an injected agent's reason on a Block Kit card is a quotation; the fallback is escaped."""

from __future__ import annotations

import json
from typing import Any

from storage.models import Role
from storage.repositories import add_user, ensure_workspace
from tests.bot.slack.fake_slack import FakeSlack
from tests.support.injection import assert_quoted, injected_proposal


def block_texts(blocks: Any) -> str:
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    out = []
    for block in blocks:
        for part in [block.get("text"), *(block.get("fields") or [])]:
            if isinstance(part, dict):
                out.append(part["text"])
    return "\n".join(out)


def test_a_fake_approval_in_an_agents_reason_stays_quoted_on_slack(
    slack_app: Any, fake_slack: FakeSlack, sandbox: Any, sqlite_url: str
) -> None:
    rt, _slack = slack_app(database_url=sqlite_url, sandbox=sandbox)
    with rt.db.session() as session:
        olga = add_user(
            session, ensure_workspace(session), role=Role.OPERATOR, name="Olga", slack_user_id="U0O"
        )
    injected_proposal(rt, "slack", "C0001", olga.user_id)

    (post,) = fake_slack.wait_for("chat.postMessage")
    shown = block_texts(post.params["blocks"])
    assert "Pedido por agente" in shown or "Pedido por" in shown
    assert_quoted(shown)
    fallback = post.params["text"]
    assert "<!channel>" not in fallback and "<" not in fallback.replace("&lt;", "")
    assert_quoted(fallback)

"""Reject on Slack opens a modal asking why; the reason reaches the audit and the crew's learnings."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from storage.models import AuditEntry, Learning, Proposal, Role
from storage.repositories import add_user, ensure_workspace
from tests.bot.slack import payloads
from tests.bot.slack.fake_slack import FakeSlack
from tests.support.waiting import eventually


def test_reject_asks_why_in_a_modal_and_the_reason_is_kept(
    slack_app: Any, fake_slack: FakeSlack, sandbox: Any, sqlite_url: str
) -> None:
    rt, slack = slack_app(database_url=sqlite_url, sandbox=sandbox)  # jobs in-process
    with rt.db.session() as session:
        workspace = ensure_workspace(session)
        add_user(session, workspace, role=Role.APPROVER, name="Bia", slack_user_id="U0BOSS")

    slack.post(
        payloads.slash_command(
            "pause Advantage+ Shopping", user_id="U0BOSS", response_url=fake_slack.response_url("a")
        )
    )
    card = eventually(fake_slack.last_message_with_buttons, what="the approval card")
    _, reject = payloads.buttons(card)
    clicked = slack.post(
        payloads.block_action(
            reject["action_id"],
            reject["value"],
            message=card,
            user_id="U0BOSS",
            user_name="bia",
            response_url=fake_slack.response_url("reject"),
        )
    )
    assert clicked.status_code == 200
    (opened,) = fake_slack.wait_for("views.open")
    sent = opened.params["view"]
    view = {**(json.loads(sent) if isinstance(sent, str) else sent), "id": "V0REASON"}
    assert view["title"]["text"] == "Por que rejeitar?"

    def state() -> str:
        with rt.db.session() as session:
            return session.scalar(select(Proposal.state).where(Proposal.id == reject["value"]))

    eventually(lambda: state() == "rejected", what="the rejection")

    reason = "É a campanha que segura o faturamento do mês"
    submitted = slack.post(
        payloads.view_submission(
            view,
            {"reason": {"text": {"type": "plain_text_input", "value": reason}}},
            user_id="U0BOSS",
        )
    )
    assert submitted.status_code == 200 and submitted.text == ""  # the modal closes

    def noted() -> bool:
        return any("Anotado: “" + reason in m.get("text", "") for m in fake_slack.messages)

    eventually(noted, what="the reason acknowledged in the channel")
    with rt.db.session() as session:
        learning = session.scalars(select(Learning).where(Learning.kind == "decision")).one()
        audited = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "proposal.reason")
        ).one()
    assert learning.data == {**learning.data, "decision": "rejected", "reason": reason}
    assert audited.channel == "slack" and audited.detail["reason"] == reason

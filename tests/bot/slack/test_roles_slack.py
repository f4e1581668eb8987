"""Slack, as an attacker would ask: a stranger or viewer starting the crew, a viewer muting alerts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from storage.models import AuditEntry, CrewRun, Role, Subscription
from storage.repositories import add_user, ensure_workspace
from tests.bot.slack import payloads
from tests.bot.slack.fake_slack import FakeSlack
from tests.crews.fake_llm import FakeLLM
from tests.crews.script import CrewScript
from tests.support.waiting import eventually

REFUSAL = "Desculpe, isso precisa do papel de operador neste workspace (o seu é leitor)."


def test_only_an_operator_starts_an_analysis_that_can_propose(
    slack_app: Any, fake_slack: FakeSlack, sandbox: Any, sqlite_url: str
) -> None:
    llm = FakeLLM(CrewScript()).start()
    try:
        rt, slack = slack_app(
            database_url=sqlite_url,
            sandbox=sandbox,
            llm_model="openai/scripted-crew",
            llm_base_url=llm.url,
            llm_api_key="test-key",
        )
        with rt.db.session() as session:
            workspace = ensure_workspace(session)
            add_user(session, workspace, role=Role.VIEWER, name="Vera", slack_user_id="U0VERA")
            add_user(session, workspace, role=Role.OPERATOR, name="Olga", slack_user_id="U0OLGA")

        def runs() -> int:
            with rt.db.session() as session:
                return int(session.scalar(select(func.count()).select_from(CrewRun)) or 0)

        asks = [
            payloads.app_mention("analisar minhas campanhas", user_id="U0NOBODY"),  # unregistered
            payloads.direct_message("analise minhas campanhas da semana", user_id="U0VERA"),
            payloads.app_mention("planeje uma campanha de natal com R$ 5.000", user_id="U0VERA"),
        ]
        for number, ask in enumerate(asks, start=1):
            assert slack.post(ask).status_code == 200
            posts = fake_slack.wait_for("chat.postMessage", count=number)
            assert posts[-1].params["text"] == f":warning: {REFUSAL}"
        assert runs() == 0 and llm.calls == []

        slack.post(payloads.app_mention("analisar minhas campanhas", user_id="U0OLGA"))
        eventually(lambda: runs() == 1, what="the operator's crew run")

        def finished() -> bool:
            with rt.db.session() as session:
                return session.scalars(select(CrewRun)).one().status in ("done", "failed")

        eventually(finished, what="the run to finish", timeout=90)
        assert llm.calls  # the operator's request did reach the crew
    finally:
        llm.stop()


def test_a_viewer_cannot_switch_off_a_shared_channels_budget_alerts(
    slack_app: Any, fake_slack: FakeSlack, sandbox: Any, sqlite_url: str
) -> None:
    rt, slack = slack_app(database_url=sqlite_url, sandbox=sandbox)
    with rt.db.session() as session:
        workspace = ensure_workspace(session)
        add_user(session, workspace, role=Role.OPERATOR, name="Olga", slack_user_id="U0OLGA")
        add_user(session, workspace, role=Role.VIEWER, name="Vera", slack_user_id="U0VERA")

    slack.post(payloads.app_mention("ligar alertas", user_id="U0OLGA"))  # in #C0001, shared
    fake_slack.wait_for("chat.postMessage", count=1)
    for attempt in ("desligar alertas", "alertas em 500%"):
        slack.post(payloads.app_mention(attempt, user_id="U0VERA"))
    posts = fake_slack.wait_for("chat.postMessage", count=3)
    assert [p.params["text"] for p in posts[1:]] == [f":warning: {REFUSAL}"] * 2

    def refusals() -> list[AuditEntry]:  # committed just after the reply went out
        with rt.db.session() as session:
            return list(
                session.scalars(select(AuditEntry).where(AuditEntry.action == "route.refused"))
            )

    eventually(lambda: len(refusals()) == 2, what="both refusals")
    audited = refusals()
    with rt.db.session() as session:
        (alerts,) = session.scalars(select(Subscription).where(Subscription.kind == "alerts"))
    assert alerts.enabled and alerts.thresholds != [500]  # as the operator left them
    assert sorted((e.subject, e.detail["role"]) for e in audited) == [
        ("alert_thresholds", "viewer"),
        ("alerts_switch", "viewer"),
    ]

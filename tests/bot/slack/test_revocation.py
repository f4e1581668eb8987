"""Uninstalling the app or revoking its token takes access away (issue 13, hole 9, Slack part)."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import AuditEntry, SlackInstallation, Subscription, Workspace
from tests.bot.slack import payloads
from tests.bot.slack.conftest import SlackClient
from tests.bot.slack.fake_slack import FakeSlack
from tests.bot.slack.test_tenancy import installed, oauth
from vocabulary.inbound import Channel
from vocabulary.recipients import KINDS, recipients


def _team_workspace(rt, team: str) -> int:  # type: ignore[no-untyped-def]
    with rt.db.session() as session:
        return session.scalar(select(Workspace.id).where(Workspace.slack_team_id == team))


def _setup(make_runtime, fake_slack: FakeSlack, db_url: str):  # type: ignore[no-untyped-def]
    """Two agencies installed; T0B's admin has talked to the bot, so pushes would reach her."""
    rt, client = oauth(make_runtime, fake_slack, sandbox="on", database_url=db_url)
    installed(client, fake_slack, "T0A", "U0ALI")
    installed(client, fake_slack, "T0B", "U0BEA")
    slack = SlackClient(client)
    for team, user in (("T0A", "U0ALI"), ("T0B", "U0BEA")):
        dm = payloads.direct_message("ajuda", user_id=user, channel_id=f"D{user}", team_id=team)
        assert slack.post(dm).status_code == 200
        rt.queue.drain()
    fake_slack.wait_for("chat.postMessage", count=2)
    workspace = _team_workspace(rt, "T0B")
    for kind in KINDS:  # before: every push reaches her Slack DM
        assert [r.to.chat_id for r in recipients(rt, workspace, kind, hour=18)] == ["DU0BEA"]
    return rt, slack


def _slack_pushes(rt, workspace: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        r.to.chat_id
        for kind in KINDS
        for r in recipients(rt, workspace, kind, hour=18)
        if r.to.channel == Channel.SLACK
    ]


def test_app_uninstalled_deletes_the_tokens_stops_pushes_and_is_audited(
    make_runtime, fake_slack: FakeSlack, pg_url: str
) -> None:
    rt, slack = _setup(make_runtime, fake_slack, pg_url)
    workspace = _team_workspace(rt, "T0B")
    uninstalled = payloads.event_callback({"type": "app_uninstalled"}, team_id="T0B")
    assert slack.post(uninstalled).status_code == 200
    assert slack.post(uninstalled).status_code == 200  # Slack's retry: harmless

    with rt.db.session() as session:
        teams = set(session.scalars(select(SlackInstallation.team_id)))
        entries = list(
            session.scalars(select(AuditEntry).where(AuditEntry.action == "slack.app_uninstalled"))
        )
        subs = list(
            session.scalars(select(Subscription).where(Subscription.workspace_id == workspace))
        )
    assert teams == {"T0A"}  # T0B's token is gone, T0A untouched
    assert [(e.workspace_id, e.subject, e.actor, e.detail) for e in entries] == [
        (workspace, "T0B", "slack:T0B", {"installations_deleted": 1, "chats_stopped": 1})
    ]
    assert {(s.kind, s.enabled) for s in subs} == {(kind, False) for kind in KINDS}
    assert _slack_pushes(rt, workspace) == []
    assert _slack_pushes(rt, _team_workspace(rt, "T0A")) == ["DU0ALI"] * len(KINDS)

    # and the team's requests are refused from now on
    posted = len(fake_slack.calls_to("chat.postMessage"))
    command = payloads.slash_command(
        "relatório", user_id="U0BEA", team_id="T0B", response_url=fake_slack.response_url("gone")
    )
    assert slack.post(command).status_code == 200
    (notice,) = fake_slack.wait_for("response_url")
    assert "não está instalado" in notice.params["text"]
    rt.queue.drain()
    assert len(fake_slack.calls_to("chat.postMessage")) == posted


def test_a_revoked_bot_token_revokes_the_installation(
    make_runtime, fake_slack: FakeSlack, sqlite_url: str
) -> None:
    rt, slack = _setup(make_runtime, fake_slack, sqlite_url)
    workspace = _team_workspace(rt, "T0B")
    user_only = {"type": "tokens_revoked", "tokens": {"oauth": ["U0BEA"]}}
    assert slack.post(payloads.event_callback(user_only, team_id="T0B")).status_code == 200
    with rt.db.session() as session:  # we keep no user tokens: nothing to revoke
        assert set(session.scalars(select(SlackInstallation.team_id))) == {"T0A", "T0B"}

    bot = {"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}}
    assert slack.post(payloads.event_callback(bot, team_id="T0B")).status_code == 200
    with rt.db.session() as session:
        assert set(session.scalars(select(SlackInstallation.team_id))) == {"T0A"}
        (entry,) = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "slack.tokens_revoked")
        )
    assert (entry.workspace_id, entry.subject) == (workspace, "T0B")
    assert _slack_pushes(rt, workspace) == []

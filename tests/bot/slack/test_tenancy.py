"""The tenant is the verified installation (issue 13, holes 4 and 8), as an attacker would try it.

Every request below is signed with the app's signing secret, as Slack signs
what it delivers from any team that installed the app: the attacks are in what
the body claims (``event.team``, the user's team, a team nobody installed).
"""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mediabrain.web import create_app
from storage.models import InboundEvent, Membership, User, Workspace
from tests.bot.slack import payloads
from tests.bot.slack.conftest import SECRET, SlackClient
from tests.bot.slack.fake_slack import FakeSlack
from tests.bot.slack.test_oauth import install


def oauth(make_runtime, fake_slack: FakeSlack, **overrides):  # type: ignore[no-untyped-def]
    rt = make_runtime(
        slack_client_id="1111.2222",
        slack_client_secret="client-secret",
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.api_url,
        **overrides,
    )
    client = TestClient(create_app(rt.settings, rt), base_url="https://testserver")
    return rt, client


def installed(client: TestClient, fake: FakeSlack, team: str, installer: str) -> None:
    fake.next_install = {"team_id": team, "team_name": f"Agency {team}", "user_id": installer}
    assert install(client, fake)[0].status_code == 200


def memberships(rt) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """(workspace slug, slack user, role) for every membership."""
    with rt.db.session() as session:
        rows = session.execute(
            select(Workspace.slug, User.slack_user_id, Membership.role)
            .join(Membership, Membership.workspace_id == Workspace.id)
            .join(User, User.id == Membership.user_id)
        ).all()
    return {(slug, user or "", role) for slug, user, role in rows}


def stored(rt) -> int:  # type: ignore[no-untyped-def]
    with rt.db.session() as session:
        return session.scalar(select(func.count()).select_from(InboundEvent))


def mention_claiming(team: str, *, installation: str, user: str, text: str) -> tuple[str, str]:
    """A mention delivered to ``installation`` whose ``event.team`` claims ``team``."""
    body, content_type = payloads.app_mention(text, user_id=user, team_id=installation)
    event = json.loads(body)
    event["event"]["team"] = team
    return json.dumps(event), content_type


def test_a_crafted_event_team_never_reaches_another_workspace(
    make_runtime, sandbox, fake_slack: FakeSlack, sqlite_url: str
) -> None:
    rt, client = oauth(
        make_runtime, fake_slack, sandbox=sandbox, database_url=sqlite_url, slack_team_id="T0OPS"
    )
    installed(client, fake_slack, "T0OPS", "U0OPS")  # the operator: default, with its account
    installed(client, fake_slack, "T0B", "U0BEA")  # another agency
    slack = SlackClient(client)
    before = memberships(rt)
    assert before == {("default", "U0OPS", "admin"), ("slack-t0b", "U0BEA", "admin")}

    # Delivered to T0B's installation, claiming to come from the operator's team and admin.
    attack = mention_claiming(
        "T0OPS", installation="T0B", user="U0OPS", text="relatório dos últimos 7 dias"
    )
    assert slack.post(attack).status_code == 200
    rt.queue.drain()
    assert stored(rt) == 0
    assert fake_slack.calls_to("chat.postMessage") == []
    assert memberships(rt) == before

    # The same words from T0B's own admin are answered in T0B's workspace, with T0B's token.
    own = payloads.app_mention("relatório dos últimos 7 dias", user_id="U0BEA", team_id="T0B")
    assert slack.post(own).status_code == 200
    rt.queue.drain()
    posts = fake_slack.wait_for("chat.postMessage")
    assert all((post.token or "").startswith("xoxb-installed-T0B-") for post in posts)
    assert "Loja Aurora" not in json.dumps([p.params for p in posts], ensure_ascii=False)
    assert memberships(rt) == before


def test_a_team_nobody_installed_is_refused_and_nobody_is_enrolled(
    make_runtime, fake_slack: FakeSlack, sqlite_url: str
) -> None:
    rt, client = oauth(make_runtime, fake_slack, sandbox="on", database_url=sqlite_url)
    installed(client, fake_slack, "T0B", "U0BEA")
    slack = SlackClient(client)
    before = memberships(rt)
    attempts = [
        payloads.app_mention("relatório", user_id="U0EVE", team_id="T0NOBODY"),
        payloads.direct_message("campanhas", user_id="U0EVE", team_id="T0NOBODY"),
        payloads.slash_command(
            "report", user_id="U0EVE", team_id="T0NOBODY", response_url=fake_slack.response_url("x")
        ),
    ]
    for attempt in attempts:
        assert slack.post(attempt).status_code in (200, 401)
    rt.queue.drain()
    assert stored(rt) == 0
    assert memberships(rt) == before
    assert not any(slug == "default" for slug, _, _ in memberships(rt))
    assert fake_slack.calls_to("chat.postMessage") == []


def test_one_bot_token_serves_only_its_own_team(
    slack_app, fake_slack: FakeSlack, sqlite_url: str
) -> None:
    rt, slack = slack_app(database_url=sqlite_url, sandbox="on")  # the token's team is T0001
    events = [
        payloads.direct_message("relatório", user_id="U0EVE", team_id="T0EVIL"),
        mention_claiming("T0EVIL", installation="T0001", user="U0EVE", text="relatório"),
    ]
    for attempt in events:
        assert slack.post(attempt).status_code == 200
    command = payloads.slash_command(
        "report", user_id="U0EVE", team_id="T0EVIL", response_url=fake_slack.response_url("e")
    )
    assert "não está instalado" in slack.post(command).json()["text"]
    rt.queue.drain()
    assert stored(rt) == 0
    assert memberships(rt) == set()

    # the token's own team is the operator's: it claims `default`, its new people are viewers
    assert slack.post(payloads.direct_message("ajuda", user_id="U0ANA")).status_code == 200
    rt.queue.drain()
    fake_slack.wait_for("chat.postMessage")
    assert memberships(rt) == {("default", "U0ANA", "viewer")}
    with rt.db.session() as session:
        teams = dict(session.execute(select(Workspace.slug, Workspace.slack_team_id)).all())
    assert teams == {"default": "T0001"}


def test_only_the_configured_team_may_claim_default(
    slack_app, fake_slack: FakeSlack, sqlite_url: str
) -> None:
    # The operator pinned another team: this bot token's team (T0001) may not claim `default`.
    rt, slack = slack_app(database_url=sqlite_url, sandbox="on", slack_team_id="T0OPS")
    command = payloads.slash_command("ajuda", response_url=fake_slack.response_url("a"))
    ack = slack.post(command)
    assert ack.status_code == 200 and "não está instalado" in ack.json()["text"]
    rt.queue.drain()
    assert stored(rt) == 0 and memberships(rt) == set()


def test_the_first_install_no_longer_takes_over_default(
    make_runtime, fake_slack: FakeSlack, sqlite_url: str
) -> None:
    rt, client = oauth(make_runtime, fake_slack, sandbox="on", database_url=sqlite_url)
    installed(client, fake_slack, "T0FIRST", "U0FIRST")
    installed(client, fake_slack, "T0SECOND", "U0SECOND")
    assert memberships(rt) == {
        ("slack-t0first", "U0FIRST", "admin"),
        ("slack-t0second", "U0SECOND", "admin"),
    }
    with rt.db.session() as session:
        default = session.scalar(select(Workspace).where(Workspace.slug == "default"))
        assert default.slack_team_id is None


def test_the_operators_team_installs_into_default(
    make_runtime, fake_slack: FakeSlack, sqlite_url: str
) -> None:
    rt, client = oauth(
        make_runtime, fake_slack, sandbox="on", database_url=sqlite_url, slack_team_id="T0OPS"
    )
    installed(client, fake_slack, "T0OTHER", "U0OTHER")  # first, but not the operator's
    installed(client, fake_slack, "T0OPS", "U0OPS")
    installed(client, fake_slack, "T0OPS", "U0LATER")  # a reinstall by someone else
    assert memberships(rt) == {
        ("slack-t0other", "U0OTHER", "admin"),
        ("default", "U0OPS", "admin"),
    }

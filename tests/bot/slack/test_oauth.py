"""Multi-workspace install: /slack/install → (fake) Slack → /slack/oauth_redirect → our database."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mediabrain.web import create_app
from storage.models import Membership, SlackInstallation, User, Workspace
from tests.bot.slack import payloads
from tests.bot.slack.conftest import SECRET, SlackClient
from tests.bot.slack.fake_slack import FakeSlack
from vocabulary.inbound import Channel

if TYPE_CHECKING:
    from httpx2 import Response as TestResponse  # what starlette's TestClient answers with


@pytest.fixture
def oauth_app(make_runtime, fake_slack: FakeSlack):  # type: ignore[no-untyped-def]
    def build(**overrides):  # type: ignore[no-untyped-def]
        rt = make_runtime(
            sandbox="off",
            slack_client_id="1111.2222",
            slack_client_secret="client-secret",
            slack_signing_secret=SECRET,
            slack_api_url=fake_slack.api_url,
            **overrides,
        )
        # https: Bolt's state cookie is Secure, as on a real deployment
        client = TestClient(create_app(rt.settings, rt), base_url="https://testserver")
        return rt, client

    return build


def install(client: TestClient, fake: FakeSlack) -> tuple[TestResponse, str]:
    """Click "Add to Slack", approve on the (fake) Slack page, come back with the code."""
    page = client.get("/slack/install")
    assert page.status_code == 200
    found = re.search(r'href="([^"]+oauth/v2/authorize[^"]+)"', page.text)
    assert found is not None
    link = html.unescape(found.group(1))
    assert link.startswith(fake.url)
    query = parse_qs(urlparse(link).query)
    assert query["client_id"] == ["1111.2222"]
    assert "files:write" in query["scope"][0].split(",")
    granted = httpx.get(link).json()  # the fake's authorize page hands out a code
    callback = client.get(
        "/slack/oauth_redirect", params={"code": granted["code"], "state": granted["state"]}
    )
    return callback, granted["state"]


def test_an_install_is_stored_encrypted_and_links_the_team_to_a_workspace(
    oauth_app, fake_slack: FakeSlack, pg_url: str, redis_url: str
) -> None:
    rt, client = oauth_app(database_url=pg_url, redis_url=redis_url)
    callback, state = install(client, fake_slack)
    assert callback.status_code == 200, callback.text
    with rt.db.session() as session:
        row = session.scalar(select(SlackInstallation))
        assert (row.team_id, row.team_name, row.installer_user_id) == (
            "T0INSTALL",
            "Installed Agency",
            "U0INSTALLER",
        )
        assert b"xoxb" not in row.bot_token_encrypted  # encrypted at rest
        workspace = session.get(Workspace, row.workspace_id)
        # the first install no longer takes over `default` (issue 13): a workspace of its own
        assert (workspace.slug, workspace.slack_team_id) == ("slack-t0install", "T0INSTALL")
        installer = session.scalar(select(User).where(User.slack_user_id == "U0INSTALLER"))
        role = session.scalar(select(Membership.role).where(Membership.user_id == installer.id))
        assert role == "admin"
    (access,) = fake_slack.calls_to("oauth.v2.access")
    assert access.token == "basic:1111.2222"  # client credentials, as Slack wants them

    # the state is single-use: replaying the callback installs nothing more
    fake_slack.oauth_codes["code-replayed"] = dict(fake_slack.next_install)
    replay = client.get("/slack/oauth_redirect", params={"code": "code-replayed", "state": state})
    assert replay.status_code == 400
    assert len(fake_slack.calls_to("oauth.v2.access")) == 1

    # a second agency gets a workspace of its own
    fake_slack.next_install = {"team_id": "T0SECOND", "team_name": "Second", "user_id": "U0BOSS"}
    assert install(client, fake_slack)[0].status_code == 200
    with rt.db.session() as session:
        slugs = dict(session.execute(select(Workspace.slack_team_id, Workspace.slug)).all())
    assert slugs == {
        None: "default",
        "T0INSTALL": "slack-t0install",
        "T0SECOND": "slack-t0second",
    }


def test_a_forged_state_installs_nothing(oauth_app, fake_slack: FakeSlack, sqlite_url: str) -> None:
    rt, client = oauth_app(database_url=sqlite_url)
    client.get("/slack/install")
    fake_slack.oauth_codes["code-x"] = dict(fake_slack.next_install)
    response = client.get(
        "/slack/oauth_redirect", params={"code": "code-x", "state": "abc.1.deadbeef"}
    )
    assert response.status_code == 400
    assert fake_slack.calls_to("oauth.v2.access") == []
    with rt.db.session() as session:
        assert session.scalar(select(SlackInstallation)) is None


def test_requests_from_an_installed_team_use_its_own_token(
    oauth_app, fake_slack: FakeSlack, sqlite_url: str
) -> None:
    rt, client = oauth_app(database_url=sqlite_url)
    assert install(client, fake_slack)[0].status_code == 200
    slack = SlackClient(client)
    response = slack.post(
        payloads.slash_command(
            "ajuda", team_id="T0INSTALL", response_url=fake_slack.response_url("a")
        )
    )
    assert response.status_code == 200 and response.text.startswith("⏳")
    rt.queue.drain()  # no Redis: the job ran on the web app's background thread
    (posted,) = fake_slack.wait_for("chat.postMessage")
    assert (posted.token or "").startswith("xoxb-installed-T0INSTALL-")
    assert rt.sender(Channel.SLACK).token  # the sender resolves tokens per team

    stranger = slack.post(
        payloads.slash_command(
            "ajuda", team_id="T0NOBODY", response_url=fake_slack.response_url("n")
        )
    )
    assert stranger.status_code == 200
    (notice,) = fake_slack.wait_for("response_url")
    assert notice.key == "n" and "não está instalado" in notice.params["text"]

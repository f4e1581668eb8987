"""A stored token that no longer decrypts: an invalid token, said plainly, admins reached.

The admins never wrote to the bot: one is reached by a Slack DM the sender opens
with ``conversations.open`` (fake Slack API), the other by a WhatsApp template
(fake Cloud API). With no admin reachable at all, the log carries an ALARM.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from storage.models import AdAccount, AuditEntry, Role
from storage.repositories import DEFAULT_WORKSPACE, add_user, ensure_workspace
from tests.bot.slack import payloads
from tests.bot.slack.fake_slack import FakeSlack
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI
from tests.support.waiting import eventually

ADMIN_SLACK = "U0BIA"
ADMIN_WHATSAPP = "5511977776666"


@pytest.fixture
def fake_cloud() -> Iterator[FakeCloudAPI]:
    server = FakeCloudAPI().start()
    yield server
    server.stop()


def _whatsapp(fake_cloud: FakeCloudAPI) -> dict[str, str]:
    return {
        "whatsapp_phone_id": "1234567890",
        "whatsapp_token": "wa-token",
        "whatsapp_app_secret": "wa-secret",
        "whatsapp_verify_token": "wa-verify",
        "whatsapp_api_url": fake_cloud.url,
    }


def _break_the_token(rt) -> AdAccount:  # type: ignore[no-untyped-def]
    """Encrypt the account's token with a key the deployment does not have (a rotated key)."""
    with rt.db.session() as session:
        account = session.scalars(select(AdAccount)).one()
        account.access_token_encrypted = Fernet(Fernet.generate_key()).encrypt(b"EAAold")
        session.flush()
        session.expunge(account)
    return account


def _people(rt, *admins: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    with rt.db.session() as session:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        add_user(session, workspace, role=Role.VIEWER, slack_user_id="U0ANA")
        for admin in admins:
            add_user(session, workspace, role=Role.ADMIN, **admin)  # type: ignore[arg-type]


def test_a_token_that_does_not_decrypt_is_invalid_and_admins_who_never_chatted_hear_it(
    slack_app, fake_slack: FakeSlack, fake_cloud: FakeCloudAPI, sandbox, sqlite_url: str
) -> None:  # type: ignore[no-untyped-def]
    rt, slack = slack_app(sandbox=sandbox, database_url=sqlite_url, **_whatsapp(fake_cloud))
    _people(rt, {"slack_user_id": ADMIN_SLACK}, {"whatsapp_number": ADMIN_WHATSAPP})
    account = _break_the_token(rt)

    command = payloads.slash_command("relatório", response_url=fake_slack.response_url("r"))
    assert slack.post(command).status_code == 200
    rt.queue.drain()

    (answer,) = fake_slack.wait_for("response_url")
    assert "O acesso à conta de anúncios expirou" in str(answer.params)
    assert "Algo deu errado" not in str(answer.params)
    with rt.db.session() as session:
        status = session.scalar(select(AdAccount.token_status))
        subjects = session.scalars(
            select(AuditEntry.subject).where(AuditEntry.action == "ads.token_invalid")
        ).all()
    assert status == "invalid"
    assert subjects == [account.external_id]

    assert fake_slack.opened == [ADMIN_SLACK]  # a DM opened for the admin who never chatted
    eventually(
        lambda: any(m["channel"] == "D0BIA" for m in fake_slack.messages),
        timeout=10,
        what="the admin's DM",
    )
    [dm] = [m for m in fake_slack.messages if m["channel"] == "D0BIA"]
    assert "reconectar a conta" in dm["text"]
    [template] = fake_cloud.wait_for(lambda s: any(m.to == ADMIN_WHATSAPP for m in s), timeout=10)
    assert template.type == "template"  # no window with someone who never wrote


def test_when_no_admin_can_be_reached_the_log_raises_an_alarm(
    slack_app, fake_slack: FakeSlack, sandbox, sqlite_url: str, caplog
) -> None:  # type: ignore[no-untyped-def]
    rt, slack = slack_app(sandbox=sandbox, database_url=sqlite_url)
    _people(rt)  # nobody is an admin
    _break_the_token(rt)
    with caplog.at_level(logging.WARNING):
        slack.post(payloads.slash_command("relatório", response_url=fake_slack.response_url("r")))
        rt.queue.drain()
    alarms = [r for r in caplog.records if r.getMessage().startswith("ALARM")]
    assert len(alarms) == 1 and "error.token_expired" in alarms[0].getMessage()

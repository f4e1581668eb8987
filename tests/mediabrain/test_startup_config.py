"""Start-up refuses unsafe configurations plainly, and the env ad account stays its owner's.

Issue 13: hole 2 (the env-configured ad account was linked to a stranger's
workspace), hole 12 (each host generated its own secret key on PostgreSQL).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from ads.sandbox.demo import DEMO_ACCOUNT_ID
from storage.models import AdAccount, Workspace
from tests.bot.slack import payloads
from tests.bot.slack.conftest import SlackClient
from tests.bot.slack.fake_slack import FakeSlack
from tests.bot.slack.test_tenancy import installed, oauth
from tests.support.workers import ROOT, TEST_SECRET_KEY


def mediabrain(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """The real CLI with only these ``MEDIABRAIN_*`` settings (names in lower case)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDIABRAIN_", "SLACK_"))}
    env.update({f"MEDIABRAIN_{k.upper()}": v for k, v in settings.items()})
    env.setdefault("MEDIABRAIN_DATA_DIR", str(tmp_path / "data"))
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mediabrain.cli",
            *args,
            *(["--port", "0"] if args == ("serve",) else []),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


@pytest.mark.postgres
def test_every_process_on_postgres_refuses_to_start_without_the_secret_key(
    tmp_path: Path, pg_url: str, redis_url: str
) -> None:
    for command in ("serve", "worker", "scheduler"):
        started = mediabrain(
            tmp_path, command, database_url=pg_url, redis_url=redis_url, sandbox="off"
        )
        assert started.returncode == 2, (command, started.stderr)
        assert "MEDIABRAIN_SECRET_KEY is not set" in started.stderr, command
        assert "Traceback" not in started.stderr, command
    assert not (tmp_path / "data" / "secret.key").exists()  # no host-local key was made

    bad = mediabrain(
        tmp_path, "worker", database_url=pg_url, redis_url=redis_url, secret_key="not-a-key"
    )
    assert bad.returncode == 2 and "not a valid Fernet key" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_the_embedded_sqlite_still_generates_its_own_key(tmp_path: Path) -> None:
    from vocabulary.settings import Settings

    settings = Settings(data_dir=tmp_path)
    settings.check_secret_key()  # no error: one host, one file
    assert settings.fernet_key == (tmp_path / "secret.key").read_bytes().strip()
    shared = Settings(
        data_dir=tmp_path, database_url="postgresql://db/x", secret_key=TEST_SECRET_KEY
    )
    assert shared.fernet_key == TEST_SECRET_KEY.encode()


def test_serve_refuses_the_env_ad_account_with_oauth_and_no_pinned_team(tmp_path: Path) -> None:
    refused = mediabrain(
        tmp_path,
        "serve",
        meta_access_token="EAAB-operator",
        meta_ad_account_id="act_1000000001",
        slack_client_id="1111.2222",
        slack_client_secret="client-secret",
        slack_signing_secret="signing-secret",
    )
    assert refused.returncode == 2
    assert "MEDIABRAIN_SLACK_TEAM_ID" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "data" / "mediabrain.sqlite3").exists()  # refused before linking


def test_a_strangers_install_never_gets_the_env_ad_account(
    make_runtime, sandbox, fake_slack: FakeSlack, sqlite_url: str
) -> None:
    graph = {
        "sandbox": "off",  # the real connector, on the sandbox's Graph URL, as in production
        "meta_graph_url": sandbox.url,  # type: ignore[attr-defined]
        "meta_access_token": "EAAB-operator",
        "meta_ad_account_id": DEMO_ACCOUNT_ID,
        "database_url": sqlite_url,
        "slack_team_id": "T0OPS",
    }
    rt, client = oauth(make_runtime, fake_slack, **graph)
    installed(client, fake_slack, "T0OPS", "U0OPS")
    installed(client, fake_slack, "T0EVE", "U0EVE")  # a stranger's agency installs the app
    rt, client = oauth(make_runtime, fake_slack, **graph)  # the next deploy prepares again
    with rt.db.session() as session:
        linked = session.execute(
            select(Workspace.slug, AdAccount.external_id).join(
                AdAccount, AdAccount.workspace_id == Workspace.id
            )
        ).all()
    assert [tuple(row) for row in linked] == [("default", DEMO_ACCOUNT_ID)]

    # the stranger's admin asks for the report: told there is no account, sees no figures
    slack = SlackClient(client)
    ask = payloads.direct_message("relatório de ontem", user_id="U0EVE", team_id="T0EVE")
    assert slack.post(ask).status_code == 200
    rt.queue.drain()
    (answer,) = fake_slack.wait_for("chat.postMessage")
    assert (answer.token or "").startswith("xoxb-installed-T0EVE-")
    shown = json.dumps(answer.params, ensure_ascii=False)
    assert "Nenhuma conta de anúncios vinculada" in shown and "R$" not in shown

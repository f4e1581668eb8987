"""Issue 13, holes 5 and 9 from the command line: `users add --whatsapp` sends the number a
code, refuses a number of another workspace; `users remove` makes its owner a stranger again.

The CLI runs as a real ``mediabrain`` process on the same PostgreSQL as the web app,
its WhatsApp pointed at the fake Cloud API; the phone answers through signed webhooks.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from mediabrain.web import create_app
from storage.models import Membership, User, Workspace
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.conftest import ANA, STRANGER, link, whatsapp_settings
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI
from tests.bot.whatsapp.test_chat import _say, sent_code
from tests.support.workers import ROOT, worker_env

#: One install, one key: the code's hash is keyed with it in every process (web, CLI).
SECRET_KEY = "jSE8T4oCkq0hF3ZxZb2Q9u9Jv6m1pKx3yq7WcV0nL5M="


def mediabrain(
    tmp_path: Path, database_url: str, *args: str, **settings: Any
) -> subprocess.CompletedProcess[str]:
    env = worker_env(
        {
            "data_dir": tmp_path / "cli",
            "sandbox": "off",
            "database_url": database_url,
            "secret_key": SECRET_KEY,
            **settings,
        },
        drop=(),
    )
    return subprocess.run(
        [sys.executable, "-m", "mediabrain.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def test_the_cli_refuses_a_number_that_belongs_to_another_workspace(
    wa_runtime, sandbox, fake_cloud: FakeCloudAPI, pg_url: str, tmp_path: Path
) -> None:
    rt = wa_runtime(sandbox=sandbox, database_url=pg_url)
    link(rt, ANA, "viewer")
    result = mediabrain(
        tmp_path,
        pg_url,
        *("users", "add", "--whatsapp", f"+{ANA}", "--role", "admin", "--workspace", "acme"),
        **whatsapp_settings(fake_cloud),
    )
    assert result.returncode == 2
    assert f"+{ANA}: already linked to workspace default" in result.stderr
    assert "Nothing was changed." in result.stderr
    assert fake_cloud.to(ANA) == []
    with rt.db.session() as session:
        assert session.scalars(select(Workspace.slug)).all() == ["default"]


def test_the_cli_links_a_number_its_owner_confirms_and_removes_it(
    wa_runtime, sandbox, fake_cloud: FakeCloudAPI, pg_url: str, tmp_path: Path
) -> None:
    rt = wa_runtime(sandbox=sandbox, database_url=pg_url, secret_key=SECRET_KEY)
    client = TestClient(create_app(rt.settings, rt))
    typed = "+55 (31) 96666-5555"
    added = mediabrain(
        tmp_path,
        pg_url,
        *("users", "add", "--whatsapp", typed, "--role", "approver", "--approval-limit", "500,00"),
        **whatsapp_settings(fake_cloud),
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout == (
        f"{typed}: code sent; linked as approver in workspace default when its owner answers "
        "it from WhatsApp (valid 15 minutes)\n"
    )
    assert mediabrain(tmp_path, pg_url, "users", "list").stdout == ""  # not linked yet

    done = _say(
        client, fake_cloud, STRANGER, payloads.text(STRANGER, sent_code(fake_cloud, STRANGER))
    )
    assert done.startswith("Pronto: este número agora está vinculado ao workspace")
    assert mediabrain(tmp_path, pg_url, "users", "list").stdout == (
        f"default          approver  {STRANGER} Ana\n"  # the WhatsApp profile name
    )
    with rt.db.session() as session:
        membership = session.scalars(select(Membership)).one()
    assert membership.approval_limit == Decimal(50000)

    removed = mediabrain(tmp_path, pg_url, "users", "remove", typed)
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout == f"{typed}: removed from workspace default (was approver)\n"
    after = _say(client, fake_cloud, STRANGER, payloads.text(STRANGER, "campanhas"))
    assert "Ainda não conheço este número" in after and "R$" not in after
    with rt.db.session() as session:
        assert session.scalars(select(User).where(User.whatsapp_number == STRANGER)).all() == []

"""The `mediabrain` command's chores, run as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(
    tmp_path: Path, *args: str, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIABRAIN_")}
    env["MEDIABRAIN_DATA_DIR"] = str(tmp_path / "data")
    env["MEDIABRAIN_SANDBOX"] = "off"
    if database_url:
        env["MEDIABRAIN_DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "mediabrain.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_db_upgrade_then_users_add_and_list_on_postgres(tmp_path: Path, pg_url: str) -> None:
    assert run(tmp_path, "db", "upgrade", database_url=pg_url).stdout == "database is up to date\n"
    added = run(
        tmp_path,
        "users",
        "add",
        "--slack",
        "U0APPROVER",
        "--role",
        "approver",
        "--approval-limit",
        "500,00",
        database_url=pg_url,
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout == "U0APPROVER: approver in workspace default\n"
    run(
        tmp_path,
        "users",
        "add",
        "--slack",
        "U0ADMIN",
        "--role",
        "admin",
        "--workspace",
        "acme",
        "--name",
        "Bia",
        database_url=pg_url,
    )
    listed = run(tmp_path, "users", "list", database_url=pg_url).stdout.splitlines()
    assert listed == [
        "default          approver  U0APPROVER",
        "acme             admin     U0ADMIN Bia",
    ]


def test_users_add_needs_an_identity(tmp_path: Path) -> None:
    result = run(tmp_path, "users", "add", "--role", "admin")
    assert result.returncode == 2
    assert "one of the arguments --slack --whatsapp is required" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        "chat",
        "serve",
        "worker",
        "scheduler",
        "sandbox",
        "db",
        "users",
        "accounts",
        "workspace",
        "audit",
    ],
)
def test_every_subcommand_has_help(tmp_path: Path, command: str) -> None:
    result = run(tmp_path, command, "--help")
    assert result.returncode == 0 and "usage: mediabrain" in result.stdout


def test_worker_explains_that_it_needs_redis(tmp_path: Path) -> None:
    result = run(tmp_path, "worker")
    assert result.returncode == 2
    assert "MEDIABRAIN_REDIS_URL is not set" in result.stderr


def test_workspace_settings_are_read_in_the_locale_and_stored_in_minor_units(
    tmp_path: Path, pg_url: str
) -> None:
    from sqlalchemy import create_engine, text

    run(tmp_path, "db", "upgrade", database_url=pg_url)
    changed = run(tmp_path, "workspace", "set", "target_cpa", "45,50", database_url=pg_url)
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout == "default: target_cpa = R$ 45,50 (was —)\n"
    assert (
        run(
            tmp_path,
            "workspace",
            "set",
            "profile.audience",
            "Mulheres",
            "25-44",
            database_url=pg_url,
        ).stdout
        == "default: profile.audience = Mulheres 25-44 (was —)\n"
    )

    bad = run(tmp_path, "workspace", "set", "timezone", "Mars/Base", database_url=pg_url)
    assert bad.returncode == 2 and "não é um fuso horário IANA" in bad.stderr
    unknown = run(tmp_path, "workspace", "set", "nope", "1", database_url=pg_url)
    assert unknown.returncode == 2 and "unknown setting 'nope'" in unknown.stderr
    missing = run(tmp_path, "workspace", "show", "--workspace", "acme", database_url=pg_url)
    assert missing.returncode == 2 and "unknown workspace 'acme'" in missing.stderr

    shown = run(tmp_path, "workspace", "show", database_url=pg_url).stdout.splitlines()
    assert "target_cpa                                 R$ 45,50" in shown
    with create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://")).connect() as db:
        stored = db.execute(text("SELECT target_cpa, profile FROM workspace_settings")).one()
        audit = db.execute(text("SELECT actor, action, subject FROM audit_log")).all()
    assert stored.target_cpa == 4550 and stored.profile == {"audience": "Mulheres 25-44"}
    assert ("cli", "settings.changed", "target_cpa") in [tuple(row) for row in audit]


def test_accounts_add_checks_with_meta_and_learns_currency_and_timezone(tmp_path: Path) -> None:
    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIABRAIN_")}
        env["MEDIABRAIN_DATA_DIR"] = str(tmp_path / "data")  # the embedded sandbox answers
        return subprocess.run(
            [sys.executable, "-m", "mediabrain.cli", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    added = cli("accounts", "add", "1000000002", "--token-stdin", stdin="EAAB-own-token\n")
    assert added.returncode == 0, added.stderr
    assert added.stdout.endswith(
        "act_1000000002: Aurora Goods US (demo) (USD, America/New_York) linked to workspace default\n"
    )
    assert "EAAB-own-token" not in added.stdout + added.stderr

    refused = cli("accounts", "add", "act_999")
    assert refused.returncode == 2 and "act_999: Meta refused it" in refused.stderr

    listed = cli("accounts", "list").stdout.splitlines()
    # the embedded sandbox links its Meta and Google Ads demo accounts
    assert [line.split()[:2] for line in listed] == [
        ["act_1000000001", "meta"],
        ["8135550101", "google"],
        ["act_1000000002", "meta"],
    ]
    listed = [line for line in listed if "google" not in line]
    assert "USD America/New_York" in listed[1] and "own token" in listed[1]
    stored = list((tmp_path / "data").rglob("*.sqlite3"))
    assert stored and all(b"EAAB-own-token" not in path.read_bytes() for path in stored)


def test_accounts_add_links_google_ads_customers_and_refuses_what_google_refuses(
    tmp_path: Path,
) -> None:
    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIABRAIN_")}
        env["MEDIABRAIN_DATA_DIR"] = str(tmp_path / "data")  # the embedded sandbox answers
        env["MEDIABRAIN_SANDBOX_GOOGLE_DEMO"] = "false"
        return subprocess.run(
            [sys.executable, "-m", "mediabrain.cli", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    added = cli(
        "accounts",
        "add",
        "--platform",
        "google",
        "813-555-0101",
        "--token-stdin",
        stdin='{"refresh_token": "1//own-refresh"}\n',
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.endswith(
        "813-555-0101: Loja Aurora Google (demo) (BRL, America/Sao_Paulo) linked to workspace "
        "default\n"
    )
    assert "own-refresh" not in added.stdout + added.stderr
    listed = cli("accounts", "list").stdout
    assert "8135550101           google  BRL America/Sao_Paulo" in listed and "own token" in listed

    refused = cli("accounts", "add", "--platform", "google", "111-222-3333")
    assert refused.returncode == 2
    assert "111-222-3333: Google Ads refused it:" in refused.stderr
    assert "permission" in refused.stderr.lower()

    typo = cli("accounts", "add", "--platform", "google", "123-45")
    assert typo.returncode == 2 and "not a Google Ads customer id" in typo.stderr
    junk = cli(
        "accounts", "add", "--platform", "google", "813-555-0101", "--token-stdin", stdin="x"
    )
    assert junk.returncode == 2 and "JSON object" in junk.stderr
    stored = list((tmp_path / "data").rglob("*.sqlite3"))
    assert stored and all(b"own-refresh" not in path.read_bytes() for path in stored)


def test_worker_queues_are_checked(tmp_path: Path) -> None:
    """`mediabrain worker --queues crew` (its own process for crew runs, issue 13); typos fail."""
    result = run(tmp_path, "worker", "--queues", "crew,reports")
    assert result.returncode == 2
    assert "queues are high, default, low, crew; got 'crew,reports'" in result.stderr

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
        "--whatsapp",
        "+55 (11) 99999-0000",
        "--role",
        "approver",
        "--approval-limit",
        "500,00",
        database_url=pg_url,
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout == "+55 (11) 99999-0000: approver in workspace default\n"
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
        "default          approver  5511999990000",
        "acme             admin     U0ADMIN Bia",
    ]


def test_users_add_needs_an_identity(tmp_path: Path) -> None:
    result = run(tmp_path, "users", "add", "--role", "admin")
    assert result.returncode == 2
    assert "one of the arguments --slack --whatsapp is required" in result.stderr


@pytest.mark.parametrize(
    "command", ["chat", "serve", "worker", "scheduler", "sandbox", "db", "users", "audit"]
)
def test_every_subcommand_has_help(tmp_path: Path, command: str) -> None:
    result = run(tmp_path, command, "--help")
    assert result.returncode == 0 and "usage: mediabrain" in result.stdout


def test_worker_explains_that_it_needs_redis(tmp_path: Path) -> None:
    result = run(tmp_path, "worker")
    assert result.returncode == 2
    assert "MEDIABRAIN_REDIS_URL is not set" in result.stderr

"""serve, workers and the scheduler started at the same moment on a fresh database: none
crashes, and the default workspace and its ad account exist once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from storage.db import normalize_url
from storage.migrate import upgrade
from storage.models import AdAccount, Workspace

ROOT = Path(__file__).resolve().parents[2]
#: What each process does first (``mediabrain.worker`` and ``serve`` both call it).
START = (
    "import sys, time; from mediabrain.bootstrap import prepare;"
    "from mediabrain.runtime import build_runtime; from vocabulary.settings import load_settings;"
    "rt = build_runtime(load_settings());"
    "time.sleep(max(0.0, float(sys.argv[1]) - time.time()));"  # all at the same instant
    "prepare(rt); rt.close(); print('ready')"
)


def _start_many(
    database_url: str, tmp_path: Path, n: int
) -> list[subprocess.CompletedProcess[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIABRAIN_")}
    env.update(
        {
            "MEDIABRAIN_DATABASE_URL": database_url,
            "MEDIABRAIN_DATA_DIR": str(tmp_path / "data"),
            "MEDIABRAIN_SANDBOX": "on",
            "PYTHONPATH": str(ROOT),
        }
    )
    at = str(time.time() + 4.0)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", START, at],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(n)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def _counts(database_url: str) -> tuple[int, int]:
    engine = create_engine(normalize_url(database_url))
    with engine.connect() as conn:
        workspaces = conn.scalar(select(func.count()).select_from(Workspace))
        accounts = conn.scalar(select(func.count()).select_from(AdAccount))
    engine.dispose()
    return int(workspaces or 0), int(accounts or 0)


@pytest.mark.postgres
def test_processes_started_together_on_fresh_postgres_never_crash(
    pg_url: str, tmp_path: Path
) -> None:
    upgrade(pg_url)  # the release step; the data is empty
    results = _start_many(pg_url, tmp_path, 6)
    for result in results:
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.strip() == "ready"
    assert _counts(pg_url) == (1, 1)


def test_processes_started_together_on_a_fresh_sqlite_file_never_crash(
    sqlite_url: str, tmp_path: Path
) -> None:
    results = _start_many(sqlite_url, tmp_path, 4)  # each migrates the brand-new file
    for result in results:
        assert result.returncode == 0, result.stderr[-2000:]
    assert _counts(sqlite_url) == (1, 1)

"""What the bench scripts share: subprocesses with logs, free ports, a scratch PostgreSQL
database and percentiles. Not a benchmark itself (``make bench`` runs ``bench_*.py`` only).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("MEDIABRAIN_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Proc:
    """A subprocess with its output in a log file; stopped with SIGTERM, then SIGKILL."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], logs: Path) -> None:
        self.name = name
        self.log = logs / f"{name}.log"
        self._out = self.log.open("wb")
        self.process = subprocess.Popen(
            argv, env=env, cwd=ROOT, stdout=self._out, stderr=subprocess.STDOUT
        )

    def stop(self, *, now: bool = False) -> None:
        if self.process.poll() is None and now:
            self.process.kill()  # abandoned requests would keep the CPU busy for minutes
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._out.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_http(url: str, timeout: float = 30.0, proc: Proc | None = None) -> float:
    """Seconds until ``url`` answers 200."""
    import httpx

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if proc is not None and proc.process.poll() is not None:
            raise RuntimeError(f"{proc.name} exited:\n{proc.output()[-3000:]}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.01)
    raise TimeoutError(f"{url} did not answer in {timeout}s")


def mediabrain(*args: str) -> list[str]:
    """The argv of a ``mediabrain`` command run with this interpreter."""
    return [sys.executable, "-m", "mediabrain.cli", *args]


def scratch_database(prefix: str, *, sqlite_fallback: bool = False) -> tuple[str, str | None]:
    """(url, name) of a fresh PostgreSQL database; SQLite (name None) when asked and PG is down."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        if not sqlite_fallback:
            raise
        print(f"(PostgreSQL unavailable: {exc}; using SQLite)")
        return f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3", None
    return f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}", name


def drop_database(name: str | None) -> None:
    if name is None:
        return
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pct(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values``, nearest rank; NaN when empty."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

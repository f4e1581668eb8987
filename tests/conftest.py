"""Shared fixtures: real PostgreSQL and Redis (isolated per run), SQLite, the Meta sandbox,
and a guard that fails any test trying to reach a non-loopback address."""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

# CrewAI offline: no telemetry, tracing or version check (each would stall or phone home).
os.environ.setdefault("CREWAI_DISABLE_TELEMETRY", "true")
os.environ.setdefault("OTEL_SDK_DISABLED", "true")
os.environ.setdefault("CREWAI_TRACING_ENABLED", "false")
os.environ.setdefault("CREWAI_DISABLE_VERSION_CHECK", "true")
# Settings must come from the tests, not from a developer's environment or .env file.
for _name in list(os.environ):
    if _name.startswith("MEDIABRAIN_") and not _name.startswith("MEDIABRAIN_TEST_"):
        del os.environ[_name]
for _name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
    os.environ.pop(_name, None)

PG_ADMIN_URL = os.environ.get("MEDIABRAIN_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_BASE = os.environ.get("MEDIABRAIN_TEST_REDIS_URL", "redis://127.0.0.1:6379")
REDIS_DB = int(os.environ.get("MEDIABRAIN_TEST_REDIS_DB", "1"))
#: Test databases are named ``<prefix>_<pid>_<random>`` and dropped after each test.
DB_PREFIX = os.environ.get("MEDIABRAIN_TEST_DB_PREFIX", "mb_test")
#: A fixed moment for deterministic sandboxes: Friday 20 Nov 2026, 15:00 in São Paulo.
SANDBOX_START = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


# --- no network beyond loopback ------------------------------------------------------


def _is_loopback(host: str) -> bool:
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo


class NetworkAccessDenied(RuntimeError):
    pass


def _guarded_connect(self: socket.socket, address: object) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0] if isinstance(address, tuple) else str(address)
        if not _is_loopback(str(host)):
            raise NetworkAccessDenied(f"tests may only connect to loopback, not {host}")
    return _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    if isinstance(host, bytes):
        host = host.decode()
    if host is not None and not _is_loopback(host):
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise NetworkAccessDenied(f"tests may not resolve {host}") from None
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True, scope="session")
def _loopback_only() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign, assignment]
    socket.getaddrinfo = _guarded_getaddrinfo
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.getaddrinfo = _real_getaddrinfo


# --- PostgreSQL ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The admin URL of the real PostgreSQL; the suite fails loudly when it is unreachable."""
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {PG_ADMIN_URL} ({exc}). Start it with "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` "
            "or run ./scripts/test, which does.",
            pytrace=False,
        )
    return PG_ADMIN_URL


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import psycopg

    name = f"{DB_PREFIX}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = pg_server.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'mediabrain.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Runs a test on both backends."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


# --- Redis -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_server() -> str:
    import redis

    url = f"{REDIS_BASE}/{REDIS_DB}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(
            f"Redis is not reachable at {url} ({exc}). Start it with `redis-server --daemonize yes "
            '--bind 127.0.0.1 --port 6379 --save "" --appendonly no` or run ./scripts/test.',
            pytrace=False,
        )
    return url


@pytest.fixture
def redis_url(redis_server: str) -> Iterator[str]:
    """The test Redis database, flushed before and after each test."""
    import redis

    client = redis.Redis.from_url(redis_server)
    client.flushdb()
    yield redis_server
    client.flushdb()
    client.close()


# --- the Meta sandbox --------------------------------------------------------------------


@pytest.fixture
def sandbox() -> Iterator[object]:
    from ads.sandbox import start_sandbox

    server = start_sandbox(port=0, seed=42, start=SANDBOX_START)
    yield server
    server.stop()


# --- a whole runtime ----------------------------------------------------------------------


@pytest.fixture
def make_runtime(tmp_path: Path) -> Iterator[object]:
    """Build a prepared Runtime: ``make_runtime(database_url=..., redis_url=..., sandbox=server)``."""
    from mediabrain.bootstrap import prepare
    from mediabrain.runtime import build_runtime
    from vocabulary.runtime import Runtime, set_runtime
    from vocabulary.settings import Settings

    built: list[Runtime] = []

    def build(
        *, sandbox: object | None = None, migrate: bool = True, **overrides: object
    ) -> Runtime:
        """``sandbox`` is a running sandbox server, or a Settings mode string ("off")."""
        values: dict[str, object] = {
            "data_dir": tmp_path / "data",
            "sandbox": "on",
            "sandbox_google_demo": False,  # tests that want the Google demo ask for it
        }
        if isinstance(sandbox, str):
            values["sandbox"], sandbox = sandbox, None
        if sandbox is not None:
            values["meta_graph_url"] = sandbox.url  # type: ignore[attr-defined]
        values.update(overrides)
        if not str(values.get("database_url") or "sqlite").startswith("sqlite"):
            from tests.support.workers import TEST_SECRET_KEY

            values.setdefault("secret_key", TEST_SECRET_KEY)  # required off SQLite
        settings = Settings(**values)  # type: ignore[arg-type]
        rt = build_runtime(settings)
        if sandbox is not None:
            rt.sandbox = sandbox
        prepare(rt, migrate=migrate)
        set_runtime(rt)
        built.append(rt)
        return rt

    yield build
    from vocabulary.runtime import set_runtime as reset

    for rt in built:
        rt.sandbox = None  # owned by the sandbox fixture
        rt.close()
    reset(None)

"""Engines and sessions: one place that knows how to talk to PostgreSQL or SQLite."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from storage.tenancy import scope_session

logger = logging.getLogger(__name__)


def normalize_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the operator used."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@dataclass(frozen=True)
class Timeouts:
    """Bounds for an engine that must answer fast (the web process's acks) or give up.

    ``seconds`` bounds each statement and each lock wait (PostgreSQL's
    ``statement_timeout`` / ``lock_timeout``) and the wait for a pooled connection;
    a new connection gets ``max(2, seconds)`` (libpq's ``connect_timeout`` minimum).
    """

    seconds: float = 1.0

    @property
    def ms(self) -> int:
        return max(1, int(self.seconds * 1000))


def make_engine(url: str, timeouts: Timeouts | None = None) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        busy = timeouts.seconds if timeouts else 30
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    extra: dict[str, Any] = {}
    if timeouts is not None:
        extra["pool_timeout"] = timeouts.seconds
        extra["connect_args"] = {
            "connect_timeout": max(2, math.ceil(timeouts.seconds)),
            "options": f"-c statement_timeout={timeouts.ms} -c lock_timeout={timeouts.ms}",
        }
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, **extra)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """WAL lets the console and a worker share the file; FKs make SQLite behave like Postgres."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Database:
    """An engine and its session factory."""

    def __init__(self, url: str, *, timeouts: Timeouts | None = None) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url, timeouts)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self, workspace_id: int | None = None) -> Iterator[Session]:
        """A session that commits on success; scoped to one workspace when given."""
        session = self.sessions()
        if workspace_id is not None:
            scope_session(session, workspace_id)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()

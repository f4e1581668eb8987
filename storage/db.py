"""Engines and sessions: one place that knows how to talk to PostgreSQL or SQLite."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from storage.rowcache import INFO_KEY as ROWCACHE_INFO_KEY
from storage.rowcache import RowCache
from storage.tenancy import scope_session

logger = logging.getLogger(__name__)

T = TypeVar("T")


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
    engine = create_engine(url, pool_size=5, max_overflow=10, **extra)
    _ping_when_idle(engine)
    return engine


#: A pooled connection idle longer than this is pinged before use (pool_pre_ping's check).
PING_AFTER_IDLE_SECONDS = 1.0
_LAST_USED = "mb_last_used"


def _ping_when_idle(engine: Engine) -> None:
    """``pool_pre_ping``, but only for a connection idle past :data:`PING_AFTER_IDLE_SECONDS`.

    A turn checks a connection out four times (its two transactions, a record per reply
    sent) and an ack once: a ping each was a round trip per checkout for connections used
    a few milliseconds before. A server that went away while the pool sat idle (a restart,
    a failover) is still caught before a statement meets it; a connection broken within
    the second after its last use fails its statement, and the engine then discards the
    pool, as it does on any disconnect.
    """
    dialect = engine.dialect

    @event.listens_for(engine.pool, "connect")
    def _fresh(dbapi_connection: Any, record: Any) -> None:
        record.info[_LAST_USED] = time.monotonic()

    @event.listens_for(engine.pool, "checkin")
    def _used(dbapi_connection: Any, record: Any) -> None:
        record.info[_LAST_USED] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _ping(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        last = record.info.get(_LAST_USED)
        if last is not None and time.monotonic() - last < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as exc:
            # the pool discards this connection and checks out another (up to three times)
            raise DisconnectionError(f"pooled connection failed its ping: {exc}") from exc


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """WAL lets the console and a worker share the file; FKs make SQLite behave like Postgres."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class DatabaseStalled(TimeoutError):
    """A bounded call was given up: the database did not answer within the deadline."""


class Database:
    """An engine and its session factory."""

    def __init__(self, url: str, *, timeouts: Timeouts | None = None) -> None:
        self.url = normalize_url(url)
        self.timeouts = timeouts
        self.engine = make_engine(self.url, timeouts)
        #: Workspaces, memberships and settings every turn reads (storage/rowcache.py).
        self.rows = RowCache()
        self.rows.watch(self.engine)
        self.sessions = sessionmaker(
            self.engine, expire_on_commit=False, info={ROWCACHE_INFO_KEY: self.rows}
        )
        self._calls: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._stalled_until = 0.0

    def bounded(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` in a session that commits, answered within ``timeouts.seconds``
        of wall-clock time or given up with :class:`DatabaseStalled`.

        ``statement_timeout`` needs the server to see the statement: a frozen host or a
        network partition answers nothing at all, and the driver would wait. So the call
        runs in a helper thread and the caller stops waiting at the deadline; for as long
        again, the next calls are given up at once (the database is most likely still
        stalled), so one webhook pays the deadline once, not once per lookup. A given-up
        call may still commit later: ``work`` must be safe to see done twice (an insert
        under a unique key is). Without ``timeouts`` it simply runs here.
        """
        if self.timeouts is None:
            with self.session() as session:
                return work(session)
        if time.monotonic() < self._stalled_until:
            raise DatabaseStalled("the database stalled a moment ago; not waiting on it again")
        with self._lock:
            if self._calls is None:
                self._calls = ThreadPoolExecutor(max_workers=16, thread_name_prefix="bounded-db")
            calls = self._calls
        future = calls.submit(self._run, work)
        try:
            return future.result(timeout=self.timeouts.seconds)
        except FutureTimeout:
            future.cancel()  # not started yet: never run it
            self._stalled_until = time.monotonic() + self.timeouts.seconds
            raise DatabaseStalled(
                f"no answer from the database within {self.timeouts.seconds:g}s"
            ) from None

    def _run(self, work: Callable[[Session], T]) -> T:
        with self.session() as session:
            return work(session)

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
        if self._calls is not None:
            self._calls.shutdown(wait=False, cancel_futures=True)
        self.engine.dispose()

"""Pooled connections are checked before use only once they sat idle, and a dead one is replaced.

A turn checks a connection out four times within milliseconds; pinging each time cost a
round trip apiece. A connection the server dropped while it sat in the pool (a restart,
an idle timeout) must still never reach a statement.
"""

from __future__ import annotations

import time

import psycopg
from sqlalchemy import text

from storage import db as storage_db
from storage.db import Database


def _backend_pid(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(text("SELECT pg_backend_pid()")) or 0)


def test_a_connection_killed_while_idle_is_replaced_before_the_next_statement(
    pg_url: str,
) -> None:
    database = Database(pg_url)
    try:
        pid = _backend_pid(database)
        assert _backend_pid(database) == pid  # the pool hands back the same connection
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        time.sleep(storage_db.PING_AFTER_IDLE_SECONDS + 0.2)

        assert _backend_pid(database) not in (0, pid)  # a fresh connection, no error
    finally:
        database.dispose()

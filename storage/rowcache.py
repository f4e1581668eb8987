"""A per-process cache of the rows every turn reads and almost nothing writes.

Each turn read the person's workspace, their membership (role) and the workspace's
settings: three SELECTs for rows that change when an admin changes something.
Here they are kept per process, valid while a **version** stays the same:

- every INSERT / UPDATE / DELETE / TRUNCATE on ``workspaces``, ``workspace_settings``
  or ``memberships`` through any :class:`~storage.db.Database` engine (ORM or Core,
  any process) marks its connection, and when that connection goes back to the pool
  (after its commit or rollback) the version is bumped: in Redis when the process has
  it (shared by every process), and in this process always;
- a session checks the version once (one ``GET``) before its first cached read, so
  the next turn after a role change or a removal, in any worker, reads the database.

Bumping after the commit, never before, is what keeps a stale row out: a reader that
fills the cache between a commit and its bump files the row under the old version.
Writes by hand (``psql``), and another process's without Redis (only the embedded
default runs without it), bypass the shared version: entries also expire after
:data:`MAX_AGE_SECONDS`. Roles are not cached at all (``bot/core/identity.py`` reads the
membership every turn): a removal or a demotion counts from the very next message.
"""

from __future__ import annotations

import copy
import itertools
import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from sqlalchemy import Engine, event, inspect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: The tables whose rows are cached; a write to any of them bumps the version.
TABLES = ("workspaces", "workspace_settings", "memberships")
MAX_AGE_SECONDS = 60.0
VERSION_KEY = "mb:rowcache:version"
_NAMES = "|".join(TABLES)
_WRITES = re.compile(
    r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|ALTER\s+TABLE|DROP\s+TABLE(?:\s+IF\s+EXISTS)?)"
    rf"\s+\"?(?:{_NAMES})\b"
    rf"|\bTRUNCATE\b.*\b(?:{_NAMES}|users)\b"
    # a removed user's memberships go by cascade, and SQLite may give the id to the next one
    r"|\bDELETE\s+FROM\s+\"?users\b",
    re.IGNORECASE | re.DOTALL,
)
_DIRTY = "rowcache_dirty"
_CHECKED = "rowcache_version"
#: This process's writes, seen by every cache in it (a web process has two engines).
_local_writes = itertools.count(1)
_local_version = 0
_local_lock = threading.Lock()


class VersionStore(Protocol):
    """Where the shared version lives (Redis); errors propagate to :class:`RowCache`."""

    def get(self, name: str) -> Any: ...

    def incr(self, name: str) -> Any: ...


def _bump_local() -> None:
    global _local_version
    with _local_lock:
        _local_version = next(_local_writes)


class RowCache:
    """Rows by key, valid for one version (see the module's docstring)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.shared: VersionStore | None = None  # set by the runtime when it has Redis
        self._rows: dict[Any, tuple[float, Any]] = {}
        self._version: tuple[int, Any] | None = None
        self._clock = clock
        self._lock = threading.Lock()

    def watch(self, engine: Engine) -> None:
        """Bump the version after every write ``engine`` makes to the cached tables."""
        event.listen(engine, "before_cursor_execute", _note_write)
        event.listen(engine.pool, "checkin", self._after_write)
        event.listen(engine.pool, "invalidate", self._after_write)

    # --- reads -------------------------------------------------------------------------
    def get(self, session: Session, key: Any) -> Any | None:
        """The cached value for ``key``, or None (then read the database and :meth:`put`)."""
        if not self._current(session):
            return None
        entry = self._rows.get(key)
        if entry is None or self._clock() - entry[0] > MAX_AGE_SECONDS:
            return None
        return entry[1]

    def put(self, session: Session, key: Any, value: Any) -> None:
        """Keep ``value`` (read in ``session``) under the version ``session`` checked."""
        seen = session.info.get(_CHECKED)
        if seen is None or _wrote(session):
            return  # not checked, or read beside this transaction's own uncommitted writes
        with self._lock:
            if self._version == seen:
                self._rows[key] = (self._clock(), value)

    def _current(self, session: Session) -> bool:
        """Check the version once per session; a changed one empties the cache."""
        seen = session.info.get(_CHECKED)
        if seen is None:
            try:
                shared = self.shared.get(VERSION_KEY) if self.shared is not None else None
            except Exception:  # Redis away: read the database, as without a cache
                logger.debug("rowcache: version unavailable", exc_info=True)
                return False
            seen = (_local_version, shared)
            session.info[_CHECKED] = seen
            with self._lock:
                if self._version != seen:
                    self._rows.clear()
                    self._version = seen
        return self._version == seen and not _wrote(session)

    # --- writes ------------------------------------------------------------------------
    def _after_write(self, dbapi_connection: Any, record: Any, *_: Any) -> None:
        if record is None or not record.info.pop(_DIRTY, False):
            return
        _bump_local()
        with self._lock:
            self._rows.clear()
            self._version = None
        if self.shared is not None:
            try:
                self.shared.incr(VERSION_KEY)
            except Exception:  # other processes still re-read within MAX_AGE_SECONDS
                logger.warning("rowcache: shared version not bumped", exc_info=True)

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()
            self._version = None


def _note_write(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    """Mark the connection (and its session, via ``conn.info``) when it writes a cached table."""
    if statement[:1] in ("S", "s", "R", "r") or not _WRITES.search(statement):
        return  # SELECT, SAVEPOINT, RELEASE: the common case, one character checked
    conn.info[_DIRTY] = True


def _wrote(session: Session) -> bool:
    """Whether the session's open transaction wrote a cached table (it must read its own
    writes, and must not file them before they are committed)."""
    return bool(session.connection().info.get(_DIRTY))


# --- rows in and out of the cache ----------------------------------------------------------

#: Where a session finds its database's cache (``Database`` puts it in ``Session.info``).
INFO_KEY = "rowcache"


def row_cache(session: Session) -> RowCache | None:
    cache = session.info.get(INFO_KEY)
    return cache if isinstance(cache, RowCache) else None


def snapshot(row: Any) -> dict[str, Any]:
    """A loaded row's column values, to rebuild it later without reading it again."""
    mapper = inspect(row).mapper
    return {attr.key: copy.deepcopy(getattr(row, attr.key)) for attr in mapper.column_attrs}


def attach(session: Session, cls: type[T], values: dict[str, Any]) -> T:
    """The row ``values`` describe, persistent in ``session`` without a SELECT: the one
    the session holds already, or a fresh copy (JSON values copied: the caller may edit it,
    and a write is flushed like any loaded row's, bumping the version)."""
    mapper = inspect(cls)
    ident = tuple(values[col.key] for col in mapper.primary_key)
    held = session.identity_map.get(identity_key(cls, ident))
    if held is not None:
        return held
    row: T = mapper.class_manager.new_instance()
    for key, value in values.items():
        set_committed_value(row, key, copy.deepcopy(value))
    make_transient_to_detached(row)
    session.add(row)
    return row

"""Unique run records: the database's word on whether a scheduled run or notice already happened.

Every scheduled job and every proactive delivery claims a key (``daily-report:
act_1:2026112018``, ``budget-alert:default:2026-11:80``...) with one INSERT that
does nothing on a duplicate key. Whoever inserted the row does the work; a
second scheduler, a restart or a re-run finds the row and stops. A run that
failed can be claimed again (a compare-and-set on ``status``), so a crash never
loses a report for good, while a finished one is never repeated.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from storage.clock import utcnow
from storage.models import RunRecord

if TYPE_CHECKING:
    from storage.db import Database

logger = logging.getLogger(__name__)

STARTED = "started"
DONE = "done"
FAILED = "failed"
SKIPPED = "skipped"
#: A started run's claim: past it (its worker died), the key can be claimed again.
LEASE = timedelta(minutes=30)


def _insert(dialect: str) -> Any:
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(RunRecord)


def claim(
    db: Database,
    key: str,
    *,
    workspace_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> bool:
    """True when this caller owns ``key`` now: a new key, one whose earlier run failed,
    or one started by a worker that died (its lease ran out)."""
    now = utcnow()
    values = {
        "key": key,
        "workspace_id": workspace_id,
        "status": STARTED,
        "detail": detail or {},
        "created_at": now,
        "lease_until": now + LEASE,
    }
    with db.session() as session:
        stmt = (
            _insert(db.dialect)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(RunRecord.id)
        )
        if session.execute(stmt).scalar() is not None:  # rowcount is unreliable here on psycopg
            return True
        retried = session.execute(
            update(RunRecord)
            .where(
                RunRecord.key == key,
                (RunRecord.status == FAILED)
                | ((RunRecord.status == STARTED) & (RunRecord.lease_until < now)),
            )
            .values(status=STARTED, finished_at=None, lease_until=now + LEASE)
        )
        if retried.rowcount == 1:  # type: ignore[attr-defined]
            logger.info("run %s: earlier attempt failed, claimed again", key)
            return True
    logger.debug("run %s: already claimed", key)
    return False


def finish(
    db: Database,
    key: str,
    *,
    status: str = DONE,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Record how a claimed run ended (``done``, ``failed``, ``skipped``), merging ``detail``.

    Core statements rather than loading the row into the ORM and flushing it: every
    scheduled report finishes two records (its delivery and its job). Without ``detail``,
    a single UPDATE.
    """
    values: dict[str, Any] = {"status": status, "finished_at": at or utcnow(), "lease_until": None}
    with db.session() as session:
        if detail:
            found = session.execute(
                select(RunRecord.id, RunRecord.detail).where(RunRecord.key == key)
            ).first()
            if found is None:
                return
            values["detail"] = {**(found.detail or {}), **detail}
        session.execute(update(RunRecord).where(RunRecord.key == key).values(**values))


def record(db: Database, key: str) -> RunRecord | None:
    """The run record for ``key`` (tests, diagnostics, the morning digest's hand-off)."""
    with db.session() as session:
        return session.scalar(select(RunRecord).where(RunRecord.key == key))


def records(db: Database, prefix: str) -> list[RunRecord]:
    with db.session() as session:
        return list(
            session.scalars(
                select(RunRecord).where(RunRecord.key.startswith(prefix)).order_by(RunRecord.id)
            )
        )


def read_cursor(db: Database, name: str) -> datetime | None:
    """A stored moment (e.g. how far a schedule has looked), kept as a run record."""
    row = record(db, f"cursor:{name}")
    if row is None or not row.detail.get("at"):
        return None
    return datetime.fromisoformat(row.detail["at"])


def write_cursor(db: Database, name: str, at: datetime) -> None:
    """Move a cursor forward (never back: two schedulers may race)."""
    key = f"cursor:{name}"
    claim(db, key, detail={"at": at.isoformat()})
    with db.session() as session:
        row = session.scalar(select(RunRecord).where(RunRecord.key == key))
        if row is None:
            return
        current = row.detail.get("at")
        if current is None or datetime.fromisoformat(current) < at:
            row.detail = {"at": at.isoformat()}
            row.status = DONE
            row.finished_at = utcnow()

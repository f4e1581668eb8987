"""Run records: one owner per key, failed runs claimable again, cursors only move forward."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from jobs import runs
from storage.db import Database
from storage.migrate import upgrade


def test_claims_on_both_databases(db_url: str) -> None:
    upgrade(db_url)
    db = Database(db_url)
    try:
        assert runs.claim(db, "daily-report:ws1:act_1:2026112018") is True
        assert runs.claim(db, "daily-report:ws1:act_1:2026112018") is False
        runs.finish(db, "daily-report:ws1:act_1:2026112018", detail={"sent": 2})
        record = runs.record(db, "daily-report:ws1:act_1:2026112018")
        assert record is not None and (record.status, record.detail["sent"]) == ("done", 2)
        assert runs.claim(db, "daily-report:ws1:act_1:2026112018") is False  # done stays done

        runs.claim(db, "budget-check:ws1:2026112019")
        runs.finish(db, "budget-check:ws1:2026112019", status=runs.FAILED)
        assert runs.claim(db, "budget-check:ws1:2026112019") is True  # a failed run may retry
        assert runs.claim(db, "budget-check:ws1:2026112019") is False

        with ThreadPoolExecutor(max_workers=8) as pool:
            won = list(pool.map(lambda _: runs.claim(db, "race"), range(16)))
        assert won.count(True) == 1

        at = datetime(2026, 11, 20, 18, tzinfo=UTC)
        runs.write_cursor(db, "schedule:x", at)
        runs.write_cursor(db, "schedule:x", at - timedelta(hours=1))  # a slower scheduler
        assert runs.read_cursor(db, "schedule:x") == at
        runs.write_cursor(db, "schedule:x", at + timedelta(hours=1))
        assert runs.read_cursor(db, "schedule:x") == at + timedelta(hours=1)
    finally:
        db.dispose()

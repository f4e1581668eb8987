"""``mediabrain status``: what an operator asks first — are jobs flowing, are schedules there?

Read-only: queue depths and RQ registries (Redis), the periodic entries with
their next run (rq-scheduler's sorted set), the last run of each schedule and
recent failures (the run records, inbound events and proposals in the
database). ``/healthz`` uses :func:`missing_schedules` alone (one Redis round trip).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from jobs.schedules import ALL_KINDS, CRON
from storage.db import Database
from storage.models import InboundEvent, Proposal, RunRecord
from vocabulary.queue import QUEUES

#: rq-scheduler's sorted set of entries (id → epoch of the next run).
SCHEDULED_KEY = "rq:scheduler:scheduled_jobs"


@dataclass
class Status:
    queues: dict[str, dict[str, int]] = field(default_factory=dict)
    schedules: dict[str, datetime | None] = field(default_factory=dict)  # None: missing
    last_runs: dict[str, tuple[str, datetime | None]] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        return [name for name, at in self.schedules.items() if at is None]


def missing_schedules(redis: Any) -> list[str]:
    """The fixed cron ids rq-scheduler does not hold."""
    pipe = redis.pipeline()
    for entry in CRON:
        pipe.zscore(SCHEDULED_KEY, entry.id)
    return [entry.id for entry, score in zip(CRON, pipe.execute(), strict=True) if score is None]


def collect(redis: Any | None, db: Database, now: datetime | None = None) -> Status:
    now = now or datetime.now(UTC)
    status = Status()
    if redis is not None:
        for name in QUEUES:
            status.queues[name] = {
                "queued": int(redis.llen(f"rq:queue:{name}")),
                "started": int(redis.zcard(f"rq:wip:{name}")),
                "scheduled": int(redis.zcard(f"rq:scheduled:{name}")),
                "failed": int(redis.zcard(f"rq:failed:{name}")),
            }
        for entry in CRON:
            score = redis.zscore(SCHEDULED_KEY, entry.id)
            status.schedules[entry.id] = (
                None if score is None else datetime.fromtimestamp(float(score), UTC)
            )
    since = now - timedelta(hours=24)
    with db.session() as session:
        for kind in ALL_KINDS:
            row = session.execute(
                select(RunRecord.status, RunRecord.finished_at)
                .where(RunRecord.key.startswith(f"{kind.value}:"))
                .order_by(RunRecord.id.desc())
                .limit(1)
            ).first()
            if row is not None:
                status.last_runs[kind.value] = (row[0], row[1])
        status.failures = {
            "runs_failed_24h": _count(
                session, RunRecord, RunRecord.status == "failed", RunRecord.created_at >= since
            ),
            "messages_failed_24h": _count(
                session,
                InboundEvent,
                InboundEvent.status == "failed",
                InboundEvent.received_at >= since,
            ),
            "messages_in_progress": _count(
                session, InboundEvent, InboundEvent.status == "processing"
            ),
            "changes_executing": _count(session, Proposal, Proposal.state == "executing"),
        }
    return status


def _count(session: Any, model: Any, *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def render(status: Status) -> str:
    lines = ["queues:"]
    if not status.queues:
        lines.append("  (no Redis: jobs run in-process)")
    for name, counts in status.queues.items():
        lines.append("  " + f"{name:<8}" + " ".join(f"{k}={v}" for k, v in counts.items()))
    lines.append("schedules:")
    for name, at in status.schedules.items():
        lines.append(
            f"  {name:<34} " + ("MISSING" if at is None else f"next {at:%Y-%m-%d %H:%M} UTC")
        )
    lines.append("last runs:")
    for kind, (state, finished) in status.last_runs.items() or {"-": ("none yet", None)}.items():
        when = f" at {finished:%Y-%m-%d %H:%M} UTC" if finished else ""
        lines.append(f"  {kind:<22} {state}{when}")
    lines.append("failures:")
    lines.extend(f"  {name:<22} {count}" for name, count in status.failures.items())
    return "\n".join(lines)

"""Schedules: which periodic jobs are due, per workspace and ad account, and running them once.

Two things wake the schedules up: ``mediabrain scheduler`` (rq-scheduler cron
entries with fixed ids, see :func:`register`) and the sandbox clock moving
(``/avancar 1d`` → :func:`run_due`). Both ask the same pure question,
:func:`due_jobs` — which slots fell between the last look and ``now`` in each
workspace's timezone — and fan out one job per ad account (or workspace) with
a deterministic id such as ``daily-report:ws1:act_1:2026112018``. The job
claims that id as a run record in the database before doing anything, so a
second scheduler, a restart or a re-run never sends twice.

Times always come from ``rt.now()`` (the sandbox's simulated clock when we run
against it), never from the wall clock.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from analytics.sync import sync_account
from jobs import runs
from storage.models import AdAccount, RunRecord, Subscription, Workspace, WorkspaceSettings
from supervisor.lifecycle import expire_stale
from vocabulary.platform_limits import platform_limits
from vocabulary.queue import QueueUnavailable
from vocabulary.runtime import get_runtime

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime
    from vocabulary.settings import Settings

logger = logging.getLogger(__name__)


class Kind(StrEnum):
    SYNC = "metrics-sync"
    REPORT = "daily-report"
    BUDGET = "budget-check"
    OPTIMIZE = "nightly-optimization"
    DIGEST = "morning-digest"
    EXPIRE = "expire-approvals"
    ALERTS = "smart-alerts"
    EXPERIMENTS = "experiments-daily"  # A/B tests: verdicts, cards, tired creatives


ALL_KINDS: tuple[Kind, ...] = tuple(Kind)
DEFAULT_REPORT_HOUR = 18
OPTIMIZE_HOUR = 23
DIGEST_HOUR = 8
#: After the night's data settles and the digest: each running test's verdict and card.
EXPERIMENTS_HOUR = 9
SYNC_MINUTES = (0, 30)
#: Slots are looked for on this grid (covers half-hour timezone offsets).
STEP = timedelta(minutes=15)
#: However long the schedules slept, they catch up at most this far (each job once).
MAX_CATCH_UP = timedelta(hours=24)
#: A scheduler starting for the first time does not replay older slots.
TICK_FIRST_LOOKBACK = timedelta(hours=1)


# --- plain values ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountPlan:
    pk: int
    external_id: str
    timezone: str


@dataclass(frozen=True)
class WorkspacePlan:
    """What the schedules need to know about a workspace, as plain values."""

    id: int
    slug: str
    timezone: str = "America/Sao_Paulo"
    report_hours: frozenset[int] = frozenset({DEFAULT_REPORT_HOUR})
    accounts: tuple[AccountPlan, ...] = ()
    budget_limit: bool = False


@dataclass(frozen=True)
class JobSpec:
    """One run of one job for one unit (an ad account, a workspace, or everything)."""

    kind: Kind
    slot: datetime  # UTC
    stamp: str  # the slot in the workspace's local time: YYYYMMDDHH (or finer/coarser)
    workspace_id: int | None = None
    account_pk: int | None = None
    unit: str = "all"
    hour: int | None = None  # local hour of a daily report (which subscribers it is for)

    @property
    def job_id(self) -> str:
        """The run record's key: ``daily-report:ws1:act_1:2026112018``."""
        return f"{self.kind.value}:{self.unit}:{self.stamp}"

    @property
    def rq_id(self) -> str:
        """The same id as RQ accepts it (letters, digits, ``_`` and ``-`` only)."""
        return self.job_id.replace(":", "_")

    def to_payload(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "slot": self.slot.isoformat(),
            "stamp": self.stamp,
            "workspace_id": self.workspace_id,
            "account_pk": self.account_pk,
            "unit": self.unit,
            "hour": self.hour,
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> JobSpec:
        return cls(
            kind=Kind(data["kind"]),
            slot=datetime.fromisoformat(data["slot"]),
            stamp=data["stamp"],
            workspace_id=data.get("workspace_id"),
            account_pk=data.get("account_pk"),
            unit=data.get("unit") or "all",
            hour=data.get("hour"),
        )


# --- the pure schedule ----------------------------------------------------------------------


def _grid(since: datetime, until: datetime) -> Iterable[datetime]:
    """Every STEP boundary b with since < b <= until (UTC)."""
    since, until = since.astimezone(UTC), until.astimezone(UTC)
    step = int(STEP.total_seconds())
    start = int(since.timestamp()) // step * step + step
    moment = datetime.fromtimestamp(start, UTC)
    while moment <= until:
        yield moment
        moment += STEP


def _account_unit(workspace: WorkspacePlan, account: AccountPlan) -> str:
    return f"ws{workspace.id}:{account.external_id}"


def due_jobs(
    since: datetime,
    until: datetime,
    workspaces: Sequence[WorkspacePlan],
    *,
    kinds: Iterable[Kind] = ALL_KINDS,
) -> list[JobSpec]:
    """Every job slot in (since, until], in each workspace's local time. Pure."""
    wanted = set(kinds)
    out: list[JobSpec] = []
    zones = {w.id: ZoneInfo(w.timezone) for w in workspaces}
    for moment in _grid(since, until):
        if Kind.EXPIRE in wanted and moment.minute == 0:
            out.append(JobSpec(Kind.EXPIRE, moment, f"{moment:%Y%m%d%H}"))
        for ws in workspaces:
            local = moment.astimezone(zones[ws.id])
            if Kind.SYNC in wanted and moment.minute in SYNC_MINUTES:
                for account in ws.accounts:
                    out.append(
                        JobSpec(
                            Kind.SYNC,
                            moment,
                            f"{moment:%Y%m%d%H%M}",
                            ws.id,
                            account.pk,
                            _account_unit(ws, account),
                        )
                    )
            if local.minute != 0:
                continue
            hour_stamp = f"{local:%Y%m%d%H}"
            if Kind.BUDGET in wanted and ws.budget_limit and ws.accounts:
                out.append(JobSpec(Kind.BUDGET, moment, hour_stamp, ws.id, None, f"ws{ws.id}"))
            for account in ws.accounts:
                unit = _account_unit(ws, account)
                if Kind.ALERTS in wanted:
                    out.append(JobSpec(Kind.ALERTS, moment, hour_stamp, ws.id, account.pk, unit))
                if Kind.REPORT in wanted and local.hour in ws.report_hours:
                    out.append(
                        JobSpec(
                            Kind.REPORT, moment, hour_stamp, ws.id, account.pk, unit, local.hour
                        )
                    )
                if Kind.OPTIMIZE in wanted and local.hour == OPTIMIZE_HOUR:
                    out.append(
                        JobSpec(Kind.OPTIMIZE, moment, f"{local:%Y%m%d}", ws.id, account.pk, unit)
                    )
                if Kind.DIGEST in wanted and local.hour == DIGEST_HOUR:
                    out.append(
                        JobSpec(Kind.DIGEST, moment, f"{local:%Y%m%d}", ws.id, account.pk, unit)
                    )
                if Kind.EXPERIMENTS in wanted and local.hour == EXPERIMENTS_HOUR:
                    out.append(
                        JobSpec(
                            Kind.EXPERIMENTS, moment, f"{local:%Y%m%d}", ws.id, account.pk, unit
                        )
                    )
    return out


#: Run inside the worker process (no work horse): I/O, SQL and a chart, thousands a day.
WARM_KINDS = frozenset({Kind.SYNC, Kind.REPORT})

_ORDER = {
    Kind.SYNC: 0,
    Kind.EXPIRE: 1,
    Kind.REPORT: 2,
    Kind.OPTIMIZE: 3,
    Kind.DIGEST: 4,
    Kind.BUDGET: 5,
    Kind.ALERTS: 6,
    Kind.EXPERIMENTS: 7,
}


def coalesce(specs: Sequence[JobSpec]) -> list[JobSpec]:
    """Missed slots collapse into the latest one per job and unit (a catch-up runs each once).

    Syncs come first (every other job reads the history they write), then the
    rest in slot order, except that a morning digest caught up together with a
    later night runs after that night, so it shows the latest findings.
    """
    latest: dict[tuple[Kind, str, int | None], JobSpec] = {}
    for spec in specs:
        key = (spec.kind, spec.unit, spec.hour)
        if key not in latest or spec.slot > latest[key].slot:
            latest[key] = spec
    nights = {s.unit: s.slot for s in latest.values() if s.kind is Kind.OPTIMIZE}

    def when(spec: JobSpec) -> datetime:
        if spec.kind is Kind.DIGEST and spec.unit in nights:
            return max(spec.slot, nights[spec.unit])
        return spec.slot

    return sorted(
        latest.values(),
        key=lambda s: (s.kind is not Kind.SYNC, when(s), _ORDER[s.kind], s.unit),
    )


# --- from the database to plain values ------------------------------------------------------


def load_plans(rt: Runtime) -> list[WorkspacePlan]:
    """Every workspace with its timezone, report hours, usable accounts and whether it has a limit."""
    with rt.db.session() as session:
        prefs = {p.workspace_id: p for p in session.scalars(select(WorkspaceSettings))}
        accounts: dict[int, list[AccountPlan]] = {}
        for account in session.scalars(
            select(AdAccount).where(AdAccount.token_status == "ok").order_by(AdAccount.id)
        ):
            accounts.setdefault(account.workspace_id, []).append(
                AccountPlan(account.id, account.external_id, account.timezone)
            )
        hours: dict[int, set[int]] = {}
        for sub in session.scalars(
            select(Subscription).where(
                Subscription.kind == "daily_report",
                Subscription.enabled.is_(True),
                Subscription.hour.is_not(None),
            )
        ):
            hours.setdefault(sub.workspace_id, set()).add(int(sub.hour))  # type: ignore[arg-type]
        plans = []
        for workspace in session.scalars(select(Workspace).order_by(Workspace.id)):
            pref = prefs.get(workspace.id)
            default_hour = (
                pref.report_hour if pref and pref.report_hour is not None else DEFAULT_REPORT_HOUR
            )
            plans.append(
                WorkspacePlan(
                    id=workspace.id,
                    slug=workspace.slug,
                    timezone=pref.timezone if pref else "America/Sao_Paulo",
                    report_hours=frozenset({default_hour, *hours.get(workspace.id, set())}),
                    accounts=tuple(accounts.get(workspace.id, ())),
                    budget_limit=bool(
                        pref and (pref.monthly_budget_limit or platform_limits(pref))
                    ),
                )
            )
    return plans


# --- running what is due --------------------------------------------------------------------


@dataclass
class Fanout:
    """What one look at the clock did (for logs, tests and the console)."""

    now: datetime
    enqueued: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def run_due(
    rt: Runtime,
    *,
    kinds: Iterable[Kind | str] = ALL_KINDS,
    now: datetime | None = None,
    first_lookback: timedelta = MAX_CATCH_UP,
) -> Fanout:
    """Fan out every job that became due since the last look (the sandbox clock moved, a tick)."""
    wanted = [Kind(k) for k in kinds]
    now = now or rt.now()
    floor = now - MAX_CATCH_UP
    since: dict[Kind, datetime] = {}
    for kind in wanted:
        cursor = runs.read_cursor(rt.db, f"schedule:{kind.value}")
        start = cursor if cursor is not None else now - first_lookback
        since[kind] = max(start, floor)
    result = Fanout(now)
    if not wanted:
        return result
    plans = load_plans(rt)
    earliest = min(since.values())
    specs = [s for s in due_jobs(earliest, now, plans, kinds=wanted) if s.slot > since[s.kind]]
    specs = coalesce(specs)
    done = _claimed([s.job_id for s in specs], rt)
    for spec in specs:
        if spec.job_id in done:
            result.skipped.append(spec.job_id)
            continue
        try:
            rt.queue.enqueue(
                process_scheduled,
                spec.to_payload(),
                queue="low" if spec.kind is Kind.SYNC else "default",
                job_id=spec.rq_id,
                warm=spec.kind in WARM_KINDS,
            )
        except QueueUnavailable:
            logger.error("schedules: cannot enqueue %s, the next tick retries", spec.job_id)
            return result  # cursors stay: the next look sees these slots again
        result.enqueued.append(spec.job_id)
    for kind in wanted:
        runs.write_cursor(rt.db, f"schedule:{kind.value}", now)
    logger.info(
        "schedules at %s: %d jobs fanned out, %d already done",
        now.isoformat(),
        len(result.enqueued),
        len(result.skipped),
    )
    return result


def _claimed(keys: Sequence[str], rt: Runtime) -> set[str]:
    if not keys:
        return set()
    found: set[str] = set()
    with rt.db.session() as session:
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            found.update(
                session.scalars(
                    select(RunRecord.key).where(
                        RunRecord.key.in_(chunk), RunRecord.status != runs.FAILED
                    )
                )
            )
    return found


def process_scheduled(payload: dict[str, Any]) -> str:
    """The RQ job for one slot of one unit (imported by name in the worker)."""
    return run_spec(get_runtime(), JobSpec.from_payload(payload))


def run_spec(rt: Runtime, spec: JobSpec) -> str:
    """Claim the slot's run record, then do the work; a claimed slot is never run again."""
    if not runs.claim(
        rt.db, spec.job_id, workspace_id=spec.workspace_id, detail={"slot": spec.slot.isoformat()}
    ):
        logger.info("%s: already run, skipping", spec.job_id)
        return "duplicate"
    try:
        detail = _dispatch(rt, spec) or {}
    except Exception as exc:
        runs.finish(rt.db, spec.job_id, status=runs.FAILED, detail={"error": type(exc).__name__})
        logger.exception("%s failed", spec.job_id)
        raise
    runs.finish(rt.db, spec.job_id, detail=detail)
    return "done"


def _dispatch(rt: Runtime, spec: JobSpec) -> dict[str, Any] | None:
    if spec.kind is Kind.SYNC:
        result = sync_account(rt, spec.account_pk)  # type: ignore[arg-type]
        return {"rows": result.rows, "calls": result.calls}
    if spec.kind is Kind.REPORT:
        # matplotlib (the chart): loaded where a report runs, never by the scheduler process
        from jobs.reports import scheduled_report

        return scheduled_report(rt, spec)
    if spec.kind is Kind.BUDGET:
        # the pacing job and its charts: loaded where it runs
        from jobs.budget import budget_check

        return budget_check(rt, spec)
    if spec.kind is Kind.OPTIMIZE:
        # the brain (numpy, scipy, statsmodels) and the crew's explanation (crewai): worker side
        from jobs.optimize import nightly_optimization

        return nightly_optimization(rt, spec)
    if spec.kind is Kind.DIGEST:
        # the brain's wording and the supervisor's cards: worker side
        from jobs.optimize import morning_digest

        return morning_digest(rt, spec)
    if spec.kind is Kind.EXPIRE:
        return _expire(rt, spec)
    if spec.kind is Kind.ALERTS:
        # the detectors (numpy, scipy) and the alert's chart (matplotlib): worker side
        from jobs.alerts import hourly_alerts

        return hourly_alerts(rt, spec)
    if spec.kind is Kind.EXPERIMENTS:
        # the tests' statistics (scipy, statsmodels) and charts (matplotlib): worker side
        from jobs.experiments import experiments_daily

        return experiments_daily(rt, spec)
    raise ValueError(f"unknown job kind {spec.kind}")


def _expire(rt: Runtime, spec: JobSpec) -> dict[str, Any]:
    """Hourly: approvals nobody decided in time expire (the supervisor owns the rules)."""
    return {"expired": expire_stale(rt, rt.now())}


# --- the rq-scheduler side ------------------------------------------------------------------


@dataclass(frozen=True)
class CronEntry:
    id: str
    cron: str
    kinds: tuple[Kind, ...]
    func: str | None = None  # a job by its dotted name instead of the schedules' tick


#: Fixed ids: registering again (a restart, a second scheduler) replaces, never duplicates.
CRON: tuple[CronEntry, ...] = (
    CronEntry("mediabrain-metrics-sync", "*/30 * * * *", (Kind.SYNC,)),
    CronEntry("mediabrain-budget-check", "0 * * * *", (Kind.BUDGET,)),
    CronEntry("mediabrain-daily-report", "*/15 * * * *", (Kind.REPORT,)),
    CronEntry("mediabrain-nightly-optimization", "*/15 * * * *", (Kind.OPTIMIZE, Kind.DIGEST)),
    CronEntry("mediabrain-expire-approvals", "5 * * * *", (Kind.EXPIRE,)),
    CronEntry("mediabrain-smart-alerts", "2 * * * *", (Kind.ALERTS,)),
    CronEntry("mediabrain-experiments", "*/15 * * * *", (Kind.EXPERIMENTS,)),
    CronEntry("mediabrain-reconcile", "* * * * *", (), func="jobs.reconcile.sweep_job"),
)
CRON_PREFIX = "mediabrain-"


def register(scheduler: Any, settings: Settings | None = None) -> list[str]:
    """Put the cron entries in rq-scheduler, idempotently; drop entries we no longer have."""
    wanted = {entry.id for entry in CRON}
    for job in list(scheduler.get_jobs()):
        if job.id.startswith(CRON_PREFIX) and job.id not in wanted:
            scheduler.cancel(job)
            job.delete()
            logger.info("scheduler: removed obsolete entry %s", job.id)
    for entry in CRON:
        _register_entry(scheduler, entry, settings)
    logger.info("scheduler: %d entries registered", len(CRON))
    return sorted(wanted)


def _register_entry(scheduler: Any, entry: CronEntry, settings: Settings | None) -> None:
    scheduler.cron(
        entry.cron,
        func=entry.func or tick,
        kwargs={} if entry.func else {"kinds": [k.value for k in entry.kinds]},
        id=entry.id,
        queue_name="default",
        timeout=settings.job_timeout_seconds if settings else None,
        description=f"mediabrain {entry.func or ', '.join(k.value for k in entry.kinds)}",
    )


def missing_entries(scheduler: Any) -> list[str]:
    """The fixed cron ids rq-scheduler does not hold (Redis restarted without persistence)."""
    return [entry.id for entry in CRON if entry.id not in scheduler]


def ensure_registered(scheduler: Any, settings: Settings | None = None) -> list[str]:
    """Register again only the entries that vanished (every scheduler loop); returns them."""
    missing = missing_entries(scheduler)
    for entry in CRON:
        if entry.id in missing:
            _register_entry(scheduler, entry, settings)
    if missing:
        logger.error("scheduler: entries %s were missing; registered again", ", ".join(missing))
    return missing


def tick(kinds: Sequence[str]) -> list[str]:
    """A cron entry fired: fan out what is due now (RQ imports this by name)."""
    rt = get_runtime()
    return run_due(rt, kinds=kinds, first_lookback=TICK_FIRST_LOOKBACK).enqueued


def prime(rt: Runtime, now: datetime | None = None) -> None:
    """Start looking from ``now``: nothing older is replayed (e.g. before a demo's first advance)."""
    now = now or rt.now()
    for kind in ALL_KINDS:
        runs.write_cursor(rt.db, f"schedule:{kind.value}", now)

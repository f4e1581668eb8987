"""Metrics history sync: daily insights per account, campaign, ad set and ad, into metrics_daily.

Meta keeps adding conversions to a day for up to 7 days after it ends (the
default 7-day click attribution), so every sync re-pulls the trailing days (and
any day still marked provisional) and overwrites them; days inside the
attribution window are stored as provisional, older ones as final. Each sync
also keeps what it saw of the account's recent complete days
(``metric_snapshots``): how they grew between syncs is the attribution lag the
brain's nowcast learns. The first sync back-fills enough history for
month-to-date pacing, 14-day charts and 30-day averages. All four levels come
from the platform's ``insights_levels`` (for Meta, one batched Graph request).
The account row is kept because its conversions (purchases) and reach are not
the sum of the campaigns' (a traffic campaign's conversions are clicks).
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Integer,
    Numeric,
    String,
    Text,
    bindparam,
    cast,
    column,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

from ads.base import AdsPlatform, InsightRow, Level, Period
from analytics.history import first_provisional_day, has_history, last_synced
from storage.models import AdAccount, MetricDaily, MetricSnapshot
from storage.tenancy import scope_session
from storage.types import UTCDateTime
from vocabulary.ad_accounts import refresh_details
from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

#: Complete days still inside Meta's attribution window (7-day click): stored provisional.
ATTRIBUTION_DAYS = 7
#: Days the first sync reads: a month to date, a 14-day chart, 30-day averages.
BACKFILL_DAYS = 35
#: A sync younger than this is fresh enough for a report or an alert.
FRESH_FOR = timedelta(minutes=30)
LEVELS: tuple[Level, ...] = (Level.ACCOUNT, Level.CAMPAIGN, Level.ADSET, Level.AD)


@dataclass(frozen=True)
class SyncResult:
    account: str
    since: date
    until: date
    rows: int
    calls: int


def sync_window(today: date, *, first_provisional: date | None, has_rows: bool) -> Period:
    """Which days to (re)read: the trailing window, any stale provisional day, or a back-fill."""
    if not has_rows:
        return Period(today - timedelta(days=BACKFILL_DAYS - 1), today)
    since = today - timedelta(days=ATTRIBUTION_DAYS + 1)  # the oldest becomes final now
    if first_provisional is not None:
        since = min(since, first_provisional)
    since = max(since, today - timedelta(days=BACKFILL_DAYS - 1))
    return Period(since, today)


def is_provisional(day: date, today: date) -> bool:
    return day >= today - timedelta(days=ATTRIBUTION_DAYS)


def local_today(now: datetime, timezone: str) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


# --- fetching -------------------------------------------------------------------------------


def fetch_daily(ads: AdsPlatform, account_id: str, period: Period) -> dict[Level, list[InsightRow]]:
    """Daily rows for every level in as few requests as the platform allows (Meta: one batch).

    ``insights_levels`` is never served from the read cache: the point is fresh figures.
    """
    return ads.insights_levels(account_id, LEVELS, period, daily=True)


# --- storing --------------------------------------------------------------------------------


def metric_values(
    row: InsightRow, *, workspace_id: int, account_pk: int, today: date, synced_at: datetime
) -> dict[str, Any]:
    campaign_id = row.campaign_id or (row.object_id if row.level is Level.CAMPAIGN else None)
    return {
        "workspace_id": workspace_id,
        "ad_account_id": account_pk,
        "level": row.level.value,
        "object_id": row.object_id,
        "object_name": (row.object_name or "")[:200],
        "campaign_id": campaign_id,
        "day": row.date_start,
        "spend": row.spend,
        "impressions": row.impressions,
        "clicks": row.clicks,
        "reach": row.reach,
        "conversions": row.conversions,
        "revenue": row.revenue,
        "provisional": is_provisional(row.date_start, today),
        "synced_at": synced_at,
    }


UPDATED = (
    "object_name",
    "campaign_id",
    "spend",
    "impressions",
    "clicks",
    "reach",
    "conversions",
    "revenue",
    "provisional",
    "synced_at",
)
KEY = ("ad_account_id", "level", "object_id", "day")


#: What :func:`metric_values` gives each column: its SQL type as read from JSON (no lengths
#: or scales: the columns' own types check and round as on any INSERT) and the Python types
#: sent that way.
_JSON_COLUMNS: dict[str, tuple[TypeEngine[Any], frozenset[type]]] = {
    "workspace_id": (Integer(), frozenset({int})),
    "ad_account_id": (Integer(), frozenset({int})),
    "level": (String(), frozenset({str})),
    "object_id": (String(), frozenset({str})),
    "object_name": (String(), frozenset({str})),
    "campaign_id": (String(), frozenset({str, type(None)})),
    "day": (Date(), frozenset({date})),
    "spend": (Numeric(), frozenset({Decimal, int})),
    "impressions": (BigInteger(), frozenset({int})),
    "clicks": (BigInteger(), frozenset({int})),
    "reach": (BigInteger(), frozenset({int})),
    "conversions": (Numeric(), frozenset({Decimal, int})),
    "revenue": (Numeric(), frozenset({Decimal, int})),
    "provisional": (Boolean(), frozenset({bool})),
    "synced_at": (DateTime(timezone=True), frozenset({datetime})),
}
_UTC_TIME = UTCDateTime()


@functools.cache
def _pg_upsert() -> Any:
    """INSERT ... SELECT FROM json_to_recordset(the rows) ... ON CONFLICT DO UPDATE.

    A sync's ~130 rows as ONE JSON parameter of one statement execution: executed with the
    rows as parameters, psycopg sent one Execute per row and SQLAlchemy processed each row's
    parameters (a sixth of a report's sync); as arrays, psycopg's list dumping cost as much.
    """
    source = (
        func.json_to_recordset(cast(bindparam("rows", type_=Text()), postgresql.JSON))
        .table_valued(*(column(name, kind) for name, (kind, _) in _JSON_COLUMNS.items()))
        .render_derived(with_types=True)
    )
    stmt = postgresql.insert(MetricDaily).from_select(
        list(_JSON_COLUMNS), select(*(source.c[name] for name in _JSON_COLUMNS))
    )
    return stmt.on_conflict_do_update(
        index_elements=list(KEY),
        set_={name: getattr(stmt.excluded, name) for name in UPDATED},
    )


def _json_ready(rows: Sequence[dict[str, Any]]) -> bool:
    """True when every row has exactly the columns, each of a type :func:`_json_value` sends
    as the driver would (anything else keeps the per-row parameters)."""
    if any(len(row) != len(_JSON_COLUMNS) for row in rows):
        return False
    try:
        return all(
            {type(row[name]) for row in rows} <= allowed
            for name, (_, allowed) in _JSON_COLUMNS.items()
        )
    except KeyError:
        return False


def _json_value(value: Any, *, dialect: Dialect) -> Any:
    """A value JSON has no type for, as the text PostgreSQL reads back exactly."""
    if isinstance(value, Decimal):
        return "NaN" if value.is_nan() else str(value)  # as psycopg sends a Decimal
    if isinstance(value, datetime):
        moment = _UTC_TIME.process_bind_param(value, dialect)  # UTC; naive ones refused
        return moment.isoformat() if moment is not None else None
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not sent as JSON")


def upsert_metrics(session: Any, dialect: str, values: Sequence[dict[str, Any]]) -> int:
    """INSERT ... ON CONFLICT (account, level, object, day) DO UPDATE, on PostgreSQL and SQLite.

    One statement for any number of rows, compiled once per process. On PostgreSQL the rows
    go as one JSON document (see :func:`_pg_upsert`); a key given twice keeps its last row,
    as when each row was its own upsert (one statement cannot update a row twice). On
    SQLite, or for values of other types, the statement is executed with the rows as
    parameters.
    """
    if not values:
        return 0
    if dialect == "postgresql":
        rows = list({tuple(row[name] for name in KEY): row for row in values}.values())
        if _json_ready(rows):
            connection = session.connection()
            encode = functools.partial(_json_value, dialect=connection.dialect)
            document = json.dumps(rows, default=encode, ensure_ascii=False)
            connection.execute(_pg_upsert(), {"rows": document})
            return len(values)
    module: Any = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(MetricDaily)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(KEY),
        set_={name: getattr(stmt.excluded, name) for name in UPDATED},
    )
    session.connection().execute(stmt, list(values))
    return len(values)


def lag_snapshots(
    rows: Sequence[InsightRow],
    *,
    workspace_id: int,
    account_pk: int,
    now: datetime,
    timezone: str,
) -> list[dict[str, Any]]:
    """What this sync saw of each complete day still inside the attribution window."""
    zone = ZoneInfo(timezone)
    today = local_today(now, timezone)
    out = []
    for row in rows:
        day = row.date_start
        if not (today - timedelta(days=ATTRIBUTION_DAYS) <= day < today):
            continue
        ended = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone)
        out.append(
            {
                "workspace_id": workspace_id,
                "ad_account_id": account_pk,
                "day": day,
                "age_hours": max(int((now - ended).total_seconds() // 3600), 0),
                "spend": row.spend,
                "conversions": row.conversions,
                "revenue": row.revenue,
                "observed_at": now,
            }
        )
    return out


def keep_snapshots(session: Any, dialect: str, values: Sequence[dict[str, Any]]) -> None:
    """Insert the snapshots; one per day and hour of age (a second sync that hour adds none).

    Like :func:`upsert_metrics`, one statement executed with the rows as parameters, so it
    is compiled once per process rather than once per sync.
    """
    if not values:
        return
    module: Any = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(MetricSnapshot).on_conflict_do_nothing(
        index_elements=["ad_account_id", "day", "age_hours"]
    )
    session.connection().execute(stmt, list(values))


@dataclass(frozen=True)
class _SyncState:
    """What a sync needs to know before asking the platform, read in one session."""

    account: AdAccount
    has_rows: bool
    first_provisional: date | None


def _read_state(session: Any, account_pk: int) -> _SyncState:
    """The account and its history's bounds; ``session`` is then scoped to its workspace."""
    account = session.get(AdAccount, account_pk)
    if account is None:
        raise LookupError(f"ad account {account_pk} is gone")
    session.expunge(account)
    scope_session(session, account.workspace_id)
    has_rows = has_history(session, account_pk)
    # Without rows there is nothing provisional (and the window is a back-fill anyway).
    first = first_provisional_day(session, account_pk) if has_rows else None
    return _SyncState(account, has_rows, first)


def sync_account(rt: Runtime, account_pk: int, *, now: datetime | None = None) -> SyncResult:
    """Read the account's recent daily insights and upsert them into the history."""
    with rt.db.session() as session:
        known = _read_state(session, account_pk)
    return _sync(rt, known, now=now)


def _sync(rt: Runtime, known: _SyncState, *, now: datetime | None = None) -> SyncResult:
    """One session read the account and its history's bounds; then the platform, one upsert."""
    account, account_pk = known.account, known.account.id
    if not known.has_rows or not account.name:
        # Linked by id alone, or seeded with a default label (the embedded demo): learn the
        # account's own name, currency and timezone from the platform first.
        account = refresh_details(rt, account_pk)
    now = now or rt.now()
    today = local_today(now, account.timezone)
    period = sync_window(today, first_provisional=known.first_provisional, has_rows=known.has_rows)
    ads = rt.ads(account)
    before = ads.network_calls
    by_level = fetch_daily(ads, account.external_id, period)
    calls = ads.network_calls - before
    values = [
        metric_values(
            row,
            workspace_id=account.workspace_id,
            account_pk=account_pk,
            today=today,
            synced_at=now,
        )
        for rows in by_level.values()
        for row in rows
        if row.object_id
    ]
    snapshots = lag_snapshots(
        by_level.get(Level.ACCOUNT, []),
        workspace_id=account.workspace_id,
        account_pk=account_pk,
        now=now,
        timezone=account.timezone,
    )
    with rt.db.session(account.workspace_id) as session:
        upsert_metrics(session, rt.db.dialect, values)
        keep_snapshots(session, rt.db.dialect, snapshots)
    logger.info(
        "sync %s: %d rows for %s..%s (%d calls)",
        account.external_id,
        len(values),
        period.since,
        period.until,
        calls,
    )
    return SyncResult(account.external_id, period.since, period.until, len(values), calls)


def ensure_fresh(rt: Runtime, account_pk: int, *, now: datetime | None = None) -> bool:
    """Sync the account unless its history was refreshed within :data:`FRESH_FOR`.

    The freshness check and what the sync needs to know share one session: a fan-out
    of reports runs this once per account, and each session is a pool checkout (a
    ``pool_pre_ping`` round trip), a BEGIN and a COMMIT.
    """
    now = now or rt.now()
    with rt.db.session() as session:
        synced = last_synced(session, account_pk)
        if synced is not None and now - synced < FRESH_FOR and synced <= now:
            return False
        known = _read_state(session, account_pk)
    _sync(rt, known, now=now)
    return True

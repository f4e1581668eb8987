"""The metrics history: four levels upserted (account to ad) from the sandbox, trailing days re-read, provisional marks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from analytics.sync import sync_account, upsert_metrics
from storage.models import MetricDaily

DEMO = "act_1000000001"


def level_totals(rt: Any, account_pk: int, day: date) -> dict[str, tuple[Any, ...]]:
    with rt.db.session() as session:
        rows = session.execute(
            select(
                MetricDaily.level,
                func.sum(MetricDaily.spend),
                func.sum(MetricDaily.impressions),
                func.sum(MetricDaily.clicks),
                func.sum(MetricDaily.revenue),
            )
            .where(MetricDaily.ad_account_id == account_pk, MetricDaily.day == day)
            .group_by(MetricDaily.level)
        ).all()
    return {level: tuple(int(v) for v in values) for level, *values in rows}


def test_sync_stores_every_level_equal_to_the_sandbox_and_re_reads_lagging_days(
    make_world: Any, db_url: str
) -> None:
    world = make_world(db_url)
    rt, sandbox = world.rt, world.sandbox
    first = sync_account(rt, world.account1)
    today = sandbox.state.today(DEMO)
    assert first.until == today and first.since == today - timedelta(days=34)  # back-fill
    assert first.calls <= 2  # one batch (four levels) plus at most a second page

    yesterday = today - timedelta(days=1)
    truth = sandbox.state.totals(DEMO, yesterday, yesterday)
    expected = (truth.spend, truth.impressions, truth.clicks, truth.revenue)
    assert level_totals(rt, world.account1, yesterday) == {
        "account": expected,
        "campaign": expected,
        "adset": expected,
        "ad": expected,
    }

    with rt.db.session() as session:
        marks = dict(
            session.execute(
                select(MetricDaily.day, MetricDaily.provisional)
                .where(MetricDaily.level == "campaign", MetricDaily.ad_account_id == world.account1)
                .distinct()
            ).all()
        )
        rows_before = session.scalar(select(func.count()).select_from(MetricDaily))
    # Today and the 7 complete days inside Meta's 7-day click window are provisional.
    assert [marks[today - timedelta(days=n)] for n in range(10)] == [True] * 8 + [False] * 2

    # A day later: conversions of the lagging days arrived; the re-read overwrites them.
    sandbox.advance_clock(days=1)
    second = sync_account(rt, world.account1)
    assert second.since == today - timedelta(days=7) and second.calls == 1
    truth = sandbox.state.totals(DEMO, yesterday, yesterday)
    assert level_totals(rt, world.account1, yesterday)["campaign"] == (
        truth.spend,
        truth.impressions,
        truth.clicks,
        truth.revenue,
    )
    with rt.db.session() as session:
        final = session.scalar(
            select(MetricDaily.provisional).where(
                MetricDaily.ad_account_id == world.account1,
                MetricDaily.level == "campaign",
                MetricDaily.day == today - timedelta(days=7),
            )
        )
        rows_after = session.scalar(select(func.count()).select_from(MetricDaily))
    assert final is False  # out of the attribution window now
    # Upserts: only the new day's rows were added, nothing duplicated.
    assert 0 < rows_after - rows_before < 60


def test_a_stale_provisional_day_is_re_read_after_downtime(make_world: Any) -> None:
    world = make_world()
    sync_account(world.rt, world.account1)
    world.sandbox.advance_clock(days=10)  # nobody synced for ten days
    result = sync_account(world.rt, world.account1)
    today = world.sandbox.state.today(DEMO)
    assert result.since == today - timedelta(days=17)  # back to the oldest provisional day
    with world.rt.db.session() as session:
        stale = session.scalar(
            select(func.count()).where(
                MetricDaily.provisional.is_(True), MetricDaily.day < today - timedelta(days=7)
            )
        )
    assert stale == 0


def test_an_account_linked_by_id_alone_learns_its_currency_and_timezone(
    make_runtime: Any, sandbox: Any, sqlite_url: str
) -> None:
    from storage.models import AdAccount
    from storage.repositories import DEFAULT_WORKSPACE, ensure_workspace, link_ad_account

    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    with rt.db.session() as session:  # as MEDIABRAIN_META_AD_ACCOUNT_ID links it: no details
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        account_pk = link_ad_account(session, workspace.id, "act_1000000002").id
    sync_account(rt, account_pk)
    with rt.db.session() as session:
        account = session.get(AdAccount, account_pk)
        assert (account.name, account.currency, account.timezone) == (
            "Aurora Goods US (demo)",
            "USD",
            "America/New_York",
        )
        days = session.scalars(
            select(MetricDaily.day).where(MetricDaily.ad_account_id == account_pk)
        ).all()
    assert max(days) == sandbox.state.today("act_1000000002")  # its days are New York days


@pytest.mark.parametrize("later_spend", [Decimal(2000), 2000])
def test_a_day_given_twice_in_one_upsert_keeps_its_last_figures(
    make_world: Any, db_url: str, later_spend: Decimal | int
) -> None:
    """Meta can repeat a row across pages; the history keeps one row with the later figures
    (whether or not the amounts are all Decimals)."""
    world = make_world(db_url)
    rt = world.rt
    day = date(2026, 11, 19)
    synced = datetime(2026, 11, 20, 12, tzinfo=UTC)
    row = {
        "workspace_id": world.ws1,
        "ad_account_id": world.account1,
        "level": "campaign",
        "object_id": "120000000001",
        "object_name": "Promo",
        "campaign_id": "120000000001",
        "day": day,
        "spend": Decimal("1234.56"),
        "impressions": 1000,
        "clicks": 10,
        "reach": 900,
        "conversions": Decimal(1),
        "revenue": Decimal(5000),
        "provisional": True,
        "synced_at": synced,
    }
    later = {**row, "object_name": "Promo 2", "spend": later_spend, "conversions": Decimal(3)}
    with rt.db.session(world.ws1) as session:
        assert upsert_metrics(session, rt.db.dialect, [row, later]) == 2
    with rt.db.session() as session:
        stored = session.execute(
            select(MetricDaily.object_name, MetricDaily.spend, MetricDaily.conversions).where(
                MetricDaily.ad_account_id == world.account1, MetricDaily.day == day
            )
        ).all()
    assert [(name, int(spend), int(conv)) for name, spend, conv in stored] == [("Promo 2", 2000, 3)]

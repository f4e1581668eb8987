"""Batches of at most 50 and async insights jobs, through the SDK against the sandbox."""

from __future__ import annotations

from datetime import date

import pytest

from ads.base import Level, Period
from ads.errors import InvalidRequest, TransientError
from ads.meta import MetaConnector
from ads.sandbox import DEMO_ACCOUNT_ID
from ads.sandbox.specs import AdSetSpec, AdSpec, CampaignSpec, build_account

PERIOD = Period(date(2026, 11, 1), date(2026, 11, 19))


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def meta(sandbox, sleeps) -> MetaConnector:
    return MetaConnector("batch-token", graph_url=sandbox.url, api_version="v24.0", sleep=sleeps)


def add_campaigns(sandbox, count: int) -> list[str]:
    """``count`` small delivering campaigns in the demo account, straight into sandbox state."""
    state = sandbox.state
    spec = CampaignSpec(
        "Bench",
        "OUTCOME_SALES",
        age_days=30,
        adsets=(
            AdSetSpec(
                "Conjunto",
                audience=800_000,
                daily_budget=50.0,
                ads=(
                    AdSpec(
                        "Anúncio", "Oferta", "Texto", ctr=0.012, cvr=0.02, aov=200, cpm=25, scale=60
                    ),
                ),
            ),
        ),
    )
    before = {c.id for c in state.campaigns_of(DEMO_ACCOUNT_ID)}
    with state.lock:
        build_account(state, state.account(DEMO_ACCOUNT_ID), tuple([spec] * count), state.now())
    return [c.id for c in state.campaigns_of(DEMO_ACCOUNT_ID) if c.id not in before]


def test_batch_insights_groups_by_fifty(meta, sandbox):
    ids = add_campaigns(sandbox, 120)
    rows = meta.batch_insights(DEMO_ACCOUNT_ID, ids, PERIOD)
    assert sandbox.stats.count("POST /") == 3  # 50 + 50 + 20
    assert sandbox.stats.batch_items == 120
    assert {r.object_id for r in rows} == set(ids)
    one = next(r for r in rows if r.object_id == ids[0])
    direct = meta.insights(DEMO_ACCOUNT_ID, Level.CAMPAIGN, PERIOD, object_ids=[ids[0]])
    assert [one] == direct  # same figures either way
    assert meta.object_insights(DEMO_ACCOUNT_ID, ids[0], PERIOD) == direct
    assert sandbox.stats.count("GET /{campaign}/insights") == 1


def test_batch_insights_daily_rows_follow_every_page(sandbox, sleeps):
    meta = MetaConnector(
        "t", graph_url=sandbox.url, api_version="v24.0", sleep=sleeps, insights_page_size=10
    )
    ids = [c.id for c in meta.list_campaigns(DEMO_ACCOUNT_ID) if c.status == "ACTIVE"][:3]
    long = Period(date(2026, 10, 20), date(2026, 11, 19))  # 31 days: 4 pages per campaign
    batched = meta.batch_insights(DEMO_ACCOUNT_ID, ids, long, daily=True)
    assert sandbox.stats.count("GET /{campaign}/insights") > len(ids)  # later pages
    direct = meta.insights(
        DEMO_ACCOUNT_ID, Level.CAMPAIGN, long, object_ids=ids, daily=True, run_async=False
    )
    key = lambda r: (r.object_id, r.date_start)  # noqa: E731
    assert sorted(batched, key=key) == sorted(direct, key=key)
    assert len(batched) > 2 * 10  # more rows than one page holds


def test_transient_batch_items_are_retried_alone(meta, sandbox, sleeps):
    ids = add_campaigns(sandbox, 60)
    sandbox.inject_fault("batch_item_error", count=3)
    rows = meta.batch_insights(DEMO_ACCOUNT_ID, ids, PERIOD)
    assert {r.object_id for r in rows} == set(ids)
    assert sandbox.stats.count("POST /") == 3  # two chunks + one retry of the 3 failed items
    assert sandbox.stats.batch_items == 63
    assert len(sleeps) == 1


def test_persistently_failing_batch_items_raise(meta, sandbox):
    ids = add_campaigns(sandbox, 5)
    sandbox.inject_fault("batch_item_error", count=50)
    with pytest.raises(TransientError):
        meta.batch_insights(DEMO_ACCOUNT_ID, ids, PERIOD)
    assert sandbox.stats.count("POST /") == 3


def test_invalid_batch_item_is_not_retried(meta, sandbox):
    ids = add_campaigns(sandbox, 5)
    sandbox.inject_fault("batch_item_error", code=100)
    with pytest.raises(InvalidRequest):
        meta.batch_insights(DEMO_ACCOUNT_ID, ids, PERIOD)
    assert sandbox.stats.count("POST /") == 1


def test_many_campaigns_by_id_in_batches(meta, sandbox):
    ids = add_campaigns(sandbox, 70)
    campaigns = meta.get_campaigns(DEMO_ACCOUNT_ID, ids)
    assert [c.id for c in campaigns] == ids
    assert sandbox.stats.count("POST /") == 2
    assert all(c.account_id == DEMO_ACCOUNT_ID and c.name == "Bench" for c in campaigns)


def test_async_job_is_polled_until_done(meta, sandbox, sleeps):
    sandbox.state.config.async_polls = 3
    rows = meta.insights(DEMO_ACCOUNT_ID, Level.AD, PERIOD, daily=True, run_async=True)
    assert sandbox.stats.count("POST /{account}/insights") == 1
    assert sandbox.stats.count("GET /{report_run}") >= 4  # 3 x running, then completed
    assert sleeps == [1.0, 2.0, 4.0]  # growing pauses between polls
    sync = meta.insights(DEMO_ACCOUNT_ID, Level.AD, PERIOD, daily=True, run_async=False)
    key = lambda r: (r.object_id, r.date_start)  # noqa: E731
    assert sorted(rows, key=key) == sorted(sync, key=key)


def test_large_queries_go_async_automatically(meta, sandbox):
    long = Period(date(2026, 8, 1), date(2026, 11, 19))
    meta.insights(DEMO_ACCOUNT_ID, Level.CAMPAIGN, long, daily=True)
    assert sandbox.stats.count("POST /{account}/insights") == 1
    short = Period(date(2026, 11, 1), date(2026, 11, 19))
    meta.insights(DEMO_ACCOUNT_ID, Level.CAMPAIGN, short, daily=True)
    assert sandbox.stats.count("POST /{account}/insights") == 1  # small: plain GET
    ids = add_campaigns(sandbox, 60)
    meta.insights(DEMO_ACCOUNT_ID, Level.CAMPAIGN, short, object_ids=ids)
    assert sandbox.stats.count("POST /{account}/insights") == 2  # many objects


def test_async_job_that_never_finishes_gives_up(sandbox, sleeps):
    meta = MetaConnector(
        "t", graph_url=sandbox.url, api_version="v24.0", sleep=sleeps, max_poll_seconds=5
    )
    sandbox.state.config.async_polls = 100
    with pytest.raises(TransientError):
        meta.insights(DEMO_ACCOUNT_ID, Level.CAMPAIGN, PERIOD, run_async=True)
    assert sum(sleeps) >= 5


def test_every_level_in_one_batch_request(meta, sandbox):
    levels = [Level.ACCOUNT, Level.CAMPAIGN, Level.ADSET, Level.AD]
    by_level = meta.insights_levels(DEMO_ACCOUNT_ID, levels, PERIOD, daily=True)
    assert sandbox.stats.requests == 1 and sandbox.stats.batch_items == 4
    for level in levels:
        direct = meta.insights(DEMO_ACCOUNT_ID, level, PERIOD, daily=True, run_async=False)
        key = lambda r: (r.object_id, r.date_start)  # noqa: E731
        assert sorted(by_level[level], key=key) == sorted(direct, key=key)
        assert direct

"""Faults injected into the sandbox: what is retried, how long we wait, what is never retried."""

from __future__ import annotations

import socket
from datetime import date
from decimal import Decimal

import pytest

from ads.base import CampaignDraft, Level, Period, Status
from ads.errors import (
    AmbiguousWrite,
    InvalidRequest,
    PermissionDenied,
    RequestTimeout,
    Throttled,
    TokenExpired,
    TransientError,
)
from ads.meta import MetaConnector
from ads.retry import RetryPolicy
from ads.sandbox import DEMO_ACCOUNT_ID, UsageLimits
from ads.usage import PacingPolicy
from tests.support.waiting import FakeClock

TOKEN = "EAAB-resilience-secret"
PERIOD = Period(date(2026, 11, 1), date(2026, 11, 19))


@pytest.fixture
def fake_time() -> FakeClock:
    return FakeClock(10_000.0)


@pytest.fixture
def invalidated() -> list[str]:
    return []


def connector(server, fake_time: FakeClock, **kw) -> MetaConnector:
    kw.setdefault("timeout", 5)
    return MetaConnector(
        TOKEN,
        graph_url=server.url,
        api_version="v24.0",
        sleep=fake_time.sleep,
        clock=fake_time.time,
        **kw,
    )


@pytest.fixture
def meta(sandbox, fake_time, invalidated) -> MetaConnector:
    return connector(sandbox, fake_time, on_token_invalid=invalidated.append)


def campaign_reads(sandbox) -> int:
    return sandbox.stats.count("GET /{account}/campaigns")


# --- transient errors ------------------------------------------------------------------------


def test_server_errors_are_retried_with_backoff_then_succeed(meta, sandbox, fake_time):
    sandbox.inject_fault("server_error", count=2, path_contains="/campaigns")
    campaigns = meta.list_campaigns(DEMO_ACCOUNT_ID)
    assert campaigns
    assert campaign_reads(sandbox) == 3
    assert len(fake_time.sleeps) == 2
    assert 0.5 <= fake_time.sleeps[0] <= 1.0 and 1.0 <= fake_time.sleeps[1] <= 2.0  # jittered


def test_persistent_server_errors_give_up_after_three_attempts(meta, sandbox):
    sandbox.inject_fault("server_error", count=5, code=1, path_contains="/campaigns")
    with pytest.raises(TransientError) as failed:
        meta.list_campaigns(DEMO_ACCOUNT_ID)
    assert failed.value.code == 1 and failed.value.trace_id
    assert failed.value.account_id == DEMO_ACCOUNT_ID
    assert campaign_reads(sandbox) == 3


def test_read_timeouts_are_retried(sandbox, fake_time):
    meta = connector(sandbox, fake_time, timeout=0.3)
    sandbox.inject_fault("timeout", seconds=1.0, path_contains="/campaigns")
    assert meta.list_campaigns(DEMO_ACCOUNT_ID)
    assert campaign_reads(sandbox) == 2


def test_unreachable_graph_is_a_timeout_without_the_token_in_the_message(fake_time):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    meta = MetaConnector(
        TOKEN,
        graph_url=f"http://127.0.0.1:{port}",
        api_version="v24.0",
        timeout=0.5,
        sleep=fake_time.sleep,
        clock=fake_time.time,
    )
    with pytest.raises(RequestTimeout) as failed:
        meta.list_campaigns(DEMO_ACCOUNT_ID)
    assert meta.network_calls == 3  # a read: retried
    assert TOKEN not in str(failed.value)
    assert failed.value.__cause__ is None and failed.value.__suppress_context__


# --- throttling -----------------------------------------------------------------------------


def test_throttle_waits_for_metas_regain_estimate(meta, sandbox, fake_time):
    sandbox.inject_fault("throttle", regain_after_minutes=1, path_contains="/campaigns")
    assert meta.list_campaigns(DEMO_ACCOUNT_ID)
    assert campaign_reads(sandbox) == 2
    assert fake_time.sleeps == [60.0]  # exactly the regain time, once
    usage = meta.usage(DEMO_ACCOUNT_ID)
    assert usage is not None and usage.regain_minutes == 0  # the success reset it


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80000, 80004])
def test_every_throttle_code_is_honoured(meta, sandbox, fake_time, code):
    sandbox.inject_fault("throttle", code=code, path_contains="/campaigns")
    assert meta.list_campaigns(DEMO_ACCOUNT_ID)
    assert campaign_reads(sandbox) == 2 and fake_time.sleeps


def test_long_throttle_raises_instead_of_sleeping_and_then_fails_fast(meta, sandbox, fake_time):
    sandbox.inject_fault("throttle", regain_after_minutes=30, path_contains="/campaigns")
    with pytest.raises(Throttled) as throttled:
        meta.list_campaigns(DEMO_ACCOUNT_ID)
    assert throttled.value.retry_after == 30 * 60
    assert throttled.value.code == 17
    assert fake_time.sleeps == []
    before = sandbox.stats.requests
    with pytest.raises(Throttled):  # still blocked: no request is even sent
        meta.list_adsets(DEMO_ACCOUNT_ID)
    assert sandbox.stats.requests == before


def test_usage_headers_are_tracked_and_slow_calls_down(make_sandbox, fake_time):
    from tests.conftest import SANDBOX_START

    server = make_sandbox(start=SANDBOX_START, limits=UsageLimits(ads_management=20))
    meta = connector(server, fake_time, pacing=PacingPolicy(threshold=75, max_delay=10))
    for _ in range(15):  # 15 of 20 calls a minute: 75%, no pause yet
        meta.get_account(DEMO_ACCOUNT_ID)
    assert fake_time.sleeps == []
    usage = meta.usage(DEMO_ACCOUNT_ID)
    assert usage is not None and usage.business_pct == 75 and usage.account_pct == 75
    assert usage.app_pct < 75
    meta.get_account(DEMO_ACCOUNT_ID)  # paced on 75%: no pause; Meta now reports 80%
    assert fake_time.sleeps == []
    meta.get_account(DEMO_ACCOUNT_ID)  # 80%: a pause proportional to the excess
    meta.get_account(DEMO_ACCOUNT_ID)  # 85%: twice as long
    assert fake_time.sleeps == [pytest.approx(2.0), pytest.approx(4.0)]
    assert server.stats.errors == {}  # never reached Meta's limit


# --- never retried ----------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:value of objective")  # the SDK's own enum warning
def test_invalid_request_is_not_retried(meta, sandbox, fake_time):
    with pytest.raises(InvalidRequest) as bad:
        meta.create_campaign(DEMO_ACCOUNT_ID, CampaignDraft(name="x", objective="NOPE"))
    assert bad.value.code == 100 and bad.value.subcode == 2490408
    assert sandbox.stats.count("POST /{account}/campaigns") == 1 and fake_time.sleeps == []


def test_code_100_is_not_retried_even_when_marked_transient(meta, sandbox, fake_time):
    sandbox.inject_fault("server_error", code=100, path_contains="/campaigns")
    with pytest.raises(InvalidRequest):
        meta.list_campaigns(DEMO_ACCOUNT_ID)
    assert campaign_reads(sandbox) == 1 and fake_time.sleeps == []


@pytest.mark.parametrize("code", [10, 200, 294])
def test_permission_errors_are_not_retried(meta, sandbox, fake_time, code):
    sandbox.inject_fault("server_error", code=code, path_contains="/campaigns")
    with pytest.raises(PermissionDenied) as denied:
        meta.list_campaigns(DEMO_ACCOUNT_ID)
    assert denied.value.code == code
    assert campaign_reads(sandbox) == 1 and fake_time.sleeps == []


# --- dead token -------------------------------------------------------------------------------


def test_expired_token_blocks_the_connector_and_calls_back_once(meta, sandbox, invalidated):
    sandbox.inject_fault("expired_token", path_contains="/campaigns")
    with pytest.raises(TokenExpired) as expired:
        meta.list_campaigns(DEMO_ACCOUNT_ID)
    assert (expired.value.code, expired.value.subcode) == (190, 463)
    assert meta.blocked and invalidated == [DEMO_ACCOUNT_ID]
    sent = sandbox.stats.requests
    for call in (
        lambda: meta.list_campaigns(DEMO_ACCOUNT_ID),
        lambda: meta.get_campaign("120210000000000001"),
        lambda: meta.insights(DEMO_ACCOUNT_ID, Level.ACCOUNT, PERIOD),
        lambda: meta.set_status("120210000000000001", Status.PAUSED),
    ):
        with pytest.raises(TokenExpired):
            call()
    assert sandbox.stats.requests == sent  # failed fast: no network
    assert invalidated == [DEMO_ACCOUNT_ID]  # once


def test_expired_token_inside_a_batch(meta, sandbox, invalidated):
    ids = [c.id for c in meta.list_campaigns(DEMO_ACCOUNT_ID)]
    sandbox.inject_fault("batch_item_error", code=190)
    with pytest.raises(TokenExpired):
        meta.batch_insights(DEMO_ACCOUNT_ID, ids, PERIOD)
    assert meta.blocked and invalidated == [DEMO_ACCOUNT_ID]


# --- writes after an ambiguous failure -----------------------------------------------------------


def _adset(sandbox):
    state = sandbox.state
    return next(
        a
        for a in state.adsets.values()
        if a.account_id == DEMO_ACCOUNT_ID
        and state.effective_status(a) == "ACTIVE"
        and a.value_at("daily_budget", state.now())
    )


def test_write_timeout_that_applied_is_read_back_not_resent(sandbox, fake_time):
    meta = connector(sandbox, fake_time, timeout=0.3)
    adset = _adset(sandbox)
    meta.get_adset(adset.id)  # the connector learns the ad set's account
    sandbox.inject_fault("timeout", seconds=1.0, apply=True, path_contains=adset.id)
    posts = sandbox.stats.count("POST /{adset}")
    meta.set_daily_budget(adset.id, Decimal("12300"))
    assert sandbox.stats.count("POST /{adset}") == posts + 1  # sent once
    assert adset.value_at("daily_budget", sandbox.now()) == 12300


def test_write_timeout_that_did_not_apply_is_retried(sandbox, fake_time):
    meta = connector(sandbox, fake_time, timeout=0.3)
    adset = _adset(sandbox)
    meta.get_adset(adset.id)
    sandbox.inject_fault("timeout", seconds=1.0, apply=False, path_contains=adset.id)
    posts = sandbox.stats.count("POST /{adset}")
    meta.set_daily_budget(adset.id, Decimal("12400"))
    assert sandbox.stats.count("POST /{adset}") == posts + 2  # read back, then sent again
    assert adset.value_at("daily_budget", sandbox.now()) == 12400
    meta.set_status(adset.id, Status.PAUSED)
    assert adset.status == "PAUSED"


def test_server_error_on_a_write_is_retried_after_checking(meta, sandbox):
    adset = _adset(sandbox)
    meta.get_adset(adset.id)
    sandbox.inject_fault("server_error", path_contains=adset.id)
    meta.set_status(adset.id, Status.PAUSED)
    assert adset.status == "PAUSED"


def test_create_timeout_that_applied_is_not_duplicated(sandbox, fake_time):
    meta = connector(sandbox, fake_time, timeout=0.3)
    sandbox.inject_fault("timeout", seconds=1.0, apply=True, path_contains="/campaigns")
    with pytest.raises(AmbiguousWrite) as unclear:
        meta.create_campaign(DEMO_ACCOUNT_ID, CampaignDraft(name="Natal 2026"))
    named = [c for c in sandbox.state.campaigns_of(DEMO_ACCOUNT_ID) if c.name == "Natal 2026"]
    assert len(named) == 1 and named[0].id in unclear.value.message
    assert named[0].status == "PAUSED"


def test_create_timeout_that_did_not_apply_is_retried_once(sandbox, fake_time):
    meta = connector(sandbox, fake_time, timeout=0.3)
    sandbox.inject_fault("timeout", seconds=1.0, apply=False, path_contains="/campaigns")
    created = meta.create_campaign(DEMO_ACCOUNT_ID, CampaignDraft(name="Ano Novo"))
    named = [c for c in sandbox.state.campaigns_of(DEMO_ACCOUNT_ID) if c.name == "Ano Novo"]
    assert [c.id for c in named] == [created.id]
    assert created.status is Status.PAUSED


def test_throttled_write_waits_and_is_sent_again(meta, sandbox, fake_time):
    campaign = meta.create_campaign(DEMO_ACCOUNT_ID, CampaignDraft(name="Throttle"))
    posts = sandbox.stats.count("POST /{campaign}")
    sandbox.inject_fault("throttle", regain_after_minutes=1, path_contains=campaign.id)
    meta.set_status(campaign.id, Status.ACTIVE)
    assert sandbox.stats.count("POST /{campaign}") == posts + 2
    assert fake_time.sleeps == [60.0]
    assert sandbox.state.campaign(campaign.id).status == "ACTIVE"


def test_policy_knobs(sandbox, fake_time):
    meta = connector(sandbox, fake_time, retry_policy=RetryPolicy(attempts=1))
    sandbox.inject_fault("server_error", path_contains="/campaigns")
    with pytest.raises(TransientError):
        meta.list_campaigns(DEMO_ACCOUNT_ID)
    assert campaign_reads(sandbox) == 1

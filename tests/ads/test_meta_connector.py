"""MetaConnector reads and writes through the real facebook-business SDK against the sandbox."""

from __future__ import annotations

import warnings
from datetime import date
from decimal import Decimal

import pytest
from babel.numbers import get_currency_precision
from facebook_business.api import FacebookAdsApi

from ads.base import (
    AdDraft,
    AdSetDraft,
    AdsPlatform,
    CampaignDraft,
    CreativeDraft,
    Level,
    Period,
    Status,
)
from ads.currency import round_to_budget_unit
from ads.errors import InvalidRequest, NotFound
from ads.meta import MetaConnector
from ads.meta_mappers import budget_to_minor, graph_amount_to_minor, minor_to_budget
from ads.sandbox import DEMO_ACCOUNT_ID, SECOND_ACCOUNT_ID, create_demo_accounts

TOKEN = "EAAB-test-token-secret"
PERIOD = Period(date(2026, 11, 1), date(2026, 11, 19))


def listed(state, records) -> set[str]:
    """What Graph lists by default: the account's objects, minus archived and deleted ones."""
    return {
        r.id
        for r in records
        if r.account_id == DEMO_ACCOUNT_ID
        and state.effective_status(r) not in ("ARCHIVED", "DELETED")
    }


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def meta(sandbox) -> MetaConnector:
    return MetaConnector(
        TOKEN, graph_url=sandbox.url, api_version="v24.0", timeout=5, sleep=Sleeps()
    )


def test_is_an_ads_platform_with_its_own_api_and_no_secret_in_repr(meta, sandbox):
    assert isinstance(meta, AdsPlatform)
    assert FacebookAdsApi.get_default_api() is not meta.api  # never the SDK-global api
    assert sandbox.url == meta.api._session.GRAPH
    assert TOKEN not in repr(meta)


def test_accounts(meta):
    accounts = {a.id: a for a in meta.list_ad_accounts()}
    assert accounts[DEMO_ACCOUNT_ID].currency == "BRL"
    assert accounts[DEMO_ACCOUNT_ID].timezone == "America/Sao_Paulo"
    assert accounts[SECOND_ACCOUNT_ID].currency == "USD"
    assert meta.get_account(DEMO_ACCOUNT_ID) == accounts[DEMO_ACCOUNT_ID]


def test_object_reads_match_the_sandbox_records(meta, sandbox):
    state = sandbox.state
    campaigns = meta.list_campaigns(DEMO_ACCOUNT_ID)
    assert {c.id for c in campaigns} == listed(state, state.campaigns.values())
    with_budget = next(c for c in campaigns if c.daily_budget)
    record = state.campaign(with_budget.id)
    assert with_budget.daily_budget == Decimal(record.value_at("daily_budget", state.now()))
    assert with_budget.account_id == DEMO_ACCOUNT_ID
    assert with_budget.created_time is not None and with_budget.created_time.tzinfo is not None
    assert meta.get_campaign(with_budget.id) == with_budget

    adsets = meta.list_adsets(DEMO_ACCOUNT_ID)
    assert {a.id for a in adsets} == listed(state, state.adsets.values())
    one = adsets[0]
    assert meta.list_adsets(DEMO_ACCOUNT_ID, one.campaign_id) == [
        a for a in adsets if a.campaign_id == one.campaign_id
    ]
    assert meta.get_adset(one.id) == one
    assert isinstance(one.targeting["geo_locations"], dict)  # plain JSON, not SDK objects

    ads = meta.list_ads(DEMO_ACCOUNT_ID)
    assert {a.id for a in ads} == listed(state, state.ads.values())
    assert meta.list_ads(DEMO_ACCOUNT_ID, ads[0].adset_id) == [
        a for a in ads if a.adset_id == ads[0].adset_id
    ]
    assert all(a.creative_id for a in ads)
    creatives = meta.list_creatives(DEMO_ACCOUNT_ID)
    assert {c.id for c in creatives} >= {a.creative_id for a in ads}
    assert any(c.title and c.link_url for c in creatives)


def test_every_page_is_read(sandbox):
    small_pages = MetaConnector(
        TOKEN, graph_url=sandbox.url, api_version="v24.0", page_size=2, sleep=Sleeps()
    )
    campaigns = small_pages.list_campaigns(DEMO_ACCOUNT_ID)
    assert (
        len(campaigns)
        == len(
            MetaConnector(TOKEN, graph_url=sandbox.url, api_version="v24.0").list_campaigns(
                DEMO_ACCOUNT_ID
            )
        )
        > 2
    )
    assert sandbox.stats.count("GET /{account}/campaigns") >= len(campaigns) // 2


def test_insights_spend_is_decimal_minor_units_end_to_end(meta, sandbox):
    rows = meta.insights(DEMO_ACCOUNT_ID, Level.CAMPAIGN, PERIOD)
    assert rows
    for row in rows:
        totals = sandbox.state.totals(row.object_id, PERIOD.since, PERIOD.until)
        assert isinstance(row.spend, Decimal)
        assert row.spend == Decimal(totals.spend)  # centavos, exactly
        assert row.impressions == totals.impressions and row.clicks == totals.clicks
        # Conversions are the business's purchases whatever the objective (a traffic campaign's
        # clicks are not conversions), counted once despite Meta's aliases.
        assert row.conversions == Decimal(totals.purchases)
        assert row.revenue == Decimal(totals.revenue)
        assert row.currency == "BRL" and row.level is Level.CAMPAIGN
        assert (row.date_start, row.date_stop) == (PERIOD.since, PERIOD.until)
    account = meta.insights(DEMO_ACCOUNT_ID, Level.ACCOUNT, PERIOD)
    assert len(account) == 1 and account[0].object_id == DEMO_ACCOUNT_ID
    assert account[0].spend == Decimal(
        sandbox.state.totals(DEMO_ACCOUNT_ID, PERIOD.since, PERIOD.until).spend
    )


def test_insights_daily_breakdowns_and_object_filter(meta):
    campaigns = meta.insights(DEMO_ACCOUNT_ID, Level.CAMPAIGN, PERIOD)
    chosen = [campaigns[0].object_id, campaigns[1].object_id]
    filtered = meta.insights(DEMO_ACCOUNT_ID, Level.CAMPAIGN, PERIOD, object_ids=chosen)
    assert sorted(r.object_id for r in filtered) == sorted(chosen)

    daily = meta.insights(DEMO_ACCOUNT_ID, Level.CAMPAIGN, PERIOD, object_ids=chosen, daily=True)
    assert {r.date_start for r in daily} <= {date(2026, 11, d) for d in range(1, 20)} and all(
        r.date_start == r.date_stop for r in daily
    )
    for cid in chosen:
        total = next(r.spend for r in campaigns if r.object_id == cid)
        assert sum(r.spend for r in daily if r.object_id == cid) == total

    sent = meta.network_calls
    assert meta.insights(DEMO_ACCOUNT_ID, Level.CAMPAIGN, PERIOD, object_ids=[]) == []
    assert meta.network_calls == sent  # an empty selection is not "all campaigns"

    by_age = meta.insights(DEMO_ACCOUNT_ID, Level.CAMPAIGN, PERIOD, breakdowns=["age"])
    assert {r.breakdown["age"] for r in by_age} >= {"18-24", "25-34"}
    ads = meta.insights(DEMO_ACCOUNT_ID, Level.AD, PERIOD)
    assert all(r.campaign_id and r.adset_id for r in ads)


def test_other_currency_accounts_keep_minor_units(meta, sandbox):
    usd = meta.insights(SECOND_ACCOUNT_ID, Level.ACCOUNT, PERIOD)[0]
    totals = sandbox.state.totals(SECOND_ACCOUNT_ID, PERIOD.since, PERIOD.until)
    assert usd.currency == "USD" and usd.spend == Decimal(totals.spend)  # cents

    # Meta counts TWD in whole dollars; the product's minor unit (babel) is the cent.
    assert get_currency_precision("TWD") == 2
    (twd_account,) = create_demo_accounts(sandbox.state, 1, currency="TWD")
    twd = meta.insights(twd_account, Level.ACCOUNT, PERIOD)[0]
    twd_totals = sandbox.state.totals(twd_account, PERIOD.since, PERIOD.until)
    assert twd.currency == "TWD" and twd.spend == Decimal(twd_totals.spend) * 100
    objects = [*meta.list_campaigns(twd_account), *meta.list_adsets(twd_account)]
    budgeted = next(o for o in objects if o.daily_budget)
    record = sandbox.state.node(budgeted.id)
    assert budgeted.daily_budget == Decimal(record.value_at("daily_budget", sandbox.now())) * 100
    meta.set_daily_budget(budgeted.id, Decimal("7500000"))  # 75.000 dollars
    assert sandbox.state.node(budgeted.id).value_at("daily_budget", sandbox.now()) == 75000


def test_money_conversions():
    assert graph_amount_to_minor("1234.56", "BRL") == Decimal("123456")
    assert str(graph_amount_to_minor("1234.56", "BRL")) == "123456"
    assert graph_amount_to_minor("1234", "JPY") == Decimal("1234")
    assert graph_amount_to_minor("0.5", "KWD") == Decimal("500")
    assert graph_amount_to_minor(None, "BRL") == Decimal(0)
    assert budget_to_minor("5000", "BRL") == Decimal("5000")
    assert budget_to_minor("0", "BRL") is None
    assert budget_to_minor("50000", "TWD") == Decimal("5000000")  # Meta: whole dollars
    assert minor_to_budget(Decimal("5000000"), "TWD") == 50000
    assert minor_to_budget(Decimal("4500"), "BRL") == 4500
    with pytest.raises(InvalidRequest):
        minor_to_budget(Decimal("45.5"), "BRL")
    with pytest.raises(InvalidRequest):
        minor_to_budget(Decimal("5050"), "TWD")  # not a whole dollar
    with pytest.raises(InvalidRequest):
        minor_to_budget(Decimal(0), "BRL")


def test_create_chain_always_paused_and_budget_writes(meta, sandbox):
    state = sandbox.state
    cbo = meta.create_campaign(
        DEMO_ACCOUNT_ID, CampaignDraft(name="Black Friday", daily_budget=Decimal("15000"))
    )
    assert cbo.status is Status.PAUSED and cbo.daily_budget == Decimal("15000")
    assert state.campaign(cbo.id).status == "PAUSED"

    abo = meta.create_campaign(DEMO_ACCOUNT_ID, CampaignDraft(name="Teste ABO"))
    adset = meta.create_adset(
        DEMO_ACCOUNT_ID, AdSetDraft(campaign_id=abo.id, name="Amplo", daily_budget=Decimal(3000))
    )
    assert adset.status is Status.PAUSED and adset.daily_budget == Decimal(3000)
    assert adset.campaign_id == abo.id and adset.targeting["geo_locations"]["countries"] == ["BR"]
    creative = meta.create_creative(
        DEMO_ACCOUNT_ID,
        CreativeDraft(
            name="Criativo BF",
            title="Até 50% off",
            body="Só hoje.",
            link_url="https://loja.example.com.br/bf",
            image_url="https://cdn.example.com/bf.jpg",
            page_id="104000000000001",
        ),
    )
    assert (creative.title, creative.body, creative.call_to_action) == (
        "Até 50% off",
        "Só hoje.",
        "SHOP_NOW",
    )
    ad = meta.create_ad(
        DEMO_ACCOUNT_ID, AdDraft(adset_id=adset.id, name="Anúncio BF", creative_id=creative.id)
    )
    assert ad.status is Status.PAUSED and ad.creative_id == creative.id
    assert state.ad(ad.id).status == "PAUSED"

    meta.set_daily_budget(adset.id, Decimal("4550"))
    assert meta.get_adset(adset.id).daily_budget == Decimal("4550")
    assert state.adset(adset.id).value_at("daily_budget", state.now()) == 4550
    meta.set_daily_budget(cbo.id, Decimal("20000"))
    assert meta.get_campaign(cbo.id).daily_budget == Decimal("20000")
    meta.set_status(ad.id, Status.ACTIVE)
    assert state.ad(ad.id).status == "ACTIVE"
    meta.set_status(abo.id, Status.ACTIVE)
    assert meta.get_campaign(abo.id).status is Status.ACTIVE


def test_bad_writes_are_named_errors(meta, sandbox):
    with pytest.raises(InvalidRequest) as bad:
        meta.create_adset(
            DEMO_ACCOUNT_ID,
            AdSetDraft(campaign_id="999", name="x", daily_budget=Decimal(100)),
        )
    assert bad.value.code == 100 and bad.value.trace_id
    cbo = meta.create_campaign(
        DEMO_ACCOUNT_ID, CampaignDraft(name="CBO", daily_budget=Decimal(9000))
    )
    with pytest.raises(InvalidRequest) as refused:
        meta.create_adset(
            DEMO_ACCOUNT_ID, AdSetDraft(campaign_id=cbo.id, name="x", daily_budget=Decimal(100))
        )
    assert refused.value.subcode == 1885621
    assert "set the budget on the campaign" in refused.value.message  # Meta's words for people
    with pytest.raises(NotFound) as missing:
        meta.get_campaign("4242")
    assert (missing.value.code, missing.value.subcode) == (100, 33)
    with pytest.raises(InvalidRequest):
        meta.set_daily_budget("1", Decimal("10.5"))  # refused before any network call


def test_no_sdk_warnings_on_the_hot_paths(meta):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        meta.list_campaigns(DEMO_ACCOUNT_ID)
        meta.insights(DEMO_ACCOUNT_ID, Level.AD, PERIOD, daily=True)
        meta.batch_insights(
            DEMO_ACCOUNT_ID, [c.id for c in meta.list_campaigns(DEMO_ACCOUNT_ID)], PERIOD
        )


def test_relative_budgets_round_to_the_step_meta_accepts() -> None:
    assert round_to_budget_unit(Decimal("13214.5"), "BRL") == Decimal(13215)  # cents
    assert round_to_budget_unit(Decimal("12345"), "TWD") == Decimal(12300)  # whole dollars
    assert minor_to_budget(round_to_budget_unit(Decimal("12355"), "TWD"), "TWD") == 124
    assert round_to_budget_unit(Decimal("999.4"), "JPY") == Decimal(999)

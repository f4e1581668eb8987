"""The sandbox's simulated account behaves like an auction, reproducibly.

Determinism, attribution lag, pacing, pausing, diminishing returns, the demo
account's stories, multi-timezone accounts and persistence, checked through
the Graph API (as a connector sees them) and the sandbox's own totals.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx
import pytest
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.campaign import Campaign

from ads.sandbox import DEMO_ACCOUNT_ID, SECOND_ACCOUNT_ID, SandboxState, create_demo_accounts
from ads.sandbox.attribution import LagProfile
from ads.sandbox.insights import PURCHASE
from ads.sandbox.model import apportion, format_major, poisson_quantile
from tests.conftest import SANDBOX_START


def _campaign(state: SandboxState, name: str):
    return next(c for c in state.campaigns.values() if c.name == name)


def _purchases(row: dict) -> int:
    actions = {a["action_type"]: int(a["value"]) for a in row.get("actions", [])}
    return actions.get("omni_purchase", 0)


def _raw_insights(server, node: str, **params) -> dict:
    query = {"access_token": "t", "limit": 5000, **params}
    response = httpx.get(f"{server.url}/v24.0/{node}/insights", params=query)
    assert response.status_code == 200, response.text
    return response.json()


# --- determinism -----------------------------------------------------------------------------


def test_same_seed_and_clock_give_identical_numbers_in_any_query_order(make_sandbox):
    first = make_sandbox(start=SANDBOX_START, seed=7)
    second = make_sandbox(start=SANDBOX_START, seed=7)
    other = make_sandbox(start=SANDBOX_START, seed=8)
    queries = [
        {
            "level": "ad",
            "date_preset": "last_30d",
            "time_increment": "1",
            "fields": "ad_id,spend,impressions,clicks,reach,actions,action_values",
        },
        {
            "level": "campaign",
            "date_preset": "last_7d",
            "breakdowns": "age,gender",
            "fields": "campaign_id,spend,clicks,actions",
        },
        {"level": "account", "date_preset": "today", "fields": "spend,impressions,actions"},
    ]
    answers_first = [_raw_insights(first, DEMO_ACCOUNT_ID, **q) for q in queries]
    answers_second = [_raw_insights(second, DEMO_ACCOUNT_ID, **q) for q in reversed(queries)][::-1]
    assert answers_first == answers_second
    assert _raw_insights(other, DEMO_ACCOUNT_ID, **queries[0]) != answers_first[0]


# --- attribution lag -------------------------------------------------------------------------


def test_a_past_days_purchases_grow_for_days_then_settle_within_seven(sandbox, graph_api):
    account = AdAccount(DEMO_ACCOUNT_ID, api=graph_api)
    yesterday = sandbox.state.today(DEMO_ACCOUNT_ID) - timedelta(days=1)
    window = {"since": str(yesterday), "until": str(yesterday)}

    def read() -> tuple[Decimal, int, Decimal]:
        row = dict(
            account.get_insights(
                fields=["spend", "actions", "action_values"], params={"time_range": window}
            )[0]
        )
        values = {a["action_type"]: Decimal(a["value"]) for a in row["action_values"]}
        return Decimal(row["spend"]), _purchases(row), values["omni_purchase"]

    spend, first, revenue_first = read()
    sandbox.advance_clock(hours=24)
    spend_later, second, revenue_second = read()
    sandbox.advance_clock(hours=48)
    _, third, _ = read()
    sandbox.advance_clock(days=5)
    _, settled, revenue_settled = read()
    sandbox.advance_clock(days=3)
    _, later, _ = read()
    assert spend_later == spend  # delivery of a past day never changes
    assert first < second <= third <= settled
    assert revenue_first < revenue_second <= revenue_settled
    assert later == settled  # 7 days after the day ended (7-day click) nothing more arrives
    truth = sandbox.state.totals(DEMO_ACCOUNT_ID, yesterday, yesterday, settled=True)
    assert truth.purchases == settled and Decimal(truth.revenue) / 100 == revenue_settled


# --- pacing, pausing, budgets ------------------------------------------------------------------


def test_spend_paces_through_the_day_up_to_the_budget(sandbox):
    state = sandbox.state
    lookalike = _campaign(state, "Prospecção Lookalike 1% Compradores")
    today = state.today(DEMO_ACCOUNT_ID)
    local_now = sandbox.now().astimezone(state.accounts[DEMO_ACCOUNT_ID].tz)
    elapsed = (local_now.hour + local_now.minute / 60) / 24
    so_far = state.totals(lookalike.id, today, today).spend
    assert so_far == pytest.approx(lookalike.daily_budget * elapsed, rel=0.06)
    sandbox.advance_clock(hours=24 - local_now.hour)
    full_day = state.totals(lookalike.id, today, today).spend
    assert 0.95 * lookalike.daily_budget <= full_day <= lookalike.daily_budget  # budget-limited


def test_pausing_stops_spend_from_that_moment(sandbox, graph_api):
    state = sandbox.state
    today = state.today(DEMO_ACCOUNT_ID)
    paused = _campaign(state, "Catálogo Dinâmico - DPA Advantage+")
    control = _campaign(state, "Advantage+ Shopping - Sempre Ativo")
    before = state.totals(paused.id, today, today).spend
    control_before = state.totals(control.id, today, today).spend
    assert before > 0
    Campaign(paused.id, api=graph_api).api_update(params={"status": "PAUSED"})
    sandbox.advance_clock(hours=5)
    assert state.totals(paused.id, today, today).spend == before
    assert state.totals(control.id, today, today).spend > control_before
    Campaign(paused.id, api=graph_api).api_update(params={"status": "ACTIVE"})
    sandbox.advance_clock(hours=2)
    assert state.totals(paused.id, today, today).spend > before


def test_more_budget_buys_more_at_diminishing_returns(make_sandbox, make_api):
    base = make_sandbox(start=SANDBOX_START)
    scaled = make_sandbox(start=SANDBOX_START)
    campaign = _campaign(scaled.state, "Prospecção Lookalike 1% Compradores")
    Campaign(campaign.id, api=make_api(scaled)).api_update(
        params={"daily_budget": campaign.daily_budget * 3}
    )
    for server in (base, scaled):
        server.advance_clock(days=15)
    today = base.state.today(DEMO_ACCOUNT_ID)
    since, until = today - timedelta(days=14), today - timedelta(days=1)
    small = base.state.totals(campaign.id, since, until, settled=True)
    big = scaled.state.totals(campaign.id, since, until, settled=True)
    assert big.spend > 2.5 * small.spend
    assert big.spend / big.impressions > small.spend / small.impressions  # CPM rises
    assert big.revenue / big.spend < small.revenue / small.spend  # ROAS falls
    assert big.revenue > small.revenue  # but it still sells more


# --- the demo account's stories ---------------------------------------------------------------


def test_demo_account_has_winners_losers_fatigue_and_a_budget_limited_campaign(sandbox):
    state = sandbox.state
    today = state.today(DEMO_ACCOUNT_ID)
    last14 = (today - timedelta(days=14), today - timedelta(days=1))

    def totals(name: str, since: date = last14[0], until: date = last14[1]):
        return state.totals(_campaign(state, name).id, since, until, settled=True)

    account = state.totals(DEMO_ACCOUNT_ID, *last14, settled=True)
    account_cpa = account.spend / account.purchases
    for winner in ("Remarketing 7d - Carrinho Abandonado", "Catálogo Dinâmico - DPA Advantage+"):
        assert totals(winner).revenue / totals(winner).spend >= 4
    loser = totals("Prospecção Interesses - Moda Feminina")
    assert loser.spend / loser.purchases >= 3 * account_cpa
    assert loser.revenue < loser.spend

    fatigued = _campaign(state, "Coleção Verão - Carrossel")
    launch = fatigued.created_time.astimezone(state.accounts[DEMO_ACCOUNT_ID].tz).date()
    early = totals(fatigued.name, launch + timedelta(days=1), launch + timedelta(days=7))
    late = totals(fatigued.name, today - timedelta(days=7), today - timedelta(days=1))
    assert late.clicks / late.impressions < 0.6 * early.clicks / early.impressions
    assert late.impressions / late.reach > early.impressions / early.reach

    yesterday = today - timedelta(days=1)
    limited = _campaign(state, "Prospecção Lookalike 1% Compradores")
    assert totals(limited.name, yesterday, yesterday).spend >= 0.95 * limited.daily_budget
    interests = _campaign(state, "Prospecção Interesses - Moda Feminina")
    budget = sum(s.daily_budget for s in state.adsets_of(interests.id))
    assert totals(interests.name, yesterday, yesterday).spend < 0.95 * budget

    flash = totals("Promo Relâmpago - Stories")
    assert flash.clicks / flash.impressions > 0.02

    history = state.totals(DEMO_ACCOUNT_ID, today - timedelta(days=70), today - timedelta(days=60))
    assert history.spend > 0
    names = {c.name for c in state.campaigns_of(DEMO_ACCOUNT_ID)}
    assert len(names) >= 12
    black_friday = _campaign(state, "Black Friday - Conversão")
    assert black_friday.status == "PAUSED"
    assert (
        totals(black_friday.name, today - timedelta(days=40), today - timedelta(days=30)).spend > 0
    )
    assert totals(black_friday.name, today - timedelta(days=20), today).spend == 0


def test_money_is_exact_across_levels(sandbox):
    """Account spend == sum of campaign rows == sum of ad rows, to the centavo."""
    everything = '[{"field":"ad.effective_status","operator":"IN","value":["ACTIVE","PAUSED","CAMPAIGN_PAUSED","ADSET_PAUSED","ARCHIVED","DELETED"]}]'
    common = {"date_preset": "last_90d", "fields": "spend,actions"}
    account = _raw_insights(sandbox, DEMO_ACCOUNT_ID, level="account", **common)["data"][0]
    ads = _raw_insights(sandbox, DEMO_ACCOUNT_ID, level="ad", filtering=everything, **common)[
        "data"
    ]
    assert sum(Decimal(r["spend"]) for r in ads) == Decimal(account["spend"])
    assert sum(_purchases(r) for r in ads) == _purchases(account)
    default_campaigns = _raw_insights(sandbox, DEMO_ACCOUNT_ID, level="campaign", **common)["data"]
    # Below account level Graph leaves archived/deleted objects out unless asked for.
    assert sum(Decimal(r["spend"]) for r in default_campaigns) < Decimal(account["spend"])


# --- accounts, timezones, scale -------------------------------------------------------------


def test_each_account_reports_days_in_its_own_timezone_and_currency(make_sandbox):
    # 04:30 UTC: already the 21st in São Paulo, still the 20th in New York.
    server = make_sandbox(start=datetime(2026, 11, 21, 4, 30, tzinfo=UTC))
    brl = _raw_insights(
        server, DEMO_ACCOUNT_ID, date_preset="today", fields="spend,account_currency"
    )["data"][0]
    usd = _raw_insights(
        server, SECOND_ACCOUNT_ID, date_preset="today", fields="spend,account_currency"
    )["data"][0]
    assert (brl["date_start"], brl["account_currency"]) == ("2026-11-21", "BRL")
    assert (usd["date_start"], usd["account_currency"]) == ("2026-11-20", "USD")
    assert Decimal(usd["spend"]) > Decimal(brl["spend"]) / 100  # NY is late in its day


def test_a_thousand_generated_accounts_are_distinct_and_listed(make_sandbox):
    server = make_sandbox(start=SANDBOX_START)
    created = create_demo_accounts(server.state, 1000)  # how fast: bench/bench_reports.py
    assert len(created) == len(set(created)) == 1000
    listed = httpx.get(
        f"{server.url}/v24.0/me/adaccounts",
        params={"access_token": "t", "limit": 2000, "summary": "true"},
    ).json()
    assert listed["summary"]["total_count"] == 1002
    sample = _raw_insights(
        server, created[500], level="campaign", date_preset="last_7d", fields="spend"
    )
    assert sample["data"] is not None


# --- persistence ------------------------------------------------------------------------------


def test_state_file_keeps_objects_changes_and_clock(tmp_path, make_sandbox, make_api):
    path = tmp_path / "sandbox.json"
    first = make_sandbox(start=SANDBOX_START, state_file=path)
    api = make_api(first)
    created = AdAccount(DEMO_ACCOUNT_ID, api=api).create_campaign(
        params={
            "name": "Persistida",
            "objective": "OUTCOME_TRAFFIC",
            "status": "PAUSED",
            "special_ad_categories": [],
        }
    )
    paused = _campaign(first.state, "Remarketing 7d - Carrinho Abandonado")
    Campaign(paused.id, api=api).api_update(params={"status": "PAUSED"})
    first.advance_clock(hours=30)
    query = {
        "level": "campaign",
        "date_preset": "last_7d",
        "time_increment": "1",
        "fields": "campaign_id,spend,actions",
    }
    answer = _raw_insights(first, DEMO_ACCOUNT_ID, **query)
    first.stop()

    second = make_sandbox(start=datetime(2030, 1, 1, tzinfo=UTC), state_file=path)  # start ignored
    assert second.now() == SANDBOX_START + timedelta(hours=30)
    assert second.state.campaign(created["id"]).name == "Persistida"
    assert _raw_insights(second, DEMO_ACCOUNT_ID, **query) == answer


# --- pure model pieces ---------------------------------------------------------------------


def test_apportion_is_exact_and_proportional():
    parts = apportion(1001, [0.5, 0.3, 0.2])
    assert sum(parts) == 1001 and parts == [501, 300, 200]
    assert apportion(0, [1, 2]) == [0, 0]
    assert sum(apportion(7, [0.0, 0.0, 0.0])) == 7


def test_poisson_quantile_never_decreases_as_the_day_goes_on():
    for u in (0.05, 0.5, 0.95):
        counts = [poisson_quantile(lam / 10, u) for lam in range(0, 2000, 7)]
        assert counts == sorted(counts)


def test_lag_share_and_money_formatting():
    lag = LagProfile(immediate_share=0.5, mean_hours=30.0)
    shares = [lag.share(h) for h in (0, 12, 24, 48, 72, 120, 167.9, 168, 400)]
    assert shares == sorted(shares) and shares[0] == 0.5 and shares[-1] == shares[-2] == 1.0
    assert 0.9 < lag.share(72) < 0.99  # a tail still arrives after three days
    assert [format_major(m, "BRL") for m in (123450, 100, 5, 0)] == ["1234.5", "1", "0.05", "0"]
    assert format_major(1500, "JPY") == "1500"


def test_purchase_aliases_are_the_documented_meta_ones():
    assert "omni_purchase" in PURCHASE and "offsite_conversion.fb_pixel_purchase" in PURCHASE
    assert len(PURCHASE) == len(set(PURCHASE)) >= 5


def test_lifetime_budget_spreads_over_the_flight(sandbox, make_api):
    api = make_api(sandbox)
    stop = (sandbox.now() + timedelta(days=10)).isoformat()
    campaign = AdAccount(DEMO_ACCOUNT_ID, api=api).create_campaign(
        params={
            "name": "Voo de 10 dias",
            "objective": "OUTCOME_SALES",
            "status": "ACTIVE",
            "special_ad_categories": [],
            "lifetime_budget": 100_000,
            "stop_time": stop,
        }
    )
    state = sandbox.state
    template = _campaign(state, "Advantage+ Shopping - Sempre Ativo")
    adset = state.add_adset(
        campaign["id"],
        name="Conjunto",
        status="ACTIVE",
        targeting={"geo_locations": {"countries": ["BR"]}},
    )
    source = state.ads_of(template.id)[0]
    state.add_ad(
        adset.id,
        name="Anúncio",
        creative_id=source.creative_id,
        status="ACTIVE",
        truth=source.truth,
    )
    sandbox.advance_clock(days=12)
    today = state.today(DEMO_ACCOUNT_ID)
    flight = state.totals(campaign["id"], today - timedelta(days=13), today, settled=True)
    assert 80_000 <= flight.spend <= 100_000  # about the lifetime budget, never more
    assert state.totals(campaign["id"], today - timedelta(days=1), today).spend == 0  # ended

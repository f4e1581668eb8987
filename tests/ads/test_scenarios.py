"""Benchmark scenarios: built from compact specs, copied exactly, and telling their stories.

Each named scenario promises a right answer (scale the winner, move budget off
the saturated campaign, cut the fatiguing creative, wait for late purchases,
cut the loser under a tight limit). These tests run 30 simulated days with and
without that answer and check the sandbox rewards it, so a decision benchmark
built on them measures something.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest

from ads.sandbox import start_sandbox
from ads.sandbox.scenarios import (
    SCENARIOS,
    Outcome,
    SimAccount,
    SimAd,
    SimAdSet,
    SimCampaign,
    add_scenarios,
    add_simulated_account,
    outcome,
)
from ads.sandbox.state import SandboxState

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # 09:00 in São Paulo
DAYS = 30


@pytest.fixture(scope="module")
def base() -> tuple[SandboxState, dict[str, str]]:
    state = SandboxState(seed=42, start=START)
    return state, add_scenarios(state)


def _campaign_id(state: SandboxState, account_id: str, name: str) -> str:
    return next(c.id for c in state.campaigns_of(account_id) if c.name == name)


def _adset_id(state: SandboxState, account_id: str, campaign: str) -> str:
    (adset,) = state.adsets_of(_campaign_id(state, account_id, campaign))
    return adset.id


def _run(
    base: tuple[SandboxState, dict[str, str]],
    name: str,
    policy: Callable[[SandboxState, str, int], None] = lambda state, account, day: None,
) -> Outcome:
    """30 days of ``name`` from the shared starting state, ``policy`` acting each morning."""
    state = base[0].copy()
    account = base[1][name]
    first = state.today(account)
    for day in range(DAYS):
        policy(state, account, day)
        state.advance_clock(days=1)
    state.advance_clock(days=8)  # every purchase of the last day has arrived
    last = first + timedelta(days=DAYS - 1)
    return outcome(state, account, first, last, margin=SCENARIOS[name].gross_margin)


def test_every_scenario_becomes_an_account_with_history_and_its_settings(base):
    state, accounts = base
    assert set(accounts) == {
        "headroom",
        "saturated",
        "fatigue",
        "noisy",
        "long_lag",
        "limit_pressure",
    }
    for name, account_id in accounts.items():
        spec = SCENARIOS[name]
        account = state.accounts[account_id]
        assert account.name == spec.name and account.noise == spec.noise
        assert account.lag == spec.lag
        assert [c.name for c in state.campaigns_of(account_id)] == [c.name for c in spec.campaigns]
        today = state.today(account_id)
        past = state.totals(account_id, today - timedelta(days=10), today - timedelta(days=1))
        assert past.spend > 0 and past.purchases > 0, name


def test_cbo_and_abo_budgets_land_where_the_spec_puts_them(base):
    state, accounts = base
    account = accounts["headroom"]
    abo = state.campaigns[_campaign_id(state, account, "Vencedora limitada")]
    cbo = state.campaigns[_campaign_id(state, account, "Mediana")]
    assert abo.daily_budget is None and [s.daily_budget for s in state.adsets_of(abo.id)] == [
        10_000
    ]
    assert cbo.daily_budget == 15_000 and all(
        s.daily_budget is None for s in state.adsets_of(cbo.id)
    )
    (winner,) = state.ads_of(abo.id)
    assert (winner.truth.cvr, winner.truth.scale, winner.truth.aov) == (0.03, 40_000, 22_000)


def test_a_spec_must_say_where_budgets_live():
    state = SandboxState(seed=1, start=START)
    ad = SimAd("a", 0.01, 0.02, 200, 25, 100)
    both = SimAccount(
        "x",
        (SimCampaign("c", (SimAdSet("s", 1_000_000, (ad,), daily_budget=50),), daily_budget=50),),
    )
    neither = SimAccount("x", (SimCampaign("c", (SimAdSet("s", 1_000_000, (ad,)),)),))
    for spec in (both, neither):
        with pytest.raises(ValueError, match="budget"):
            add_simulated_account(state, spec, "act_5000000001")


def test_copies_are_identical_and_independent(base):
    state, accounts = base
    account = accounts["saturated"]
    first, second = state.copy(), state.copy()
    for copy in (first, second):
        copy.advance_clock(days=5)
    day = state.today(account) + timedelta(days=2)
    assert first.totals(account, day, day) == second.totals(account, day, day)
    first.update(_adset_id(first, account, "Saturada"), {"status": "PAUSED"})
    assert state.adsets[_adset_id(state, account, "Saturada")].status == "ACTIVE"
    assert second.adsets[_adset_id(second, account, "Saturada")].status == "ACTIVE"


def test_a_copy_can_be_served_over_graph(base):
    state, accounts = base
    server = start_sandbox(state=state.copy())
    try:
        assert accounts["noisy"] in {a.id for a in server.state.visible_accounts("t")}
        assert server.state is not state
    finally:
        server.stop()


# --- the stories ---------------------------------------------------------------------------------


def test_headroom_scaling_the_budget_limited_winner_earns_more(base):
    def scale(state: SandboxState, account: str, day: int) -> None:
        if day in (0, 3, 6, 9, 12):  # +20% every three days, never a learning reset
            adset = state.adsets[_adset_id(state, account, "Vencedora limitada")]
            assert adset.daily_budget is not None  # the limited winner runs on an ad-set budget
            state.update(adset.id, {"daily_budget": round(adset.daily_budget * 1.2)})

    still, scaled = _run(base, "headroom"), _run(base, "headroom", scale)
    assert scaled.spend > still.spend * 1.2
    assert scaled.profit > still.profit * 1.15


def test_saturated_moving_budget_to_the_campaign_with_room_earns_more(base):
    def move(state: SandboxState, account: str, day: int) -> None:
        if day == 0:
            state.update(_adset_id(state, account, "Saturada"), {"daily_budget": 24_000})
            campaign = _campaign_id(state, account, "Com espaço")
            state.update(campaign, {"daily_budget": 36_000})

    still, moved = _run(base, "saturated"), _run(base, "saturated", move)
    assert moved.spend == pytest.approx(still.spend, rel=0.05)  # same money...
    assert moved.profit > still.profit + 2_000_00  # ...R$ 2,000+ more profit


def test_fatigue_the_tired_creative_ends_the_month_below_break_even(base):
    state = base[0].copy()
    account = base[1]["fatigue"]
    tired = _campaign_id(state, account, "Criativo cansando")
    first = state.today(account)
    state.advance_clock(days=DAYS + 8)

    def week(start: date) -> tuple[float, float]:
        t = state.totals(tired, start, start + timedelta(days=6), settled=True)
        return t.clicks / t.impressions, t.revenue / t.spend

    (ctr_early, roas_early), (ctr_late, roas_late) = week(first), week(first + timedelta(days=23))
    break_even = 1 / float(SCENARIOS["fatigue"].gross_margin)
    assert ctr_late < 0.7 * ctr_early
    assert roas_early > break_even > roas_late


def test_long_lag_recent_days_look_unprofitable_until_they_settle(base):
    state = base[0].copy()
    account = base[1]["long_lag"]
    state.advance_clock(days=20)
    today = state.today(account)
    recent = (today - timedelta(days=3), today - timedelta(days=1))
    now = state.totals(account, *recent)
    settled = state.totals(account, *recent, settled=True)
    break_even = 1 / float(SCENARIOS["long_lag"].gross_margin)
    assert now.revenue / now.spend < 0.7 * settled.revenue / settled.spend
    assert settled.revenue / settled.spend > break_even


def test_limit_pressure_no_action_overspends_and_cutting_the_loser_lands_under(base):
    limit = int(SCENARIOS["limit_pressure"].monthly_limit * 100)

    def cut_loser(state: SandboxState, account: str, day: int) -> None:
        if day == 0:
            state.update(_campaign_id(state, account, "Perdedora"), {"status": "PAUSED"})

    still, cut = _run(base, "limit_pressure"), _run(base, "limit_pressure", cut_loser)
    assert still.spend > 1.25 * limit
    assert cut.profit > still.profit
    assert cut.spend > 0.9 * limit


def test_noisy_weeks_swing_more_than_in_a_calm_copy_of_the_same_account(base):
    noisy_spec = SCENARIOS["noisy"]
    calm_spec = SimAccount(noisy_spec.name, noisy_spec.campaigns, noise=1.0)
    state = SandboxState(seed=42, start=START)
    noisy = add_simulated_account(state, noisy_spec, "act_6000000001").id
    calm = add_simulated_account(state, calm_spec, "act_6000000002").id
    state.advance_clock(days=60)
    first = state.today(noisy) - timedelta(days=56)

    def weekly_cpm(account: str) -> np.ndarray:
        values = []
        for campaign in state.campaigns_of(account):
            for week in range(7):
                since = first + timedelta(days=7 * week)
                t = state.totals(campaign.id, since, since + timedelta(days=6), settled=True)
                values.append(np.log(t.spend / t.impressions))
        return np.array(values)

    assert weekly_cpm(noisy).std() > 1.6 * weekly_cpm(calm).std()


def test_outcome_is_contribution_profit_in_minor_units(base):
    state = base[0].copy()
    account = base[1]["headroom"]
    state.advance_clock(days=9)
    today = state.today(account)
    result = outcome(state, account, today - 7 * timedelta(days=1), today, margin=Decimal("0.4"))
    assert result.profit == round(result.revenue * 0.4 - result.spend)
    assert result.roas == Decimal(result.revenue) / Decimal(result.spend)

"""The sandbox's realism effects, each checked against the parameters it was built with.

Learning phase, ad-set diminishing returns, persistent auction shocks and the
account's attribution lag: a benchmark that judges budget decisions on the
sandbox is only fair if these behave as documented in ``ads.sandbox.model``.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from ads.sandbox import learning
from ads.sandbox.attribution import ATTRIBUTION_WINDOW_HOURS, LagProfile, default_lag_profile
from ads.sandbox.figures import AdDay
from ads.sandbox.localtime import day_bounds
from ads.sandbox.model import auction_shock
from ads.sandbox.records import AccountRecord, CampaignRecord
from ads.sandbox.specs import AdSetSpec, AdSpec, CampaignSpec, build_account
from ads.sandbox.state import SandboxState

#: 09:00 in São Paulo on a Monday with no retail season around it.
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _world(*, noise: float = 0.0, lag: LagProfile | None = None) -> tuple[SandboxState, str]:
    state = SandboxState(seed=7, start=START)
    account = state.add_account(
        "act_3000000001",
        name="Realism",
        currency="BRL",
        timezone="America/Sao_Paulo",
        created=START - timedelta(days=100),
        noise=noise,
        lag=lag,
    )
    return state, account.id


def _ad(name: str, *, cvr: float = 0.05, scale: float = 100_000, fatigue: float = 0.0) -> AdSpec:
    return AdSpec(name, "t", "b", 0.02, cvr, 200, 20, scale, fatigue=fatigue, pace=0.97)


def _campaign(
    state: SandboxState,
    account_id: str,
    name: str,
    *,
    budget: float,
    audience: int = 50_000_000,
    ads: tuple[AdSpec, ...] | None = None,
    cbo: bool = False,
) -> CampaignRecord:
    spec = CampaignSpec(
        name,
        "OUTCOME_SALES",
        age_days=0,
        daily_budget=budget if cbo else None,
        adsets=(
            AdSetSpec(
                f"{name} - conjunto",
                audience=audience,
                daily_budget=None if cbo else budget,
                ads=ads or (_ad(f"{name} - anúncio"),),
            ),
        ),
    )
    account = state.accounts[account_id]
    build_account(state, account, (spec,), state.now())
    return next(c for c in state.campaigns_of(account_id) if c.name == name)


def _day(state: SandboxState, campaign: CampaignRecord, day: date) -> AdDay:
    (ad_day,) = state.engine.campaign_day(campaign.id, day).values()
    return ad_day


def _cvr(ad_day: AdDay) -> float:
    return ad_day.purchases / ad_day.link_clicks


# --- learning phase ----------------------------------------------------------------------------


def test_what_counts_as_a_significant_edit():
    state, account_id = _world()
    abo = _campaign(state, account_id, "ABO", budget=100)
    cbo = _campaign(state, account_id, "CBO", budget=100, cbo=True)
    (abo_set,) = state.adsets_of(abo.id)
    (cbo_set,) = state.adsets_of(cbo.id)
    created = abo_set.created_time
    day = timedelta(days=1)

    state.update(
        abo_set.id, {"daily_budget": 11_500}, at=created + 1 * day
    )  # +15%: not significant
    state.update(abo_set.id, {"daily_budget": 14_500}, at=created + 2 * day)  # +26%: significant
    state.update(abo_set.id, {"daily_budget": 11_000}, at=created + 3 * day)  # -24%: significant
    state.update(abo_set.id, {"status": "PAUSED"}, at=created + 4 * day)
    state.update(abo_set.id, {"status": "ACTIVE"}, at=created + 6 * day)  # 2 days off: not
    state.update(abo.id, {"status": "PAUSED"}, at=created + 7 * day)
    state.update(abo.id, {"status": "ACTIVE"}, at=created + 15 * day)  # 8 days off: significant
    state.update(cbo.id, {"daily_budget": 15_000}, at=created + 2 * day)  # CBO budget +50%
    state.update(cbo_set.id, {"daily_budget": 1_000}, at=created + 3 * day)  # ignored under CBO

    assert learning.significant_edits(abo, abo_set, state.ads_of(abo_set.id)) == [
        created,
        created + 2 * day,
        created + 3 * day,
        created + 15 * day,
    ]
    assert learning.significant_edits(cbo, cbo_set, state.ads_of(cbo_set.id)) == [
        created,
        created + 2 * day,
    ]


def test_learning_ends_after_fifty_events_and_costs_a_fifth_of_the_conversion_rate():
    state, account_id = _world()
    # ~3,000 purchases a day in a vast audience: Poisson noise and saturation stay small.
    campaign = _campaign(state, account_id, "Volume", budget=50_000, audience=400_000_000)
    state.advance_clock(days=9)
    tz = state.accounts[account_id].tz
    first = START.astimezone(tz).date()

    days = [_day(state, campaign, first + timedelta(days=i)) for i in range(9)]
    assert [d.learning for d in days] == [True] + [False] * 8  # 50 events on day one
    # Same weekday a week later, same spend, nothing else changed: the conversion rate
    # while learning is the documented 80 % of the settled one.
    assert _cvr(days[0]) / _cvr(days[7]) == pytest.approx(learning.CVR_MULTIPLIER, abs=0.05)
    spend_per_impression = [d.spend / d.impressions for d in (days[0], days[7])]
    assert spend_per_impression[0] > spend_per_impression[1] * 1.05  # and a dearer auction


def test_a_small_ad_set_learns_for_seven_days_and_a_big_budget_change_restarts_it():
    state, account_id = _world()
    campaign = _campaign(state, account_id, "Pequeno", budget=60)  # ~1 purchase a day
    (adset,) = state.adsets_of(campaign.id)
    state.advance_clock(days=10)
    tz = state.accounts[account_id].tz
    first = START.astimezone(tz).date()
    flags = [_day(state, campaign, first + timedelta(days=i)).learning for i in range(10)]
    assert flags == [True] * 8 + [False] * 2  # until 7 days have passed (09:00 on day 7)

    state.update(adset.id, {"daily_budget": 6_600})  # +10%: learning stays over
    state.advance_clock(days=1)
    assert _day(state, campaign, first + timedelta(days=10)).learning is False
    state.update(adset.id, {"daily_budget": 9_000})  # +36%: learning again
    state.advance_clock(days=1)
    assert _day(state, campaign, first + timedelta(days=11)).learning is True


# --- ad-set diminishing returns --------------------------------------------------------------


def test_a_small_audience_gets_dearer_as_its_budget_grows_even_with_ad_headroom():
    """The ads have efficient scales far above the budgets: what bites is the audience."""
    state, account_id = _world()
    small = {
        b: _campaign(state, account_id, f"P{b}", budget=b, audience=20_000) for b in (150, 300)
    }
    large = {
        b: _campaign(state, account_id, f"G{b}", budget=b, audience=20_000_000) for b in (150, 300)
    }
    state.advance_clock(hours=14)
    today = state.today(account_id)

    def cpm(campaign: CampaignRecord) -> float:
        day = _day(state, campaign, today)
        return day.spend / day.impressions

    assert cpm(small[300]) / cpm(small[150]) > 1.15
    assert cpm(large[300]) / cpm(large[150]) == pytest.approx(1.0, abs=0.02)
    small_day, large_day = _day(state, small[300], today), _day(state, large[300], today)
    assert _cvr(small_day) < _cvr(large_day)


# --- auction shocks -----------------------------------------------------------------------------


def test_auction_shocks_are_an_ar1_with_the_documented_persistence_and_size():
    first = date(2020, 1, 1)
    logs = np.array(
        [math.log(auction_shock(3, "act_1", first + timedelta(days=i))) for i in range(3000)]
    )
    autocorrelation = np.corrcoef(logs[:-1], logs[1:])[0, 1]
    assert autocorrelation == pytest.approx(0.6, abs=0.05)
    assert logs.std() == pytest.approx(0.12, rel=0.1)
    assert auction_shock(3, "act_1", first) == auction_shock(3, "act_1", first)
    assert auction_shock(3, "act_2", first) != auction_shock(3, "act_1", first)
    assert auction_shock(3, "act_1", first, noise=0.0) == 1.0


def test_one_account_shares_its_days_auction_and_another_has_its_own():
    state, account_id = _world(noise=1.0)
    other = state.add_account(
        "act_3000000002",
        name="Outra",
        currency="BRL",
        timezone="America/Sao_Paulo",
        created=START - timedelta(days=100),
    )
    a = _campaign(state, account_id, "A", budget=100)
    b = _campaign(state, account_id, "B", budget=100)
    c = _campaign(state, other.id, "C", budget=100)
    state.advance_clock(days=30)
    first = START.astimezone(state.accounts[account_id].tz).date() + timedelta(days=8)

    def log_cpm(campaign: CampaignRecord) -> np.ndarray:
        days = [_day(state, campaign, first + timedelta(days=i)) for i in range(20)]
        return np.log([d.spend / d.impressions for d in days])

    same = np.corrcoef(log_cpm(a), log_cpm(b))[0, 1]
    apart = np.corrcoef(log_cpm(a), log_cpm(c))[0, 1]
    assert same > 0.6 and same > apart + 0.3


# --- attribution lag ----------------------------------------------------------------------------


def test_lag_draws_follow_the_profiles_reported_share():
    profile = LagProfile(immediate_share=0.45, mean_hours=36.0)
    rng = random.Random(11)
    draws = np.array([profile.draw(rng) for _ in range(40_000)])
    for hours in (0.0, 12.0, 48.0, 72.0, 120.0):
        assert (draws <= hours).mean() == pytest.approx(profile.share(hours), abs=0.01)
    assert draws.max() <= ATTRIBUTION_WINDOW_HOURS
    assert (draws > 72).mean() > 0.05  # a real tail past three days


def test_accounts_get_their_own_lag_profiles_within_the_documented_ranges():
    profiles = {default_lag_profile(42, f"act_{i}") for i in range(200)}
    assert len(profiles) > 150
    assert all(0.40 <= p.immediate_share <= 0.65 for p in profiles)
    assert all(20.0 <= p.mean_hours <= 60.0 for p in profiles)
    late = [1 - p.share(72) for p in profiles]
    assert min(late) > 0.005 and max(late) < 0.16


def test_a_slow_account_keeps_reporting_purchases_after_three_days():
    slow = LagProfile(immediate_share=0.35, mean_hours=60.0)
    state, account_id = _world(lag=slow)
    campaign = _campaign(state, account_id, "Lento", budget=3_000)
    account = state.accounts[account_id]
    day = START.astimezone(account.tz).date() + timedelta(days=1)
    _, day_end = day_bounds(day, account)
    reported = []
    for hours in (0, 72, 24 * 7 + 1):
        state.set_clock(day_end + timedelta(hours=hours))
        reported.append(state.totals(campaign.id, day, day).purchases)
    settled = state.totals(campaign.id, day, day, settled=True).purchases
    assert reported[0] < reported[1] < reported[2] == settled
    assert reported[0] / settled == pytest.approx(slow.share(0), abs=0.08)
    assert reported[1] / settled == pytest.approx(slow.share(72), abs=0.05)


def test_lag_and_noise_survive_a_state_file(tmp_path):
    path = tmp_path / "world.json"
    state = SandboxState(seed=1, start=START, state_file=path)
    state.add_account(
        "act_3000000009",
        name="X",
        currency="BRL",
        timezone="America/Sao_Paulo",
        lag=LagProfile(0.5, 20.0),
        noise=2.5,
    )
    state.save()
    again = SandboxState(state_file=path)
    account: AccountRecord = again.accounts["act_3000000009"]
    assert account.lag == LagProfile(0.5, 20.0) and account.noise == 2.5

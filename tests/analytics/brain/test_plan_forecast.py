"""The forecast a crew plan shows, on an account with known rates."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from analytics.brain.plan_forecast import AccountDay, forecast_new_campaign

CPA, AOV, CTR = 5000, 20000, 0.015  # R$ 50 per sale, R$ 200 per order, 1.5% CTR


def account(days: int = 28, spend: int = 100000, campaigns: int = 2) -> list[AccountDay]:
    rng = np.random.default_rng(7)
    out = []
    for _ in range(days):
        impressions = 40000
        conversions = float(rng.poisson(spend / CPA))
        out.append(
            AccountDay(
                spend,
                impressions,
                int(rng.binomial(impressions, CTR)),
                conversions,
                round(conversions * AOV),
                campaigns,
            )
        )
    return out


def test_at_the_accounts_typical_budget_it_recovers_its_rates_minus_the_learning_phase() -> None:
    days = account()
    forecast = forecast_new_campaign(days, daily_budget=50000, duration_days=30)
    assert forecast is not None
    efficiency = (7 * 0.8 + 23) / 30
    observed = sum(d.spend for d in days) / sum(d.conversions for d in days)
    assert abs(float(forecast.ctr.mean) - 1.5) < 0.05
    assert abs(float(forecast.cpa.mean) - observed / efficiency) / (observed / efficiency) < 0.03
    assert abs(float(forecast.cpa.mean) - CPA / efficiency) / (CPA / efficiency) < 0.10
    assert abs(float(forecast.roas.mean) - AOV / observed * efficiency) < 0.1
    assert forecast.cpa.low < forecast.cpa.mean < forecast.cpa.high
    assert forecast.basis_days == 28


def test_a_bigger_budget_costs_more_per_sale_diminishing_returns() -> None:
    small = forecast_new_campaign(account(), daily_budget=50000, duration_days=30)
    big = forecast_new_campaign(account(), daily_budget=200000, duration_days=30)
    assert small is not None and big is not None
    assert big.cpa.mean > small.cpa.mean * Decimal("1.5")  # 4x the budget, b = 0.6: 4^0.4 ≈ 1.74


def test_no_history_no_forecast() -> None:
    assert forecast_new_campaign(account(days=3), daily_budget=50000, duration_days=10) is None

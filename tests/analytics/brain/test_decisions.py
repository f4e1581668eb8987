"""The nightly engine: decisions a media buyer would sign, judged on contribution profit.

Accounts are synthetic with a known truth per object (see ``world``): break-even
ROAS is 2.22 (gross margin 45%), so an object at average ROAS 4 with elasticity
0.8 has a marginal ROAS of 3.2 (room to grow) and one at ROAS 3 with elasticity
0.3 a marginal of 0.9 (saturated: profitable on average, losing at the margin).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest

from analytics.brain.decisions import Decision, Kind, NightPlan, Reason, Rejection, plan_night
from analytics.brain.evidence import AccountRates, DayCounts, assess
from analytics.brain.fatigue import FatigueSignal
from analytics.brain.objective import Objective
from tests.analytics.brain.world import AOV, MARGIN, TODAY, Policy, Truth, account, with_object

WINNER = Truth("winner", 20_000, 4.0, 0.8)
SATURATED = Truth("saturated", 50_000, 3.0, 0.3)
STEADY = Truth("steady", 30_000, 2.6, 0.6)  # marginal 1.56: slightly past its optimum too


def _by_id(plan: NightPlan) -> dict[str, Decision]:
    return {d.object_id: d for d in plan.decisions}


def _budgets(decision: Decision) -> tuple[int, int]:
    assert decision.current_budget is not None and decision.proposed_budget is not None
    return decision.current_budget, decision.proposed_budget


def test_scales_a_winner_with_headroom_by_one_step() -> None:
    plan = plan_night(account([WINNER, SATURATED]))
    decision = _by_id(plan)["winner"]
    assert decision.kind is Kind.SCALE
    assert decision.reason is Reason.MARGINAL_ABOVE_BREAK_EVEN
    assert decision.current_budget == 20_000 and decision.proposed_budget == 24_000
    marginal, profit = decision.marginal_roas, decision.profit_change
    assert marginal is not None and profit is not None
    assert marginal.low > Decimal("2.22")
    assert profit.mean > 0 and profit.low > 0
    assert decision.break_even == Decimal("2.2222") and decision.break_even_source == "margin"
    assert not decision.resets_learning


def test_trims_a_saturated_one_that_is_fine_on_average() -> None:
    plan = plan_night(account([WINNER, SATURATED]))
    decision = _by_id(plan)["saturated"]
    assert decision.kind is Kind.TRIM
    assert decision.proposed_budget == 40_000  # one 20% step, not a pause
    average, marginal, profit = (
        decision.average_roas,
        decision.marginal_roas,
        decision.profit_change,
    )
    assert average is not None and marginal is not None and profit is not None
    assert average.mean > Decimal("2.22") > marginal.high
    assert profit.mean > 0
    assert all(d.kind is not Kind.PAUSE for d in plan.decisions)


def test_reallocates_from_saturated_to_headroom_when_the_month_is_tight() -> None:
    # Both profitable at the margin (3.2 and 2.5 > 2.22), but "fuller" is nearer its
    # saturation; what is left of the limit affords today's total and no more.
    fuller = Truth("fuller", 50_000, 5.0, 0.5)
    daily = 0.95 * (20_000 + 50_000)
    limit = round(daily * 30 / 0.99)
    snap = account(
        [WINNER, fuller],
        monthly_limit=limit,
        month_to_date_spend=round(daily * 19),
        today_spend=round(daily * 0.9),
        day_elapsed=0.9,
        days_left=10,
    )
    plan = plan_night(snap)
    up, down = _by_id(plan)["winner"], _by_id(plan)["fuller"]
    assert up.kind is Kind.REALLOCATE and up.reason is Reason.HIGHER_MARGINAL_HERE
    assert down.kind is Kind.REALLOCATE and down.reason is Reason.HIGHER_MARGINAL_ELSEWHERE
    assert up.related == ("fuller",) and down.related == ("winner",)
    assert _budgets(up)[1] <= 24_000 and _budgets(down)[1] >= 40_000
    assert plan.projection.after <= limit
    # Without the limit both would simply scale.
    free = _by_id(plan_night(replace(snap, monthly_limit=None)))
    assert free["winner"].kind is Kind.SCALE and free["fuller"].kind is Kind.SCALE


def test_never_pauses_a_roas_profitable_campaign_for_its_cpa() -> None:
    # ROAS 3.5 (above 2.22) but CPA = 20,000 / 3.5 ≈ 5,714, twice the 2,800 target.
    profitable = Truth("profitable", 40_000, 3.5, 0.6)
    objective = Objective(gross_margin=MARGIN, target_cpa=Decimal(2_800))
    plan = plan_night(account([profitable, WINNER], objective=objective))
    assert all(d.kind not in (Kind.PAUSE, Kind.LIMIT_PAUSE) for d in plan.decisions)
    # The CPA target still caps raises: no scale past the target.
    assert all(d.object_id != "profitable" or d.direction != "up" for d in plan.decisions)


def test_pauses_a_clear_loser_on_settled_days_but_not_on_provisional_ones() -> None:
    loser = Truth("loser", 30_000, 0.9, 0.6)
    plan = plan_night(account([loser, WINNER]))
    decision = _by_id(plan)["loser"]
    assert decision.kind is Kind.PAUSE and decision.reason is Reason.AVERAGE_BELOW_BREAK_EVEN
    assert decision.provisional_days == ()
    assert decision.profit_change is not None and decision.profit_change.mean > 0  # a loss stops
    # The same story told only by provisional days: no pause, a hold that says why.
    fresh = replace(loser, days=6, provisional=6)
    plan = plan_night(account([fresh, WINNER]))
    assert "loser" not in _by_id(plan)
    assert any(h.object_id == "loser" and h.code == "provisional_only" for h in plan.held)


def test_never_exceeds_the_monthly_limit_and_cuts_the_least_profitable_first() -> None:
    strong = Truth("strong", 40_000, 5.5, 0.6)  # marginal 3.3
    weak = Truth("weak", 40_000, 2.4, 0.6)  # marginal 1.44
    daily = 0.95 * 80_000
    limit = round(daily * 30 * 0.85)  # heavy pressure: the month cannot afford current budgets
    snap = account(
        [strong, weak],
        monthly_limit=limit,
        month_to_date_spend=round(daily * 19),
        today_spend=round(daily * 0.95),
        day_elapsed=0.95,
        days_left=10,
    )
    plan = plan_night(snap)
    assert plan.projection.before > limit
    assert plan.projection.after <= limit
    assert plan.projection.after >= 0.97 * limit  # lands on it from below, not far under
    cuts = _by_id(plan)
    assert cuts["weak"].kind is Kind.LIMIT_CUT and cuts["weak"].protective
    current, proposed = _budgets(cuts["weak"])
    weak_cut = current - proposed
    strong_cut = current - _budgets(cuts["strong"])[1] if "strong" in cuts else 0
    assert weak_cut > strong_cut


def test_respects_cooldown_and_twenty_percent_steps() -> None:
    snap = account([WINNER, SATURATED, STEADY])
    for decision in plan_night(snap).decisions:
        current, proposed = _budgets(decision)
        assert abs(proposed - current) <= 0.20 * current
    cooling = with_object(snap, "winner", last_budget_change=TODAY - timedelta(days=1))
    plan = plan_night(cooling)
    assert "winner" not in _by_id(plan)
    assert any(h.object_id == "winner" and h.code == "cooldown" for h in plan.held)
    rested = with_object(snap, "winner", last_budget_change=TODAY - timedelta(days=3))
    assert _by_id(plan_night(rested))["winner"].kind is Kind.SCALE


def test_remembers_rejections_unless_the_figures_moved() -> None:
    snap = account([WINNER, SATURATED])
    first = _by_id(plan_night(snap))["winner"]
    rejected = Rejection("winner", "up", TODAY - timedelta(days=2), dict(first.figures))
    again = plan_night(replace(snap, rejections=(rejected,)))
    assert "winner" not in _by_id(again)
    assert any(h.object_id == "winner" and h.code == "rejected" for h in again.held)
    # A week later it may come back.
    old = replace(rejected, day=TODAY - timedelta(days=7))
    assert "winner" in _by_id(plan_night(replace(snap, rejections=(old,))))
    # Or sooner, when its marginal ROAS has moved materially; the card says what changed.
    then = {**first.figures, "marginal_roas": first.figures["marginal_roas"] / 2}
    moved = replace(rejected, figures=then)
    decision = _by_id(plan_night(replace(snap, rejections=(moved,))))["winner"]
    assert decision.kind is Kind.SCALE
    assert [c.figure for c in decision.changed_since_rejection] == ["marginal_roas"]
    # A rejected raise does not block a cut.
    down = Rejection("saturated", "up", TODAY - timedelta(days=1), {})
    assert "saturated" in _by_id(plan_night(replace(snap, rejections=(down,))))


def test_does_not_scale_on_one_lucky_week_or_a_fatigued_creative() -> None:
    # A new ad set: a week at R$50 a day, 9 sales of R$200: ROAS 5.1 at face value.
    lucky = Truth("lucky", 5_000, 5.1, 0.8, days=7)
    week = [DayCounts(TODAY - timedelta(7 - i), 5_000, 0, 0) for i in range(7)]
    for i, sales in ((1, 3), (3, 2), (4, 3), (6, 1)):
        week[i] = DayCounts(week[i].day, 5_000, sales, sales * AOV)
    snap = account([lucky, SATURATED])
    prior = AccountRates(2.6 / AOV, AOV)
    plan = plan_night(with_object(snap, "lucky", evidence=assess("lucky", week, TODAY, prior)))
    assert "lucky" not in _by_id(plan)
    assert any(h.object_id == "lucky" and h.code == "no_evidence" for h in plan.held)
    tired = FatigueSignal("winner", "adset", 21, True, False, None, 0.4, None, None, None, None, 9)
    plan = plan_night(with_object(account([WINNER]), "winner", fatigue=tired))
    assert "winner" not in _by_id(plan)
    assert any(h.code == "fatigued" for h in plan.held)


def test_without_a_margin_the_roas_target_is_break_even_and_says_so() -> None:
    objective = Objective(target_roas=Decimal("2.5"))
    plan = plan_night(account([WINNER, SATURATED], objective=objective))
    assert plan.break_even == Decimal("2.5")
    assert plan.break_even_source == "roas_target"
    assert "break_even_is_roas_target" in plan.notes
    assert all(d.break_even_source == "roas_target" for d in plan.decisions)


def test_ad_sets_of_one_campaign_are_judged_individually() -> None:
    strong = Truth("adset_a", 20_000, 4.0, 0.8, level="adset", campaign_id="abo")
    weak = Truth("adset_b", 20_000, 3.0, 0.3, level="adset", campaign_id="abo")
    decisions = _by_id(plan_night(account([strong, weak])))
    assert decisions["adset_a"].kind is Kind.SCALE
    assert decisions["adset_b"].kind is Kind.TRIM


def test_provisional_days_used_are_listed() -> None:
    recent = replace(WINNER, provisional=2)
    decision = _by_id(plan_night(account([recent, SATURATED])))["winner"]
    assert len(decision.provisional_days) == 2
    assert decision.to_json()["provisional_days"] == [
        d.isoformat() for d in decision.provisional_days
    ]


@pytest.mark.parametrize("seed", [1, 2])
def test_fitted_from_history_the_engine_still_moves_the_right_way(seed: int) -> None:
    """End to end: curves fitted on 28 noisy days with the budget wandering ±40%."""
    truths = [replace(WINNER, vary=0.4), replace(SATURATED, vary=0.4)]
    plan = plan_night(account(truths, seed=seed, fitted=True))
    directions = {d.object_id: d.direction for d in plan.decisions}
    assert directions.get("winner") != "down"
    assert directions.get("saturated") != "up"
    assert directions  # it did something


def test_without_any_break_even_nothing_is_judged_profitable_or_not() -> None:
    loser = Truth("loser", 30_000, 0.9, 0.6)
    plan = plan_night(account([WINNER, SATURATED, loser], objective=Objective()))
    assert plan.break_even is None and "no_break_even" in plan.notes
    # No scale, trim or pause: only budget moved towards higher marginal ROAS at equal spend.
    assert {d.kind for d in plan.decisions} <= {Kind.REALLOCATE}
    assert sum(d.spend_change for d in plan.decisions) <= 0
    moves = {d.object_id: d.direction for d in plan.decisions}
    assert moves == {"winner": "up", "loser": "down"}
    assert all(d.profit_change is None for d in plan.decisions)


def test_when_minimum_budgets_cannot_fit_the_least_profitable_is_paused() -> None:
    strong = Truth("strong", 40_000, 5.5, 0.6)
    weak = Truth("weak", 40_000, 2.4, 0.6)
    daily = 0.95 * 80_000
    # What is left affords ~7,000 a day: one minimum budget (4,750 spent), not two.
    limit = round((daily * 19.99 + 70_000) / 0.99)
    snap = account(
        [strong, weak],
        monthly_limit=limit,
        month_to_date_spend=round(daily * 19),
        today_spend=round(daily * 0.99),
        day_elapsed=0.99,
        days_left=10,
        policy=Policy(min_daily_budget=5_000),
    )
    plan = plan_night(snap)
    decisions = _by_id(plan)
    assert decisions["weak"].kind is Kind.LIMIT_PAUSE
    assert decisions["weak"].reason is Reason.MONTHLY_LIMIT
    assert decisions["strong"].kind is Kind.LIMIT_CUT
    assert plan.projection.after <= limit


def test_the_plan_is_stored_as_json() -> None:
    plan = plan_night(account([WINNER, SATURATED], monthly_limit=10_000_000, days_left=10))
    stored = json.loads(json.dumps(plan.to_json()))
    assert {d["kind"] for d in stored["decisions"]} == {"scale", "trim"}
    scale = next(d for d in stored["decisions"] if d["kind"] == "scale")
    assert scale["current_budget"] == 20_000 and scale["proposed_budget"] == 24_000
    assert Decimal(scale["marginal_roas"]["low"]) > Decimal(stored["break_even"])
    assert stored["projection"]["after"] <= stored["projection"]["limit"]


def test_invariants_hold_on_random_accounts() -> None:
    """Whatever the account: the month stays within its limit, non-protective steps stay
    within 20%, pauses never rest on provisional days, objects in cooldown keep their budget."""
    rng = np.random.default_rng(42)
    for case in range(25):
        truths = [
            Truth(
                f"o{i}",
                int(rng.integers(3_000, 90_000)),
                float(rng.uniform(0.6, 6.0)),
                float(rng.uniform(0.2, 0.95)),
                days=int(rng.integers(5, 29)),
                provisional=int(rng.integers(0, 3)),
            )
            for i in range(int(rng.integers(1, 7)))
        ]
        daily = 0.95 * sum(t.budget for t in truths)
        days_left = int(rng.integers(1, 25))
        elapsed = 30 - days_left - 1
        limit = round(daily * 30 * float(rng.uniform(0.5, 1.3)))
        spent = round(min(daily * elapsed, limit * 0.9))
        snap = account(
            truths,
            seed=case,
            monthly_limit=limit,
            month_to_date_spend=spent,
            today_spend=round(min(daily, (limit - spent) * 0.5)),
            day_elapsed=1.0,
            days_left=days_left,
        )
        cooling = truths[0].object_id
        snap = with_object(snap, cooling, last_budget_change=TODAY - timedelta(days=1))
        plan = plan_night(snap)
        if "limit_unreachable" not in plan.notes:
            assert plan.projection.after <= limit, case
        for decision in plan.decisions:
            if decision.kind in (Kind.PAUSE, Kind.LIMIT_PAUSE):
                assert decision.provisional_days == ()
                continue
            current, proposed = _budgets(decision)
            if not decision.protective:
                assert abs(proposed - current) <= 0.20 * current + 1, case
                assert decision.object_id != cooling, case

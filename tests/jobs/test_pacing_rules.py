"""Budget pacing and the nightly optimization rules, with plain values."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from analytics.pacing import crossed, pace, scaled_budget
from analytics.rules import (
    BudgetHolder,
    CampaignState,
    DayFigures,
    Targets,
    account_targets,
    pause_candidates,
    scale_candidates,
)

D = Decimal


def test_pacing_month_to_date_and_projection() -> None:
    # 20 Nov: R$ 3.000 spent (R$ 100 today), R$ 150/day lately, limit R$ 5.000.
    p = pace(
        today=date(2026, 11, 20),
        limit=D(500_000),
        month_to_date=D(300_000),
        spent_today=D(10_000),
        recent_complete_days=[D(15_000)] * 7,
    )
    assert p.percent == 60
    assert p.days_left == 10
    assert p.projected == D(300_000) + D(5_000) + D(150_000)  # rest of today + 10 days
    assert not p.overshoots
    assert p.month == "2026-11"


def test_pacing_overshoot_and_what_fits() -> None:
    p = pace(
        today=date(2026, 11, 20),
        limit=D(400_000),
        month_to_date=D(340_000),
        spent_today=D(10_000),
        recent_complete_days=[D(20_000)] * 7,
    )
    assert p.percent == 85 and p.overshoots
    # R$ 600 left; R$ 100 more today; R$ 500 over 10 days = R$ 50/day, a quarter of the pace.
    assert p.allowed_daily == D(5_000)
    assert p.reduction_factor == D("0.25")
    assert scaled_budget(D(12_345), p.reduction_factor, 100) == D(3_000)


def test_crossed_thresholds() -> None:
    assert crossed(D("79.9"), [80, 100]) == []
    assert crossed(D(80), [100, 80]) == [80]
    assert crossed(D(130), [70, 80, 100]) == [70, 80, 100]


def days(*values: tuple[int, int, int], provisional_last: int = 0) -> tuple[DayFigures, ...]:
    start = date(2026, 11, 1)
    n = len(values)
    return tuple(
        DayFigures(
            start + timedelta(days=i), D(s), D(c), D(r), provisional=i >= n - provisional_last
        )
        for i, (s, c, r) in enumerate(values)
    )


def test_pause_needs_cpa_above_1_5x_target_after_minimum_spend() -> None:
    target = Targets(cpa=D(5_000), roas=D(3))
    bad = CampaignState("1", "Ruim", True, days(*[(10_000, 1, 20_000)] * 7))  # CPA R$ 100
    good = CampaignState("2", "Boa", True, days(*[(10_000, 3, 40_000)] * 7))  # CPA R$ 33
    tiny = CampaignState("3", "Pouco gasto", True, days((3_000, 0, 0)))  # below 2 CPAs
    paused = CampaignState("4", "Pausada", False, days(*[(10_000, 0, 0)] * 7))
    awareness = CampaignState(
        "5", "Marca", True, days(*[(10_000, 0, 0)] * 7), objective="OUTCOME_AWARENESS"
    )
    found = pause_candidates([bad, good, tiny, paused, awareness], target)
    assert [(c.campaign_id, c.cpa) for c in found] == [("1", D(10_000))]
    assert found[0].days == 7


def test_pause_ignores_provisional_days() -> None:
    target = Targets(cpa=D(5_000), roas=None)
    # Settled days are fine; the last three look terrible only because conversions lag.
    history = days(*[(10_000, 3, 0)] * 7, *[(10_000, 0, 0)] * 3, provisional_last=3)
    campaign = CampaignState("1", "Atrasada", True, history)
    assert pause_candidates([campaign], target) == []
    settled_bad = days(*[(10_000, 0, 0)] * 7, *[(10_000, 9, 0)] * 3, provisional_last=3)
    found = pause_candidates([CampaignState("1", "Ruim", True, settled_bad)], target)
    assert [c.conversions for c in found] == [0]


def test_scale_needs_a_stable_week_above_target_roas() -> None:
    target = Targets(cpa=None, roas=D(3))
    holder = (BudgetHolder("campaign", "9", "Vencedora", D(10_000)),)
    steady = CampaignState("9", "Vencedora", True, days(*[(10_000, 2, 40_000)] * 7), holder)
    spiky = CampaignState(
        "8", "Instável", True, days(*[(10_000, 2, 60_000)] * 6, (10_000, 0, 5_000)), holder
    )
    short = CampaignState("7", "Nova", True, days(*[(10_000, 2, 40_000)] * 5), holder)
    found = scale_candidates([steady, spiky, short], target)
    assert [(c.campaign_id, c.current_budget, c.new_budget) for c in found] == [
        ("9", D(10_000), D(12_000))
    ]


def test_missing_targets_fall_back_to_the_account_average() -> None:
    history = days((10_000, 2, 30_000), (10_000, 2, 30_000), (10_000, 0, 0), provisional_last=1)
    targets = account_targets(None, D("2.5"), history)
    assert targets == Targets(cpa=D(5_000), roas=D("2.5"), from_account=True)

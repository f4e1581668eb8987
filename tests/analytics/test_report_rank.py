"""Best and worst campaigns rank by contribution (issue 15): a campaign that spent and sold
nothing can be the worst, and the worst never beats the account."""

from __future__ import annotations

from decimal import Decimal

from analytics.report import CampaignLine, Totals, margin_of, rank


def line(name: str, spend: int, revenue: int, conversions: int = 0) -> CampaignLine:
    totals = Totals(
        spend=Decimal(spend), revenue=Decimal(revenue), conversions=Decimal(conversions)
    )
    return CampaignLine(id=name, name=name, status="ACTIVE", totals=totals)


# The account: ROAS 1,52× overall; "B" at 1,59× was named worst while "C" spent 267
# and sold nothing.
LINES = [line("A", 100000, 180000, 9), line("B", 200000, 318000, 14), line("C", 26700, 0)]
TOTAL = Decimal(326700)


def test_a_campaign_with_spend_and_no_sales_is_the_worst() -> None:
    best, worst = rank(LINES, TOTAL)
    assert (best and best.name, worst and worst.name) == ("A", "C")


def test_with_a_margin_contribution_decides_and_the_worst_never_beats_the_account() -> None:
    # Margin 50%: B loses 410, C loses 267; but B (1,59×) is above the account (1,52×),
    # so it cannot be called the worst.
    best, worst = rank(LINES, TOTAL, margin_of(Decimal(50), None))
    assert (best and best.name, worst and worst.name) == ("A", "C")
    account_roas = Decimal(498000) / TOTAL
    assert worst is not None and (worst.totals.roas or 0) <= account_roas


def test_among_losers_the_biggest_loss_is_the_worst() -> None:
    lines = [
        line("big loser", 300000, 300000),  # ROAS 1,0×, loses 150 at 50% margin
        line("small zero", 20000, 0),  # loses 200 but is small
        line("winner", 100000, 600000),
    ]
    _best, worst = rank(lines, Decimal(420000), margin_of(Decimal(50), None))
    assert worst is not None and worst.name == "big loser"


def test_the_roas_target_stands_in_for_a_missing_margin() -> None:
    assert margin_of(None, Decimal(4)) == Decimal("0.25")
    assert margin_of(Decimal(40), Decimal(4)) == Decimal("0.4")
    assert margin_of(None, None) is None


def test_without_revenue_conversions_rank_and_no_results_is_worst() -> None:
    lines = [line("leads", 10000, 0, 20), line("ok", 10000, 0, 10), line("none", 5000, 0, 0)]
    best, worst = rank(lines, Decimal(25000))
    assert (best and best.name, worst and worst.name) == ("leads", "none")

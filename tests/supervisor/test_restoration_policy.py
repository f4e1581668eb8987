"""Undo judged as a restoration, and budget floors (issue 15), as pure policy."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from ads.base import Level
from supervisor import proposals as P
from supervisor.policy import PolicyContext, TargetState, evaluate
from supervisor.proposals import ActionProposal, Proposer
from supervisor.thresholds import PolicyConfig

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
USER = Proposer("user", "1")
CONFIG = PolicyConfig()


def context(budget: int | None = 150, status: str = "ACTIVE", **changes: object) -> PolicyContext:
    base = PolicyContext(
        now=NOW,
        target=TargetState(status=status, daily_budget=None if budget is None else Decimal(budget)),
        active_campaigns=3,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def undo_of_cut(restores: int = 150) -> ActionProposal:
    """Put back R$ 250 after a cut to R$ 1,50 (the cut set 150 minor units)."""
    back = P.set_budget(
        Level.ADSET,
        "a1",
        "Remarketing",
        new_budget=Decimal(25000),
        current_budget=Decimal(150),
        reason="undo",
        proposer=USER,
    )
    return replace(back, extra={"restores": {"daily_budget": str(restores)}})


def keys(ctx: PolicyContext, proposal: ActionProposal) -> tuple[str, list[str]]:
    result = evaluate(proposal, ctx, CONFIG)
    return result.verdict, [w.key for w in result.reasons]


def test_putting_the_previous_budget_back_is_no_new_step() -> None:
    verdict, reasons = keys(context(), undo_of_cut())
    assert verdict != "deny" and "supervisor.deny.step_too_big" not in reasons
    # The same raise asked for fresh is still refused.
    fresh = replace(undo_of_cut(), extra={})
    assert keys(context(), fresh) == ("deny", ["supervisor.deny.step_too_big"])


def test_a_target_changed_since_is_not_restored() -> None:
    assert keys(context(budget=9000), undo_of_cut()) == (
        "deny",
        ["supervisor.deny.changed_since"],
    )
    resume = replace(
        P.resume(Level.CAMPAIGN, "c1", "X", current_status="PAUSED", reason="", proposer=USER),
        extra={"restores": {"status": "PAUSED"}},
    )
    assert keys(context(status="ARCHIVED"), resume) == (
        "deny",
        ["supervisor.deny.changed_since_status"],
    )


def test_an_invalid_token_refuses_even_a_restoration() -> None:
    assert keys(context(token_ok=False), undo_of_cut()) == (
        "deny",
        ["supervisor.deny.token_invalid"],
    )


def test_a_cut_below_the_floor_needs_a_second_look() -> None:
    cut = P.set_budget(
        Level.ADSET,
        "a1",
        "Remarketing",
        new_budget=Decimal(2400),  # R$ 24 from R$ 250: under 10%
        current_budget=Decimal(25000),
        reason="",
        proposer=USER,
    )
    verdict, reasons = keys(context(budget=25000), cut)
    assert verdict == "approval" and "supervisor.warn.below_floor" in reasons
    fine = replace(cut, new_value={"daily_budget": "22500"})  # -10%
    assert "supervisor.warn.below_floor" not in keys(context(budget=25000), fine)[1]
    tiny = replace(cut, new_value={"daily_budget": "90"})  # under the R$ 1,00 minimum
    assert "supervisor.warn.below_floor" in keys(context(budget=120), tiny)[1]

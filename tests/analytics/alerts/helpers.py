"""Simulated accounts for the alert tests: the sandbox's curves, seeded, with known incidents."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ads.sandbox import model
from analytics.alerts.baseline import Baseline, fit_baseline
from analytics.alerts.detectors import Snapshot
from analytics.alerts.simulation import AccountSpec, Incident, SimulatedAccount, simulate_account

TZ = ZoneInfo("America/Sao_Paulo")
START = datetime(2026, 9, 28, tzinfo=TZ)  # a Monday, local midnight
DAYS = 28
ONSET = 21 * 24 + 10  # day 21, 10:00


def spec(daily_spend: float = 1_500_000.0, **overrides: float) -> AccountSpec:
    return AccountSpec(
        daily_spend=daily_spend,
        hour_cpm=model.HOUR_CPM,
        weekday_cpm=model.WEEKDAY_CPM,
        weekday_cvr=model.WEEKDAY_CVR,
        **overrides,  # type: ignore[arg-type]
    )


def account(
    kind: str | None = None,
    *,
    seed: int = 7,
    daily_spend: float = 1_500_000.0,
    magnitude: float = 1.0,
    onset: int = ONSET,
    duration: int = 36,
    **overrides: float,
) -> SimulatedAccount:
    incidents = [Incident(kind, onset, duration, magnitude)] if kind else []
    return simulate_account(spec(daily_spend, **overrides), START, DAYS * 24, seed, incidents)


def baseline_at(sim: SimulatedAccount, hours: int) -> Baseline:
    """The baseline a run at ``hours`` uses: fitted at the local midnight before it."""
    midnight = hours - hours % 24
    fitted = fit_baseline(sim.observed(midnight))
    assert fitted is not None
    return fitted


def snapshot(
    sim: SimulatedAccount, hours: int, *, budget: int | None = None, arrivals: bool = True
) -> Snapshot:
    return Snapshot(
        "acct",
        sim.observed(hours),
        baseline_at(sim, hours),
        daily_budget=budget,
        ads=sim.ad_statuses(hours),
        arrivals=sim.arrivals(hours) if arrivals else None,
    )

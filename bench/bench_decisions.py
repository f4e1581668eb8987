"""The brain against doing nothing and against a static rule set: 30 simulated days, same starts.

Printed figures, not a test. Six simulated accounts (``ads/sandbox/scenarios.py``:
headroom to scale, saturation, fatigue, noise and lucky weeks, a long attribution lag,
pressure on the monthly limit), each in its own workspace with its gross margin and
monthly limit, from identical starting states (one sandbox world, copied per policy):

* **none**: no change for 30 days;
* **rules**: a static rule set as a careful rules-tool (Revealbot-style) user writes it,
  evaluated every morning at 08:00 on the last 7 complete days as the Marketing API reports
  them (a 7-day window dampens the attribution lag of the last days), applied at once:

  1. pause a campaign/ad set whose 7-day ROAS is below 70% of break-even after spending at
     least three times its daily budget in those days;
  2. raise a budget 20% when its 7-day ROAS is above 1.5x break-even (once per 3 days);
  3. cut a budget 20% when its 7-day ROAS is below break-even (once per 3 days);
  4. when the month-to-date spend, projected at the current budgets, passes the monthly
     limit, cut every budget 20% (once per 3 days);

  break-even ROAS = 1 / gross margin, as the rules tool's user would compute it;
* **engine**: the product itself: metrics syncs (08:00, 23:00), the nightly optimization at
  23:00, the morning digest at 08:00, every proposal approved at once by the workspace's admin
  and executed through the supervisor.

Then 8 more days pass so every purchase of the 30 days is reported, and the settled results
are read from the sandbox. Printed per account and in total: spend, revenue, ROAS,
contribution profit at the account's margin, days over the monthly limit, pauses decided on
provisional data, and the engine's time per account and night.

Run::

    .venv/bin/python bench/bench_decisions.py            # all six scenarios, 30 days
    .venv/bin/python bench/bench_decisions.py --days 14 --scenarios headroom saturated
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from ads.base import Level, Period, Status  # noqa: E402
from ads.sandbox import SandboxState, start_sandbox  # noqa: E402
from ads.sandbox.scenarios import SCENARIOS, add_scenarios, outcome  # noqa: E402
from analytics.sync import sync_account  # noqa: E402
from jobs.schedules import JobSpec, Kind, run_spec  # noqa: E402
from mediabrain.bootstrap import prepare  # noqa: E402
from mediabrain.runtime import build_runtime  # noqa: E402
from storage.models import AdAccount, Proposal, Role  # noqa: E402
from storage.repositories import (  # noqa: E402
    add_user,
    ensure_workspace,
    link_ad_account,
    workspace_settings,
)
from supervisor.decide import decide  # noqa: E402
from vocabulary.runtime import Runtime, set_runtime  # noqa: E402
from vocabulary.settings import Settings  # noqa: E402

#: 00:00 on 1 November in São Paulo: the 30 days are one calendar month.
START = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)
TZ = ZoneInfo("America/Sao_Paulo")
POLICIES = ("none", "rules", "engine")
#: The rules' window: the last 7 complete days.
WINDOW = 7


@dataclass
class Account:
    scenario: str
    external_id: str
    margin: Decimal
    limit: int | None  # minor units
    workspace_id: int = 0
    account_pk: int = 0
    admin_id: int = 0


@dataclass
class Result:
    spend: int = 0
    revenue: int = 0
    profit: int = 0
    days_over: int = 0
    provisional_pauses: int = 0
    changes: int = 0
    engine_seconds: list[float] = field(default_factory=list)

    @property
    def roas(self) -> float:
        return self.revenue / self.spend if self.spend else 0.0


def world(
    base: SandboxState, scenarios: dict[str, str], tmp: Path
) -> tuple[Any, Runtime, list[Account]]:
    """A copy of the starting world, served on loopback, and a product around it."""
    state = base.copy()
    server = start_sandbox(state=state)
    settings = Settings(
        data_dir=tmp,
        database_url=f"sqlite:///{tmp / 'bench.sqlite3'}",
        sandbox="on",
        meta_graph_url=server.url,
    )  # type: ignore[call-arg]
    rt = build_runtime(settings)
    rt.sandbox = server
    prepare(rt, migrate=True)
    set_runtime(rt)
    accounts = []
    with rt.db.session() as session:
        for name, external in scenarios.items():
            spec = SCENARIOS[name]
            workspace = ensure_workspace(session, f"bench-{name}", name=spec.name)
            link_ad_account(session, workspace.id, external, name=spec.name)
            admin = add_user(session, workspace, role=Role.ADMIN, name="Bench", console_name=name)
            prefs = workspace_settings(session, workspace.id)
            prefs.gross_margin = spec.gross_margin * 100
            limit = int(spec.monthly_limit * 100) if spec.monthly_limit else None
            prefs.monthly_budget_limit = Decimal(limit) if limit else None
            session.flush()
            pk = session.scalar(select(AdAccount.id).where(AdAccount.external_id == external))
            accounts.append(
                Account(
                    name,
                    external,
                    spec.gross_margin,
                    limit,
                    workspace.id,
                    int(pk or 0),
                    admin.user_id,
                )
            )
    return server, rt, accounts


def at_local(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 5, tzinfo=TZ).astimezone(UTC)


def move_to(server: Any, moment: datetime) -> None:
    delta = (moment - server.now()).total_seconds() / 3600
    if delta > 0:
        server.advance_clock(hours=delta)


# --- the static rule set ---------------------------------------------------------------------


@dataclass
class Rules:
    last_change: dict[str, date] = field(default_factory=dict)


def holders(rt: Runtime, account: Account) -> list[tuple[Level, Any]]:
    """Budget holders as a rules tool sees them: CBO campaigns and ABO ad sets."""
    ads = rt.ads(_row(rt, account))
    out: list[tuple[Level, Any]] = []
    campaigns = [c for c in ads.list_campaigns(account.external_id) if c.status is Status.ACTIVE]
    adsets = ads.list_adsets(account.external_id)
    for campaign in campaigns:
        if campaign.daily_budget:
            out.append((Level.CAMPAIGN, campaign))
        else:
            out += [
                (Level.ADSET, s)
                for s in adsets
                if s.campaign_id == campaign.id and s.status is Status.ACTIVE and s.daily_budget
            ]
    return out


def _row(rt: Runtime, account: Account) -> AdAccount:
    with rt.db.session() as session:
        row = session.get(AdAccount, account.account_pk)
        assert row is not None
        session.expunge(row)
        return row


def apply_rules(rt: Runtime, account: Account, rules: Rules, today: date, result: Result) -> None:
    ads = rt.ads(_row(rt, account))
    break_even = 1 / float(account.margin)
    period = Period(today - timedelta(days=WINDOW), today - timedelta(days=1))
    items = holders(rt, account)
    figures: dict[str, tuple[float, float]] = {}
    for level in {level for level, _ in items}:
        for row in ads.insights(account.external_id, level, period):
            figures[row.object_id] = (float(row.spend), float(row.revenue))
    budgets = {obj.id: int(obj.daily_budget) for _, obj in items}
    month_start = today.replace(day=1)
    mtd = sum(
        float(r.spend)
        for r in ads.insights(account.external_id, Level.ACCOUNT, Period(month_start, today))
    ) if today > month_start else 0.0  # fmt: skip
    days_in_month = 30
    projected = mtd + sum(budgets.values()) * (days_in_month - today.day + 1)
    capped = rules.last_change.get("limit")
    if account.limit and projected > account.limit and not (capped and (today - capped).days < 3):
        rules.last_change["limit"] = today  # rule 4: the budget cap
        for obj_id, budget in budgets.items():
            ads.set_daily_budget(obj_id, Decimal(round(budget * 0.8)))
            rules.last_change[obj_id] = today
            result.changes += 1
        return
    for _, obj in items:
        spend, revenue = figures.get(obj.id, (0.0, 0.0))
        roas = revenue / spend if spend else 0.0
        budget = budgets[obj.id]
        if spend >= 3 * budget and roas < 0.7 * break_even:  # rule 1
            ads.set_status(obj.id, Status.PAUSED)
            result.provisional_pauses += 1  # its window holds days still inside the 7-day lag
            result.changes += 1
            continue
        last = rules.last_change.get(obj.id)
        if last is not None and (today - last).days < 3:
            continue
        if spend and roas > 1.5 * break_even:  # rule 2
            ads.set_daily_budget(obj.id, Decimal(round(budget * 1.2)))
        elif spend and roas < break_even:  # rule 3
            ads.set_daily_budget(obj.id, Decimal(round(budget * 0.8)))
        else:
            continue
        rules.last_change[obj.id] = today
        result.changes += 1


# --- the engine: the product's own jobs, every proposal approved --------------------------------


def spec(kind: Kind, account: Account, moment: datetime) -> JobSpec:
    local = moment.astimezone(TZ)
    return JobSpec(
        kind,
        moment,
        local.strftime("%Y%m%d%H"),
        account.workspace_id,
        account.account_pk,
        f"ws{account.workspace_id}:{account.external_id}",
    )


def engine_night(rt: Runtime, account: Account, moment: datetime, result: Result) -> None:
    sync_account(rt, account.account_pk)
    run_spec(rt, spec(Kind.OPTIMIZE, account, moment))
    from jobs import runs

    record = max(
        runs.records(rt.db, f"nightly-optimization:{spec(Kind.OPTIMIZE, account, moment).unit}:"),
        key=lambda r: r.key,
    )
    result.engine_seconds.append(float((record.detail or {}).get("engine_seconds", 0.0)))


def engine_morning(rt: Runtime, account: Account, moment: datetime, result: Result) -> None:
    sync_account(rt, account.account_pk)
    run_spec(rt, spec(Kind.DIGEST, account, moment))
    with rt.db.session(account.workspace_id) as session:
        pending = session.scalars(
            select(Proposal).where(
                Proposal.ad_account_id == account.account_pk, Proposal.state == "pending"
            )
        ).all()
        ids = [(p.id, p.kind, dict(p.explanation or {})) for p in pending]
    for pid, kind, explanation in ids:
        decide(
            rt, account.workspace_id, pid, user_id=account.admin_id, approve=True, channel="console"
        )
        result.changes += 1
        if kind == "pause" and explanation.get("provisional_days"):
            result.provisional_pauses += 1


# --- one policy over all accounts ----------------------------------------------------------------


def run_policy(
    policy: str, base: SandboxState, scenarios: dict[str, str], days: int
) -> dict[str, Result]:
    with tempfile.TemporaryDirectory() as tmp:
        server, rt, accounts = world(base, scenarios, Path(tmp))
        results = {a.scenario: Result() for a in accounts}
        rules = {a.scenario: Rules() for a in accounts}
        first = START.astimezone(TZ).date()
        try:
            for offset in range(days):
                day = first + timedelta(days=offset)
                move_to(server, at_local(day, 8))
                for account in accounts:
                    if policy == "rules" and offset > 0:
                        apply_rules(
                            rt, account, rules[account.scenario], day, results[account.scenario]
                        )
                    if policy == "engine" and offset > 0:
                        engine_morning(rt, account, server.now(), results[account.scenario])
                move_to(server, at_local(day, 23))
                if policy == "engine":
                    for account in accounts:
                        engine_night(rt, account, server.now(), results[account.scenario])
            last = first + timedelta(days=days - 1)
            move_to(server, at_local(last + timedelta(days=9), 8))  # the lag settles
            for account in accounts:
                res = results[account.scenario]
                settled = outcome(
                    server.state, account.external_id, first, last, margin=account.margin
                )
                res.spend, res.revenue, res.profit = settled.spend, settled.revenue, settled.profit
                if account.limit:
                    cumulative = 0
                    for offset in range(days):
                        d = first + timedelta(days=offset)
                        cumulative += server.state.totals(
                            account.external_id, d, d, settled=True
                        ).spend
                        res.days_over += cumulative > account.limit
        finally:
            rt.sandbox = None
            rt.close()
            server.stop()
            set_runtime(None)
    return results


def money(minor: int) -> str:
    return f"R$ {minor / 100:>11,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--scenarios", nargs="*", default=list(SCENARIOS))
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    base = SandboxState(seed=args.seed, start=START)
    scenarios = add_scenarios(base, tuple(args.scenarios))
    print(
        f"{len(scenarios)} simulated accounts, {args.days} days from {START.astimezone(TZ):%Y-%m-%d}, seed {args.seed}"
    )
    results: dict[str, dict[str, Result]] = {}
    for policy in POLICIES:
        started = time.perf_counter()
        results[policy] = run_policy(policy, base, scenarios, args.days)
        print(f"  policy {policy:6} ran in {time.perf_counter() - started:6.1f} s")
    header = f"{'account':15} {'policy':7} {'spend':>14} {'revenue':>14} {'ROAS':>6} {'profit':>14} {'over':>5} {'prov.pauses':>11} {'changes':>7}"
    print()
    print(header)
    totals: dict[str, Result] = defaultdict(Result)
    for name in scenarios:
        for policy in POLICIES:
            r = results[policy][name]
            print(
                f"{name:15} {policy:7} {money(r.spend)} {money(r.revenue)} {r.roas:6.2f} "
                f"{money(r.profit)} {r.days_over:5d} {r.provisional_pauses:11d} {r.changes:7d}"
            )
            t = totals[policy]
            t.spend += r.spend
            t.revenue += r.revenue
            t.profit += r.profit
            t.days_over += r.days_over
            t.provisional_pauses += r.provisional_pauses
            t.changes += r.changes
            t.engine_seconds += r.engine_seconds
    print()
    for policy in POLICIES:
        t = totals[policy]
        print(
            f"{'TOTAL':15} {policy:7} {money(t.spend)} {money(t.revenue)} {t.roas:6.2f} "
            f"{money(t.profit)} {t.days_over:5d} {t.provisional_pauses:11d} {t.changes:7d}"
        )
    engine, rules, none = totals["engine"], totals["rules"], totals["none"]

    def vs(a: int, b: int) -> str:
        return f"{(a - b) / abs(b) * 100:+.1f}%" if b else "n/a"

    print()
    print(
        f"contribution profit, engine vs static rules: {vs(engine.profit, rules.profit)}   (target >= +10%)"
    )
    print(
        f"contribution profit, engine vs no action:    {vs(engine.profit, none.profit)}   (target >= +25%)"
    )
    print(f"days over the monthly limit (engine):        {engine.days_over}   (target 0)")
    print(f"pauses decided on provisional data (engine): {engine.provisional_pauses}   (target 0)")
    if engine.engine_seconds:
        print(
            f"nightly engine per account: median {statistics.median(engine.engine_seconds):.2f} s, "
            f"max {max(engine.engine_seconds):.2f} s   (target <= 2 s)"
        )


if __name__ == "__main__":
    main()

"""Budget moves between platforms, measured: one workspace, a Meta and a Google Ads account, 11 days.

Printed figures, not a test. The known truth (as in ``tests/jobs/test_cross_platform_moves.py``):
Meta's "Prospecção Ampla" (R$ 300/day) runs 1.5x past its efficient scale, Google's "Search |
Marca" (R$ 150/day) at a sixth of its own; both are profitable at a 45% margin, and the
workspace's monthly limit across both platforms (R$ 13.300) leaves no room to grow the total.
The run starts on 20 November and ends with the month.
From identical starting states (one sandbox world, copied per policy):

* **none**: no change for 30 days;
* **no-moves**: the product's nights and digests, every proposal approved at once by the admin
  EXCEPT the budget moves between platforms (left waiting): the per-account engine alone;
* **engine**: the same, moves approved too.

Then 8 more days pass so every purchase is reported, and the settled results are read from the
sandbox: spend, revenue, ROAS, contribution profit (revenue x 45% - spend), days the month's
cumulative spend was over the limit, the moves executed.

Run::

    .venv/bin/python bench/bench_cross_platform.py            # 20-30 November
    .venv/bin/python bench/bench_cross_platform.py --days 7
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from bench_decisions import TZ, at_local, move_to  # noqa: E402
from sqlalchemy import select  # noqa: E402

from ads.sandbox import SandboxState, start_sandbox  # noqa: E402
from ads.sandbox.scenarios import (  # noqa: E402
    SimAccount,
    SimAd,
    SimAdSet,
    SimCampaign,
    add_simulated_account,
    outcome,
)
from analytics.sync import sync_account  # noqa: E402
from jobs.schedules import JobSpec, Kind, run_spec  # noqa: E402
from mediabrain.bootstrap import prepare  # noqa: E402
from mediabrain.runtime import build_runtime  # noqa: E402
from storage.models import Proposal, Role  # noqa: E402
from storage.repositories import (  # noqa: E402
    add_user,
    ensure_workspace,
    link_ad_account,
    workspace_settings,
)
from supervisor.decide import decide  # noqa: E402
from vocabulary.runtime import Runtime, set_runtime  # noqa: E402
from vocabulary.settings import Settings  # noqa: E402

POLICIES = ("none", "no-moves", "engine")
#: 00:00 on 20 November in São Paulo: two thirds of the month are spent, so each account's
#: share of the limit follows its spend (before any spend the shares are equal, and the
#: per-account nights then shift money between platforms by themselves, through that share).
START = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
MARGIN = Decimal("0.45")
LIMIT = 1_330_000  # R$ 13.300 a month across both platforms (~2% above the budgets' month)
#: (platform, sandbox id, id as linked, name, campaign, the ad's truth, daily budget)
ACCOUNTS = (
    ("meta", "act_5100000001", "act_5100000001", "Loja Meta", "Prospecção Ampla",
     SimAd("Catálogo", 0.013, 0.05, 200, 26, 200), 300),
    ("google", "act_5105550101", "5105550101", "Loja Google", "Search | Marca",
     SimAd("RSA Marca", 0.02, 0.035, 220, 24, 900), 150),
)  # fmt: skip


@dataclass
class Result:
    spend: int = 0
    revenue: int = 0
    profit: int = 0
    days_over: int = 0
    changes: int = 0
    moves: int = 0


def base_world(seed: int) -> SandboxState:
    state = SandboxState(seed=seed, start=START)
    for platform, sandbox_id, _, name, campaign, ad, budget in ACCOUNTS:
        adset = SimAdSet("Público", audience=8_000_000, ads=(ad,))
        spec = SimAccount(
            name, (SimCampaign(campaign, (adset,), daily_budget=budget, age_days=60),)
        )
        add_simulated_account(state, spec, sandbox_id, platform=platform)
    return state


def product(state: SandboxState, tmp: Path) -> tuple[Any, Runtime, int, int, list[int]]:
    server = start_sandbox(state=state.copy())
    settings = Settings(
        data_dir=tmp,
        database_url=f"sqlite:///{tmp / 'bench.sqlite3'}",
        sandbox="on",
        meta_graph_url=server.url,
        sandbox_google_demo=False,
    )  # type: ignore[call-arg]
    rt = build_runtime(settings)
    rt.sandbox = server
    prepare(rt, migrate=True)
    set_runtime(rt)
    with rt.db.session() as session:
        workspace = ensure_workspace(session, "bench-cross", name="Loja Cruzada")
        pks = []
        for platform, _, linked, name, *_ in ACCOUNTS:
            row = link_ad_account(session, workspace.id, linked, platform=platform, name=name)
            pks.append(row.id)
        admin = add_user(session, workspace, role=Role.ADMIN, name="Bench", console_name="x")
        prefs = workspace_settings(session, workspace.id)
        prefs.gross_margin = MARGIN * 100
        prefs.monthly_budget_limit = Decimal(LIMIT)
        session.flush()
        return server, rt, workspace.id, admin.user_id, pks


def job(kind: Kind, workspace_id: int, pk: int, linked: str, moment: Any) -> JobSpec:
    stamp = moment.astimezone(TZ).strftime("%Y%m%d%H")
    return JobSpec(kind, moment, stamp, workspace_id, pk, f"ws{workspace_id}:{linked}")


def run_policy(policy: str, state: SandboxState, days: int) -> Result:
    result = Result()
    with tempfile.TemporaryDirectory() as tmp:
        server, rt, ws, admin, pks = product(state, Path(tmp))
        first = START.astimezone(TZ).date()
        linked = [a[2] for a in ACCOUNTS]
        try:
            for offset in range(days):
                day = first + timedelta(days=offset)
                move_to(server, at_local(day, 8))
                if policy != "none" and offset > 0:
                    for pk, external in zip(pks, linked, strict=True):
                        sync_account(rt, pk)
                        run_spec(rt, job(Kind.DIGEST, ws, pk, external, server.now()))
                    with rt.db.session(ws) as session:
                        pending = session.scalars(
                            select(Proposal).where(Proposal.state == "pending")
                        ).all()
                        waiting = [(p.id, p.kind) for p in pending]
                    for pid, kind in waiting:
                        if kind == "move_budget" and policy == "no-moves":
                            continue
                        decide(rt, ws, pid, user_id=admin, approve=True, channel="console")
                        result.changes += 1
                        result.moves += kind == "move_budget"
                move_to(server, at_local(day, 23))
                if policy != "none":
                    for pk in pks:
                        sync_account(rt, pk)
                    for pk, external in zip(pks, linked, strict=True):
                        run_spec(rt, job(Kind.OPTIMIZE, ws, pk, external, server.now()))
            last = first + timedelta(days=days - 1)
            move_to(server, at_local(last + timedelta(days=9), 8))  # the lag settles
            cumulative = [0] * days
            for _, sandbox_id, *_ in ACCOUNTS:
                settled = outcome(server.state, sandbox_id, first, last, margin=MARGIN)
                result.spend += settled.spend
                result.revenue += settled.revenue
                result.profit += settled.profit
                before = first - timedelta(days=1)  # the month's days before the run count
                running = server.state.totals(sandbox_id, first.replace(day=1), before).spend
                for offset in range(days):
                    d = first + timedelta(days=offset)
                    running += server.state.totals(sandbox_id, d, d, settled=True).spend
                    cumulative[offset] += running
            result.days_over = sum(total > LIMIT for total in cumulative)
        finally:
            rt.sandbox = None
            rt.close()
            server.stop()
            set_runtime(None)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=11)  # to the end of November
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    state = base_world(args.seed)
    print(f"Meta + Google Ads, one workspace, {args.days} days, seed {args.seed}")
    results = {}
    for policy in POLICIES:
        started = time.perf_counter()
        results[policy] = run_policy(policy, state, args.days)
        print(f"  policy {policy:8} ran in {time.perf_counter() - started:6.1f} s")
    print()
    print(f"{'policy':9} {'spend':>12} {'revenue':>12} {'ROAS':>6} {'profit':>12} {'over':>5} "
          f"{'changes':>7} {'moves':>5}")  # fmt: skip
    for policy, r in results.items():
        roas = r.revenue / r.spend if r.spend else 0.0
        print(
            f"{policy:9} R$ {r.spend / 100:9,.0f} R$ {r.revenue / 100:9,.0f} {roas:6.2f} "
            f"R$ {r.profit / 100:9,.0f} {r.days_over:5d} {r.changes:7d} {r.moves:5d}"
        )
    engine, alone, none = results["engine"], results["no-moves"], results["none"]

    def vs(a: int, b: int) -> str:
        return f"{(a - b) / abs(b) * 100:+.1f}%" if b else "n/a"

    print()
    print(f"contribution profit, engine vs engine without moves: {vs(engine.profit, alone.profit)}")
    print(f"contribution profit, engine vs no action:            {vs(engine.profit, none.profit)}")


if __name__ == "__main__":
    main()

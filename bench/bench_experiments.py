"""A/B experiments under daily peeking: false positives and power. Printed figures, not a test.

Many simulated tests, each looked at every day with the product's verdict
(:func:`analytics.experiments.verdict.decide`: Bayesian probability to be best and expected
loss AND an always-valid mSPRT p-value, winners only on whole weeks, CPA guardrail):

1. **design**: the account's own baseline (CTR, impressions per day, day-to-day dispersion,
   CPA) is measured on 56 days of history of the control ad, and the power analysis
   (:func:`analytics.experiments.design.plan`) gives the whole weeks needed to detect a 20%
   CTR lift with 80% power at alpha = 5%.
2. **A/A**: two ads with the same true CTR; the share of tests that declare a winner within
   the planned duration is the false-positive rate (target <= 5%).
3. **A/B**: the second ad's true CTR is 20% higher; the share of tests that declare it the
   winner within the planned duration is the power (target >= 80%).

Printed: both rates with a 95% interval, the median days to a decision, how tests ended.

Data sources (``--source``):

* ``sandbox`` (default): the real sandbox (``ads.sandbox``) driven in-process: one world per
  test, two equal-budget ad sets with one ad each and known ``AdTruth``, the clock advanced
  over the test, each day's delivery read from its delivery engine (impressions from spend
  and CPM with hour, weekday and noise multipliers; CTR with daily noise and fatigue).
  Note: the sandbox rounds clicks to ``impressions x CTR`` (no binomial noise).
* ``synthetic``: a faster stand-in with more noise than the sandbox: impressions from spend
  and a noisy CPM, clicks Binomial(impressions, CTR x daily log-normal noise), purchases
  Poisson; checks the statistics where over-dispersion matters.

Run::

    .venv/bin/python bench/bench_experiments.py                     # 600 + 600 tests
    .venv/bin/python bench/bench_experiments.py --tests 200 --source synthetic
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ads.sandbox.model import AdTruth  # noqa: E402
from ads.sandbox.records import ACTIVE  # noqa: E402
from ads.sandbox.state import SandboxState  # noqa: E402
from analytics.experiments.counts import Counts, Metric, increments  # noqa: E402
from analytics.experiments.design import Baseline, Design, plan  # noqa: E402
from analytics.experiments.verdict import Rules, Status, decide  # noqa: E402

#: Test start: midnight in São Paulo on a Monday outside retail seasons.
TEST_START = datetime(2026, 9, 7, 3, 0, tzinfo=UTC)
HISTORY_DAYS = 56
DAILY_BUDGET = 10_000  # R$ 100,00 per variant per day
TRUTH = AdTruth(
    ctr=0.012, link_share=0.75, cvr=0.022, aov=21_000, cpm=2_600, scale=10_400, fatigue=0.1
)
LIFT = 0.20
#: Fewer Monte Carlo draws than the product default: 2,000 tests x ~21 looks each.
RULES = Rules(draws=4_000)


@dataclass(frozen=True)
class Outcome:
    status: Status
    winner: str | None
    day: int


def _cumulative(day0: date, daily: Sequence[tuple[int, int, int, int]]) -> list[Counts]:
    rows, imps, clicks, conv, spend = [], 0, 0, 0, 0
    for i, (di, dc, dv, ds) in enumerate(daily):
        imps, clicks, conv, spend = imps + di, clicks + dc, conv + dv, spend + ds
        rows.append(Counts(day0 + timedelta(days=i), imps, clicks, conv, spend))
    return rows


def sandbox_series(
    seed: int, truths: Sequence[AdTruth], days: int, start: datetime = TEST_START
) -> list[list[Counts]]:
    """Each ad's cumulative daily counts from a fresh sandbox world (equal-budget ad sets)."""
    state = SandboxState(seed=seed, start=start)  # no seeder: an empty world
    account = state.add_account("act_1", name="bench", currency="BRL", timezone="America/Sao_Paulo")
    campaign = state.add_campaign(
        account.id, name="teste A/B", objective="OUTCOME_SALES", status=ACTIVE
    )
    ads = []
    for index, truth in enumerate(truths):
        adset = state.add_adset(
            campaign.id,
            name=f"variant {index}",
            status=ACTIVE,
            daily_budget=DAILY_BUDGET,
            audience_size=9_000_000,
            churn=0.02,
        )
        creative = state.add_creative(account.id, name=f"creative {index}")
        ads.append(
            state.add_ad(
                adset.id, name=f"ad {index}", creative_id=creative.id, status=ACTIVE, truth=truth
            )
        )
    state.advance_clock(days=days)
    day0 = start.astimezone(account.tz).date()
    daily: list[list[tuple[int, int, int, int]]] = [[] for _ in ads]
    for offset in range(days):
        delivered = state.engine.campaign_day(campaign.id, day0 + timedelta(days=offset))
        for i, ad in enumerate(ads):
            d = delivered.get(ad.id)
            daily[i].append((d.impressions, d.clicks, d.purchases, d.spend) if d else (0, 0, 0, 0))
    return [_cumulative(day0, rows) for rows in daily]


def synthetic_series(
    seed: int, truths: Sequence[AdTruth], days: int, start: datetime = TEST_START
) -> list[list[Counts]]:
    """Binomial clicks and Poisson purchases with day-to-day noise (more than the sandbox)."""
    rng = np.random.default_rng(seed)
    day0 = start.date()
    result = []
    for truth in truths:
        rows = []
        for _ in range(days):
            cpm = truth.cpm * math.exp(rng.normal(0, 0.06))
            spend = round(DAILY_BUDGET * truth.pace * math.exp(rng.normal(0, 0.025)))
            imps = round(spend / cpm * 1000)
            ctr = truth.ctr * math.exp(rng.normal(0, 0.08))
            clicks = int(rng.binomial(imps, min(ctr, 1.0)))
            conv = int(rng.poisson(clicks * truth.link_share * truth.cvr))
            rows.append((imps, clicks, conv, spend))
        result.append(_cumulative(day0, rows))
    return result


SOURCES = {"sandbox": sandbox_series, "synthetic": synthetic_series}


def measure_baseline(source: str, seed: int) -> tuple[Baseline, Decimal]:
    """The control ad's own history: CTR, impressions per day, dispersion, and its CPA."""
    history_start = TEST_START - timedelta(days=HISTORY_DAYS)
    (series,) = SOURCES[source](seed, [TRUTH], HISTORY_DAYS, history_start)
    daily = increments(series)
    baseline = Baseline.from_history(Metric.CTR, daily)
    cpa = Decimal(1 / Baseline.from_history(Metric.CPA, daily).rate)
    return baseline, cpa.quantize(Decimal(1))


def run_test(job: tuple[str, int, float, Design, Decimal]) -> Outcome:
    """One test looked at every day until decided or out of time."""
    source, seed, lift, design, cpa_target = job
    challenger = AdTruth(**{**TRUTH.to_json(), "ctr": TRUTH.ctr * (1 + lift)})
    series = SOURCES[source](seed, [TRUTH, challenger], design.max_days)
    first = series[0][0].day
    for day in range(1, design.max_days + 1):
        today = first + timedelta(days=day)
        verdict = decide({"A": series[0], "B": series[1]}, design, today, cpa_target, rules=RULES)
        if verdict.decided:
            return Outcome(verdict.status, verdict.winner, verdict.day)
    return Outcome(Status.RUNNING, None, design.max_days)


def interval(hits: int, n: int) -> str:
    """A share with its Wilson 95% interval."""
    p = hits / n
    z = 1.96
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return f"{100 * p:5.1f}%  (95% CI {100 * (centre - half):.1f}-{100 * (centre + half):.1f}%)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=600, help="tests per scenario")
    parser.add_argument("--source", choices=sorted(SOURCES), default="sandbox")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    started = time.perf_counter()
    baseline, cpa_target = measure_baseline(args.source, seed=10_000)
    design = plan(baseline, LIFT)
    print(f"source: {args.source}; {args.tests} A/A + {args.tests} A/B tests, daily looks")
    print(
        f"baseline ({HISTORY_DAYS} days of the control ad): CTR {100 * baseline.rate:.3f}%, "
        f"{baseline.daily_units:,.0f} impressions/day per variant, "
        f"dispersion {baseline.dispersion:.2f}, CPA R$ {cpa_target / 100:.2f} (guardrail 2x)"
    )
    print(
        f"design for +{100 * LIFT:.0f}% CTR, alpha 5%, power 80%: "
        f"{design.fixed_horizon_units:,} impressions/variant looked at once (statsmodels), "
        f"{design.units_per_variant:,} monitored daily (mSPRT) -> {design.weeks} weeks "
        f"({design.days} days); MDE at {design.days} days: "
        f"{100 * _mde(baseline, design.days):.1f}%"
    )

    jobs = {
        "A/A": [(args.source, seed, 0.0, design, cpa_target) for seed in range(args.tests)],
        "A/B": [
            (args.source, 100_000 + seed, LIFT, design, cpa_target) for seed in range(args.tests)
        ],
    }
    outcomes: dict[str, list[Outcome]] = {}
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for name, batch in jobs.items():
            outcomes[name] = list(pool.map(run_test, batch, chunksize=20))

    aa, ab = outcomes["A/A"], outcomes["A/B"]
    false_winners = sum(o.status is Status.WINNER for o in aa)
    true_winners = sum(o.status is Status.WINNER and o.winner == "B" for o in ab)
    wrong_winners = sum(o.status is Status.WINNER and o.winner != "B" for o in ab)
    print(f"A/A false-positive rate: {interval(false_winners, len(aa))}   target <= 5%")
    print(f"A/B power (+20% CTR):    {interval(true_winners, len(ab))}   target >= 80%")
    print(f"A/B wrong winner (A):    {wrong_winners} of {len(ab)}")
    for name, group in outcomes.items():
        ends = Counter(o.status.value for o in group)
        decided = [o.day for o in group if o.status is Status.WINNER]
        median = f"{statistics.median(decided):.0f}" if decided else "-"
        print(
            f"{name}: median days to a winner {median}; median days to any decision "
            f"{statistics.median(o.day for o in group):.0f}; ends {dict(sorted(ends.items()))}"
        )
    print(f"wall time {time.perf_counter() - started:.1f} s on {args.workers} workers")


def _mde(baseline: Baseline, days: int) -> float:
    from analytics.experiments.design import minimum_detectable_effect

    return minimum_detectable_effect(baseline, days)


if __name__ == "__main__":
    main()

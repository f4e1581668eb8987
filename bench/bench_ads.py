"""Ads layer: what the read cache and Graph batching save. Printed figures, not a test.

Everything runs in-process on loopback against the Meta sandbox (real
facebook-business SDK, real HTTP), with injected latency per request:

1. **cache**: 100 concurrent identical report requests (campaign insights for
   the last 7 days) for one account, within the TTL, through ``CachedAds`` on
   the in-process backend and on Redis: how many reached the Graph API
   (target 1), and the latency of a cached answer vs an uncached one.
2. **batch**: insights for 200 campaigns, as ``batch_insights`` (Graph batch
   requests of at most 50) vs one ``/{campaign}/insights`` call per campaign
   (``object_insights``, the same edge the batch items use): HTTP calls,
   wall time and their ratio.

Latency is modelled two ways and both are printed: the sandbox's own
``latency=`` option (applied to every request the sandbox handles, batch items
included, one after the other) and a ``slow`` fault matching only top-level
HTTP requests (a round trip's cost, whatever the request carries).

Run::

    .venv/bin/python bench/bench_ads.py                      # 100 ms latency
    .venv/bin/python bench/bench_ads.py --latency 0.05 --campaigns 100
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ads.base import Level, Period  # noqa: E402
from ads.cache import CachedAds, token_scope  # noqa: E402
from ads.cache_backends import CacheBackend, MemoryBackend, RedisBackend  # noqa: E402
from ads.meta import MetaConnector  # noqa: E402
from ads.sandbox import DEMO_ACCOUNT_ID, SandboxServer, UsageLimits, start_sandbox  # noqa: E402
from ads.sandbox.specs import AdSetSpec, AdSpec, CampaignSpec, build_account  # noqa: E402

START = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
TOKEN = "bench-token"
WEEK = Period(date(2026, 11, 13), date(2026, 11, 19))
#: Generous sandbox budgets: this measures round trips, not Meta's per-minute call limits.
LIMITS = UsageLimits(ads_management=1_000_000, ads_insights=1_000_000, app=1_000_000)


class PacedSleep:
    """Real sleep that also adds up how long the connector paused itself (usage pacing)."""

    def __init__(self) -> None:
        self.total = 0.0

    def __call__(self, seconds: float) -> None:
        self.total += seconds
        time.sleep(seconds)


def connector(server: SandboxServer, sleep: PacedSleep | None = None) -> MetaConnector:
    return MetaConnector(
        TOKEN, graph_url=server.url, api_version="v24.0", timeout=60, sleep=sleep or time.sleep
    )


def usage_text(meta: MetaConnector) -> str:
    usage = meta.usage(DEMO_ACCOUNT_ID)
    if usage is None:
        return "no usage headers"
    return f"peak usage {usage.peak:.0f}%"


def sandbox(latency: float, mode: str) -> SandboxServer:
    """A sandbox whose requests cost ``latency`` s: mode "sandbox" or "round-trip"."""
    if mode == "sandbox":
        return start_sandbox(seed=42, start=START, latency=latency, limits=LIMITS)
    server = start_sandbox(seed=42, start=START, limits=LIMITS)
    # Top-level requests carry the version in their path, batch items do not.
    server.inject_fault("slow", count=10_000_000, seconds=latency, path_contains="/v24.0/")
    return server


def add_campaigns(server: SandboxServer, count: int) -> list[str]:
    state = server.state
    spec = CampaignSpec(
        "Bench",
        "OUTCOME_SALES",
        age_days=30,
        adsets=(
            AdSetSpec(
                "Conjunto",
                audience=800_000,
                daily_budget=50.0,
                ads=(AdSpec("Anúncio", "Oferta", "Texto", 0.012, 0.02, 200, 25, 60),),
            ),
        ),
    )
    before = {c.id for c in state.campaigns_of(DEMO_ACCOUNT_ID)}
    account = state.account(DEMO_ACCOUNT_ID)
    assert account is not None  # the sandbox always starts with the demo account
    with state.lock:
        build_account(state, account, (spec,) * count, state.now())
    return [c.id for c in state.campaigns_of(DEMO_ACCOUNT_ID) if c.id not in before]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- 1. cache ------------------------------------------------------------------------------


def bench_cache(latency: float, mode: str, backend_name: str, concurrency: int) -> None:
    server = sandbox(latency, mode)
    backend: CacheBackend
    try:
        if backend_name == "redis":
            import redis

            client = redis.Redis.from_url("redis://127.0.0.1:6379/12")
            client.flushdb()
            backend = RedisBackend(client)
        else:
            backend = MemoryBackend()
        cached = CachedAds(connector(server), backend, scope=token_scope(TOKEN))

        def report() -> object:
            return cached.insights(DEMO_ACCOUNT_ID, Level.CAMPAIGN, WEEK)

        barrier = threading.Barrier(concurrency)
        latencies: list[float] = [0.0] * concurrency

        def worker(i: int) -> None:
            barrier.wait()
            began = time.perf_counter()
            report()
            latencies[i] = time.perf_counter() - began

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        burst = time.perf_counter() - began
        upstream = server.stats.count("/insights")

        # Latency of one uncached request (fresh cache) vs one cached request (warm).
        uncached: list[float] = []
        for _ in range(5):
            cold = CachedAds(connector(server), MemoryBackend(), scope=token_scope(TOKEN))
            t0 = time.perf_counter()
            cold.insights(DEMO_ACCOUNT_ID, Level.CAMPAIGN, WEEK)
            uncached.append(time.perf_counter() - t0)
        warm: list[float] = []
        for _ in range(200):
            t0 = time.perf_counter()
            report()
            warm.append(time.perf_counter() - t0)
        u, c = statistics.median(uncached), statistics.median(warm)
        print(
            f"  cache [{backend_name:6}] {concurrency} concurrent reports: upstream insights "
            f"calls {upstream} (target 1); burst {burst * 1000:.0f} ms, p50 "
            f"{pct(latencies, 0.5) * 1000:.0f} ms, p95 {pct(latencies, 0.95) * 1000:.0f} ms"
        )
        print(
            f"  cache [{backend_name:6}] latency uncached {u * 1000:.1f} ms vs cached "
            f"{c * 1000:.3f} ms -> {u / c:,.0f}x faster; stats {dict(sorted(cached.stats.items()))}"
        )
    finally:
        server.stop()


# --- 2. batch ------------------------------------------------------------------------------


def bench_batch(latency: float, mode: str, campaigns: int) -> None:
    server = sandbox(latency, mode)
    try:
        ids = add_campaigns(server, campaigns)
        paced = PacedSleep()
        meta = connector(server, paced)
        meta.get_account(DEMO_ACCOUNT_ID)  # warm the connection and the currency memo

        server.stats.reset()
        t0 = time.perf_counter()
        batched = meta.batch_insights(DEMO_ACCOUNT_ID, ids, WEEK)
        batched_wall = time.perf_counter() - t0
        batched_calls, items = server.stats.requests, server.stats.batch_items
        batched_paced, batched_usage = paced.total, usage_text(meta)

        server.app.usage.reset()  # a fresh rate-limit window for the second approach
        paced = PacedSleep()
        meta = connector(server, paced)
        meta.get_account(DEMO_ACCOUNT_ID)
        server.stats.reset()
        t0 = time.perf_counter()
        single = [row for cid in ids for row in meta.object_insights(DEMO_ACCOUNT_ID, cid, WEEK)]
        single_wall = time.perf_counter() - t0
        single_calls = server.stats.requests
        single_paced, single_usage = paced.total, usage_text(meta)

        key = lambda r: r.object_id  # noqa: E731
        same = sorted(batched, key=key) == sorted(single, key=key)
        print(
            f"  batch {campaigns} campaigns: batched {batched_calls} HTTP calls "
            f"({items} items) in {batched_wall:.2f} s | one per campaign {single_calls} calls "
            f"in {single_wall:.2f} s | calls ratio {single_calls / batched_calls:.0f}x, "
            f"wall ratio {single_wall / batched_wall:.1f}x | same rows: {same}"
        )
        print(
            f"  batch   usage pacing: batched paused {batched_paced:.1f} s ({batched_usage}), "
            f"one per campaign paused {single_paced:.1f} s ({single_usage}); the sandbox "
            "counts handler time, injected latency included, as Meta's total_time"
        )
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per request")
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--campaigns", type=int, default=200)
    parser.add_argument("--no-redis", action="store_true")
    args = parser.parse_args()

    backends = ["memory"] if args.no_redis else ["memory", "redis"]
    for mode, label in (
        ("round-trip", "latency per HTTP round trip (slow fault on top-level requests)"),
        ("sandbox", "sandbox latency= option (also charged per batch item, serially)"),
    ):
        print(f"{label}: {args.latency * 1000:.0f} ms")
        for name in backends:
            bench_cache(args.latency, mode, name, args.concurrency)
        bench_batch(args.latency, mode, args.campaigns)
    print(f"(period {WEEK.since}..{WEEK.until}; sandbox clock {START + timedelta(0)})")


if __name__ == "__main__":
    main()

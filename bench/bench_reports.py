"""Daily report fan-out for 1,000 sandbox accounts with 2 RQ workers. Printed figures, not a test.

The production path end to end: the Meta and Google Ads sandboxes over one world in
their own process (real facebook-business SDK over loopback HTTP, real google-ads
client over gRPC + TLS with its OAuth refresh), PostgreSQL, Redis and two
``mediabrain worker`` processes (the production worker class: scheduled reports and
syncs run warm in the worker, anything else in a work horse). Each
workspace has one generated ad account (Meta, or Google with ``--google``) and one
admin on the console channel (the console sender writes every chart to a file).

1. **history** (warm-up): the metrics sync fans out one job per account and
   back-fills 35 days of daily insights at four levels. Timed and printed,
   but the sandbox simulating the accounts' pasts dominates it.
2. **report fan-out** (the figure that matters): the clock moves to 18:00 in
   São Paulo, three hours after the last sync, so every report first re-reads
   its account's trailing days (Meta: one batched Graph request), then builds the
   report from ``metrics_daily``, renders the 14-day chart and sends it. As in
   production, the workers are already up when the fan-out fires (started and
   registered with Redis first, as long-running workers are at 18:00); timed from the
   fan-out to the last report job finished, CPU read per phase from ``/proc``.
   Printed: wall time against the target (issue 14: 1,000 accounts in <= 60 s on 2
   workers; issue 18: 500 Meta + 500 Google within the same), job time per report
   by platform and Google's as a ratio of Meta's (the single-platform baseline, same
   run), upstream calls per account (target <= 2), peak RSS per worker, reports delivered.

Run::

    .venv/bin/python bench/bench_reports.py                       # 1,000 Meta accounts, 2 workers
    .venv/bin/python bench/bench_reports.py --accounts 500 --google 500   # the mixed fan-out
    .venv/bin/python bench/bench_reports.py --accounts 100 --profile /tmp/reports.prof

Needs PostgreSQL (``MEDIABRAIN_TEST_PG_URL``, default the local ``test`` database,
a scratch database is created and dropped) and Redis (``--redis-db``, flushed).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._report_world import (  # noqa: E402  (after the path set-up)
    RunningWorkers,
    call,
    finished_count,
    first_failure,
    graph_requests,
    job_seconds,
    run_workers,
    sandbox_world,
    seed,
    wait_drained,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=1000, help="generated Meta accounts")
    parser.add_argument("--google", type=int, default=0, help="generated Google Ads accounts")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis-db", type=int, default=9)
    parser.add_argument("--profile", help="write worker 1's cProfile of the report fan-out here")
    args = parser.parse_args()

    from rq.registry import FailedJobRegistry

    from jobs.schedules import Kind, prime, run_due
    from mediabrain.runtime import build_runtime

    started = time.perf_counter()
    with sandbox_world("mb_bench_reports", args.accounts, args.google, args.redis_db) as world:
        print(
            f"sandboxes: {args.accounts} Meta + {args.google} Google Ads "
            f"generated accounts in {time.perf_counter() - started:.1f}s"
        )
        env, url, accounts = world.env, world.url, world.accounts
        rt = build_runtime(world.settings)
        seed(rt, accounts)
        prime(rt, rt.now() - timedelta(minutes=1))

        # 1. history back-fill through the sync fan-out
        started = time.perf_counter()
        fanned = run_due(rt, kinds=[Kind.SYNC])
        history = run_workers(args.workers, env, world.folder)
        history_s = time.perf_counter() - started
        failed = FailedJobRegistry("low", connection=rt.redis)
        print(
            f"history: {len(fanned.enqueued)} sync jobs, {history_s:.1f}s wall "
            f"({len(failed)} failed, {len(history)} workers)"
        )
        first_failure(rt.redis)

        # 2. the daily report fan-out at 18:00 in São Paulo
        call(f"{url}/_sandbox/clock", "POST", advance_hours=3)
        call(f"{url}/_sandbox/stats", "DELETE")
        _, sandbox_cpu, sandbox_gc = world.sandbox_figures("reset")
        workers = RunningWorkers(args.workers, env, world.folder, args.profile)
        try:
            workers.wait_ready(rt.redis)
            cpu_before, done_before = workers.cpu(), finished_count(rt.redis)
            started = time.perf_counter()
            fanned = run_due(rt, kinds=[Kind.REPORT])
            enqueue_s = time.perf_counter() - started
            wait_drained(rt.redis, len(fanned.enqueued), done_before)
            wall = time.perf_counter() - started
            cpu = [after - before for after, before in zip(workers.cpu(), cpu_before, strict=True)]
            rss = workers.peak_rss_mb()
        finally:
            workers.stop()
        results = [
            {"seconds": wall, "cpu": c, "maxrss_mb": r} for c, r in zip(cpu, rss, strict=True)
        ]
        requests, items = graph_requests(call(f"{url}/_sandbox/stats"))
        grpc_calls, box_cpu, box_gc = world.sandbox_figures("stats")
        results.append({"sandbox_cpu": box_cpu - sandbox_cpu, "sandbox_gc": box_gc - sandbox_gc})
        report(
            rt,
            args,
            accounts,
            fanned.enqueued,
            wall,
            enqueue_s,
            results,
            (requests, items, grpc_calls),
        )
        first_failure(rt.redis)
        rt.close()


#: Issue 14: the daily report fan-out for 1,000 accounts in <= 60 s with 2 workers.
TARGET_S, TARGET_ACCOUNTS, TARGET_WORKERS = 60.0, 1000, 2


def report(
    rt: Any,
    args: argparse.Namespace,
    accounts: list[tuple[str, str]],
    enqueued: list[str],
    wall: float,
    enqueue_s: float,
    results: list[dict],
    upstream: tuple[int, int, int],
) -> None:
    """Print the fan-out's figures against the target, per platform."""
    from jobs import runs

    requests, items, grpc_calls = upstream
    done = [
        r
        for r in runs.records(rt.db, "daily-report:")
        if r.status == runs.DONE and ":to:" not in r.key  # job records, not deliveries
    ]
    delivered = sum(int(r.detail.get("sent", 0)) for r in done)
    platform = dict((external, name) for name, external in accounts)  # not the demo's
    bench_jobs = [k for k in enqueued if k.split(":")[2] in platform]
    meta = [k.replace(":", "_") for k in bench_jobs if platform[k.split(":")[2]] == "meta"]
    google = [k.replace(":", "_") for k in bench_jobs if platform[k.split(":")[2]] == "google"]
    n = max(len(bench_jobs), 1)
    projected = wall / n * TARGET_ACCOUNTS * args.workers / TARGET_WORKERS
    print()
    print(
        f"daily report fan-out: {len(bench_jobs)} accounts ({len(meta)} Meta + "
        f"{len(google)} Google Ads), {args.workers} workers"
    )
    print(f"  wall time            {wall:8.1f} s   (fan-out {enqueue_s:.2f} s)")
    print(
        f"  for 1,000 on 2       {projected:8.1f} s   target <= {TARGET_S:.0f} s "
        f"-> {projected / TARGET_S:.2f}x the target"
    )
    print(f"  per report           {wall * args.workers / n * 1000:8.0f} ms of worker time")
    medians = {}
    for label, ids in (("Meta", meta), ("Google Ads", google)):
        seconds = job_seconds(rt.redis, ids) if ids else []
        if seconds:
            medians[label] = statistics.median(seconds)
            print(
                f"  {label:<11} job      median {medians[label] * 1000:6.0f} ms, "
                f"p95 {statistics.quantiles(seconds, n=20)[-1] * 1000:6.0f} ms "
                f"({len(seconds)} jobs)"
            )
    if len(medians) == 2:
        print(
            f"  Google / Meta job time (same run): {medians['Google Ads'] / medians['Meta']:.2f}x"
        )
    if meta:
        print(f"  Graph HTTP requests  {requests / len(meta):8.2f} per Meta account   ({requests})")
        print(f"  batch items          {items / len(meta):8.2f} per Meta account")
    if google:
        print(
            f"  Google Ads RPCs      {grpc_calls / len(google):8.2f} per Google account ({grpc_calls})"
        )
    *workers, sandboxes = results
    cpu = sum(r["cpu"] for r in workers)
    print(
        f"  CPU per report       {cpu / n * 1000:8.0f} ms in the workers, "
        f"{sandboxes['sandbox_cpu'] / n * 1000:.0f} ms in the sandboxes "
        f"({sandboxes['sandbox_gc'] / n * 1000:.0f} ms of it collecting garbage) "
        f"(on an idle 2-core machine: ~{(cpu + sandboxes['sandbox_cpu']) / 2:.0f} s for these)"
    )
    for index, result in enumerate(workers, start=1):
        print(
            f"  worker {index}: {result['cpu']:.1f} s CPU in the fan-out, "
            f"peak RSS {result['maxrss_mb']:.0f} MB"
        )
    print(f"  reports delivered    {delivered} (run records done: {len(done)})")


if __name__ == "__main__":
    main()

"""Daily report fan-out for 1,000 sandbox accounts with 2 RQ workers. Printed figures, not a test.

The production path end to end: the Meta sandbox in its own process (real
facebook-business SDK over loopback HTTP), PostgreSQL, Redis and two RQ
workers (separate processes, ``SimpleWorker`` so each process's peak memory is
the worker's own). 1,000 workspaces each have one generated ad account and one
admin on the console channel (the console sender writes every chart to a file).

1. **history** (warm-up): the metrics sync fans out one job per account and
   back-fills 35 days of daily insights at four levels. Timed and printed,
   but the sandbox simulating 1,000 accounts' pasts dominates it.
2. **report fan-out** (the figure that matters): the clock moves to 18:00 in
   São Paulo, three hours after the last sync, so every report first re-reads
   its account's trailing days (one batched Graph request), then builds the
   report from ``metrics_daily``, renders the 14-day chart and sends it.
   Printed: wall time, Graph HTTP requests per account (target <= 2), batch
   items per account, peak RSS per worker, reports delivered.

Run::

    .venv/bin/python bench/bench_reports.py                  # 1,000 accounts, 2 workers
    .venv/bin/python bench/bench_reports.py --accounts 100 --workers 2

Needs PostgreSQL (``MEDIABRAIN_TEST_PG_URL``, default the local ``test`` database,
a scratch database is created and dropped) and Redis (``--redis-db``, flushed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

START = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)  # 15:00 in São Paulo
PG_ADMIN = os.environ.get("MEDIABRAIN_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_BASE = os.environ.get("MEDIABRAIN_TEST_REDIS_URL", "redis://127.0.0.1:6379")

SANDBOX = """
import sys
from datetime import datetime
from ads.sandbox import serve_forever
serve_forever("127.0.0.1", int(sys.argv[1]), seed=42, start=datetime.fromisoformat(sys.argv[2]))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(url: str, method: str = "GET", **body: object) -> dict:
    import httpx

    response = httpx.request(method, url, json=body or None, timeout=600)
    response.raise_for_status()
    return response.json()  # type: ignore[no-any-return]


def graph_requests(stats: dict) -> tuple[int, int]:
    """(HTTP requests, batch items) to Graph, leaving out the sandbox's admin endpoints."""
    requests = sum(n for route, n in stats["by_route"].items() if "_sandbox" not in route)
    return requests, int(stats["batch_items"])


# --- the worker processes ---------------------------------------------------------------------


def worker(result_path: str, profile: str | None = None) -> None:
    """One RQ worker (burst): runs what is queued, then writes its figures."""
    from rq import Queue, SimpleWorker

    from mediabrain.runtime import install
    from vocabulary.runtime import get_runtime

    install()  # the composition root wires the runtime the jobs reach through get_runtime()
    rt = get_runtime()
    started = time.perf_counter()
    queues = [Queue(name, connection=rt.redis) for name in ("default", "low")]
    w = SimpleWorker(queues, connection=rt.redis)
    if profile:
        import cProfile

        cProfile.runctx('w.work(burst=True, logging_level="WARNING")', globals(), locals(), profile)
    else:
        w.work(burst=True, logging_level="WARNING")
    w.refresh()  # the job counters live in the worker's Redis hash
    Path(result_path).write_text(
        json.dumps(
            {
                "jobs": w.successful_job_count,
                "failed": w.failed_job_count,
                "seconds": time.perf_counter() - started,
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def run_workers(
    count: int, env: dict[str, str], folder: Path, profile: str | None = None
) -> list[dict]:
    """``count`` worker processes until the queues are empty; ``profile``: worker 1's cProfile."""
    results = [folder / f"worker-{uuid.uuid4().hex[:6]}.json" for _ in range(count)]
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", str(path)]
            + (["--profile", profile] if profile and index == 0 else []),
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for index, path in enumerate(results)
    ]
    for proc in procs:
        if proc.wait() != 0:
            raise SystemExit(f"a worker exited with {proc.returncode}")
    return [json.loads(path.read_text()) for path in results]


# --- set-up ---------------------------------------------------------------------------------------


def seed(rt: object, account_ids: list[str]) -> None:
    """One workspace per account, with one admin who talked to us on the console."""
    from storage.models import Conversation, Message, Role
    from storage.repositories import add_user, ensure_workspace, link_ad_account

    with rt.db.session() as session:  # type: ignore[attr-defined]
        for index, external in enumerate(account_ids):
            workspace = ensure_workspace(session, f"bench-{index:04d}", name=f"Loja {index:04d}")
            link_ad_account(session, workspace.id, external, name=f"Loja Demo {index + 1:04d}")
            member = add_user(
                session, workspace, role=Role.ADMIN, console_name=f"admin-{index:04d}"
            )
            conversation = Conversation(
                workspace_id=workspace.id, channel="console", chat_id=f"console:admin-{index:04d}"
            )
            session.add(conversation)
            session.flush()
            session.add(
                Message(
                    workspace_id=workspace.id,
                    conversation_id=conversation.id,
                    role="user",
                    user_id=member.user_id,
                    text="oi",
                )
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis-db", type=int, default=9)
    parser.add_argument("--profile", help="write worker 1's cProfile of the report fan-out here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.profile)
        return

    import psycopg
    from redis import Redis
    from rq.job import Job
    from rq.registry import FailedJobRegistry

    from jobs import runs
    from jobs.schedules import Kind, prime, run_due
    from mediabrain.runtime import build_runtime
    from storage.migrate import upgrade
    from vocabulary.settings import Settings

    folder = Path(tempfile.mkdtemp(prefix="mb-bench-"))
    port = free_port()
    sandbox = subprocess.Popen(
        [sys.executable, "-c", SANDBOX, str(port), START.isoformat()],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    name = f"mb_bench_reports_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    base = PG_ADMIN.rsplit("/", 1)[0]
    redis_url = f"{REDIS_BASE}/{args.redis_db}"
    Redis.from_url(redis_url).flushdb()
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MEDIABRAIN_")},
        "MEDIABRAIN_DATABASE_URL": f"{base}/{name}",
        "MEDIABRAIN_REDIS_URL": redis_url,
        "MEDIABRAIN_META_GRAPH_URL": url,
        "MEDIABRAIN_SANDBOX": "on",
        "MEDIABRAIN_DATA_DIR": str(folder / "data"),
        "MEDIABRAIN_SECRET_KEY": Fernet.generate_key().decode(),  # required off SQLite
        "MEDIABRAIN_LOG_LEVEL": "WARNING",
    }
    try:
        for _ in range(100):
            try:
                call(f"{url}/_sandbox/clock")
                break
            except Exception:
                time.sleep(0.1)
        started = time.perf_counter()
        ids = call(f"{url}/_sandbox/accounts", "POST", count=args.accounts)["accounts"]
        print(f"sandbox: {len(ids)} generated accounts in {time.perf_counter() - started:.1f}s")

        settings = Settings(
            database_url=env["MEDIABRAIN_DATABASE_URL"],
            secret_key=env["MEDIABRAIN_SECRET_KEY"],
            redis_url=redis_url,
            meta_graph_url=url,
            sandbox="on",
            data_dir=folder / "data",
        )
        upgrade(settings.effective_database_url)
        rt = build_runtime(settings)
        seed(rt, ids)
        prime(rt, rt.now() - timedelta(minutes=1))

        # 1. history back-fill through the sync fan-out
        started = time.perf_counter()
        fanned = run_due(rt, kinds=[Kind.SYNC])
        history = run_workers(args.workers, env, folder)
        history_s = time.perf_counter() - started
        print(
            f"history: {len(fanned.enqueued)} sync jobs, {history_s:.1f}s wall "
            f"({sum(r['failed'] for r in history)} failed)"
        )

        # 2. the daily report fan-out at 18:00 in São Paulo
        call(f"{url}/_sandbox/clock", "POST", advance_hours=3)
        call(f"{url}/_sandbox/stats", "DELETE")
        started = time.perf_counter()
        fanned = run_due(rt, kinds=[Kind.REPORT])
        enqueue_s = time.perf_counter() - started
        results = run_workers(args.workers, env, folder, args.profile)
        wall = time.perf_counter() - started
        requests, items = graph_requests(call(f"{url}/_sandbox/stats"))
        done = [
            r
            for r in runs.records(rt.db, "daily-report:")
            if r.status == runs.DONE and ":to:" not in r.key  # job records, not deliveries
        ]
        delivered = sum(int(r.detail.get("sent", 0)) for r in done)
        n = max(len(fanned.enqueued), 1)
        print()
        print(f"daily report fan-out: {len(fanned.enqueued)} accounts, {args.workers} workers")
        print(f"  wall time            {wall:8.1f} s   (fan-out {enqueue_s:.2f} s)")
        print(f"  per report           {wall * args.workers / n * 1000:8.0f} ms of worker time")
        print(f"  Graph HTTP requests  {requests / n:8.2f} per account   ({requests} in all)")
        print(f"  batch items          {items / n:8.2f} per account")
        for index, result in enumerate(results, start=1):
            print(
                f"  worker {index}: {result['jobs']} jobs, {result['failed']} failed, "
                f"peak RSS {result['maxrss_mb']:.0f} MB"
            )
        print(f"  reports delivered    {delivered} (run records done: {len(done)})")
        failed = FailedJobRegistry("default", connection=rt.redis)
        for job_id in failed.get_job_ids()[:1]:
            job = Job.fetch(job_id, connection=rt.redis)
            latest = job.latest_result()
            print(f"  first failure ({job_id}):\n{latest.exc_string if latest else '?'}")
        rt.close()
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        Redis.from_url(redis_url).flushdb()
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

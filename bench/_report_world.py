"""The report benches' world: the Meta and Google Ads sandboxes in their own process over one
simulated world, a scratch PostgreSQL database, Redis, seeded workspaces and ``mediabrain
worker`` processes, for ``bench_reports.py`` and ``profile_reports.py``. Not a benchmark
itself (``make bench`` runs ``bench_*.py`` only).

Run as a script it is one of the processes the benches start: ``--sandboxes PORT`` serves
the sandboxes, ``--worker RESULT`` runs a worker and writes its figures to RESULT.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._harness import free_port  # noqa: E402  (after the path set-up)

START = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)  # 15:00 in São Paulo
PG_ADMIN = os.environ.get("MEDIABRAIN_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_BASE = os.environ.get("MEDIABRAIN_TEST_REDIS_URL", "redis://127.0.0.1:6379")

GOOGLE_FIRST_ID = 7_000_000_001


def call(url: str, method: str = "GET", **body: object) -> dict:
    import httpx

    response = httpx.request(method, url, json=body or None, timeout=600)
    response.raise_for_status()
    return response.json()  # type: ignore[no-any-return]


def graph_requests(stats: dict) -> tuple[int, int]:
    """(HTTP requests, batch items) to Graph, leaving out the sandbox's admin endpoints."""
    requests = sum(n for route, n in stats["by_route"].items() if "_sandbox" not in route)
    return requests, int(stats["batch_items"])


# --- the sandboxes' process ------------------------------------------------------------------


class GcClock:
    """CPU seconds this process spent in Python's garbage collector (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0
        gc.callbacks.append(self._tick)

    def _tick(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.seconds += time.process_time() - self._started


def serve_sandboxes(port: int, google: int) -> None:
    """Meta on ``port`` and Google Ads over one world; ``google`` generated Google customers.

    Prints where Google listens (one JSON line), then answers ``stats`` / ``reset`` lines on
    stdin with the Google calls served (the Meta sandbox counts its own at ``/_sandbox/stats``).
    """
    from ads.google.sandbox.server import start_google_sandbox
    from ads.sandbox import start_sandbox
    from ads.sandbox.demo import create_demo_accounts, populate_demo
    from ads.sandbox.state import SandboxState

    gc_clock = GcClock()
    state = SandboxState(seed=42, start=START, seeder=populate_demo)
    ids = create_demo_accounts(state, google, first_id=GOOGLE_FIRST_ID, platform="google")
    meta = start_sandbox(port=port, state=state)
    grpc = start_google_sandbox(state)
    line = {
        "endpoint": grpc.endpoint,
        "token_uri": grpc.token_uri,
        "ca_file": str(grpc.certificate_file),
        "google_ids": [i.removeprefix("act_") for i in ids],
    }
    print(json.dumps(line), flush=True)
    for command in sys.stdin:
        if command.strip() == "reset":
            grpc.app.calls.clear()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = usage.ru_utime + usage.ru_stime
        figures: dict[str, object] = {
            "calls": dict(grpc.app.calls),
            "cpu": cpu,
            "gc": gc_clock.seconds,
        }
        print(json.dumps(figures), flush=True)
    grpc.stop()
    meta.stop()


# --- the worker processes ---------------------------------------------------------------------


def worker(result_path: str, profile: str | None = None, burst: bool = True) -> None:
    """``mediabrain worker`` on the report and sync queues (``burst``: until they are empty;
    else until SIGTERM), then its figures."""
    from mediabrain.worker import run_worker
    from vocabulary.settings import load_settings

    settings = load_settings()
    started = time.perf_counter()
    if profile:
        import cProfile

        cProfile.runctx(
            "run_worker(settings, burst=burst, queues=QUEUES)",
            {"run_worker": run_worker, "settings": settings, "burst": burst},
            {"QUEUES": ("default", "low")},
            profile,
        )
    else:
        run_worker(settings, burst=burst, queues=("default", "low"))
    own, horses = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    Path(result_path).write_text(
        json.dumps(
            {
                "seconds": time.perf_counter() - started,
                # CPU seconds: what a loaded machine's wall time hides (work horses included)
                "cpu": own.ru_utime + own.ru_stime + horses.ru_utime + horses.ru_stime,
                "maxrss_mb": max(own.ru_maxrss, horses.ru_maxrss) / 1024,
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


class RunningWorkers:
    """Worker processes that stay up, as in production: started (imports, runtime, Redis
    registration) before the fan-out they serve, so its time is the jobs', not start-up's.

    CPU per phase is read from ``/proc/<pid>/stat`` (the worker's own and its reaped work
    horses'), so a phase's figure holds only what the workers did in it.
    """

    def __init__(
        self, count: int, env: dict[str, str], folder: Path, profile: str | None = None
    ) -> None:
        self.results = [folder / f"worker-{uuid.uuid4().hex[:6]}.json" for _ in range(count)]
        self.procs = [
            subprocess.Popen(
                [sys.executable, __file__, "--worker", str(path), "--keep-running"]
                + (["--profile", profile] if profile and index == 0 else []),
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for index, path in enumerate(self.results)
        ]

    def wait_ready(self, connection: Any) -> None:
        """Until every worker has registered with Redis (it is listening)."""
        from rq import Worker

        deadline = time.monotonic() + 120
        while len(Worker.all(connection=connection)) < len(self.procs):
            if any(proc.poll() is not None for proc in self.procs):
                raise SystemExit("a worker exited at start")
            if time.monotonic() > deadline:
                raise SystemExit("the workers did not start in 120 s")
            time.sleep(0.1)

    def cpu(self) -> list[float]:
        """CPU seconds so far per worker (user + system, its reaped children included)."""
        ticks = os.sysconf("SC_CLK_TCK")
        out = []
        for proc in self.procs:
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
            out.append((utime + stime + cutime + cstime) / ticks)
        return out

    def peak_rss_mb(self) -> list[float]:
        out = []
        for proc in self.procs:
            status = Path(f"/proc/{proc.pid}/status").read_text()
            line = next(x for x in status.splitlines() if x.startswith("VmHWM:"))
            out.append(int(line.split()[1]) / 1024)
        return out

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()  # RQ's warm shutdown: the job at hand, then out
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def finished_count(connection: Any, queue: str = "default") -> int:
    """Jobs of ``queue`` finished or failed so far (two ZCARDs: polling must not load Redis)."""
    from rq.registry import FailedJobRegistry, FinishedJobRegistry

    registries = (
        FinishedJobRegistry(queue, connection=connection),
        FailedJobRegistry(queue, connection=connection),
    )
    return sum(int(connection.zcard(registry.key)) for registry in registries)


def wait_drained(connection: Any, count: int, before: int, timeout: float = 1800) -> None:
    """Until ``count`` more jobs of the report queue finished or failed than ``before``
    (polled every 50 ms; fetching every pending job instead cost Redis and this process
    more CPU than the workers could spare)."""
    deadline = time.monotonic() + timeout
    while finished_count(connection) - before < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"the fan-out's jobs still pending after {timeout:.0f} s")
        time.sleep(0.05)


def first_failure(connection: Any) -> None:
    """The first failed job's traceback, if any (a bench that fails quietly measures nothing)."""
    from rq.job import Job
    from rq.registry import FailedJobRegistry

    for queue in ("low", "default"):
        for job_id in FailedJobRegistry(queue, connection=connection).get_job_ids()[:1]:
            latest = Job.fetch(job_id, connection=connection).latest_result()
            print(f"  first failure ({job_id}):\n{latest.exc_string if latest else '?'}")
            return


def job_seconds(connection: object, job_ids: list[str]) -> list[float]:
    """Each finished RQ job's own time (started -> ended), read back from Redis."""
    from rq.job import Job

    jobs = Job.fetch_many(job_ids, connection=connection)  # type: ignore[arg-type]
    return [
        (job.ended_at - job.started_at).total_seconds()
        for job in jobs
        if job is not None and job.started_at and job.ended_at
    ]


# --- set-up ---------------------------------------------------------------------------------------


def seed(rt: object, accounts: list[tuple[str, str]]) -> None:
    """One workspace per (platform, account), with one admin who talked to us on the console."""
    from storage.models import Conversation, Message, Role
    from storage.repositories import add_user, ensure_workspace, link_ad_account

    with rt.db.session() as session:  # type: ignore[attr-defined]
        for index, (platform, external) in enumerate(accounts):
            workspace = ensure_workspace(session, f"bench-{index:04d}", name=f"Loja {index:04d}")
            link_ad_account(
                session, workspace.id, external, platform=platform, name=f"Loja {index + 1:04d}"
            )
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


@dataclass
class World:
    """What a bench run needs of :func:`sandbox_world`."""

    folder: Path
    url: str  # the Meta sandbox
    env: dict[str, str]  # a worker's environment (the settings below, as variables)
    settings: Any
    accounts: list[tuple[str, str]]  # (platform, external id), Meta first
    sandbox: subprocess.Popen[str]

    def sandbox_stats(self, command: str = "stats") -> tuple[int, float]:
        """(Google calls served, the sandboxes' CPU seconds so far); ``reset`` zeroes the calls."""
        calls, cpu, _ = self.sandbox_figures(command)
        return calls, cpu

    def sandbox_figures(self, command: str = "stats") -> tuple[int, float, float]:
        """:meth:`sandbox_stats` and the sandboxes' CPU seconds in garbage collection."""
        assert self.sandbox.stdin is not None and self.sandbox.stdout is not None
        self.sandbox.stdin.write(command + "\n")
        self.sandbox.stdin.flush()
        stats = json.loads(self.sandbox.stdout.readline())
        return sum(stats["calls"].values()), float(stats["cpu"]), float(stats["gc"])


@contextmanager
def sandbox_world(prefix: str, meta: int, google: int, redis_db: int) -> Iterator[World]:
    """The sandboxes in their own process with ``meta`` + ``google`` generated accounts, a
    scratch PostgreSQL database (migrated), Redis ``redis_db`` (flushed) and the settings
    pointing at them; all of it dropped on the way out."""
    import psycopg
    from redis import Redis

    from storage.migrate import upgrade
    from vocabulary.settings import Settings

    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}-"))
    port = free_port()
    sandbox = subprocess.Popen(
        [sys.executable, __file__, "--sandboxes", str(port), "--google", str(google)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert sandbox.stdin is not None and sandbox.stdout is not None
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    redis_url = f"{REDIS_BASE}/{redis_db}"
    try:
        google_side = json.loads(sandbox.stdout.readline())
        url = f"http://127.0.0.1:{port}"
        Redis.from_url(redis_url).flushdb()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("MEDIABRAIN_")},
            "MEDIABRAIN_DATABASE_URL": f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}",
            "MEDIABRAIN_REDIS_URL": redis_url,
            "MEDIABRAIN_META_GRAPH_URL": url,
            "MEDIABRAIN_GOOGLE_ADS_ENDPOINT": google_side["endpoint"],
            "MEDIABRAIN_GOOGLE_ADS_TOKEN_URI": google_side["token_uri"],
            "MEDIABRAIN_GOOGLE_ADS_CA_FILE": google_side["ca_file"],
            "MEDIABRAIN_SANDBOX": "on",
            "MEDIABRAIN_DATA_DIR": str(folder / "data"),
            "MEDIABRAIN_SECRET_KEY": Fernet.generate_key().decode(),  # required off SQLite
            "MEDIABRAIN_LOG_LEVEL": "WARNING",
        }
        for _ in range(100):
            try:
                call(f"{url}/_sandbox/clock")
                break
            except Exception:
                time.sleep(0.1)
        meta_ids = call(f"{url}/_sandbox/accounts", "POST", count=meta)["accounts"]
        settings = Settings(
            database_url=env["MEDIABRAIN_DATABASE_URL"],
            secret_key=env["MEDIABRAIN_SECRET_KEY"],
            redis_url=redis_url,
            meta_graph_url=url,
            google_ads_endpoint=env["MEDIABRAIN_GOOGLE_ADS_ENDPOINT"],
            google_ads_token_uri=env["MEDIABRAIN_GOOGLE_ADS_TOKEN_URI"],
            google_ads_ca_file=env["MEDIABRAIN_GOOGLE_ADS_CA_FILE"],
            sandbox="on",
            data_dir=folder / "data",
            log_level="WARNING",
        )
        upgrade(settings.effective_database_url)
        accounts = [("meta", i) for i in meta_ids]
        accounts += [("google", i) for i in google_side["google_ids"]]
        yield World(folder, url, env, settings, accounts, sandbox)
    finally:
        sandbox.stdin.close()
        sandbox.terminate()
        sandbox.wait(timeout=10)
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        Redis.from_url(redis_url).flushdb()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="a process of the report benches")
    parser.add_argument("--sandboxes", type=int, help="serve the sandboxes, Meta on this port")
    parser.add_argument("--google", type=int, default=0, help="generated Google Ads accounts")
    parser.add_argument("--worker", help="run a worker; its figures go to this file")
    parser.add_argument("--keep-running", action="store_true", help="until SIGTERM, not burst")
    parser.add_argument("--profile", help="write the worker's cProfile here")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.profile, burst=not args.keep_running)
    elif args.sandboxes:
        serve_sandboxes(args.sandboxes, args.google)
    else:
        parser.error("--sandboxes or --worker")


if __name__ == "__main__":
    main()

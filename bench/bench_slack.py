"""Slack ack path: latency and throughput of signed slash commands, and web start-up time.

Printed figures, not a test. Everything runs on loopback in real processes:

- the fake Slack Web API (``python -m tests.bot.slack.fake_slack --quiet``) and the
  Meta sandbox (``mediabrain sandbox``) as subprocesses;
- PostgreSQL (a scratch database) and Redis (``--redis-db``, default 14);
- **queued**: ``mediabrain serve`` (uvicorn, one process): verify → dedupe →
  persist → enqueue → ack, the production path;
- **baseline**: the same signature check and the same conversation core, but
  the report (ads reads, chart, chat.postMessage) runs inline before the ack.

Load is open-loop (requests leave on a fixed schedule whatever the answers;
latency is measured from the scheduled time, so a slow server cannot hide its
queueing), each request freshly signed, with Slack's 3-second timeout.

Run::

    .venv/bin/python bench/bench_slack.py            # 200 req/s for 10 s
    .venv/bin/python bench/bench_slack.py --rate 400 --duration 5 --with-worker
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from cryptography.fernet import Fernet
from fastapi import Request

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._harness import (  # noqa: E402  (after the path set-up)
    Proc,
    drop_database,
    free_port,
    mediabrain,
    scratch_database,
    wait_http,
)

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-token"
SLACK_TIMEOUT = 3.0
KEEP_ALIVE_SECONDS = 4.0  # reuse idle connections younger than uvicorn's 5-second keep-alive


# --- processes ---------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- load ----------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    offered: float
    latencies: list[float]
    statuses: dict[str, int]
    elapsed: float
    lag_p99: float = 0.0  # how late the generator itself sent (open loop)

    @property
    def ok(self) -> int:
        return self.statuses.get("200", 0)

    def pct(self, q: float) -> float:
        data = sorted(self.latencies)
        if not data:
            return float("nan")
        return data[min(len(data) - 1, round(q / 100 * (len(data) - 1)))] * 1000

    @property
    def throughput(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0


def command_body(text: str, response_url: str) -> str:
    from tests.bot.slack.payloads import slash_command

    return slash_command(text, response_url=response_url, trigger_id=f"bench.{uuid.uuid4().hex}")[0]


class RawClient:
    """A minimal keep-alive HTTP/1.1 client on asyncio streams: the load generator must cost
    far less CPU than the server it measures (httpx costs about a millisecond per request)."""

    def __init__(self, url: str, max_connections: int = 256) -> None:
        parsed = urlparse(url)
        self.host, self.port, self.path = (
            parsed.hostname or "127.0.0.1",
            parsed.port or 80,
            parsed.path,
        )
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self._slots = asyncio.Semaphore(max_connections)

    async def post(self, body: bytes, headers: dict[str, str], timeout: float) -> int:
        async with self._slots:
            reader: asyncio.StreamReader | None = None
            writer: asyncio.StreamWriter | None = None
            while self._idle:
                reader, writer, used = self._idle.pop()
                if time.perf_counter() - used < KEEP_ALIVE_SECONDS:
                    break
                writer.close()  # the server (uvicorn: 5 s) may already have closed it
                reader = writer = None
            if reader is None or writer is None:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(self.host, self.port), timeout
                )
            assert reader is not None and writer is not None
            head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            writer.write(
                f"POST {self.path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Length: {len(body)}\r\n"
                f"{head}\r\n".encode()
                + body
            )
            try:
                status = await asyncio.wait_for(self._response(reader), timeout)
            except BaseException:
                writer.close()
                raise
            self._idle.append((reader, writer, time.perf_counter()))
            return status

    @staticmethod
    async def _response(reader: asyncio.StreamReader) -> int:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value.strip())
        if length:
            await reader.readexactly(length)
        return status

    def close(self) -> None:
        for _, writer, _ in self._idle:
            writer.close()


def signed(index: int, slack_url: str) -> tuple[bytes, dict[str, str]]:
    from tests.bot.slack.payloads import FORM, signed_headers

    body = command_body("report last 7 days", f"{slack_url}response/bench-{index}")
    return body.encode(), signed_headers(SECRET, body, content_type=FORM)


TIMEOUT = "timeout (>3 s: Slack shows the user an error)"


async def open_loop(name: str, url: str, slack_url: str, rate: float, duration: float) -> Result:
    """``rate`` signed slash commands per second for ``duration`` seconds, on schedule.

    Latency is measured from the scheduled send time: if the server (or the generator)
    falls behind, the queueing shows in the figures instead of being hidden.
    """
    total = int(rate * duration)
    client = RawClient(url)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    lags: list[float] = []
    start = time.perf_counter() + 0.2

    async def one(index: int) -> None:
        scheduled = start + index / rate
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        body, headers = signed(index, slack_url)
        lags.append(time.perf_counter() - scheduled)
        try:
            status = str(await client.post(body, headers, SLACK_TIMEOUT))
        except TimeoutError:
            status = TIMEOUT
        except (OSError, asyncio.IncompleteReadError) as exc:
            status = type(exc).__name__
        statuses[status] = statuses.get(status, 0) + 1
        if status == "200":
            latencies.append(time.perf_counter() - scheduled)

    await asyncio.gather(*(one(i) for i in range(total)))
    elapsed = time.perf_counter() - start
    client.close()
    result = Result(name, rate, latencies, statuses, elapsed)
    result.lag_p99 = sorted(lags)[int(0.99 * (len(lags) - 1))] * 1000 if lags else 0.0
    return result


async def closed_loop(
    name: str, url: str, slack_url: str, concurrency: int, duration: float
) -> Result:
    """As fast as the server answers, ``concurrency`` requests in flight: the ceiling."""
    client = RawClient(url, concurrency)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    deadline = time.perf_counter() + duration
    counter = iter(range(10**9))

    async def user() -> None:
        while time.perf_counter() < deadline:
            body, headers = signed(next(counter), slack_url)
            sent = time.perf_counter()
            try:
                status = str(await client.post(body, headers, SLACK_TIMEOUT))
            except TimeoutError:
                status = TIMEOUT
            except (OSError, asyncio.IncompleteReadError) as exc:
                status = type(exc).__name__
            statuses[status] = statuses.get(status, 0) + 1
            if status == "200":
                latencies.append(time.perf_counter() - sent)

    started = time.perf_counter()
    await asyncio.gather(*(user() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    client.close()
    return Result(f"{name} ×{concurrency}", 0, latencies, statuses, elapsed)


def phase(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def report(result: Result) -> str:
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(result.statuses.items()))
    offered = f"{result.offered:.0f} req/s offered" if result.offered else "closed loop"
    if not result.ok:
        return f"  {result.name:<13} {offered:<18} nothing answered within 3 s   [{statuses}]"
    return (
        f"  {result.name:<13} {offered:<18} throughput {result.throughput:7.1f} req/s   "
        f"p50 {result.pct(50):8.1f} ms   p90 {result.pct(90):8.1f} ms   p99 {result.pct(99):8.1f} ms   "
        f"max {result.pct(100):8.1f} ms   [{statuses}]"
        + (f"   (generator lag p99 {result.lag_p99:.1f} ms)" if result.offered else "")
    )


# --- the baseline server -------------------------------------------------------------------


def serve_baseline(port: int) -> None:
    """The naive handler: verify, then run the whole turn (report, chart, post) before acking."""
    from urllib.parse import parse_qs

    import uvicorn
    from fastapi import FastAPI
    from fastapi.responses import PlainTextResponse, Response
    from slack_sdk.signature import SignatureVerifier
    from starlette.concurrency import run_in_threadpool

    from bot.core.conversation import handle_turn
    from bot.slack.inbound import from_command
    from mediabrain.bootstrap import prepare
    from mediabrain.logs import setup_logging
    from mediabrain.runtime import build_runtime
    from storage.clock import utcnow
    from vocabulary.queue import JobQueue
    from vocabulary.runtime import set_runtime
    from vocabulary.settings import load_settings

    settings = load_settings(redis_url=None)
    setup_logging(settings)
    rt = build_runtime(settings)
    rt.queue = JobQueue(None)
    prepare(rt)
    set_runtime(rt)
    verifier = SignatureVerifier(SECRET)
    app = FastAPI()

    @app.get("/healthz")
    def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    def handle(body: bytes, headers: dict[str, str]) -> Response:
        if not verifier.is_valid_request(body, headers):
            return Response(status_code=401)
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        handle_turn(rt, from_command(form, utcnow()))
        return PlainTextResponse("done")

    @app.post("/slack/events")
    async def events(request: Request) -> Response:  # Request: module level, for FastAPI
        body = await request.body()
        return await run_in_threadpool(handle, body, dict(request.headers))

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# --- orchestration -------------------------------------------------------------------------


def count_rows(db_url: str) -> int:
    from sqlalchemy import func, select

    from storage.db import Database
    from storage.models import InboundEvent

    db = Database(db_url)
    try:
        with db.session() as session:
            return int(session.scalar(select(func.count()).select_from(InboundEvent)) or 0)
    finally:
        db.dispose()


def startup(env: dict[str, str], logs: Path, runs: int) -> tuple[list[float], list[str], float]:
    """Time to first 200 from /healthz; and which heavy modules `-X importtime` saw imported."""
    times = []
    for run in range(runs):
        port = free_port()
        started = time.perf_counter()
        proc = Proc(f"startup-{run}", mediabrain("serve", "--port", str(port)), env, logs)
        try:
            wait_http(f"http://127.0.0.1:{port}/healthz", proc=proc)
            times.append(time.perf_counter() - started)
        finally:
            proc.stop()
    port = free_port()
    proc = Proc(
        "importtime",
        [sys.executable, "-X", "importtime", "-m", "mediabrain.cli", "serve", "--port", str(port)],
        env,
        logs,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", proc=proc)
    finally:
        proc.stop()
    modules = []
    top_level_us = 0
    for line in proc.output().splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)$", line)
        if not match:
            continue
        name = match.group(4)
        if not match.group(3).strip(" ") and len(match.group(3)) == 1:
            top_level_us += int(match.group(2))
        if name.split(".")[0] in ("crewai", "matplotlib", "litellm"):
            modules.append(name)
    return times, modules, top_level_us / 1e6


class _Skip(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rate", type=float, default=200.0, help="offered slash commands per second"
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per server")
    parser.add_argument(
        "--redis-db", type=int, default=int(os.environ.get("MEDIABRAIN_TEST_REDIS_DB", "14"))
    )
    parser.add_argument("--startup-runs", type=int, default=3)
    parser.add_argument(
        "--with-worker", action="store_true", help="a worker drains the queue during the load"
    )
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--serve-baseline", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_baseline:
        serve_baseline(args.serve_baseline)
        return 0

    import redis

    try:  # a cheaper event loop for the load generator, when installed (uvicorn uses it too)
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    except ImportError:
        pass
    logs = Path(tempfile.mkdtemp(prefix="mb-bench-"))
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    redis.Redis.from_url(redis_url).flushdb()
    db_url, db_name = scratch_database("mb_bench", sqlite_fallback=True)
    slack_port, sandbox_port = free_port(), free_port()
    slack_url = f"http://127.0.0.1:{slack_port}/"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDIABRAIN_", "SLACK_"))}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "MEDIABRAIN_DATA_DIR": str(logs / "data"),
            "MEDIABRAIN_DATABASE_URL": db_url,
            "MEDIABRAIN_SECRET_KEY": Fernet.generate_key().decode(),  # required off SQLite
            "MEDIABRAIN_REDIS_URL": redis_url,
            "MEDIABRAIN_SLACK_BOT_TOKEN": TOKEN,
            "MEDIABRAIN_SLACK_SIGNING_SECRET": SECRET,
            "MEDIABRAIN_SLACK_API_URL": f"{slack_url}api/",
            "MEDIABRAIN_META_GRAPH_URL": f"http://127.0.0.1:{sandbox_port}",
            "MEDIABRAIN_SANDBOX": "on",
            "CREWAI_DISABLE_TELEMETRY": "true",
            "OTEL_SDK_DISABLED": "true",
        }
    )
    helpers = [
        Proc(
            "fake-slack",
            [
                sys.executable,
                "-m",
                "tests.bot.slack.fake_slack",
                "--port",
                str(slack_port),
                "--quiet",
            ],
            env,
            logs,
        ),
        Proc(
            "sandbox",
            mediabrain(
                "sandbox",
                "--port",
                str(sandbox_port),
                "--seed",
                "42",
                "--state-file",
                str(logs / "sandbox.json"),
            ),
            env,
            logs,
        ),
    ]
    print(f"mediabrain Slack benchmark · {os.cpu_count()} CPUs · logs in {logs}")
    print(f"database {db_url.split('@')[-1]} · redis db {args.redis_db}")
    try:
        wait_http(f"{slack_url}_fake/messages", proc=helpers[0])
        wait_http(f"http://127.0.0.1:{sandbox_port}/_sandbox/clock", proc=helpers[1])
        subprocess.run(
            mediabrain("db", "upgrade"), env=env, cwd=ROOT, check=True, capture_output=True
        )

        print(
            "\nweb start-up (mediabrain serve → first 200 from /healthz; includes migrations check, Bolt's auth.test):"
        )
        phase("start-up runs")
        times, heavy, imports = startup(env, logs, args.startup_runs)
        print(
            f"  runs: {', '.join(f'{t:.2f} s' for t in times)}   median {statistics.median(times):.2f} s (target < 1.5 s)"
        )
        print(
            f"  -X importtime: {imports:.2f} s of imports (inflated by the tracing itself); crewai/matplotlib/litellm imported: {heavy or 'none'}"
        )

        results: list[Result] = []
        port = free_port()
        server = Proc("serve", mediabrain("serve", "--port", str(port)), env, logs)
        worker = Proc("worker", mediabrain("worker"), env, logs) if args.with_worker else None
        try:
            wait_http(f"http://127.0.0.1:{port}/healthz", proc=server)
            url = f"http://127.0.0.1:{port}/slack/events"
            phase("queued: warm-up, open loop, closed loop")
            asyncio.run(open_loop("warm-up", url, slack_url, 100, 1))
            before_rows = count_rows(db_url)
            cpu_before = cpu_seconds(server.process.pid)
            queued = asyncio.run(open_loop("queued", url, slack_url, args.rate, args.duration))
            server_cpu = (cpu_seconds(server.process.pid) - cpu_before) / max(
                1, sum(queued.statuses.values())
            )
            results.append(queued)
            rows = count_rows(db_url) - before_rows
            pending = redis.Redis.from_url(redis_url).llen("rq:queue:high")
            results.append(asyncio.run(closed_loop("queued", url, slack_url, 32, 5)))
        finally:
            server.stop()
            if worker is not None:
                worker.stop()

        port = free_port()
        if args.skip_baseline:
            port = 0
        baseline = (
            None
            if args.skip_baseline
            else Proc(
                "baseline",
                [sys.executable, str(Path(__file__).resolve()), "--serve-baseline", str(port)],
                env,
                logs,
            )
        )
        try:
            if baseline is None:
                raise _Skip
            wait_http(f"http://127.0.0.1:{port}/healthz", proc=baseline)
            url = f"http://127.0.0.1:{port}/slack/events"
            phase("baseline: warm-up, closed loop (before any backlog), open loop")
            asyncio.run(closed_loop("warm-up", url, slack_url, 1, 2))
            one_at_a_time = asyncio.run(closed_loop("baseline", url, slack_url, 1, 5))
            ceiling = asyncio.run(closed_loop("baseline", url, slack_url, 8, 5))
            results.append(
                asyncio.run(open_loop("baseline", url, slack_url, args.rate, args.duration))
            )
            results += [one_at_a_time, ceiling]
        except _Skip:
            pass
        finally:
            if baseline is not None:
                baseline.stop(now=True)

        print(
            f"\nsigned '/ads report last 7 days', open loop at {args.rate:.0f} req/s for {args.duration:.0f} s, then closed loop (ceiling):"
        )
        for result in results:
            print(report(result))
        print(
            f"\n  queued: {queued.ok} acked → {rows} inbound_events rows, "
            f"{pending} jobs still waiting on 'high'{' (a worker was draining)' if args.with_worker else ' (no worker during the run)'}"
        )
        print(f"  queued: web process CPU per acked command {server_cpu * 1000:.2f} ms")
        target = "met" if queued.pct(99) < 50 else "NOT met"
        print(f"  target p99 < 50 ms at {args.rate:.0f} req/s: {target} ({queued.pct(99):.1f} ms)")
    finally:
        for proc in helpers:
            proc.stop()
        drop_database(db_name)
        redis.Redis.from_url(redis_url).flushdb()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

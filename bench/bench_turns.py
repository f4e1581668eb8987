"""Routine chat turns per worker process, and a burst's receipt → reply latency. Printed, not a test.

The production path: signed WhatsApp webhooks into the real app (``create_app``,
in this process), PostgreSQL (a scratch database), Redis, real ``mediabrain
worker`` subprocesses and the fake WhatsApp Cloud API on loopback. Every message
comes from its own linked number (one "ajuda" each, so per-user pacing never
holds a reply back).

1. **turns/s per worker process**: N messages are queued with no worker running,
   then ONE worker drains them; timed from its first reply to its last. Run twice
   in the same session: forking a work horse per job (``MEDIABRAIN_WORKER_INLINE_QUEUES=[]``,
   the old behaviour, the baseline) and inline (the default). Target: >= 30 turns/s.
2. **burst**: B messages posted as fast as the app takes them while 2 workers run;
   receipt (the webhook's ack) → reply (the Cloud API receives it), p50 / p95 / max.
   Target: p95 <= 10 s for 1,500 messages. Also printed: CPU per message in each part
   (workers, this process, PostgreSQL, Redis), how busy the cores were, the median latency
   by tenth of arrival, and Cloud API messages per reply: the business number sends 80 a
   second (``MEDIABRAIN_WHATSAPP_THROUGHPUT``'s default), so at two messages per reply no
   amount of CPU answers more than 40 people a second.

``--baseline REF`` (a git ref, e.g. ``main``) runs both measures twice in the same
session, workers from REF's tree first and from this one next, and prints the ratio
(instead of fork vs inline). The workspace's message bucket is opened wide so every
turn is a real "ajuda" turn, never the cheaper over-the-limit notice.

Run::

    .venv/bin/python bench/bench_turns.py                        # 300 turns, 1,500 burst
    .venv/bin/python bench/bench_turns.py --turns 100 --burst 300
    .venv/bin/python bench/bench_turns.py --baseline main --turns 200 --burst 1500

Needs PostgreSQL (``MEDIABRAIN_TEST_PG_URL``) and Redis (``--redis-db``, flushed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._harness import drop_database, pct, scratch_database  # noqa: E402  (after the path set-up)

REDIS_BASE = os.environ.get("MEDIABRAIN_TEST_REDIS_URL", "redis://127.0.0.1:6379")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM (RQ finishes its job), SIGKILL after 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> tuple[float, float]:
    """(busy, idle) seconds of every core so far (``/proc/stat``; iowait counts as idle)."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK"), idle / os.sysconf("SC_CLK_TCK")


def cpu_by_program(names: tuple[str, ...] = ("postgres", "redis-server")) -> dict[str, float]:
    """CPU seconds used so far by every process of each named program (the servers)."""
    total = dict.fromkeys(names, 0.0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
            if comm in total:
                total[comm] += cpu_seconds(int(entry.name))
        except (FileNotFoundError, ProcessLookupError):
            continue  # ended while being read
    return total


class Bench:
    def __init__(self, db_url: str, redis_url: str, tmp: Path) -> None:
        from cryptography.fernet import Fernet
        from fastapi.testclient import TestClient

        from mediabrain.bootstrap import prepare
        from mediabrain.runtime import build_runtime
        from mediabrain.web import create_app
        from storage.migrate import upgrade
        from tests.bot.whatsapp import payloads
        from tests.bot.whatsapp.fake_cloud import FakeCloudAPI
        from vocabulary.settings import Settings

        self.payloads = payloads
        self.cloud = FakeCloudAPI().start()
        self.tmp = tmp
        self.settings: dict[str, Any] = {
            "database_url": db_url,
            "redis_url": redis_url,
            "data_dir": str(tmp / "data"),
            "sandbox": "on",
            "meta_graph_url": "http://127.0.0.1:9",  # "ajuda" never reads Meta
            "log_level": "WARNING",
            "whatsapp_phone_id": payloads.PHONE_ID,
            "whatsapp_token": payloads.TOKEN,
            "whatsapp_app_secret": payloads.APP_SECRET,
            "whatsapp_verify_token": payloads.VERIFY_TOKEN,
            "whatsapp_api_url": self.cloud.url,
            "secret_key": Fernet.generate_key().decode(),  # required off SQLite
            "rate_turns_workspace": "1000000/1m",  # every turn answered, none refused
        }
        upgrade(db_url)
        self.rt = build_runtime(Settings(**self.settings))
        prepare(self.rt)
        self.client = TestClient(create_app(self.rt.settings, self.rt))
        self.numbers = 0

    def link(self, count: int) -> list[str]:
        from storage.models import Role
        from storage.repositories import DEFAULT_WORKSPACE, add_user, ensure_workspace

        numbers = [f"55119{self.numbers + i:08d}" for i in range(count)]
        self.numbers += count
        with self.rt.db.session() as session:
            workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
            for number in numbers:
                add_user(session, workspace, role=Role.VIEWER, whatsapp_number=number)
        return numbers

    def post(self, number: str) -> float:
        body, headers = self.payloads.signed(self.payloads.text(number, "ajuda"))
        response = self.client.post("/whatsapp/webhook", content=body, headers=headers)
        assert response.status_code == 200, response.text
        return time.monotonic()

    def worker(self, name: str, root: Path = ROOT, **extra: str) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIABRAIN_")}
        env.update({f"MEDIABRAIN_{k.upper()}": str(v) for k, v in self.settings.items()})
        env.update(extra)
        env["PYTHONPATH"] = str(root)
        log = (self.tmp / f"{name}.log").open("wb")
        return subprocess.Popen(
            [sys.executable, "-m", "mediabrain.cli", "worker"],
            env=env,
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def replies_to(self, numbers: set[str]) -> dict[str, float]:
        with self.cloud._lock:
            return {m.to: m.at for m in self.cloud.sent if m.to in numbers}

    def wait(self, numbers: set[str], timeout: float, enough: int = 0) -> dict[str, float]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.replies_to(numbers)
            if len(got) >= (enough or len(numbers)):
                return got
            time.sleep(0.05)
        return self.replies_to(numbers)

    def turns_per_second(
        self, count: int, mode: str, extra: dict[str, str], root: Path = ROOT
    ) -> float:
        numbers = self.link(count)
        for number in numbers:
            self.post(number)
        proc = self.worker(f"turns-{mode}", root, **extra)
        try:
            # CPU from its first reply on (start-up excluded): a figure the machine's load
            # hardly moves, unlike turns/s
            self.wait(set(numbers), timeout=300, enough=1)
            cpu_first = cpu_seconds(proc.pid)
            got = self.wait(set(numbers), timeout=300)
            cpu = cpu_seconds(proc.pid) - cpu_first
        finally:
            stop(proc)
        if len(got) < count:
            print(
                f"  {mode}: only {len(got)}/{count} answered; log:\n"
                + (self.tmp / f"turns-{mode}.log").read_text()[-3000:]
            )
        times = sorted(got.values())
        rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
        per_turn = 1000 * cpu / max(1, len(times) - 1)
        print(
            f"  {mode:<8} {len(times)} turns, {rate:6.1f} turns/s (first → last reply), "
            f"worker CPU {per_turn:.1f} ms/turn"
        )
        return rate

    def burst(self, count: int, workers: int, root: Path = ROOT, label: str = "") -> float:
        numbers = self.link(count)
        procs = [self.worker(f"burst{label}-{i}", root) for i in range(workers)]
        time.sleep(3.0)  # workers up
        try:
            servers_before = cpu_by_program()
            machine_before = machine_cpu()
            workers_before = sum(cpu_seconds(p.pid) for p in procs)
            here_before = time.process_time()
            started = time.monotonic()
            received = {number: self.post(number) for number in numbers}
            posting = time.monotonic() - started
            got = self.wait(set(numbers), timeout=600)
            here = time.process_time() - here_before
            workers_cpu = sum(cpu_seconds(p.pid) for p in procs) - workers_before
            servers = {k: v - servers_before[k] for k, v in cpu_by_program().items()}
            busy, idle = (a - b for a, b in zip(machine_cpu(), machine_before, strict=True))
        finally:
            for proc in procs:
                stop(proc)
        latency = [got[n] - received[n] for n in numbers if n in got]
        print(
            f"  {label or 'this'}: {count} messages posted in {posting:.1f}s "
            f"({count / posting:.0f}/s acked), {len(got)} answered, lost {count - len(got)}"
        )
        with self.cloud._lock:
            sends = sum(1 for m in self.cloud.sent if m.to in received)
        per_reply = sends / max(1, len(got))
        throughput = self.rt.settings.whatsapp_throughput  # the default, as Meta sets it
        print(
            f"  {label or 'this'}: {per_reply:.2f} Cloud API messages per reply; the number's "
            f"{throughput} messages/s let at most {throughput / per_reply:.0f} replies/s out"
        )
        each = 1000 / max(1, len(got))
        print(
            f"  {label or 'this'}: CPU per message: workers {workers_cpu * each:.1f} ms, "
            f"app + poster + fake Cloud API {here * each:.1f} ms, "
            f"PostgreSQL {servers['postgres'] * each:.1f} ms, "
            f"Redis {servers['redis-server'] * each:.1f} ms; "
            f"all cores busy {busy / (busy + idle):.0%} from the first post to the last reply"
        )
        tenth = max(1, len(numbers) // 10)
        by_arrival = [
            statistics.median(got[n] - received[n] for n in numbers[i : i + tenth] if n in got)
            for i in range(0, len(numbers), tenth)
        ]
        print(
            f"  {label or 'this'}: median latency by tenth of arrival: "
            + " ".join(f"{x:.1f}" for x in by_arrival)
        )
        p95 = pct(latency, 0.95)
        print(
            f"  {label or 'this'}: receipt → reply: p50 {statistics.median(latency):.2f}s  "
            f"p95 {p95:.2f}s  max {max(latency):.2f}s  (target p95 <= 10 s)"
        )
        return p95

    def close(self) -> None:
        self.client.close()
        self.rt.close()
        self.cloud.stop()


def baseline_tree(ref: str, into: Path) -> Path:
    """``ref``'s files (``git archive``), for workers running the code being compared against."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--burst", type=int, default=1500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis-db", type=int, default=9)
    parser.add_argument("--baseline", default="", help="a git ref to compare with, same run")
    args = parser.parse_args(argv)

    import redis

    redis_url = f"{REDIS_BASE}/{args.redis_db}"
    redis.Redis.from_url(redis_url).flushdb()
    db_url, db_name = scratch_database("mb_bench_turns")
    try:
        with tempfile.TemporaryDirectory(prefix="bench_turns_") as tmp:
            bench = Bench(db_url, redis_url, Path(tmp))
            try:
                print(f"1. routine turns, one worker process ({args.turns} 'ajuda' turns)")
                if args.baseline:
                    base = baseline_tree(args.baseline, Path(tmp) / "baseline")
                    before = bench.turns_per_second(args.turns, args.baseline, {}, base)
                else:
                    before = bench.turns_per_second(
                        args.turns, "fork", {"MEDIABRAIN_WORKER_INLINE_QUEUES": "[]"}
                    )
                inline = bench.turns_per_second(args.turns, "inline", {})
                ratio = inline / before if before else float("inf")
                versus = args.baseline or "fork"
                print(f"  inline / {versus}: {ratio:.1f}x   (target >= 30 turns/s per process)")
                print(f"2. burst of {args.burst} on {args.workers} workers (inline)")
                if args.baseline:
                    old_p95 = bench.burst(args.burst, args.workers, base, args.baseline)
                new_p95 = bench.burst(args.burst, args.workers)
                if args.baseline:
                    print(f"  p95 {args.baseline} / this: {old_p95 / new_p95:.1f}x")
            finally:
                bench.close()
    finally:
        drop_database(db_name)
        redis.Redis.from_url(redis_url).flushdb()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

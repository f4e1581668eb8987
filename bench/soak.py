"""Soak: thousands of signed, mixed webhooks at a steady rate while things break. Printed, not a test.

Everything is real and on loopback: ``mediabrain serve``, ``--workers`` ``mediabrain
worker`` processes and ``mediabrain scheduler`` (its sweeper, ``jobs/reconcile.py``,
runs every minute), the Meta sandbox (``mediabrain sandbox``), the fake Slack Web API
and the fake WhatsApp Cloud API (in this process, recording every reply), a scratch
PostgreSQL database reached through a loopback proxy, and a private ``redis-server``
with AOF (``appendfsync everysec``) on ``--redis-port``. The shared servers are never
stopped or stalled.

The people (``bench/_soak_traffic.py``): Slack slash commands, asks for a pause or a
resume whose approval card is then clicked (Approve: a write on the Meta sandbox),
WhatsApp texts and button replies, each from its own chat; ``--duplicates`` of the sends
re-send an earlier message (the platforms' retries). Faults, while the load goes on:

- at 25 % of the sends, one worker is SIGKILLed (with its work horse) and started again;
- at 50 %, Redis is SIGKILLed and started again (AOF replays what it had);
- at 75 %, PostgreSQL stalls for ``--stall`` seconds (the proxy forwards nothing).

A process that dies on its own is started again (as a process manager would) and named
in the output. After the last send the soak waits (``--drain``) for every answer.
Targets: 0 lost, 0 duplicated replies, 0 duplicated platform writes, every ack < 3 s.

Run::

    .venv/bin/python bench/soak.py --messages 1000 --rate 4     # a short one
    .venv/bin/python bench/soak.py                              # 10,000 at 8/s (~21 min)
"""

from __future__ import annotations

import argparse
import faulthandler
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

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
from bench._soak_report import refusal_notices, refused, report  # noqa: E402
from bench._soak_traffic import (  # noqa: E402
    SLACK_SECRET,
    SLACK_TOKEN,
    Campaign,
    Message,
    People,
    approver,
    now,
    operator,
    sign,
    whatsapp_number,
)
from tests.support.faults import PgProxy, RedisServer  # noqa: E402


def phase(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


class Soak:
    def __init__(self, args: argparse.Namespace, logs: Path) -> None:
        from tests.bot.slack.fake_slack import FakeSlack
        from tests.bot.whatsapp import payloads as wa
        from tests.bot.whatsapp.fake_cloud import FakeCloudAPI
        from tests.support.workers import worker_env

        self.args, self.logs = args, logs
        self.events: list[str] = []
        self.redis = RedisServer(logs / "redis", args.redis_port).start()
        self.db_url, self.db_name = scratch_database("mb_soak")
        self.proxy = PgProxy.before(self.db_url)
        self.slack = FakeSlack().start()
        self.cloud = FakeCloudAPI().start()
        self.sandbox_url = f"http://127.0.0.1:{free_port()}"
        self.settings: dict[str, Any] = {
            "database_url": self.proxy.url(self.db_url),
            "redis_url": self.redis.url,
            "data_dir": str(logs / "data"),
            "sandbox": "on",
            "meta_graph_url": self.sandbox_url,
            "log_level": "INFO",
            # One workspace carries the whole load: its message bucket (120/min) would answer
            # most turns with "over the limit" instead of running them.
            "rate_turns_workspace": "1000000/1m",
            "slack_bot_token": SLACK_TOKEN,
            "slack_signing_secret": SLACK_SECRET,
            "slack_api_url": self.slack.api_url,
            "whatsapp_phone_id": wa.PHONE_ID,
            "whatsapp_token": wa.TOKEN,
            "whatsapp_app_secret": wa.APP_SECRET,
            "whatsapp_verify_token": wa.VERIFY_TOKEN,
            "whatsapp_api_url": self.cloud.url,
        }
        self.env = worker_env(self.settings, drop=("SLACK_",))
        self.env.update({"CREWAI_DISABLE_TELEMETRY": "true", "OTEL_SDK_DISABLED": "true"})
        port_ = self.sandbox_url.rsplit(":", 1)[1]
        self.sandbox = Proc(
            "sandbox",
            mediabrain(
                "sandbox", "--port", port_, "--seed", "42", "--state-file", str(logs / "s.json")
            ),
            self.env,
            logs,
        )
        self.procs: dict[str, Any] = {}
        self.restarts = 0
        self.progress = float("inf")
        self._stop = threading.Event()

    # --- set-up ---------------------------------------------------------------------------
    def prepare(self) -> list[Campaign]:
        """Migrate, link the demo account, ask approval for every pause and resume, and
        register the people (operators and approvers for the asks, linked WhatsApp numbers)."""
        from mediabrain.bootstrap import prepare
        from mediabrain.runtime import build_runtime
        from storage.models import AdAccount, Role
        from storage.repositories import ensure_workspace, workspace_settings
        from tests.support.workers import TEST_SECRET_KEY
        from vocabulary.settings import Settings

        wait_http(f"{self.sandbox_url}/_sandbox/clock", proc=self.sandbox)
        subprocess.run(
            mediabrain("db", "upgrade"), env=self.env, cwd=ROOT, check=True, capture_output=True
        )
        direct = {**self.settings, "database_url": self.db_url, "secret_key": TEST_SECRET_KEY}
        rt = build_runtime(Settings(**direct))
        try:
            prepare(rt)
            with rt.db.session() as session:
                workspace = ensure_workspace(session)
                prefs = workspace_settings(session, workspace.id)
                prefs.policy = {**(prefs.policy or {}), "always_approve": ["pause", "resume"]}
                count = self.args.messages
                people = [
                    (Role.VIEWER, {"whatsapp_number": whatsapp_number(i)}) for i in range(count)
                ]
                for i in range(count // 5 + 10):  # asks are ~8 % of the messages
                    people.append((Role.OPERATOR, {"slack_user_id": operator(i)}))
                    people.append((Role.APPROVER, {"slack_user_id": approver(i)}))
                register(session, workspace.id, people)
            with rt.db.session() as session:
                account = session.query(AdAccount).one()
                session.expunge(account)
            campaigns = [
                Campaign(c.id, c.name, str(c.status))
                for c in rt.ads(account).list_campaigns(account.external_id)
                if str(c.status) in ("ACTIVE", "PAUSED")
            ]
        finally:
            rt.close()
        return campaigns

    # --- processes --------------------------------------------------------------------------
    def start(self) -> str:
        from tests.support.workers import WorkerProcess

        port = free_port()
        self.procs["serve"] = Proc(
            "serve", mediabrain("serve", "--port", str(port)), self.env, self.logs
        )
        for i in range(self.args.workers):
            self.procs[f"worker-{i}"] = WorkerProcess(self.env, self.logs / f"worker-{i}.log")
        self.procs["scheduler"] = Proc("scheduler", mediabrain("scheduler"), self.env, self.logs)
        url = f"http://127.0.0.1:{port}"
        wait_http(f"{url}/healthz", timeout=60, proc=self.procs["serve"])
        threading.Thread(target=self._supervise, name="supervise", daemon=True).start()
        return url

    def _restart(self, name: str) -> None:
        from tests.support.workers import WorkerProcess

        self.restarts += 1
        log = self.logs / f"{name}.{self.restarts}.log"
        if name.startswith("worker"):
            self.procs[name] = WorkerProcess(self.env, log)
        else:
            argv = self.procs[name].process.args
            self.procs[name] = Proc(f"{name}.{self.restarts}", list(argv), self.env, self.logs)

    def _supervise(self) -> None:
        """A process that exits on its own is started again, and named in the output."""
        while not self._stop.wait(1.0):
            for name, proc in list(self.procs.items()):
                code = proc.process.poll()
                if code is not None and not self._stop.is_set():
                    self.note(f"{name} exited on its own (code {code}); started again")
                    self._restart(name)

    def kill_worker(self) -> None:
        worker = self.procs["worker-0"]
        busy = self._until_busy(worker.process.pid)
        self.procs.pop("worker-0")  # the supervisor must not restart it at once
        worker.kill()
        self.note(f"worker-0 SIGKILLed (with its work horse) {'mid-job' if busy else 'idle'}")
        time.sleep(5)
        self.procs["worker-0"] = worker
        self._restart("worker-0")
        self.note("worker-0 started again")

    def _until_busy(self, pid: int, patience: float = 15.0) -> bool:
        """Wait (a while) for the worker to be in the middle of a job, so the kill loses one."""
        import redis

        client = redis.Redis.from_url(self.redis.url, decode_responses=True)
        deadline = now() + patience
        while now() < deadline:
            for key in client.smembers("rq:workers"):
                state = client.hmget(key, "pid", "state")
                if state[0] == str(pid) and state[1] == "busy":
                    return True
            time.sleep(0.005)
        return False

    def note(self, text: str) -> None:
        self.events.append(f"{time.strftime('%H:%M:%S')} {text}")
        phase(text)

    def close(self) -> None:
        self._stop.set()
        for proc in self.procs.values():
            proc.stop()
        self.sandbox.stop()
        self.slack.stop()
        self.cloud.stop()
        self.proxy.close()
        self.redis.stop()
        drop_database(self.db_name)

    # --- the load ---------------------------------------------------------------------------
    def run(self, url: str, people: People) -> None:
        import httpx

        args = self.args
        client = httpx.Client(base_url=url, timeout=30.0, limits=httpx.Limits(max_connections=256))
        pool = ThreadPoolExecutor(max_workers=256)
        faults = {
            int(args.messages * 0.25): self.kill_worker,
            int(args.messages * 0.50): self.restart_redis,
            int(args.messages * 0.75): self.stall_postgres,
        }
        threading.Thread(target=self._watch, args=(people,), daemon=True).start()
        self.progress = started = now()
        threading.Thread(target=self._watchdog, daemon=True).start()
        for slot in range(args.messages):
            time.sleep(max(0.0, started + slot / args.rate - now()))
            if slot in faults and not args.no_faults:
                threading.Thread(target=faults[slot], daemon=True).start()
            message = people.duplicate() if people.rng.random() < args.duplicates else None
            message = message or people.new()
            message.sends += 1
            if message.first_sent is None:
                message.first_sent = now()
            pool.submit(post, client, message)
            self.progress = now()
            if slot and slot % max(1, args.messages // 10) == 0:
                phase(f"{slot} sent")
        self.progress = float("inf")  # sent: the watchdog rests
        pool.shutdown(wait=True)
        client.close()
        self.sent_seconds = now() - started

    def _watchdog(self) -> None:
        """The sender stuck for 30 s: say where every thread is (once)."""
        while not self._stop.wait(5):
            if now() - self.progress > 30:
                phase("the sender made no progress for 30 s; every thread's stack:")
                faulthandler.dump_traceback(all_threads=True)
                return

    def restart_redis(self) -> None:
        away = self.redis.restart(down=1.0)
        self.note(f"redis-server SIGKILLed and started again ({away:.1f} s away)")

    def stall_postgres(self) -> None:
        self.note(f"PostgreSQL stalls for {self.args.stall:g} s")
        self.proxy.stall(self.args.stall)
        self.note("PostgreSQL flows again")

    def _watch(self, people: People) -> None:
        while not self._stop.wait(0.3):
            people.watch_cards(self.slack)
            people.free_campaigns(self.status_of)

    def status_of(self, campaign_id: str) -> str | None:
        import httpx

        try:
            answer = httpx.get(
                f"{self.sandbox_url}/v24.0/{campaign_id}",
                params={"fields": "status", "access_token": "soak"},
                timeout=5,
            )
            return str(answer.json()["status"])
        except Exception:
            return None

    def drain(self, people: People) -> None:
        notices = refusal_notices()
        deadline = now() + self.args.drain
        while now() < deadline:
            waiting = [
                m
                for m in people.messages
                if m.accepted_at and not m.answers() and not refused(m, notices)
            ]
            if not waiting:
                break
            phase(f"waiting for {len(waiting)} answers")
            time.sleep(5)
        time.sleep(5)  # a stray second answer would show up by now

    # --- the figures --------------------------------------------------------------------------
    def platform_writes(self) -> tuple[int, int, int]:
        """(approved changes executed, their writes on the sandbox, duplicated writes)."""
        import httpx
        from sqlalchemy import func, select

        from storage.db import Database
        from storage.models import Proposal

        writes = httpx.get(f"{self.sandbox_url}/_sandbox/stats", timeout=10).json()[
            "writes_by_path"
        ]
        db = Database(self.db_url)
        try:
            with db.session() as session:
                rows = session.execute(
                    select(Proposal.target_id, func.count())
                    .where(Proposal.state == "executed")
                    .group_by(Proposal.target_id)
                ).all()
        finally:
            db.dispose()
        executed = sum(n for _, n in rows)
        done = sum(writes.get(f"/{target}", 0) for target, _ in rows)
        extra = sum(max(0, writes.get(f"/{target}", 0) - n) for target, n in rows)
        return executed, done, extra

    def inbound_statuses(self) -> dict[str, int]:
        from sqlalchemy import func, select

        from storage.db import Database
        from storage.models import InboundEvent

        db = Database(self.db_url)
        try:
            with db.session() as session:
                rows = session.execute(
                    select(InboundEvent.status, func.count()).group_by(InboundEvent.status)
                ).all()
        finally:
            db.dispose()
        return {str(status): int(n) for status, n in rows}


def post(client: Any, message: Message) -> None:
    """One (re)send, timed from the request leaving to its ack."""
    import httpx

    headers = sign(message)
    sent = now()
    try:
        answer = client.post(message.path, content=message.body, headers=headers)
        status, text = str(answer.status_code), answer.text
    except httpx.TimeoutException:
        status, text = "timeout", ""
    except httpx.HTTPError as exc:
        status, text = type(exc).__name__, ""
    message.acks.append(now() - sent)
    message.statuses.append(status)
    message.ack_texts.append(text)
    if status == "200" and message.accepted_at is None:
        message.accepted_at = now()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--messages", type=int, default=10_000, help="webhooks to send, duplicates included"
    )
    parser.add_argument("--rate", type=float, default=8.0, help="webhooks per second")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duplicates", type=float, default=0.2, help="share of sends that re-send")
    parser.add_argument("--stall", type=float, default=10.0, help="seconds PostgreSQL stalls")
    parser.add_argument("--drain", type=float, default=420.0, help="seconds to wait for answers")
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-faults", action="store_true", help="the same load, nothing breaks")
    args = parser.parse_args(argv)

    logs = Path(tempfile.mkdtemp(prefix="mb-soak-"))
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # kill -USR1 <pid>: where is it?
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up on SIGTERM too
    soak = Soak(args, logs)
    try:
        phase("set-up: database, people, campaigns")
        campaigns = soak.prepare()
        people = People(soak.slack.response_url(""), campaigns, args.seed)
        soak.slack.on_call = people.on_slack
        soak.cloud.on_send.append(people.on_whatsapp)
        url = soak.start()
        # Meta posts a status for each accepted message, echoing its tag: what lets the sweeper
        # see a WhatsApp reply whose worker died before recording it (issue #14).
        soak.cloud.send_statuses(
            f"{url}/whatsapp/webhook", str(soak.settings["whatsapp_app_secret"])
        )
        phase(f"load: {args.messages} webhooks at {args.rate:g}/s on {len(campaigns)} campaigns")
        soak.run(url, people)
        phase("draining")
        soak.drain(people)
        ok = report(soak, people)
    finally:
        soak.close()
    return 0 if ok else 1


def register(session: Any, workspace_id: int, people: list[tuple[Any, dict[str, str]]]) -> None:
    """Users and their memberships in bulk (``add_user`` one by one takes minutes for 10,000)."""
    from storage.models import Membership, User

    users = [User(name=ids.get("slack_user_id", ""), **ids) for _, ids in people]
    session.add_all(users)
    session.flush()
    session.add_all(
        Membership(workspace_id=workspace_id, user_id=user.id, role=role.value)
        for user, (role, _) in zip(users, people, strict=True)
    )
    session.flush()


if __name__ == "__main__":
    raise SystemExit(main())

"""Where a routine turn's time goes: one worker drains N queued turns in this process.

The same production path as ``bench_turns.py`` (signed WhatsApp webhooks into the
real app, PostgreSQL, Redis, the fake Cloud API), but the worker runs here, in
burst mode, so cProfile sees it and SQLAlchemy events count what each turn costs:
SQL statements, commits and connection checkouts (a ping only for a connection idle past
``storage.db.PING_AFTER_IDLE_SECONDS``). Printed, not a test.

Run::

    .venv/bin/python bench/profile_turns.py --turns 200 --redis-db 10 [--top 40]
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._harness import drop_database, scratch_database  # noqa: E402  (after the path set-up)
from bench.bench_turns import REDIS_BASE, Bench  # noqa: E402


class Counts:
    """SQL statements (by their first words), commits and checkouts, via engine events."""

    def __init__(self) -> None:
        from sqlalchemy import Engine, event
        from sqlalchemy.pool import Pool

        self.statements: collections.Counter[str] = collections.Counter()
        self.commits = 0
        self.checkouts = 0
        self.where = ""
        self.shown = 0
        event.listen(Engine, "before_cursor_execute", self._statement)
        event.listen(Engine, "commit", self._commit)
        event.listen(Pool, "checkout", self._checkout)

    def _statement(self, conn, cursor, statement, params, context, executemany) -> None:  # type: ignore[no-untyped-def]
        words = " ".join(statement.split()[:4])
        self.statements[words[:60]] += 1
        if self.where and statement.startswith(self.where) and self.shown < 6:
            self.shown += 1
            import traceback

            frames = [f for f in traceback.extract_stack() if str(ROOT) in f.filename]
            print(
                f"--- {words}",
                *(f"  {f.filename[len(str(ROOT)) + 1 :]}:{f.lineno} {f.name}" for f in frames[-6:]),
                sep="\n",
            )

    def _commit(self, conn) -> None:  # type: ignore[no-untyped-def]
        self.commits += 1

    def _checkout(self, dbapi_conn, record, proxy) -> None:  # type: ignore[no-untyped-def]
        self.checkouts += 1

    def reset(self) -> None:
        self.statements.clear()
        self.commits = self.checkouts = self.shown = 0


class RedisCounts:
    """Redis round trips by command (a pipeline is one), counted by wrapping redis-py's client."""

    def __init__(self) -> None:
        import redis.client

        self.commands: collections.Counter[str] = collections.Counter()
        plain = redis.client.Redis.execute_command
        piped = redis.client.Pipeline.execute

        def execute_command(client, *args, **options):  # type: ignore[no-untyped-def]
            self.commands[str(args[0]).upper()] += 1
            return plain(client, *args, **options)

        def execute(pipe, *args, **options):  # type: ignore[no-untyped-def]
            names = "+".join(sorted({str(c[0][0]).upper() for c in pipe.command_stack}))
            self.commands[f"PIPELINE({names[:60]})"] += 1
            return piped(pipe, *args, **options)

        redis.client.Redis.execute_command = execute_command  # type: ignore[method-assign,assignment]
        redis.client.Pipeline.execute = execute  # type: ignore[method-assign,assignment]


BLOCKING = {
    "<method 'recv' of '_socket.socket' objects>",
    "<method 'acquire' of '_thread.lock' objects>",
    "<method 'poll' of 'select.epoll' objects>",
    "<built-in method time.sleep>",
    "<method 'sendall' of '_socket.socket' objects>",
    "<method 'send' of '_socket.socket' objects>",
    "<method 'connect' of '_socket.socket' objects>",
}


def _package(filename: str, name: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    if filename.startswith(str(ROOT)):
        return "mediabrain: " + filename[len(str(ROOT)) + 1 :].split("/", 1)[0]
    if filename == "~":
        return "builtins: " + name[:40]
    return "stdlib: " + Path(filename).name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--redis-db", type=int, default=9)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--where", default="", help="print where statements starting so come from")
    parser.add_argument(
        "--callers", default="", help="also print who calls functions matching this"
    )
    args = parser.parse_args(argv)

    import redis

    from mediabrain.worker import run_worker
    from vocabulary.settings import Settings

    redis_url = f"{REDIS_BASE}/{args.redis_db}"
    redis.Redis.from_url(redis_url).flushdb()
    db_url, db_name = scratch_database("mb_profile_turns")
    counts = Counts()
    counts.where = args.where
    rcounts = RedisCounts()
    try:
        with tempfile.TemporaryDirectory(prefix="profile_turns_") as tmp:
            bench = Bench(db_url, redis_url, Path(tmp))
            try:
                numbers = bench.link(args.turns)
                for number in numbers:
                    bench.post(number)
                # get_runtime() in the inline jobs builds this process's runtime from the env
                for key, value in bench.settings.items():
                    os.environ[f"MEDIABRAIN_{key.upper()}"] = str(value)
                counts.reset()
                rcounts.commands.clear()
                profile = cProfile.Profile()
                started = time.perf_counter()
                cpu = time.process_time()
                profile.enable()
                run_worker(Settings(**bench.settings), burst=True, queues=["high"])
                profile.disable()
                took = time.perf_counter() - started
                cpu = time.process_time() - cpu
                got = bench.replies_to(set(numbers))
            finally:
                bench.close()
    finally:
        drop_database(db_name)
        redis.Redis.from_url(redis_url).flushdb()
    n = max(1, len(got))
    print(
        f"{len(got)}/{args.turns} answered in {took:.1f}s: {len(got) / took:.1f} turns/s "
        f"in-process; worker CPU {cpu / n * 1000:.1f} ms/turn (load-independent-ish)"
    )
    total = sum(counts.statements.values())
    print(
        f"per turn: {total / n:.1f} SQL statements, {counts.commits / n:.1f} commits, "
        f"{counts.checkouts / n:.1f} connection checkouts (pinged only after a second idle)"
    )
    for words, count in counts.statements.most_common(20):
        print(f"  {count / n:5.2f}  {words}")
    print(f"per turn: {sum(rcounts.commands.values()) / n:.1f} Redis round trips")
    for name, count in rcounts.commands.most_common(25):
        print(f"  {count / n:5.2f}  {name}")
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    by_package: collections.Counter[str] = collections.Counter()
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        blocking = name in BLOCKING or "connection.py:479" in f"{filename}:{_line}"
        where = "waiting (I/O, locks)" if blocking else _package(filename, name)
        by_package[where] += row[2]  # tottime
    print("time by package (tottime, ms/turn):")
    for where, seconds in by_package.most_common(14):
        print(f"  {1000 * seconds / n:7.2f}  {where}")
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    if args.callers:
        stats.print_callers(args.callers)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

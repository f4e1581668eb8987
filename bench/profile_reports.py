"""Where a scheduled daily report's CPU goes: its jobs run in this process, one by one.

The same set-up as ``bench_reports.py`` (the Meta and Google Ads sandboxes in their own
process, a scratch PostgreSQL database, Redis, generated accounts with one console admin
each), but the history back-fill and every round of reports run here with the production
job function (``jobs.schedules.run_spec``), so the figures are CPU seconds of this process
and of the sandboxes per report, SQL statements, commits and connection checkouts per
report, and (``--profile``) a cProfile on CPU time. Each round moves the clock a day on,
so every report re-syncs its trailing days as in the fan-out. Printed, not a test.

Run::

    .venv/bin/python bench/profile_reports.py --accounts 20 --google 20 --rounds 3 --redis-db 10
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import pstats
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._report_world import call, sandbox_world, seed  # noqa: E402  (after the path set-up)


class Counts:
    """SQL statements, commits and pool checkouts (each one a ``pool_pre_ping``), via events."""

    def __init__(self) -> None:
        from sqlalchemy import Engine, event
        from sqlalchemy.pool import Pool

        self.statements: collections.Counter[str] = collections.Counter()
        self.commits = 0
        self.checkouts = 0
        event.listen(Engine, "before_cursor_execute", self._statement)
        event.listen(Engine, "commit", self._commit)
        event.listen(Pool, "checkout", self._checkout)

    def _statement(self, conn, cursor, statement, params, context, executemany) -> None:  # type: ignore[no-untyped-def]
        self.statements[" ".join(statement.split()[:5])[:70]] += 1

    def _commit(self, conn) -> None:  # type: ignore[no-untyped-def]
        self.commits += 1

    def _checkout(self, *_: Any) -> None:
        self.checkouts += 1

    def reset(self) -> None:
        self.statements.clear()
        self.commits = self.checkouts = 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=20, help="generated Meta accounts")
    parser.add_argument("--google", type=int, default=0, help="generated Google Ads accounts")
    parser.add_argument("--rounds", type=int, default=3, help="days of reports (first: warm-up)")
    parser.add_argument("--redis-db", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="cProfile the last rounds")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()

    from rq import Queue

    from jobs.schedules import JobSpec, Kind, prime, run_due, run_spec
    from mediabrain.runtime import build_runtime
    from vocabulary.runtime import set_runtime

    with sandbox_world("mb_profile_reports", args.accounts, args.google, args.redis_db) as world:
        url, accounts = world.url, world.accounts
        rt = build_runtime(world.settings)
        set_runtime(rt)
        seed(rt, accounts)
        prime(rt, rt.now() - timedelta(minutes=1))
        platform = dict((external, p) for p, external in accounts)

        def drain(kind: Kind) -> list[JobSpec]:
            run_due(rt, kinds=[kind])
            specs = []
            for queue in ("low", "default"):
                q = Queue(queue, connection=rt.redis)
                specs += [JobSpec.from_payload(job.args[0]) for job in q.jobs]
                q.empty()
            return [s for s in specs if s.unit.split(":")[-1] in platform]

        for spec in drain(Kind.SYNC):
            run_spec(rt, spec)
        print(f"history synced for {len(accounts)} accounts")
        counts = Counts()
        profiler = cProfile.Profile(time.process_time)
        for day in range(args.rounds):
            call(f"{url}/_sandbox/clock", "POST", advance_hours=3 if day == 0 else 24)
            specs = drain(Kind.REPORT)
            counts.reset()
            cpu, box = time.process_time(), world.sandbox_stats()[1]
            by_platform: dict[str, float] = collections.defaultdict(float)
            if args.profile and day > 0:
                profiler.enable()
            for spec in specs:
                started = time.process_time()
                run_spec(rt, spec)
                by_platform[platform[spec.unit.split(":")[-1]]] += time.process_time() - started
            profiler.disable()
            cpu, box = time.process_time() - cpu, world.sandbox_stats()[1] - box
            n = max(len(specs), 1)
            per = ", ".join(
                f"{p} {s / max(sum(1 for x in specs if platform[x.unit.split(':')[-1]] == p), 1) * 1000:.0f} ms"
                for p, s in sorted(by_platform.items())
            )
            print(
                f"round {day + 1}: {len(specs)} reports, CPU per report {cpu / n * 1000:.1f} ms here "
                f"({per}) + {box / n * 1000:.1f} ms in the sandboxes; per report "
                f"{sum(counts.statements.values()) / n:.1f} statements, "
                f"{counts.commits / n:.1f} commits, {counts.checkouts / n:.1f} checkouts"
            )
        for statement, count in counts.statements.most_common():
            print(f"  {count / n:5.1f}  {statement}")
        if args.profile:
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)
        rt.close()


if __name__ == "__main__":
    main()

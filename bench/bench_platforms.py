"""Meta and Google Ads side by side: upstream calls and time per account. Printed, not a test.

Both sandboxes serve one world (the demo accounts plus ``--accounts`` generated ones per
platform) on loopback; the product's own connectors read them: facebook-business over HTTP
for Meta, google-ads over gRPC + TLS (with an OAuth refresh) for Google.

1. **daily figures** (what the metrics sync and so the daily report read): every level's
   trailing days for one account, through ``insights_levels``. Target: ≤ 2 upstream calls
   per account on each platform (Meta: one batched Graph request).
2. **cross-platform report** (``relatório`` with both platforms linked): this period's and the
   previous period's campaign figures, the campaigns and the account's days, per account.

Printed per platform: upstream calls per account (mean, max), wall time per account (median),
and Google's time as a ratio of Meta's in the same run.

Run::

    .venv/bin/python bench/bench_platforms.py                 # 50 accounts per platform
    .venv/bin/python bench/bench_platforms.py --accounts 200
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ads.base import Period  # noqa: E402
from ads.factory import build_ads  # noqa: E402
from ads.google.factory import GoogleCredentials, build_google_ads  # noqa: E402
from ads.google.sandbox.server import start_google_sandbox  # noqa: E402
from ads.google.sandbox.tls import trust  # noqa: E402
from ads.sandbox import start_sandbox  # noqa: E402
from ads.sandbox.demo import create_demo_accounts  # noqa: E402
from ads.sandbox.state import SandboxState  # noqa: E402
from analytics.cross_platform import PlatformSource, fetch_cross_platform_report  # noqa: E402
from analytics.sync import LEVELS  # noqa: E402
from vocabulary.settings import Settings  # noqa: E402

START = datetime(2026, 11, 20, 18, tzinfo=UTC)


def measure(label: str, jobs: list, run) -> tuple[list[int], list[float]]:  # type: ignore[no-untyped-def]
    calls, times = [], []
    for connector, account_id in jobs:
        before = connector.network_calls
        started = time.perf_counter()
        run(connector, account_id)
        times.append(time.perf_counter() - started)
        calls.append(connector.network_calls - before)
    return calls, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=50, help="generated accounts per platform")
    args = parser.parse_args()

    from ads.sandbox.demo import populate_demo

    state = SandboxState(seed=42, start=START, seeder=populate_demo)
    meta_ids = create_demo_accounts(state, args.accounts, history_days=30)
    google_ids = create_demo_accounts(
        state, args.accounts, first_id=7_000_000_001, history_days=30, platform="google"
    )
    meta_server = start_sandbox(state=state)
    google_server = start_google_sandbox(state)
    trust(google_server.certificate_file)
    settings = Settings(meta_graph_url=meta_server.url, sandbox="on")
    today = START.date()
    window = Period(today - timedelta(days=7), today)
    report_period = Period(today - timedelta(days=7), today - timedelta(days=1))

    def meta() -> object:
        from ads.cache_backends import MemoryBackend

        return build_ads(settings, token="sandbox-token", backend=MemoryBackend())

    def google() -> object:
        return build_google_ads(
            GoogleCredentials("dev", "client", "secret", "refresh"),
            endpoint=google_server.endpoint,
            token_uri=google_server.token_uri,
        )

    meta_jobs = [(meta(), account_id) for account_id in meta_ids]
    google_jobs = [(google(), account_id.removeprefix("act_")) for account_id in google_ids]
    for connector, account_id in meta_jobs + google_jobs:  # currency, and Google's OAuth refresh
        connector.get_account(account_id)  # type: ignore[attr-defined]

    def daily(connector, account_id):  # type: ignore[no-untyped-def]
        connector.insights_levels(account_id, LEVELS, window, daily=True)

    def report(connector, account_id):  # type: ignore[no-untyped-def]
        label = "Google Ads" if connector.platform == "google" else "Meta"
        fetch_cross_platform_report(
            [PlatformSource(label, connector, account_id)], report_period, with_daily=True
        )

    print(f"accounts per platform: {args.accounts} (+ the demo accounts, not measured)")
    for title, run in (("daily figures, 4 levels, 8 days", daily), ("report reads", report)):
        print(f"\n{title}:")
        medians = {}
        for label, jobs in (("Meta", meta_jobs), ("Google Ads", google_jobs)):
            calls, times = measure(label, jobs, run)
            medians[label] = statistics.median(times)
            print(
                f"  {label:<10} upstream calls per account: mean {statistics.mean(calls):.2f}, "
                f"max {max(calls)} · median {medians[label] * 1000:.1f} ms per account"
            )
        print(f"  Google / Meta time per account: {medians['Google Ads'] / medians['Meta']:.2f}×")
    google_server.stop()
    meta_server.stop()


if __name__ == "__main__":
    main()

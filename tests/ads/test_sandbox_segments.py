"""The sandbox's breakdowns differ by segment, so personas have something real to find."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from ads.base import Level, Period
from ads.meta import MetaConnector
from ads.sandbox import DEMO_ACCOUNT_ID, SandboxServer
from analytics.alerts.personas import BreakdownRow, build_personas
from analytics.audience import DEMOGRAPHIC

START = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)


def test_age_by_gender_segments_really_differ_and_cluster_into_personas(
    make_sandbox: Callable[..., SandboxServer],
) -> None:
    server = make_sandbox(seed=5, start=START)
    meta = MetaConnector("t", graph_url=server.url, api_version="v24.0", sleep=lambda s: None)
    today = server.state.today(DEMO_ACCOUNT_ID)
    period = Period(today - timedelta(days=30), today - timedelta(days=1))
    rows = meta.insights(DEMO_ACCOUNT_ID, Level.ACCOUNT, period, breakdowns=DEMOGRAPHIC)
    total = sum(r.spend for r in rows)
    whole = meta.insights(DEMO_ACCOUNT_ID, Level.ACCOUNT, period)[0]
    assert total == whole.spend  # the segments add up to the account, to the centavo
    big = [r for r in rows if r.spend >= total / 20 and r.spend > 0]
    roas = sorted(r.revenue / r.spend for r in big)
    assert roas[-1] >= 2 * roas[0], roas
    segments = [
        BreakdownRow(
            int(r.spend), int(r.conversions), int(r.revenue),
            age=r.breakdown["age"], gender=r.breakdown["gender"],
            impressions=r.impressions, clicks=r.clicks,
        )
        for r in rows
    ]  # fmt: skip
    report = build_personas(segments)
    assert 3 <= len(report.personas) <= 5
    assert report.personas[0].roas is not None and report.personas[-1].roas is not None
    assert report.personas[0].roas > report.personas[-1].roas * 2

"""An async insights job that never finishes is submitted once more, then the report says
which figures are missing instead of failing (the Meta sandbox's async jobs, real SDK)."""

from __future__ import annotations

from datetime import date

import pytest

from ads.base import Level, Period
from ads.errors import IncompleteInsights
from ads.meta import MetaConnector
from ads.sandbox import DEMO_ACCOUNT_ID
from analytics.report import fetch_report
from bot.core.render import report_reply
from vocabulary.i18n import Locale

LONG = Period(date(2026, 8, 1), date(2026, 11, 19))  # daily over 111 days: an async job


def _meta(sandbox, sleeps: list[float]) -> MetaConnector:  # type: ignore[no-untyped-def]
    return MetaConnector(
        "t", graph_url=sandbox.url, api_version="v24.0", sleep=sleeps.append, max_poll_seconds=5
    )


def test_a_stuck_async_report_is_submitted_again_once(sandbox) -> None:  # type: ignore[no-untyped-def]
    sandbox.state.config.async_polls = 100  # never finishes within the poll budget
    with pytest.raises(IncompleteInsights):
        _meta(sandbox, []).insights(DEMO_ACCOUNT_ID, Level.ACCOUNT, LONG, daily=True)
    assert sandbox.stats.count("POST /{account}/insights") == 2  # the first and one resubmission


def test_a_report_whose_daily_series_never_comes_says_so(sandbox) -> None:  # type: ignore[no-untyped-def]
    sandbox.state.config.async_polls = 100
    report = fetch_report(_meta(sandbox, []), DEMO_ACCOUNT_ID, LONG, with_daily=True)
    assert report.incomplete == ("daily",)
    assert report.totals.impressions > 0  # the figures that came are shown
    text = report_reply(report, Locale("pt-BR")).text
    assert "Incompleto" in text and "série diária" in text

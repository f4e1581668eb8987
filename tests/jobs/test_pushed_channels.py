"""Pushed to Slack and WhatsApp (fake servers on loopback): the report with its chart, the alert.

WhatsApp's 24-hour window is closed for a scheduled push, so the report
arrives as the approved template filled from ``Reply.data``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jobs.schedules import run_due


def test_daily_report_and_budget_alert_reach_slack_and_whatsapp(make_pushed: Any) -> None:
    pushed = make_pushed(
        channel="C0REPORTS",
        number="5511988887777",
        kinds=("daily_report", "alerts"),
        monthly_limit=Decimal(4_000_000),  # R$ 40.000: past 80% this month
    )
    pushed.sandbox.advance_clock(hours=3)  # 18:00 in São Paulo
    run_due(pushed.rt)

    texts = " ".join(str(c.params.get("text", "")) for c in pushed.posts())
    assert "Relatório diário · 19 de nov. de 2026" in texts
    assert "Orçamento do mês" in texts
    assert pushed.slack.calls_to("files.completeUploadExternal"), "the chart is uploaded"

    templates = pushed.templates()
    names = [t["name"] for t in templates]
    assert "daily_report" in names and "budget_alert" in names
    report = templates[names.index("daily_report")]
    params = [p["text"] for c in report.get("components", []) for p in c.get("parameters", [])]
    assert params[0] == "Loja Aurora (demo)" and params[2].startswith("R$")

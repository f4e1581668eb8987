"""Pushed to Slack and WhatsApp (fake servers on loopback): the report with its chart, the alert.

WhatsApp's 24-hour window is closed for a scheduled push, so the report
arrives as the approved template filled from ``Reply.data``.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from jobs.schedules import prime, run_due
from storage.clock import utcnow
from storage.models import Conversation, Role, Subscription
from storage.repositories import add_user, ensure_workspace, workspace_settings
from tests.bot.slack.fake_slack import FakeSlack
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI

CHANNEL = "C0REPORTS"
NUMBER = "5511988887777"


def test_daily_report_and_budget_alert_reach_slack_and_whatsapp(
    make_runtime: Any, sandbox: Any
) -> None:
    cloud = FakeCloudAPI().start()
    try:
        with FakeSlack() as slack:
            rt = make_runtime(
                sandbox=sandbox,
                slack_bot_token="xoxb-test-token",
                slack_signing_secret="test-signing-secret",
                slack_api_url=slack.api_url,
                whatsapp_phone_id=payloads.PHONE_ID,
                whatsapp_token=payloads.TOKEN,
                whatsapp_app_secret=payloads.APP_SECRET,
                whatsapp_api_url=cloud.url,
            )
            with rt.db.session() as session:
                workspace = ensure_workspace(session)
                add_user(session, workspace, role=Role.ADMIN, whatsapp_number=NUMBER)
                prefs = workspace_settings(session, workspace.id)
                prefs.monthly_budget_limit = Decimal(4_000_000)  # R$ 40.000: past 80% this month
                for channel, chat, last in (
                    ("slack", CHANNEL, None),
                    ("whatsapp", NUMBER, utcnow() - timedelta(days=2)),  # window closed
                ):
                    conversation = Conversation(
                        workspace_id=workspace.id,
                        channel=channel,
                        chat_id=chat,
                        last_inbound_at=last,
                    )
                    session.add(conversation)
                    session.flush()
                    for kind in ("daily_report", "alerts"):
                        session.add(
                            Subscription(
                                workspace_id=workspace.id,
                                conversation_id=conversation.id,
                                kind=kind,
                                hour=18 if kind == "daily_report" else None,
                            )
                        )
            prime(rt)
            sandbox.advance_clock(hours=3)  # 18:00 in São Paulo
            run_due(rt)

            posts = [
                c for c in slack.calls_to("chat.postMessage") if c.params["channel"] == CHANNEL
            ]
            texts = " ".join(str(c.params.get("text", "")) for c in posts)
            assert "Relatório diário · 19 de nov. de 2026" in texts
            assert "Orçamento do mês" in texts
            assert slack.calls_to("files.completeUploadExternal"), "the chart is uploaded"

            sent = cloud.to(NUMBER)
            templates = [s.template for s in sent if s.template is not None]
            names = [t["name"] for t in templates]
            assert "daily_report" in names and "budget_alert" in names
            report = templates[names.index("daily_report")]
            params = [
                p["text"] for c in report.get("components", []) for p in c.get("parameters", [])
            ]
            assert params[0] == "Loja Aurora (demo)" and params[2].startswith("R$")
    finally:
        cloud.stop()

"""Smart alerts pushed to Slack and WhatsApp (fake servers on loopback): inject a CPM shock in
the sandbox, advance the clock; Slack gets one message with the chart, edited in place when it
recovers; WhatsApp (window closed) gets the alert template, then a short resolution."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from jobs.schedules import Kind, prime, run_due
from storage.clock import utcnow
from storage.models import Conversation, Role, Subscription
from storage.repositories import add_user, ensure_workspace
from tests.bot.slack.fake_slack import FakeSlack
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI

CHANNEL = "C0ALERTS"
NUMBER = "5511977776666"
DEMO = "act_1000000001"


def test_a_cpm_shock_reaches_slack_and_whatsapp_and_resolves(
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
                for channel, chat, last in (
                    ("slack", CHANNEL, None),
                    ("whatsapp", NUMBER, utcnow() - timedelta(days=2)),  # window closed
                ):
                    conversation = Conversation(
                        workspace_id=workspace.id, channel=channel, chat_id=chat,
                        last_inbound_at=last,
                    )  # fmt: skip
                    session.add(conversation)
                    session.flush()
                    session.add(
                        Subscription(
                            workspace_id=workspace.id, conversation_id=conversation.id,
                            kind="alerts",
                        )
                    )  # fmt: skip
            prime(rt)

            def hourly(hours: int) -> None:
                for _ in range(hours):
                    sandbox.advance_clock(hours=1)
                    run_due(rt, kinds=[Kind.ALERTS])

            hourly(4 * 24)
            assert not slack.calls_to("chat.postMessage")  # four quiet days
            sandbox.inject_incident(DEMO, "cpm_shock", hours=4, magnitude=2.0)
            hourly(2)

            [post] = [
                c for c in slack.calls_to("chat.postMessage") if c.params["channel"] == CHANNEL
            ]
            assert "CPM em alta" in post.params["text"] and "/dia em jogo" in post.params["text"]
            assert slack.calls_to("files.completeUploadExternal"), "the chart is uploaded"
            [template] = [s.template for s in cloud.to(NUMBER) if s.template is not None]
            assert template["name"] == "budget_alert"  # the approved generic alert template
            [text] = [p["text"] for c in template["components"] for p in c["parameters"]]
            assert "CPM em alta" in text

            hourly(8)  # over after 4 hours; resolved after two quiet runs
            assert len(slack.calls_to("chat.postMessage")) == 1  # no new message in Slack...
            [edit] = slack.calls_to("chat.update")  # ...the alert itself says it is over
            assert "Resolvido" in edit.params["text"]
            # WhatsApp cannot edit: a second, short message says it recovered.
            templates = [s.template for s in cloud.to(NUMBER) if s.template is not None]
            assert len(templates) == 2
            assert "Resolvido" in templates[-1]["components"][0]["parameters"][0]["text"]
    finally:
        cloud.stop()

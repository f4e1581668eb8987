"""A runtime whose pushes reach Slack and WhatsApp (fake servers on loopback).

One admin; a Slack channel and a WhatsApp number, each subscribed to the kinds
asked for (WhatsApp's 24-hour window closed, so pushes arrive as templates).
Shared by the tests of pushed reports and alerts (``make_pushed`` fixture in
``tests/jobs/conftest.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from jobs.schedules import Kind, prime, run_due
from storage.clock import utcnow
from storage.models import Conversation, Role, Subscription
from storage.repositories import add_user, ensure_workspace, workspace_settings
from tests.bot.slack.fake_slack import FakeSlack
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI
from vocabulary.runtime import Runtime


@dataclass
class Pushed:
    rt: Runtime
    sandbox: Any
    slack: FakeSlack
    cloud: FakeCloudAPI
    channel: str
    number: str
    workspace_id: int

    def posts(self) -> list[Any]:
        """Slack messages posted to the channel."""
        return [
            c
            for c in self.slack.calls_to("chat.postMessage")
            if c.params["channel"] == self.channel
        ]

    def templates(self) -> list[dict[str, Any]]:
        """WhatsApp templates sent to the number."""
        return [s.template for s in self.cloud.to(self.number) if s.template is not None]

    def hourly(self, hours: int) -> None:
        """Advance the sandbox hour by hour; the scheduler fans out the smart-alerts job each time."""
        for _ in range(hours):
            self.sandbox.advance_clock(hours=1)
            run_due(self.rt, kinds=[Kind.ALERTS])


def build_pushed(
    make_runtime: Callable[..., Runtime],
    sandbox: Any,
    slack: FakeSlack,
    cloud: FakeCloudAPI,
    *,
    channel: str,
    number: str,
    kinds: Iterable[str] = ("alerts",),
    monthly_limit: Decimal | None = None,
    target_roas: Decimal | None = None,
) -> Pushed:
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
        add_user(session, workspace, role=Role.ADMIN, whatsapp_number=number)
        prefs = workspace_settings(session, workspace.id)
        prefs.monthly_budget_limit = monthly_limit
        prefs.target_roas = target_roas
        for kind_of_chat, chat, last in (
            ("slack", channel, None),
            ("whatsapp", number, utcnow() - timedelta(days=2)),  # window closed
        ):
            conversation = Conversation(
                workspace_id=workspace.id, channel=kind_of_chat, chat_id=chat, last_inbound_at=last
            )
            session.add(conversation)
            session.flush()
            for kind in kinds:
                session.add(
                    Subscription(
                        workspace_id=workspace.id,
                        conversation_id=conversation.id,
                        kind=kind,
                        hour=18 if kind == "daily_report" else None,
                    )
                )
        workspace_id = workspace.id
    prime(rt)
    return Pushed(rt, sandbox, slack, cloud, channel, number, workspace_id)

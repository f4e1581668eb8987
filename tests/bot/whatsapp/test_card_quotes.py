"""WhatsApp: an injected agent's reason on an interactive card is a quotation, no live link."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from mediabrain.web import create_app
from storage.models import User
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.conftest import ANA, link
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI
from tests.support.injection import assert_quoted, injected_proposal


def test_a_fake_approval_in_an_agents_reason_stays_quoted_on_whatsapp(
    wa_runtime: Any, fake_cloud: FakeCloudAPI, sandbox: Any, sqlite_url: str
) -> None:
    rt = wa_runtime(sandbox=sandbox, database_url=sqlite_url)
    link(rt, ANA, "operator")
    client = TestClient(create_app(rt.settings, rt))
    body, headers = payloads.signed(payloads.text(ANA, "analise minhas campanhas"))
    assert client.post("/whatsapp/webhook", content=body, headers=headers).status_code == 200
    fake_cloud.wait_for(lambda sent: len(sent) > 0, timeout=30)  # inside the 24-hour window now
    with rt.db.session() as session:
        ana = session.scalars(select(User).where(User.whatsapp_number == ANA)).one()
    injected_proposal(rt, "whatsapp", ANA, ana.id)

    fake_cloud.wait_for(lambda sent: any(m.type == "interactive" for m in sent), timeout=30)
    (card,) = [m for m in fake_cloud.to(ANA) if m.type == "interactive"]
    assert [title for title, _ in card.buttons] == ["Aprovar", "Rejeitar"]
    assert_quoted(card.text)

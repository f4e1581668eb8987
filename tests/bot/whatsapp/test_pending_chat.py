"""Issue 15 on WhatsApp: the open requests reached by typing, as on every channel."""

from __future__ import annotations

from fastapi.testclient import TestClient

from mediabrain.web import create_app
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.conftest import ANA, link
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI
from tests.support.waiting import eventually

URL = "/whatsapp/webhook"
PROMO = "120210000000000037"


def typed(client: TestClient, fake: FakeCloudAPI, text: str, until: str) -> str:
    """Ana types ``text``; what the bot sent her since, once it includes ``until``."""
    before = len(fake.to(ANA))
    body, headers = payloads.signed(payloads.text(ANA, text))
    assert client.post(URL, content=body, headers=headers).status_code == 200

    def said() -> str | None:
        text = "\n".join(m.text for m in fake.to(ANA)[before:])
        return text if until in text else None

    return eventually(said, timeout=30, what=until)


def test_pending_and_approve_by_number_over_whatsapp(
    wa_runtime, sandbox, fake_cloud, sqlite_url
) -> None:  # type: ignore[no-untyped-def]
    rt = wa_runtime(sandbox=sandbox, database_url=sqlite_url)
    link(rt, ANA, "approver")
    client = TestClient(create_app(rt.settings, rt))

    typed(client, fake_cloud, "pausar promo relâmpago", "Aprovação necessária")
    listed = typed(client, fake_cloud, "pendentes", "*Pedidos esperando decisão (1)*")
    assert "1. pausar a campanha “Promo Relâmpago - Stories” · expira em" in listed
    assert "aprovar 1" in listed
    typed(client, fake_cloud, "aprovar 1", "Feito na conta Meta")
    assert sandbox.state.campaign(PROMO).status == "PAUSED"
    undoable = typed(client, fake_cloud, "pending", "Mudanças que ainda dá para desfazer (1)")
    assert "1. pausar a campanha “Promo Relâmpago - Stories” · desfazer até" in undoable
    typed(client, fake_cloud, "desfazer 1", "Ação: ativar a campanha")
    eventually(lambda: sandbox.state.campaign(PROMO).status == "ACTIVE", timeout=30, what="undo")

"""An A/B test on WhatsApp: asked in a message, and each day's card arrives as a new message
(WhatsApp cannot edit a sent message), with its chart."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

import jobs.experiments  # noqa: F401  (its statistics load here, not in a pool thread)
from jobs import runs
from jobs.schedules import Kind, run_due
from mediabrain.web import create_app
from storage.models import Experiment, Proposal
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.conftest import ANA, link
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI
from tests.support.waiting import eventually

URL = "/whatsapp/webhook"


def _send(client: TestClient, text: str) -> None:
    body, headers = payloads.signed(payloads.text(ANA, text))
    assert client.post(URL, content=body, headers=headers).status_code == 200


def test_a_test_on_whatsapp_sends_a_new_card_each_day(
    wa_runtime, sandbox, fake_cloud: FakeCloudAPI, sqlite_url
) -> None:  # type: ignore[no-untyped-def]
    rt = wa_runtime(sandbox=sandbox, database_url=sqlite_url)
    link(rt, ANA, "admin")
    client = TestClient(create_app(rt.settings, rt))
    _send(client, 'teste A/B no remarketing: "Frete grátis hoje" vs "Só até domingo"')

    def texts() -> str:
        return "\n".join(m.text for m in fake_cloud.to(ANA))

    eventually(lambda: "Efeito mínimo detectável" in texts(), timeout=90, what="the design card")

    def executed(key: str) -> bool:
        with rt.db.session() as session:
            row = session.scalars(select(Experiment)).first()
            pid = (row.proposals or {}).get(key) if row else None
            return bool(pid) and session.get(Proposal, pid).state == "executed"  # type: ignore[union-attr]

    eventually(lambda: executed("setup"), timeout=60, what="the paused draft created")
    _send(client, "iniciar teste 1")
    eventually(lambda: executed("start"), timeout=60, what="the test started")
    eventually(lambda: "primeiro resultado em" in texts(), timeout=60, what="the start card")

    def cards() -> int:
        return sum("Teste #1" in m.text for m in fake_cloud.to(ANA))

    before = len(fake_cloud.to(ANA))
    for day in (1, 2, 3):  # each morning's run sends its own new card (never an edit)
        seen = cards()
        sandbox.advance_clock(days=1)
        run_due(rt, kinds=[Kind.EXPERIMENTS])
        eventually(lambda seen=seen: cards() > seen, timeout=60, what=f"day {day}'s card")  # type: ignore[misc]
    assert "Teste em andamento: dia 1 de 14." in texts()
    assert "Teste em andamento: dia 2 de 14." in texts()
    eventually(
        lambda: any("image" in str(m.payload) for m in fake_cloud.to(ANA)[before:]),
        timeout=30,
        what="the chart as an image",
    )
    eventually(
        lambda: all(r.status == runs.DONE for r in runs.records(rt.db, "experiments-daily:")),
        what="the daily runs finished",
    )

"""Issue 13, hole 6: a flood of requests is rate limited at the door and before the crew.

Each test is the attacker's request: signed WhatsApp webhooks (pywa) as fast as a
script sends them, real Redis (the buckets are a Lua script) and real RQ queues.
"""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from rq import Queue, SimpleWorker
from sqlalchemy import func, select

from mediabrain.web import create_app
from storage.models import CrewRun, InboundEvent
from storage.repositories import DEFAULT_WORKSPACE, get_workspace, workspace_settings
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.conftest import ANA, link

pytestmark = [pytest.mark.redis, pytest.mark.postgres]
URL = "/whatsapp/webhook"
COPY = "escreva copy para a Black Friday da loja, 2 variações"


def _flood(client: TestClient, number: str, text: str, count: int) -> float:
    """``count`` signed messages from ``number``, back to back; returns the seconds taken."""
    bodies = [payloads.signed(payloads.text(number, text)) for _ in range(count)]
    started = time.monotonic()
    for body, headers in bodies:
        assert client.post(URL, content=body, headers=headers).status_code == 200
    return time.monotonic() - started


def test_twelve_crew_requests_in_a_burst_start_at_most_the_burst(
    wa_runtime, sandbox, fake_cloud, pg_url, redis_url
) -> None:
    rt = wa_runtime(
        sandbox=sandbox,
        database_url=pg_url,
        redis_url=redis_url,
        llm_model="openai/scripted-crew",
        rate_turns_person="100/1m",  # this test is about the crew's bucket
        rate_crew_person="3/10m",
    )
    link(rt, ANA, "operator")
    client = TestClient(create_app(rt.settings, rt))

    took = _flood(client, ANA, COPY, 12)
    assert took < 5  # the webhook only stores and queues
    assert Queue("high", connection=rt.redis).count == 12
    SimpleWorker(["high"], connection=rt.redis).work(burst=True)  # the turns, as a worker runs them

    crew = Queue("crew", connection=rt.redis)
    assert crew.count == 3  # the burst; the other nine queued nothing for the crew
    assert Queue("default", connection=rt.redis).count == 0  # not beside the reports
    with rt.db.session() as session:
        assert session.scalar(select(func.count()).select_from(CrewRun)) == 3
    texts = [m.text for m in fake_cloud.to(ANA)]
    refused = [t for t in texts if t.startswith("Você já pediu várias análises")]
    assert len(refused) == 1  # told once, not nine times
    assert "o próximo pedido pode ser feito em" in refused[0] and "min" in refused[0]


def test_a_message_flood_is_cut_at_the_door_and_told_once(
    wa_runtime, sandbox, fake_cloud, pg_url, redis_url
) -> None:
    rt = wa_runtime(
        sandbox=sandbox, database_url=pg_url, redis_url=redis_url, rate_turns_person="5/1m"
    )
    link(rt, ANA, "viewer")
    client = TestClient(create_app(rt.settings, rt))

    _flood(client, ANA, "campanhas", 12)

    assert Queue("high", connection=rt.redis).count == 5
    with rt.db.session() as session:
        assert session.scalar(select(func.count()).select_from(InboundEvent)) == 5
    notices = [m.text for m in fake_cloud.to(ANA)]
    assert len(notices) == 1
    assert notices[0].startswith("Recebi muitas mensagens suas em pouco tempo")


def test_the_daily_llm_cap_is_set_by_an_admin_shown_and_enforced(
    wa_runtime, sandbox, fake_cloud, pg_url, redis_url
) -> None:
    from crews.usage import record_usage

    rt = wa_runtime(
        sandbox=sandbox, database_url=pg_url, redis_url=redis_url, llm_model="openai/gpt-4o-mini"
    )
    link(rt, ANA, "admin")
    client = TestClient(create_app(rt.settings, rt))

    def say(text: str) -> str:
        before = len(fake_cloud.to(ANA))
        _flood(client, ANA, text, 1)
        SimpleWorker(["high"], connection=rt.redis).work(burst=True)
        return "\n".join(m.text for m in fake_cloud.to(ANA)[before:])

    assert say("limite de uso do LLM 200.000 tokens") == (
        "Pronto: Limite diário de uso do LLM (tokens) agora é 200.000 tokens."
    )
    with rt.db.session() as session:
        workspace_id = get_workspace(session, DEFAULT_WORKSPACE).id
        assert workspace_settings(session, workspace_id).llm_daily_tokens == 200_000
    # The crew really used 150k + 60k tokens today (what the LLM reported).
    record_usage(
        rt,
        workspace_id=workspace_id,
        conversation_id=None,
        flow="analyse",
        prompt_variant="default",
        model="openai/gpt-4o-mini",
        prompt_tokens=150_000,
        completion_tokens=60_000,
    )
    usage = say("uso")
    assert "Hoje: 210.000 tokens de 200.000 tokens (limite diário)." in usage

    refused = say(COPY)
    assert refused.startswith("O limite diário de uso do LLM deste workspace foi atingido")
    assert Queue("crew", connection=rt.redis).count == 0

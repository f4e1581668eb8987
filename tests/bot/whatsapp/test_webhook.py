"""The webhook through the real web app: verification, signatures, dedupe, translation to Inbound."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from rq import Queue
from sqlalchemy import select

from mediabrain.web import create_app
from storage.models import InboundEvent
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.conftest import ANA, STRANGER
from vocabulary.runtime import Runtime

URL = "/whatsapp/webhook"


def _client(rt: Runtime) -> TestClient:
    return TestClient(create_app(rt.settings, rt))


def _events(rt: Runtime) -> list[InboundEvent]:
    with rt.db.session() as session:
        return list(session.scalars(select(InboundEvent).order_by(InboundEvent.id)))


def _jobs(rt: Runtime) -> int:
    return Queue("high", connection=rt.redis).count


def _post(client: TestClient, payload: dict, *, secret: str = payloads.APP_SECRET):  # type: ignore[no-untyped-def]
    body, headers = payloads.signed(payload, secret)
    return client.post(URL, content=body, headers=headers)


def test_verify_token_challenge(wa_runtime, sqlite_url) -> None:
    client = _client(wa_runtime(database_url=sqlite_url))
    ok = client.get(
        URL,
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": payloads.VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
    )
    assert ok.status_code == 200
    assert ok.text == "1158201444"
    wrong = client.get(
        URL, params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}
    )
    assert wrong.status_code == 403
    assert "1" not in wrong.text


def test_missing_or_bad_signature_is_refused_and_nothing_enqueued(
    wa_runtime, pg_url, redis_url
) -> None:
    rt = wa_runtime(database_url=pg_url, redis_url=redis_url)
    client = _client(rt)
    body, headers = payloads.signed(payloads.text(ANA, "relatório"))

    missing = client.post(URL, content=body, headers={"Content-Type": "application/json"})
    forged = _post(client, payloads.text(ANA, "relatório"), secret="not-the-app-secret")
    tampered = client.post(URL, content=body.replace(b"relat", b"pausa"), headers=headers)

    assert missing.status_code == 401
    assert forged.status_code == 403
    assert tampered.status_code == 403
    assert _events(rt) == []
    assert _jobs(rt) == 0
    assert rt.redis.keys("mb:dedupe:*") == []


def test_a_text_message_is_persisted_and_queued_once(wa_runtime, pg_url, redis_url) -> None:
    rt = wa_runtime(database_url=pg_url, redis_url=redis_url)
    client = _client(rt)
    payload = payloads.text(ANA, "relatório da semana", message_id="wamid.ONE", name="Ana Lima")

    first = _post(client, payload)
    again = _post(client, payload)  # WhatsApp redelivers when unsure

    assert first.status_code == again.status_code == 200
    events = _events(rt)
    assert len(events) == 1
    assert _jobs(rt) == 1
    stored = events[0].payload
    assert (events[0].platform, events[0].event_key) == ("whatsapp", "wamid.ONE")
    assert stored["text"] == "relatório da semana"
    assert stored["chat_id"] == stored["user_id"] == ANA
    assert stored["user_name"] == "Ana Lima"
    assert stored["received_at"].endswith("+00:00")


@pytest.mark.parametrize("flush_redis", [True, False], ids=["redis-flushed", "redis-kept"])
def test_same_message_after_a_restart_is_not_queued_again(
    wa_runtime, db_url, redis_url, flush_redis
) -> None:
    payload = payloads.text(ANA, "campanhas", message_id="wamid.RESTART")
    rt = wa_runtime(database_url=db_url, redis_url=redis_url)
    assert _post(_client(rt), payload).status_code == 200
    assert _jobs(rt) == 1
    rt.queue.redis.delete(*rt.redis.keys("rq:*"))  # the worker took the job meanwhile
    if flush_redis:
        rt.redis.flushdb()

    restarted = wa_runtime(
        database_url=db_url, redis_url=redis_url
    )  # new app + runtime, same stores
    assert _post(_client(restarted), payload).status_code == 200

    assert len(_events(restarted)) == 1
    assert _jobs(restarted) == 0


def test_clicks_become_actions_and_other_media_asks_for_text(
    wa_runtime, sqlite_url, redis_url
) -> None:
    rt = wa_runtime(database_url=sqlite_url, redis_url=redis_url)
    client = _client(rt)
    proposal = "0b6f5f7e-6d0c-4a53-9a55-8a1f0e0c2f11"

    _post(client, payloads.button_click(ANA, f"approval.approve|{proposal}"))
    _post(client, payloads.list_choice(ANA, "command|campanhas", "Campanhas"))
    _post(client, payloads.template_button(ANA, f"approval.reject|{proposal}", "Rejeitar"))
    _post(client, payloads.image(ANA))
    _post(client, payloads.image(ANA, caption="relatório"))

    stored = [event.payload for event in _events(rt)]
    assert [s["action"] for s in stored] == [
        {"name": "approval.approve", "value": proposal},
        {"name": "command", "value": "campanhas"},
        {"name": "approval.reject", "value": proposal},
        {"name": "whatsapp.unsupported", "value": "image"},
        None,
    ]
    assert stored[-1]["text"] == "relatório"
    assert _jobs(rt) == 5


def test_a_batched_update_queues_every_message(wa_runtime, sqlite_url, redis_url) -> None:
    rt = wa_runtime(database_url=sqlite_url, redis_url=redis_url)
    batch = payloads.batch(
        payloads.text(ANA, "ajuda", message_id="wamid.B1"),
        payloads.text(STRANGER, "oi", message_id="wamid.B2", name="Carla"),
    )
    assert _post(_client(rt), batch).status_code == 200
    assert [(e.event_key, e.payload["chat_id"]) for e in _events(rt)] == [
        ("wamid.B1", ANA),
        ("wamid.B2", STRANGER),
    ]


def test_updates_for_another_phone_number_are_ignored(wa_runtime, sqlite_url, redis_url) -> None:
    rt = wa_runtime(database_url=sqlite_url, redis_url=redis_url)
    payload = payloads.text(ANA, "relatório")
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"
    assert _post(_client(rt), payload).status_code == 200
    assert _events(rt) == []


def test_a_malformed_body_is_a_bad_request(wa_runtime, sqlite_url) -> None:
    client = _client(wa_runtime(database_url=sqlite_url))
    body = b"{not json"
    import hashlib
    import hmac

    signature = hmac.new(payloads.APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = client.post(
        URL, content=body, headers={"X-Hub-Signature-256": f"sha256={signature}"}
    )
    assert response.status_code == 400


def test_queue_down_tells_the_user_and_keeps_nothing(wa_runtime, fake_cloud, pg_url) -> None:
    rt = wa_runtime(database_url=pg_url, redis_url="redis://127.0.0.1:1/0")
    response = _post(_client(rt), payloads.text(ANA, "relatório", message_id="wamid.DOWN"))

    assert response.status_code == 200
    assert _events(rt) == []
    [told] = fake_cloud.wait_for(lambda sent: len(sent) >= 1, timeout=10)
    assert told.to == ANA
    assert "fila indisponível" in told.text


def test_a_message_refused_twice_is_told_once_and_accepted_once_the_queue_is_back(
    wa_runtime, fake_cloud, pg_url, redis_url
) -> None:
    """Meta redelivers a message our 200 did not reach in time: during a Redis outage both
    copies are refused, and the person is told once (the soak saw the notice twice)."""
    down = wa_runtime(database_url=pg_url, redis_url="redis://127.0.0.1:1/0")
    client = _client(down)
    message = payloads.text(ANA, "relatório", message_id="wamid.TWICE")
    assert _post(client, message).status_code == 200
    fake_cloud.wait_for(lambda sent: len(sent) >= 1, timeout=10)
    assert _post(client, message).status_code == 200  # the redelivery, queue still away
    other = payloads.text(ANA, "contas", message_id="wamid.OTHER")
    assert _post(client, other).status_code == 200  # another message: told too
    told = fake_cloud.wait_for(lambda sent: len(sent) >= 2, timeout=10)
    assert [m.text.count("fila indisponível") for m in told] == [1, 1]
    assert _events(down) == []

    back = wa_runtime(database_url=pg_url, redis_url=redis_url)  # the queue is back
    assert _post(_client(back), message).status_code == 200
    assert [e.event_key for e in _events(back)] == ["wamid.TWICE"]
    assert len(fake_cloud.sent) == 2  # no third notice


def test_whatsapp_enabled_without_app_secret_refuses_to_start(wa_runtime, sqlite_url) -> None:
    from mediabrain.web import ConfigurationError

    rt = wa_runtime(database_url=sqlite_url, whatsapp_app_secret=None)
    with pytest.raises(ConfigurationError):
        create_app(rt.settings, rt)


def test_signature_check_uses_the_exact_bytes(wa_runtime, sqlite_url, redis_url) -> None:
    """Re-serialized JSON (same content, other bytes) does not pass."""
    rt = wa_runtime(database_url=sqlite_url, redis_url=redis_url)
    payload = payloads.text(ANA, "relatório")
    _, headers = payloads.signed(payload)
    respaced = json.dumps(payload, indent=2).encode()
    assert _client(rt).post(URL, content=respaced, headers=headers).status_code == 403
    assert _events(rt) == []


def test_the_web_process_with_whatsapp_never_imports_crewai_or_matplotlib(tmp_path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from vocabulary.settings import Settings; from mediabrain.web import create_app;"
        f"create_app(Settings(data_dir={str(tmp_path)!r}, sandbox='off', whatsapp_phone_id='1',"
        " whatsapp_token='t', whatsapp_app_secret='s', whatsapp_verify_token='v',"
        " whatsapp_api_url='http://127.0.0.1:9'));"
        "import bot.whatsapp.sender, bot.whatsapp.status;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('crewai', 'matplotlib', 'litellm', 'numpy', 'scipy', 'statsmodels', 'sklearn')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_database_down_hands_the_message_to_redis_instead_of_losing_it(
    wa_runtime, fake_cloud, sqlite_url, redis_url
) -> None:
    """The web's database is gone: the event itself is queued; the worker will store it."""
    from storage.db import Database

    rt = wa_runtime(database_url=sqlite_url, redis_url=redis_url)
    client = _client(rt)
    gone = Database("postgresql://postgres@127.0.0.1:1/gone")  # the database goes away
    rt.db = rt.ack_db = gone

    assert _post(client, payloads.text(ANA, "relatório")).status_code == 200
    assert _jobs(rt) == 1
    [job] = Queue("high", connection=rt.redis).get_jobs()
    assert job.func_name == "jobs.inbound.persist_inbound"
    assert fake_cloud.sent == []  # nobody is asked to repeat what will be answered


def test_database_and_redis_down_tell_the_user_to_try_again(
    wa_runtime, fake_cloud, sqlite_url
) -> None:
    from storage.db import Database

    rt = wa_runtime(database_url=sqlite_url, redis_url="redis://127.0.0.1:1/0")
    client = _client(rt)
    rt.db = rt.ack_db = Database("postgresql://postgres@127.0.0.1:1/gone")

    assert _post(client, payloads.text(ANA, "relatório")).status_code == 200
    [told] = fake_cloud.wait_for(lambda sent: len(sent) >= 1, timeout=20)
    assert told.to == ANA and "Tente de novo" in told.text

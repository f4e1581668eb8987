"""Acks beat Slack's 3 s whatever stalls behind them, and the message is still answered.

A PostgreSQL stall is a transaction holding an exclusive lock on
``inbound_events`` (every insert waits on it, as behind a long migration or a
vacuum full); a hung Redis is a loopback socket that accepts and never answers.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from rq import Queue, SimpleWorker
from sqlalchemy import func, select

from mediabrain.web import create_app
from storage.models import InboundEvent
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.conftest import ANA, link
from tests.bot.whatsapp.fake_cloud import FakeCloudAPI
from tests.support.faults import PgProxy

pytestmark = [pytest.mark.redis, pytest.mark.postgres]
URL = "/whatsapp/webhook"


def _post_timed(client: TestClient, payload: dict[str, Any]) -> float:
    body, headers = payloads.signed(payload)
    started = time.monotonic()
    response = client.post(URL, content=body, headers=headers)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    return elapsed


def test_a_stalled_database_still_acks_in_time_and_the_worker_stores_the_message(
    wa_runtime, sandbox, fake_cloud: FakeCloudAPI, pg_url: str, redis_url: str
) -> None:
    rt = wa_runtime(sandbox=sandbox, database_url=pg_url, redis_url=redis_url)
    link(rt, ANA, "viewer")
    client = TestClient(create_app(rt.settings, rt))
    _post_timed(client, payloads.text(ANA, "oi"))  # warm the app and its pools
    with psycopg.connect(pg_url.replace("+psycopg", "")) as blocker:
        blocker.execute("LOCK TABLE inbound_events IN ACCESS EXCLUSIVE MODE")
        elapsed = _post_timed(client, payloads.text(ANA, "ajuda", message_id="wamid.STALL"))
        time.sleep(0.5)
        blocker.rollback()  # the stall ends
    assert elapsed < 2.5, f"ack took {elapsed:.2f}s"

    queue = Queue("high", connection=rt.redis)
    assert "inbound-whatsapp-wamid_STALL" in queue.job_ids  # the event itself went to Redis
    SimpleWorker([queue], connection=rt.redis).work(burst=True)
    sent = fake_cloud.wait_for(lambda s: len(s) >= 2, timeout=30)
    assert {m.to for m in sent} == {ANA}  # "oi" and "ajuda" answered (help may come in parts)
    assert any("O que eu sei fazer" in m.text for m in sent)
    with rt.db.session() as session:
        stored = session.scalar(
            select(func.count())
            .select_from(InboundEvent)
            .where(InboundEvent.event_key == "wamid.STALL", InboundEvent.status == "done")
        )
    assert stored == 1


@pytest.fixture
def hung_redis() -> Iterator[str]:
    """A loopback port that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_a_hung_redis_cannot_hold_the_ack_and_the_user_is_told_to_try_again(
    wa_runtime, sandbox, fake_cloud: FakeCloudAPI, pg_url: str, hung_redis: str
) -> None:
    rt = wa_runtime(sandbox=sandbox, database_url=pg_url, redis_url=hung_redis)
    link(rt, ANA, "viewer")
    client = TestClient(create_app(rt.settings, rt))
    elapsed = _post_timed(client, payloads.text(ANA, "relatório"))
    assert elapsed < 3.0, f"ack took {elapsed:.2f}s"
    [told] = fake_cloud.wait_for(lambda s: len(s) >= 1, timeout=10)
    assert "Tente de novo" in told.text
    with rt.db.session() as session:
        assert session.scalar(select(func.count()).select_from(InboundEvent)) == 0


def test_a_frozen_database_host_cannot_hold_the_ack_and_the_message_is_answered_once(
    wa_runtime, sandbox, fake_cloud: FakeCloudAPI, pg_url: str, redis_url: str
) -> None:
    """Found by the soak: behind a proxy that forwards nothing (the server never sees the
    insert, so no statement_timeout fires), the insert waited the whole stall."""
    proxy = PgProxy.before(pg_url)
    try:
        rt = wa_runtime(sandbox=sandbox, database_url=proxy.url(pg_url), redis_url=redis_url)
        link(rt, ANA, "viewer")
        client = TestClient(create_app(rt.settings, rt))
        _post_timed(client, payloads.text(ANA, "oi"))  # warm the app and its pools
        stall = threading.Thread(target=proxy.stall, args=(6.0,))
        stall.start()
        time.sleep(0.2)
        elapsed = _post_timed(client, payloads.text(ANA, "ajuda", message_id="wamid.FROZEN"))
        stall.join()
        assert elapsed < 2.5, f"ack took {elapsed:.2f}s (the stall lasted 6 s)"

        SimpleWorker([Queue("high", connection=rt.redis)], connection=rt.redis).work(burst=True)
        fake_cloud.wait_for(lambda s: any("O que eu sei fazer" in m.text for m in s), timeout=30)
        with rt.db.session() as session:
            rows = session.scalars(
                select(InboundEvent.status).where(InboundEvent.event_key == "wamid.FROZEN")
            ).all()
        assert rows == ["done"]  # stored once (the given-up insert may have landed too)
    finally:
        proxy.close()

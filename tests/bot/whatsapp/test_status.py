"""Status callbacks through the web app: stored, forward only, failures retried or reported."""

from __future__ import annotations

import time
from datetime import timedelta

from fastapi.testclient import TestClient
from rq import Queue
from sqlalchemy import select

from bot.whatsapp.pacing import PaceConfig, Pacer
from bot.whatsapp.sender import WhatsAppSender
from bot.whatsapp.status import handle_failure
from mediabrain.web import create_app
from storage.clock import utcnow
from storage.models import OutboundMessage, OutboundStatusEvent
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.conftest import ANA
from tests.support.waiting import FakeClock
from vocabulary import trace
from vocabulary.destinations import Destination
from vocabulary.inbound import Channel
from vocabulary.outbox import Outbox
from vocabulary.replies import Reply

URL = "/whatsapp/webhook"
REPORT_DATA = {
    "account": "Loja Aurora",
    "period": "19/11",
    "spend": "R$ 310,00",
    "roas": "2,90x",
    "conversions": "12",
    "cpa": "R$ 25,83",
}


def _post(client: TestClient, payload: dict) -> int:  # type: ignore[type-arg]
    body, headers = payloads.signed(payload)
    return client.post(URL, content=body, headers=headers).status_code


def _row(rt, external_id: str) -> OutboundMessage:  # type: ignore[no-untyped-def]
    with rt.db.session() as session:
        return session.scalars(
            select(OutboundMessage).where(OutboundMessage.external_id == external_id)
        ).one()


def test_statuses_out_of_order_keep_the_furthest_state(
    wa_runtime, fake_cloud, pg_url, redis_url
) -> None:
    rt = wa_runtime(database_url=pg_url, redis_url=redis_url)
    to = Destination(channel=Channel.WHATSAPP, chat_id=ANA, last_inbound_at=utcnow())
    wamid = WhatsAppSender(rt).send(to, Reply("Relatório pronto."))
    assert wamid is not None and _row(rt, wamid).status == "accepted"
    client = TestClient(create_app(rt.settings, rt))
    now = int(time.time())

    for state, at in [
        ("read", now + 3),
        ("sent", now + 1),
        ("delivered", now + 2),
        ("read", now + 3),
    ]:
        assert _post(client, payloads.status(wamid, state, ANA, timestamp=at)) == 200

    row = _row(rt, wamid)
    assert row.status == "read"
    assert row.status_at is not None and int(row.status_at.timestamp()) == now + 3
    assert Queue("default", connection=rt.redis).count == 0
    with rt.db.session() as session:
        history = session.execute(
            select(OutboundStatusEvent.status, OutboundStatusEvent.applied)
            .where(OutboundStatusEvent.external_id == wamid)
            .order_by(OutboundStatusEvent.id)
        ).all()
    # Every callback is kept, in arrival order (the redelivered "read" once); only "read" moved it.
    assert [tuple(h) for h in history] == [("read", True), ("sent", False), ("delivered", False)]


def test_a_status_before_the_send_was_recorded_is_kept(
    wa_runtime, fake_cloud, pg_url, redis_url
) -> None:
    rt = wa_runtime(database_url=pg_url, redis_url=redis_url)
    client = TestClient(create_app(rt.settings, rt))
    assert _post(client, payloads.status("wamid.EARLY", "delivered", ANA)) == 200
    assert _post(client, payloads.status("wamid.EARLY", "sent", ANA)) == 200
    assert _row(rt, "wamid.EARLY").status == "delivered"


def test_a_batch_of_statuses_is_applied_in_full(wa_runtime, fake_cloud, pg_url, redis_url) -> None:
    rt = wa_runtime(database_url=pg_url, redis_url=redis_url)
    client = TestClient(create_app(rt.settings, rt))
    batch = payloads.batch(
        payloads.status("wamid.A", "sent", ANA),
        payloads.status("wamid.B", "read", ANA),
    )
    assert _post(client, batch) == 200
    assert (_row(rt, "wamid.A").status, _row(rt, "wamid.B").status) == ("sent", "read")


def test_a_failed_proactive_message_is_resent_as_its_template(
    wa_runtime, fake_cloud, pg_url, redis_url
) -> None:
    rt = wa_runtime(database_url=pg_url, redis_url=redis_url)
    sender = WhatsAppSender(rt)
    rt.set_sender(Channel.WHATSAPP, sender)
    to = Destination(
        channel=Channel.WHATSAPP,
        chat_id=ANA,
        last_inbound_at=utcnow() - timedelta(hours=3),
        proactive=True,
    )
    wamid = sender.send(to, Reply("*Relatório de ontem*", kind="report", data=REPORT_DATA))
    assert wamid is not None
    client = TestClient(create_app(rt.settings, rt))

    assert _post(client, payloads.status(wamid, "failed", ANA, error_code=131047)) == 200
    assert (
        _post(client, payloads.status(wamid, "failed", ANA, error_code=131047)) == 200
    )  # redelivered

    row = _row(rt, wamid)
    assert row.status == "failed" and row.error.startswith("131047:")  # type: ignore[union-attr]
    queue = Queue("default", connection=rt.redis)
    [job] = queue.jobs  # one retry job, whatever the redeliveries
    assert job.func_name == "bot.whatsapp.status.retry_or_report"
    assert handle_failure(rt, *job.args) == "template"
    assert fake_cloud.sent[-1].template["name"] == "daily_report"  # type: ignore[index]


def test_a_throttled_failure_is_retried_then_reported(
    wa_runtime, fake_cloud, pg_url, redis_url
) -> None:
    rt = wa_runtime(database_url=pg_url, redis_url=redis_url)
    clock = FakeClock(time.time())
    assert rt.redis is not None
    sender = WhatsAppSender(rt, pacer=Pacer(rt.redis, clock=clock.time, sleep=clock.sleep))
    rt.set_sender(Channel.WHATSAPP, sender)
    to = Destination(channel=Channel.WHATSAPP, chat_id=ANA, last_inbound_at=utcnow())
    wamid = sender.send(to, Reply("olá"))
    assert wamid is not None
    client = TestClient(create_app(rt.settings, rt))

    _post(client, payloads.status(wamid, "failed", ANA, error_code=131056))
    assert handle_failure(rt, _row(rt, wamid).id) == "retried"
    clock.advance(PaceConfig().user_backoff + 0.1)
    assert sender.flush(ANA) == 1
    retried = fake_cloud.sent[-1]
    assert retried.text == "olá" and retried.id != wamid

    # The retry fails for good (undeliverable): reported, not retried again.
    _post(client, payloads.status(retried.id, "failed", ANA, error_code=131026))
    assert handle_failure(rt, _row(rt, retried.id).id) == "reported"


def test_the_event_a_reply_answered_comes_back_with_its_statuses(
    wa_runtime, fake_cloud, pg_url, redis_url
) -> None:
    """A reply sent in an event's turn carries ``biz_opaque_callback_data``; its status
    callback brings it back even when the send was never recorded (the worker died), a
    stale status too; a reply that failed does not count as an answer."""
    rt = wa_runtime(database_url=pg_url, redis_url=redis_url)
    sender = WhatsAppSender(rt)
    to = Destination(channel=Channel.WHATSAPP, chat_id=ANA, last_inbound_at=utcnow())
    with trace.working_on(event=7):
        Outbox(sender, to).send(Reply("Relatório pronto."))
        Outbox(sender, to).send(Reply("…", kind="progress"))
    answer, progress = fake_cloud.to(ANA)
    assert (answer.tracker, progress.tracker) == ("mb:e:7", None)
    assert sender.already_answered(to, 7) is True  # recorded with the send
    assert sender.already_answered(to, 8) is False

    # The record of event 8's reply died with its worker: only Meta's callbacks know it.
    client = TestClient(create_app(rt.settings, rt))
    now = int(time.time())
    lost = payloads.status("wamid.LOST", "delivered", ANA, timestamp=now + 2, tracker="mb:e:8")
    stale = payloads.status("wamid.LOST", "sent", ANA, timestamp=now + 1, tracker="mb:e:8")
    assert _post(client, lost) == 200 and _post(client, stale) == 200
    assert _row(rt, "wamid.LOST").tracker == "mb:e:8"
    assert sender.already_answered(to, 8) is True
    failed = payloads.status("wamid.GONE", "failed", ANA, error_code=131026, tracker="mb:e:9")
    assert _post(client, failed) == 200
    assert sender.already_answered(to, 9) is False

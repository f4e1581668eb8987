"""WhatsAppSender against the fake Cloud API and real Redis: shapes, window, pacing, errors."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import timedelta

import pytest
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from bot.whatsapp.pacing import PaceConfig, Pacer
from bot.whatsapp.sender import WhatsAppSender
from storage.clock import utcnow
from storage.models import AuditEntry, OutboundMessage
from storage.repositories import DEFAULT_WORKSPACE, ensure_workspace, get_or_create_conversation
from tests.bot.whatsapp import payloads
from tests.bot.whatsapp.conftest import ANA, BRUNO
from tests.support.waiting import FakeClock
from vocabulary.destinations import Destination
from vocabulary.inbound import Action, Channel
from vocabulary.replies import Button, Chart, KeyFigure, Reply
from vocabulary.runtime import Runtime

PROPOSAL = "6c1c2a7e-35a4-4f7e-8d8e-0f9d6f2b7a10"
REPORT = Reply(
    "*Relatório 13/11–19/11*\n• Investimento: R$ 1.234,56 (+12,3%)\n_Loja Aurora · BRL_",
    kind="report",
    title="Relatório 13/11–19/11",
    figures=(KeyFigure("Investimento", "R$ 1.234,56", "+12,3%", "up"),),
    data={
        "account": "Loja Aurora",
        "period": "13/11–19/11",
        "spend": "R$ 1.234,56",
        "roas": "3,42x",
        "conversions": "87",
        "cpa": "R$ 14,19",
    },
)
APPROVAL = Reply(
    "Aprovação necessária: *Black Friday* de R$ 100,00 para R$ 250,00/dia.",
    kind="approval",
    title="Aprovação necessária",
    buttons=(
        Button("Aprovar", Action("approval.approve", PROPOSAL)),
        Button("Rejeitar", Action("approval.reject", PROPOSAL)),
    ),
)
PACE = PaceConfig(user_burst=2)  # real intervals and back-offs: the clock is fake


@pytest.fixture
def rt(wa_runtime, pg_url, redis_url) -> Runtime:  # type: ignore[no-untyped-def]
    return wa_runtime(database_url=pg_url, redis_url=redis_url)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(time.time())  # near Redis's clock: its key expiries still run in real time


def _sender(rt: Runtime, clock: FakeClock | None = None) -> WhatsAppSender:
    clock = clock or FakeClock(time.time())
    assert rt.redis is not None
    pacer = Pacer(rt.redis, PACE, clock=clock.time, sleep=clock.sleep)
    sender = WhatsAppSender(rt, pacer=pacer)
    rt.set_sender(Channel.WHATSAPP, sender)
    return sender


def _to(
    rt: Runtime, number: str, *, hours_ago: float | None = 0.1, proactive: bool = False
) -> Destination:
    with rt.db.session() as session:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        conversation = get_or_create_conversation(session, workspace.id, "whatsapp", number)
        ids = (workspace.id, conversation.id)
    last = utcnow() - timedelta(hours=hours_ago) if hours_ago is not None else None
    return Destination(
        channel=Channel.WHATSAPP,
        chat_id=number,
        conversation_id=ids[1],
        workspace_id=ids[0],
        last_inbound_at=last,
        proactive=proactive,
    )


def _outbound(rt: Runtime) -> list[OutboundMessage]:
    with rt.db.session() as session:
        return list(session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)))


def test_a_report_with_chart_is_one_uploaded_image_with_the_figures(rt, fake_cloud) -> None:
    sender = _sender(rt)
    to = _to(rt, ANA)
    ref = sender.send(
        to,
        replace(
            REPORT, chart=Chart("Investimento x ROAS", b"\x89PNG\r\n-chart-", "spend-roas.png")
        ),
    )

    [upload] = fake_cloud.uploads
    assert (upload.mime_type, upload.filename, upload.data) == (
        "image/png",
        "spend-roas.png",
        b"\x89PNG\r\n-chart-",
    )
    [image] = fake_cloud.sent
    assert image.type == "image" and image.to == ANA
    assert image.payload["image"]["id"] == upload.id
    assert "• Investimento: *R$ 1.234,56* (+12,3%)" in image.text
    assert image.authorization == f"Bearer {payloads.TOKEN}"
    assert image.phone_id == payloads.PHONE_ID
    [row] = _outbound(rt)
    assert (row.external_id, row.status, row.kind, row.conversation_id) == (
        ref,
        "accepted",
        "image",
        to.conversation_id,
    )


def test_an_approval_card_has_approve_and_reject_reply_buttons(rt, fake_cloud) -> None:
    _sender(rt).send(_to(rt, ANA), APPROVAL)
    [card] = fake_cloud.sent
    assert card.type == "interactive" and card.payload["interactive"]["type"] == "button"
    assert card.buttons == [
        ("Aprovar", f"approval.approve|{PROPOSAL}"),
        ("Rejeitar", f"approval.reject|{PROPOSAL}"),
    ]


def test_many_choices_are_a_list_message(rt, fake_cloud) -> None:
    buttons = tuple(Button(f"Campanha {n}", Action("command", f"pausar {n}")) for n in range(1, 6))
    _sender(rt).send(_to(rt, ANA), Reply("Qual campanha?", buttons=buttons))
    [choice] = fake_cloud.sent
    assert choice.payload["interactive"]["type"] == "list"
    assert choice.payload["interactive"]["action"]["button"] == "Ver opções"
    assert choice.buttons[0] == ("Campanha 1", "command|pausar 1")


def test_proactive_report_outside_the_window_is_a_template(rt, fake_cloud) -> None:
    sender = _sender(rt)
    sender.send(_to(rt, ANA, hours_ago=30, proactive=True), REPORT)
    sender.send(_to(rt, BRUNO, hours_ago=None, proactive=True), APPROVAL)

    report, approval = fake_cloud.sent
    assert report.type == "template"
    assert report.template["name"] == "daily_report"
    assert report.template["language"] == {"code": "pt_BR"}
    assert report.text == "Loja Aurora 13/11–19/11 R$ 1.234,56 3,42x 87 R$ 14,19"
    assert approval.template["name"] == "approval_request"
    quick_replies = [c for c in approval.template["components"] if c["type"] == "button"]
    assert [c["parameters"][0]["payload"] for c in quick_replies] == [
        f"approval.approve|{PROPOSAL}",
        f"approval.reject|{PROPOSAL}",
    ]
    assert [row.kind for row in _outbound(rt)] == ["template", "template"]


def test_proactive_inside_the_window_is_free_form(rt, fake_cloud) -> None:
    _sender(rt).send(_to(rt, ANA, hours_ago=2, proactive=True), REPORT)
    [message] = fake_cloud.sent
    assert message.type == "text"


def test_a_closed_window_reported_by_whatsapp_falls_back_to_the_template(rt, fake_cloud) -> None:
    fake_cloud.fail_next(131047)
    _sender(rt).send(_to(rt, ANA, hours_ago=2, proactive=True), REPORT)
    [template] = fake_cloud.sent
    assert template.template["name"] == "daily_report"


def test_bursts_are_paced_and_waiting_texts_merged(rt, fake_cloud, clock: FakeClock) -> None:
    sender = _sender(rt, clock)
    to = _to(rt, ANA)
    refs = [sender.send(to, Reply(f"mensagem {n}")) for n in range(1, 6)]

    assert [s.text for s in fake_cloud.sent] == ["mensagem 1", "mensagem 2"]  # the burst
    assert all(ref.startswith("pending:") for ref in refs[2:])  # type: ignore[union-attr]
    scheduled = ScheduledJobRegistry("high", connection=rt.redis)
    assert len(scheduled.get_job_ids()) == 1  # one flush per user, not one per message

    assert sender.flush(ANA) == 0  # too early: the user's bucket has not refilled
    clock.advance(PACE.user_interval + 0.1)
    assert sender.flush(ANA) == 1
    assert fake_cloud.sent[-1].text == "mensagem 3\n\nmensagem 4\n\nmensagem 5"
    assert len(fake_cloud.sent) == 3
    assert sender.flush(ANA) == 0
    assert clock.sleeps == []  # waits are deferred to a flush job, never slept


def test_a_reply_longer_than_the_burst_sends_what_the_burst_allows_then_waits(
    rt, fake_cloud, clock: FakeClock
) -> None:
    sender = _sender(rt, clock)
    pieces = [" ".join(f"parte{n}-{w}" for w in range(300)) for n in range(3)]
    sender.send(_to(rt, ANA), Reply("\n\n".join(pieces)))  # three messages, a burst of two
    assert len(fake_cloud.sent) == 2 and fake_cloud.sent[0].text.startswith("parte0-0 ")
    assert len(ScheduledJobRegistry("high", connection=rt.redis).get_job_ids()) == 1

    sender.send(_to(rt, ANA), Reply("depois"))  # behind the waiting one, not before it
    assert len(fake_cloud.sent) == 2
    clock.advance(PACE.user_interval + 0.1)
    assert sender.flush(ANA) == 1
    assert fake_cloud.sent[2].text.startswith("parte2-0 ")
    assert fake_cloud.sent[2].text.endswith("\n\ndepois")  # the waiting texts merged


def test_a_reply_waits_while_another_sender_holds_the_chat(rt, fake_cloud) -> None:
    sender = _sender(rt)
    assert rt.redis is not None
    other = rt.redis.lock(f"mb:wa:lock:{ANA}", timeout=60, thread_local=False)
    assert other.acquire(blocking=False)
    threading.Timer(0.3, other.release).start()
    started = time.monotonic()
    sender.send(_to(rt, ANA), Reply("olá"))
    assert time.monotonic() - started >= 0.25  # sent once the other let go
    assert [s.text for s in fake_cloud.sent] == ["olá"]


def test_another_user_is_not_held_back_by_a_busy_one(rt, fake_cloud) -> None:
    sender = _sender(rt)
    for n in range(4):
        sender.send(_to(rt, ANA), Reply(f"para Ana {n}"))
    sender.send(_to(rt, BRUNO), Reply("para Bruno"))
    assert [s.to for s in fake_cloud.sent] == [ANA, ANA, BRUNO]


def test_pair_rate_limit_backs_off_and_retries_later(rt, fake_cloud, clock: FakeClock) -> None:
    sender = _sender(rt, clock)
    fake_cloud.fail_next(131056)
    ref = sender.send(_to(rt, ANA), Reply("olá"))
    assert ref is not None and ref.startswith("pending:")
    assert fake_cloud.sent == []
    assert sender.pacer.backoff_remaining(ANA) > 0  # type: ignore[union-attr]

    assert sender.flush(ANA) == 0  # still backing off: rescheduled, nothing sent
    clock.advance(PACE.user_backoff - 0.1)
    assert sender.flush(ANA) == 0  # not yet
    clock.advance(0.2)
    assert sender.flush(ANA) == 1
    assert [s.text for s in fake_cloud.sent] == ["olá"]


def test_number_throughput_limit_backs_off_every_user(rt, fake_cloud, clock: FakeClock) -> None:
    sender = _sender(rt, clock)
    fake_cloud.fail_next(130429)
    sender.send(_to(rt, ANA), Reply("um"))
    sender.send(_to(rt, BRUNO), Reply("dois"))
    assert fake_cloud.sent == []
    assert sender.flush(BRUNO) == 0  # another user waits for the number too
    clock.advance(PACE.number_backoff + 0.1)
    assert sender.flush(ANA) == 1
    assert sender.flush(BRUNO) == 1
    assert sorted(s.text for s in fake_cloud.sent) == ["dois", "um"]


def test_the_numbers_configured_throughput_spaces_sends_to_different_users(
    wa_runtime, pg_url, redis_url, fake_cloud
) -> None:
    """MEDIABRAIN_WHATSAPP_THROUGHPUT is the business number's messages per second (a number
    shared with the WhatsApp Business app gets 20): past one second's worth, sends to anyone
    wait for the number's bucket instead of drawing 130429 from the Cloud API."""
    rt = wa_runtime(database_url=pg_url, redis_url=redis_url, whatsapp_throughput=2)
    sender = WhatsAppSender(rt)  # pacing from the settings, Redis's clock, real sleeps
    numbers = [f"5511977{n:06d}" for n in range(4)]
    for number in numbers:
        sender.send(_to(rt, number), Reply("olá"))
    at = [m.at for m in fake_cloud.sent]
    assert [m.to for m in fake_cloud.sent] == numbers  # each sent, none deferred
    assert at[1] - at[0] < 0.4  # a second's worth (2) at once
    assert at[2] - at[0] >= 0.45 and at[3] - at[0] >= 0.95  # then 2 a second


def test_an_undeliverable_message_is_recorded_and_reported(rt, fake_cloud) -> None:
    fake_cloud.fail_next(131026)
    to = _to(rt, ANA)
    assert _sender(rt).send(to, Reply("olá")) is None
    [row] = _outbound(rt)
    assert row.status == "failed" and row.error is not None and row.error.startswith("131026:")
    with rt.db.session() as session:
        [entry] = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "whatsapp.delivery_failed")
        )
    assert entry.subject == ANA and entry.detail["code"] == 131026


def test_a_reply_of_two_messages_is_recorded_in_full_when_its_second_is_refused(
    rt, fake_cloud
) -> None:
    """The reply's messages are recorded together once the last left: the one the Cloud API
    took is kept beside the one it refused (a reply recorded only after its last send
    would lose the first)."""
    long = " ".join(f"palavra{n}" for n in range(600))  # past one message's 4096 characters
    fake_cloud.fail_next(131026, after=1)
    _sender(rt).send(_to(rt, ANA), Reply(long))
    rows = {row.status: row for row in _outbound(rt)}
    assert sorted(rows) == ["accepted", "failed"]
    [took] = fake_cloud.sent
    assert rows["accepted"].external_id == took.id
    assert (rows["failed"].error or "").startswith("131026:")


def test_progress_updates_are_not_sent_twice(rt, fake_cloud) -> None:
    sender = _sender(rt)
    to = _to(rt, ANA)
    ref = sender.send(to, Reply("Analisando…", kind="progress", key="p1"))
    sender.update(to, ref or "", Reply("Quase lá…", kind="progress", key="p1"))
    sender.update(to, ref or "", Reply("Aprovado por Ana.", kind="notice", key="p1"))
    assert [s.text for s in fake_cloud.sent] == ["Analisando…", "Aprovado por Ana."]


def test_without_redis_messages_go_out_directly(wa_runtime, sqlite_url, fake_cloud) -> None:
    rt = wa_runtime(database_url=sqlite_url)
    sender = WhatsAppSender(rt)
    for n in range(6):
        sender.send(_to(rt, ANA), Reply(f"m{n}"))
    assert [s.text for s in fake_cloud.sent] == [f"m{n}" for n in range(6)]

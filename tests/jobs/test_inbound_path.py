"""The inbound path: dedupe → persist → enqueue → worker → core → reply, on both job modes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from rq import Queue, SimpleWorker
from rq.registry import FailedJobRegistry
from sqlalchemy import func, select

from bot.core.ingest import accept
from storage.models import InboundEvent, Message
from tests.recording import RecordingSender
from tests.support.console import console_inbound
from vocabulary.inbound import Channel, Inbound
from vocabulary.queue import QueueUnavailable


def count(rt, model) -> int:  # type: ignore[no-untyped-def]
    with rt.db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_in_process_duplicates_are_answered_once(make_runtime, sqlite_url: str) -> None:
    rt = make_runtime(database_url=sqlite_url, sandbox="off")
    sender = RecordingSender()
    rt.set_sender(Channel.CONSOLE, sender)
    first = accept(rt, console_inbound("ajuda", event_id="evt-1"))
    again = accept(rt, console_inbound("ajuda", event_id="evt-1"))
    assert (first.status, again.status) == ("queued", "duplicate")
    assert len(sender.sent) == 1 and "O que eu sei fazer" in sender.texts[0]
    assert count(rt, InboundEvent) == 1


def test_redis_queue_dedupes_across_redis_and_database(make_runtime, pg_url, redis_url) -> None:
    rt = make_runtime(database_url=pg_url, redis_url=redis_url, sandbox="off")
    sender = RecordingSender()
    rt.set_sender(Channel.CONSOLE, sender)
    assert accept(rt, console_inbound("help", event_id="evt-9")).status == "queued"
    assert accept(rt, console_inbound("help", event_id="evt-9")).status == "duplicate"
    queue = Queue("high", connection=rt.redis)
    assert queue.count == 1
    SimpleWorker([queue], connection=rt.redis).work(burst=True)
    assert len(sender.sent) == 1
    rt.redis.delete("mb:dedupe:console:evt-9")  # Redis forgot (restart, eviction)...
    assert (
        accept(rt, console_inbound("help", event_id="evt-9")).status == "duplicate"
    )  # the DB knows
    assert queue.count == 0
    with rt.db.session() as session:
        assert session.scalar(select(InboundEvent.status)) == "done"


def test_a_failed_job_tells_the_user_keeps_data_and_the_worker_goes_on(
    make_runtime, pg_url, redis_url
) -> None:
    rt = make_runtime(database_url=pg_url, redis_url=redis_url, sandbox="off")
    sender = RecordingSender(fail_first="message")  # the first answer cannot be delivered
    rt.set_sender(Channel.CONSOLE, sender)
    accept(rt, console_inbound("english"))  # its "message" reply fails mid-turn
    accept(rt, console_inbound("help"))  # the next job still runs
    queue = Queue("high", connection=rt.redis)
    SimpleWorker([queue], connection=rt.redis).work(burst=True)

    failed = FailedJobRegistry(queue=queue)
    assert len(failed.get_job_ids()) == 1
    error = sender.sent[0][1]
    assert error.kind == "error" and "Algo deu errado" in error.text and "ref " in error.text
    ref = error.text.split("ref ")[1].split(")")[0]
    with rt.db.session() as session:
        statuses = dict(session.execute(select(InboundEvent.status, InboundEvent.error_ref)).all())
        assert statuses == {"failed": ref, "done": None}
        said = session.scalars(select(Message.text).where(Message.role == "user")).all()
    assert said == ["english", "help"]  # what the user said is kept even when the job failed
    assert "What I can do" in sender.texts[-1] or "O que eu sei fazer" in sender.texts[-1]


def test_redis_down_refuses_and_keeps_nothing(make_runtime, sqlite_url: str) -> None:
    rt = make_runtime(database_url=sqlite_url, redis_url="redis://127.0.0.1:1/0", sandbox="off")
    with pytest.raises(QueueUnavailable):
        accept(rt, console_inbound("ajuda"))
    assert count(rt, InboundEvent) == 0


def test_messages_over_the_size_limit_get_a_clear_reply(make_runtime, sqlite_url: str) -> None:
    rt = make_runtime(database_url=sqlite_url, sandbox="off", max_message_chars=100)
    sender = RecordingSender()
    rt.set_sender(Channel.CONSOLE, sender)
    accept(rt, console_inbound("x" * 101))
    assert sender.texts == ["Mensagem longa demais (limite de 100 caracteres). Pode resumir?"]


def test_unknown_slack_users_get_the_lowest_role(make_runtime, sqlite_url: str) -> None:
    rt = make_runtime(database_url=sqlite_url, sandbox="off")
    sender = RecordingSender()
    rt.set_sender(Channel.SLACK, sender)
    event = Inbound(
        channel=Channel.SLACK,
        event_id="Ev-x",
        chat_id="C1",
        user_id="U-stranger",
        received_at=datetime.now(UTC),
        text="limite mensal 5000",
        team_id="T0001",  # the verified installation's team, as the Slack listener sets it
    )
    accept(rt, event)
    assert sender.texts == [
        "Desculpe, isso precisa do papel de administrador neste workspace (o seu é leitor)."
    ]


def test_a_database_failure_forgets_the_redis_mark_so_a_redelivery_is_not_lost(
    make_runtime, tmp_path, redis_url
) -> None:
    rt = make_runtime(
        database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}", redis_url=redis_url, sandbox="off"
    )
    rt.db.engine.dispose()
    (tmp_path / "db.sqlite3").unlink()
    (tmp_path / "db.sqlite3").mkdir()  # the database file is gone: writes fail
    from bot.core.ingest import accept as accept_again

    with pytest.raises(QueueUnavailable):
        accept_again(rt, console_inbound("ajuda", event_id="evt-lost"))
    assert rt.redis.get("mb:dedupe:console:evt-lost") is None

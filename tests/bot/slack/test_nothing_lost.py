"""A Slack reply taken by Slack just before its worker died is not posted again (issue #14).

Real pieces: signed Slack events into the web app, real Redis and PostgreSQL, real
``mediabrain worker`` subprocesses (SIGKILLed with their work horse), the fake Slack Web
API (told to hold its answer to a post, so the kill lands after Slack took the message
and before the worker could commit that the event was answered), and the real sweeper.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jobs.reconcile import sweep
from mediabrain.web import create_app
from storage.models import InboundEvent
from tests.bot.slack import payloads
from tests.bot.slack.conftest import BOT_TOKEN, SECRET, SlackClient
from tests.bot.slack.fake_slack import FakeSlack
from tests.support.waiting import eventually
from tests.support.workers import WorkerProcess
from vocabulary.runtime import Runtime

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.postgres]
#: Short leases and heartbeats so a dead worker is noticed in seconds, not minutes.
FAST = {"lease_seconds": 2, "worker_heartbeat_seconds": 1}
DM = "D0ANA"


@pytest.fixture
def crashable(
    make_runtime, start_worker, sandbox, fake_slack: FakeSlack, pg_url: str, redis_url: str
) -> Iterator[tuple[Runtime, SlackClient, Callable[[], WorkerProcess]]]:  # type: ignore[no-untyped-def]
    slack: dict[str, Any] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SECRET,
        "slack_api_url": fake_slack.api_url,
    }
    rt = make_runtime(sandbox=sandbox, database_url=pg_url, redis_url=redis_url, **FAST, **slack)

    def start() -> WorkerProcess:
        settings = {"meta_graph_url": sandbox.url, "sandbox": "on", "log_level": "INFO"}
        return start_worker(  # type: ignore[no-any-return]
            database_url=pg_url, redis_url=redis_url, **settings, **FAST, **slack
        )

    client = TestClient(create_app(rt.settings, rt))
    try:
        yield rt, SlackClient(client), start
    finally:
        fake_slack.release()
        client.close()


def _event(rt: Runtime) -> InboundEvent:
    with rt.db.session() as session:
        row = session.scalars(select(InboundEvent).order_by(InboundEvent.id.desc())).first()
        assert row is not None
        return row


def _answers(fake_slack: FakeSlack) -> list[str]:
    return [m["text"][:60] for m in fake_slack.messages if m["channel"] == DM]


def test_a_reply_slack_took_before_the_kill_is_not_posted_again(
    crashable, fake_slack: FakeSlack
) -> None:
    rt, slack, start = crashable
    first = start()
    fake_slack.hold(DM)  # Slack takes the post; its answer waits
    assert slack.post(payloads.direct_message("ajuda", channel_id=DM)).status_code == 200
    eventually(lambda: _answers(fake_slack), timeout=60, what="the reply", detail=first.output)
    event = _event(rt)
    assert event.status == "processing"
    first.kill()  # Slack has the reply; "answered" never committed
    fake_slack.release()
    event = _event(rt)
    assert (event.status, event.attempts, event.answered_at) == ("processing", 1, None)
    [posted] = [m for m in fake_slack.messages if m["channel"] == DM]
    assert posted["metadata"] == {
        "event_type": "mediabrain_reply",
        "event_payload": {"event": event.id},
    }

    second = start()  # would run the turn again, were it re-queued
    eventually(
        lambda: sweep(rt)["events"] >= 1,
        timeout=30,
        interval=0.5,
        what="the sweeper to settle the event",
        detail=second.output,
    )
    time.sleep(4)  # a re-run on the live worker would have answered "ajuda" again by now
    assert len(_answers(fake_slack)) == 1, _answers(fake_slack)
    event = _event(rt)
    assert (event.status, event.attempts) == ("done", 1) and event.answered_at is not None
    assert sweep(rt)["events"] == 0
    assert fake_slack.calls_to("conversations.history")  # it looked before deciding


def test_a_turn_killed_before_any_reply_still_runs_again(crashable, fake_slack: FakeSlack) -> None:
    """No regression: nothing tagged in the chat, so the sweeper runs the turn again (once).

    The aftermath of a kill before the first reply, reproduced: the event stored and
    claimed (``processing``, attempt 1, not answered, lease over) and nothing in the chat.
    """
    rt, slack, start = crashable
    assert slack.post(payloads.direct_message("ajuda", channel_id=DM)).status_code == 200
    with rt.db.session() as session:  # what the killed worker's claim left
        row = session.get(InboundEvent, _event(rt).id)
        assert row is not None and row.status in ("received", "queued")
        row.status, row.attempts, row.lease_until = "processing", 1, None
    worker = start()  # runs the first job: claimed already, skipped
    time.sleep(3)
    assert _answers(fake_slack) == []
    eventually(
        lambda: sweep(rt)["events"] >= 1,
        timeout=30,
        interval=0.5,
        what="the sweeper to settle the event",
        detail=worker.output,
    )
    eventually(lambda: _event(rt).status == "done", timeout=60, what="the second run")
    time.sleep(2)
    assert len(_answers(fake_slack)) == 1, _answers(fake_slack)
    assert _event(rt).attempts == 2

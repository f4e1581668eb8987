"""A frozen database host cannot hold a slash command's ack past Slack's 3 s.

Found by the soak (``bench/soak.py``): PostgreSQL reached through a proxy that
forwards nothing for a while (a frozen host, a network partition: the server never
sees the query, so no ``statement_timeout`` fires). The team and language lookups
of the Slack ack waited the whole stall (10 s acks). Real pieces: signed requests
into the app, PostgreSQL behind the loopback proxy, Redis, an RQ worker draining
the queue afterwards, the fake Slack Web API.
"""

from __future__ import annotations

import threading
import time

import pytest
from rq import Queue, SimpleWorker
from sqlalchemy import select

from storage.models import InboundEvent
from tests.bot.slack import payloads
from tests.bot.slack.fake_slack import FakeSlack
from tests.support.faults import PgProxy

pytestmark = [pytest.mark.redis, pytest.mark.postgres]
STALL_SECONDS = 6.0


def test_a_slash_command_is_acked_in_time_while_the_database_is_frozen_and_answered_after(
    slack_app, sandbox, fake_slack: FakeSlack, pg_url: str, redis_url: str
) -> None:
    proxy = PgProxy.before(pg_url)
    try:
        rt, slack = slack_app(sandbox=sandbox, database_url=proxy.url(pg_url), redis_url=redis_url)
        warm = slack.post(payloads.slash_command("help", response_url=fake_slack.response_url("w")))
        assert warm.status_code == 200  # the app, its pools and Bolt's auth.test are warm

        stall = threading.Thread(target=proxy.stall, args=(STALL_SECONDS,))
        stall.start()
        time.sleep(0.2)
        started = time.monotonic()
        ack = slack.post(
            payloads.slash_command(
                "campanhas", response_url=fake_slack.response_url("c"), trigger_id="stall.1"
            )
        )
        elapsed = time.monotonic() - started
        stall.join()

        assert ack.status_code == 200 and ack.text.startswith("⏳"), ack.text
        assert elapsed < 2.5, f"the ack took {elapsed:.2f}s (the stall lasted {STALL_SECONDS}s)"
        SimpleWorker([Queue("high", connection=rt.redis)], connection=rt.redis).work(burst=True)
        fake_slack.wait_for("chat.postMessage", count=2, timeout=30)  # help, then the campaigns
        with rt.db.session() as session:
            status = session.scalar(
                select(InboundEvent.status).where(InboundEvent.event_key == "command:stall.1")
            )
        assert status == "done"
    finally:
        proxy.close()

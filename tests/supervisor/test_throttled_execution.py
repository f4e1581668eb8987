"""Meta blocks an account (error 80004, 5 minutes): the approved change waits, nobody calls.

Real RQ on real Redis and PostgreSQL, the console channel, the Meta sandbox's
fault injection answering the budget write with 80004 and
``estimated_time_to_regain_access`` = 5 minutes.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from rq import Queue, SimpleWorker
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from ads.errors import Throttled
from bot.console import ConsoleChat
from storage.models import AuditEntry, Proposal
from storage.repositories import DEFAULT_WORKSPACE, ad_accounts, get_workspace
from supervisor.context import uncached

pytestmark = [pytest.mark.redis, pytest.mark.postgres]
HIGH_CTR = "Promo Relâmpago - Stories"


def test_a_throttled_account_reschedules_the_change_and_every_process_waits(
    make_runtime, pg_url: str, redis_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=pg_url, redis_url=redis_url)
    out = io.StringIO()
    console = ConsoleChat(rt, user="ana", out=out)
    queue = Queue("high", connection=rt.redis)

    def work() -> None:
        SimpleWorker([queue], connection=rt.redis).work(burst=True)

    target = next(c.id for c in sandbox.state.campaigns.values() if c.name == HIGH_CTR)
    console.run_script(["pausar a campanha promo relâmpago"])
    work()
    assert "[1] Aprovar" in out.getvalue()

    sandbox.inject_fault(
        "throttle", code=80004, regain_after_minutes=5, path_contains=target, method="POST"
    )
    mark = len(out.getvalue())
    console.run_script(["1"])
    work()
    said = out.getvalue()[mark:]

    with rt.db.session() as session:
        row = session.scalars(select(Proposal)).one()
        actions = session.scalars(select(AuditEntry.action)).all()
        account = ad_accounts(session, get_workspace(session, DEFAULT_WORKSPACE).id)[0]
    assert row.state == "approved" and "throttled" in row.result
    assert "proposal.rescheduled" in actions and "proposal.failed" not in actions
    assert sandbox.state.campaign(target).status == "ACTIVE"  # nothing written
    assert "será aplicada às" in said and HIGH_CTR in said

    # Rescheduled under the same job id, for when Meta said access returns.
    scheduled = ScheduledJobRegistry(queue=queue)
    assert scheduled.get_job_ids() == [row.id]
    at = scheduled.get_scheduled_time(row.id)
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    assert timedelta(minutes=4) < at - datetime.now(UTC) < timedelta(minutes=6)

    # Another process (fresh connector, empty memory) makes no call to the blocked account.
    other = make_runtime(sandbox=sandbox, database_url=pg_url, redis_url=redis_url)
    before = sandbox.stats.snapshot()["requests"]
    with pytest.raises(Throttled):
        uncached(other.ads(account)).list_campaigns(account.external_id)
    assert sandbox.stats.snapshot()["requests"] == before

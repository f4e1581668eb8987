"""An A/B test on Slack: asked with /ads, started with /ads iniciar teste 1, and its card edited
in place by the daily job (chat.update), with the chart uploaded."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

import jobs.experiments  # noqa: F401  (its statistics load here, not in a pool thread)
from jobs import runs
from jobs.schedules import Kind, run_due
from storage.models import Experiment, Proposal, Role
from storage.repositories import add_user, ensure_workspace
from tests.bot.slack import payloads
from tests.bot.slack.fake_slack import FakeSlack
from tests.support.waiting import eventually


def test_a_test_on_slack_is_started_and_its_card_edited_in_place(
    slack_app: Any, fake_slack: FakeSlack, sandbox: Any, sqlite_url: str
) -> None:
    rt, slack = slack_app(database_url=sqlite_url, sandbox=sandbox)  # jobs in-process
    with rt.db.session() as session:
        workspace = ensure_workspace(session)
        add_user(session, workspace, role=Role.ADMIN, name="Ana", slack_user_id="U0ANA")
    slack.post(
        payloads.slash_command(
            'teste A/B no remarketing: "Frete grátis hoje" vs "Só até domingo"',
            response_url=fake_slack.response_url("t"),
        )
    )

    def done() -> bool:  # the draft ran (in-process jobs, off the request thread)
        return "✔️ Feito na conta Meta" in str(fake_slack.calls_to("chat.update"))

    eventually(done, timeout=90, what="the paused draft created on Meta")
    posted = [c.params for c in fake_slack.calls_to("chat.postMessage")]
    assert any("Efeito mínimo detectável" in str(p) for p in posted)
    slack.post(payloads.slash_command("iniciar teste 1", response_url=fake_slack.response_url("s")))

    def started() -> bool:
        with rt.db.session() as session:
            row = session.scalars(select(Experiment)).one()
            start = row.proposals.get("start")
            return bool(start) and session.get(Proposal, start).state == "executed"  # type: ignore[union-attr]

    eventually(started, timeout=60, what="the test's campaign activated")
    updates = len(fake_slack.calls_to("chat.update"))
    for _ in range(2):
        sandbox.advance_clock(days=1)
        run_due(rt, kinds=[Kind.EXPERIMENTS])  # jobs run off the request thread here

    def edited() -> bool:
        edits = fake_slack.calls_to("chat.update")[updates:]
        return "Teste em andamento: dia 1 de 14." in str([e.params for e in edits])

    eventually(edited, timeout=60, what="the card edited in place by the daily job")
    with rt.db.session() as session:
        assert session.scalar(select(Experiment.status)) == "running"
    eventually(
        lambda: fake_slack.calls_to("files.completeUploadExternal"), what="the chart uploaded"
    )

    def both_days_done() -> bool:
        found = runs.records(rt.db, "experiments-daily:")
        return len(found) >= 2 and all(r.status == runs.DONE for r in found)

    eventually(both_days_done, timeout=60, what="the two daily runs finished")

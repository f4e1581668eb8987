"""A tired creative, as the nightly engine run finds it and the next morning's experiments job
raises it: a "criativo cansado" notice, a pause proposal, fresh copy from the crew (scripted
LLM), launched as a test against the account's best ad; the same ad is not raised again
within the cooldown. The demo's "Carrossel Verão - 5 Looks" fatigues (its CTR decays with
frequency in the sandbox's truth)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from jobs.schedules import Kind, run_due
from storage.models import CrewRun, Experiment, Proposal
from tests.crews.conftest import MODEL
from tests.crews.fake_llm import FakeLLM
from tests.support.console import say
from tests.support.world import World, build_world
from vocabulary.inbound import Action

TIRED = "Carrossel Verão - 5 Looks"


def morning(world: World, hours: int = 18) -> None:
    """The clock moves to a 09:00 in São Paulo past a 23:00: the nightly engine run finds the
    tired ads, the daily experiments job raises them. From the world's start (Friday 15:00):
    Saturday 09:00."""
    world.sandbox.advance_clock(hours=hours)
    run_due(world.rt, kinds=[Kind.OPTIMIZE, Kind.EXPERIMENTS])


def fatigue_proposals(world: World) -> list[Proposal]:
    with world.rt.db.session(world.ws1) as session:
        rows = session.scalars(
            select(Proposal).where(Proposal.proposer_id == "fatigue", Proposal.kind == "pause")
        ).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


def test_a_tired_creative_is_paused_and_refreshed_by_a_test(
    make_runtime: Any, sandbox: Any, sqlite_url: str, fake_llm: FakeLLM
) -> None:
    world = build_world(
        make_runtime,
        sandbox,
        sqlite_url,
        llm_model=MODEL,
        llm_base_url=fake_llm.url,
        llm_api_key="test-key",
    )
    morning(world)
    notice = next(r for r in world.to("console:ana") if r.kind == "notice")
    assert notice.title == f"😴 Criativo cansado: {TIRED}"
    assert (
        f"O CTR de “{TIRED}” caiu " in notice.text and "com a frequência acumulada" in notice.text
    )
    (pause,) = fatigue_proposals(world)
    tired_id = pause.target_id
    assert world.sandbox.state.ads[tired_id].name == TIRED
    assert pause.kind == "pause" and pause.state == "pending"  # manual autonomy: Ana decides

    with world.rt.db.session(world.ws1) as session:
        run = session.scalars(select(CrewRun)).one()
        assert run.params["refresh"]["tired_ad"] == tired_id
        assert run.status == "done"
        test = session.scalars(select(Experiment)).one()
        new_copy = run.result["copies"]["variations"][0]
    copy_call = next(c for c in fake_llm.calls if c.task == "write_copy")
    assert TIRED in copy_call.text()  # written from the tired ad's own text
    best = world.sandbox.state.ads[test.variants[0]["source_ad"]]
    assert test.kind == "refresh" and best.name != TIRED
    assert [v["name"] for v in test.variants] == [best.name, new_copy["headline"]]
    setup = test.proposals["setup"]
    cards = [r for r in world.to("console:ana") if r.kind == "approval"]
    assert any(f"B: '{new_copy['headline']}'" in c.text for c in cards)

    say(world.rt, action=Action("approval.approve", pause.id), user="ana", at=world.sandbox.now())
    say(world.rt, action=Action("approval.approve", setup), user="ana", at=world.sandbox.now())
    assert world.sandbox.state.ads[tired_id].status == "PAUSED"
    morning(world, 24)  # the next morning: the test is created, the tired ad not flagged again
    with world.rt.db.session(world.ws1) as session:
        assert session.get(Experiment, test.id).status == "created"  # type: ignore[union-attr]
    assert len(fatigue_proposals(world)) == 1


def test_without_an_llm_the_tired_creative_gets_a_pause_proposal_once_per_cooldown(
    make_runtime: Any, sandbox: Any, sqlite_url: str
) -> None:
    world = build_world(make_runtime, sandbox, sqlite_url)
    world.sandbox.advance_clock(hours=6)  # Friday 21:00: no night yet, nothing raised
    run_due(world.rt, kinds=[Kind.EXPERIMENTS])
    assert fatigue_proposals(world) == []
    morning(world, 12)  # Saturday 09:00, after Friday night's engine run: raised every day
    notice = next(r for r in world.to("console:ana") if r.kind == "notice")
    assert notice.title == f"😴 Criativo cansado: {TIRED}"
    assert "Sem um LLM configurado não escrevo copy nova" in notice.text
    (pause,) = fatigue_proposals(world)
    assert world.sandbox.state.ads[pause.target_id].name == TIRED
    with world.rt.db.session(world.ws1) as session:
        assert session.scalars(select(Experiment)).all() == []

    say(world.rt, action=Action("approval.reject", pause.id), user="ana", at=world.sandbox.now())
    morning(world, 24)  # Sunday: turned down yesterday and still active, within the cooldown
    assert len(fatigue_proposals(world)) == 1
    tired = [r for r in world.to("console:ana") if (r.title or "").startswith("😴")]
    assert len(tired) == 1

"""Audience and placement tests run as Meta split tests: the card names the method, the study
is created when the start is approved (through the supervisor), `teste N` shows it, and
stopping the test or undoing its start ends it. A start that waits for an approver moves
its card the moment it is approved, not at the next daily run."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import Experiment, Proposal
from storage.repositories import workspace_settings
from tests.support.console import say
from vocabulary.inbound import Action
from vocabulary.replies import Reply


def click(world: Any, name: str, value: str) -> list[Reply]:
    return say(world.rt, action=Action(name, value), at=world.sandbox.now())


def experiment(world: Any, number: int = 1) -> Experiment:
    with world.rt.db.session(world.ws1) as session:
        row = session.scalar(select(Experiment).where(Experiment.number == number))
        assert row is not None
        session.expunge(row)
        return row


def state_of(world: Any, pid: str) -> str:
    with world.rt.db.session(world.ws1) as session:
        row = session.get(Proposal, pid)
        assert row is not None
        return row.state


def test_an_audience_test_runs_as_a_meta_split_test_from_start_to_stop(make_world: Any) -> None:
    world = make_world()
    replies = world.say("teste de público: lookalike 1% vs interesses")
    approval = next(r for r in replies if r.kind == "approval")
    assert "Método: teste dividido da Meta (split test)" in approval.text
    assert "Método: teste dividido da Meta (split test)" in replies[-1].text
    assert world.sandbox.state.studies == {}  # nothing before the start

    world.say("iniciar teste 1")
    row = experiment(world)
    assert row.status == "running" and state_of(world, row.proposals["start"]) == "executed"
    study = world.sandbox.state.studies[row.design["study_id"]]
    assert study.type == "SPLIT_TEST" and study.name == f"Teste A/B #1 · {row.name}"
    assert [(c.treatment_percentage, c.adsets) for c in study.cells] == [
        (50.0, [v["adset_id"]]) for v in row.variants
    ]
    assert (study.end_time - study.start_time).days == row.design["days"] + 1
    shown = world.say("teste 1")[-1].text
    assert f"Estudo na Meta: {study.id}." in shown

    stop = next(r for r in world.say("parar teste 1") if r.kind == "approval")
    stop_id = experiment(world).proposals["stop"]
    if state_of(world, stop_id) == "pending":  # pausing asks an approver: Ana is one
        click(world, "approval.approve", stop_id)
    assert f"Encerra também o teste dividido da Meta (estudo {study.id})" in stop.text
    assert study.end_time <= world.sandbox.now()  # ended: the audiences are shared again


def test_a_placement_test_in_english_waits_for_approval_then_moves_its_card_at_once(
    make_world: Any,
) -> None:
    world = make_world()
    with world.rt.db.session(world.ws1) as session:
        workspace_settings(session, world.ws1).policy = {"always_approve": ["activate", "delete"]}
    world.say("english")
    replies = world.say("placement test: feed vs stories")
    assert "Method: Meta split test" in replies[-1].text
    row = experiment(world)
    assert row.kind == "placement" and row.metric == "cpa"
    feed, stories = (world.sandbox.state.adsets[v["adset_id"]].targeting for v in row.variants)
    assert feed["facebook_positions"] == ["feed"] and feed["instagram_positions"] == ["stream"]
    assert stories["facebook_positions"] == ["story"] and stories["instagram_positions"] == [
        "story"
    ]
    assert feed["geo_locations"] == stories["geo_locations"]  # only the placement differs
    feed_ad, stories_ad = (world.sandbox.state.ads[v["ad_id"]] for v in row.variants)
    assert stories_ad.truth.cpm < feed_ad.truth.cpm  # the sandbox's known placement effect

    world.say("start test 1")
    row = experiment(world)
    assert row.status == "starting" and world.sandbox.state.studies == {}
    key = f"experiment:{world.ws1}:1"
    world.sender.updates.clear()
    click(world, "approval.approve", row.proposals["start"])
    edits = [r for ref, r in world.sender.updates if ref == key]
    assert edits and edits[-1].text.splitlines()[1].startswith("Running since ")
    row = experiment(world)
    assert row.status == "running" and row.design["study_id"] in world.sandbox.state.studies

    click(world, "approval.undo", row.proposals["start"])  # undoing the start ends the study
    study = world.sandbox.state.studies[row.design["study_id"]]
    assert study.end_time <= world.sandbox.now()
    assert world.sandbox.state.campaigns[row.campaign_id].status == "PAUSED"
    assert (
        "I didn't recognise the placement “tv”" in world.say("placement test: tv vs feed")[-1].text
    )


def test_copy_tests_stay_equal_budget_ad_sets_without_a_study(make_world: Any) -> None:
    world = make_world()
    replies = world.say('teste A/B no remarketing: "Frete grátis hoje" vs "Só até domingo"')
    assert "Método: um conjunto por variação com o mesmo orçamento" in replies[-1].text
    world.say("iniciar teste 1")
    assert experiment(world).status == "running"
    assert world.sandbox.state.studies == {}


def test_applying_the_winner_of_a_split_test_ends_the_study(make_world: Any) -> None:
    world = make_world()
    world.say("teste de público: lookalike 1% vs interesses")
    world.say("iniciar teste 1")
    world.sandbox.advance_clock(days=15)
    with world.rt.db.session(world.ws1) as session:  # as the daily verdict leaves a won test
        row = session.scalar(select(Experiment).where(Experiment.number == 1))
        assert row is not None
        row.status, row.verdict = "winner", {"winner": "A", "lines": {}}
    world.say("aplicar vencedor do teste 1")
    row = experiment(world)
    pause_id = row.proposals["rollout"][0]
    if state_of(world, pause_id) == "pending":
        click(world, "approval.approve", pause_id)
    assert state_of(world, pause_id) == "executed"
    study = world.sandbox.state.studies[row.design["study_id"]]
    assert study.end_time <= world.sandbox.now()  # the winner reaches its whole audience again
    loser = world.sandbox.state.adsets[row.variants[1]["adset_id"]]
    assert loser.status == "PAUSED"


def test_a_rejected_setup_shows_on_the_tests_card_at_once(make_world: Any) -> None:
    world = make_world()
    with world.rt.db.session(world.ws1) as session:
        workspace_settings(session, world.ws1).policy = {"always_approve": ["create_draft"]}
    world.say("teste de posicionamento: feed vs stories")
    row = experiment(world)
    assert row.status == "proposed"
    world.sender.updates.clear()
    click(world, "approval.reject", row.proposals["setup"])
    assert experiment(world).status == "rejected"
    edits = [r for ref, r in world.sender.updates if ref == f"experiment:{world.ws1}:1"]
    assert edits and "Não foi criado (proposta recusada" in edits[-1].text


def test_a_start_interrupted_after_its_writes_settles_as_executed(make_world: Any) -> None:
    """The worker died after the study and the activation were written: the read-back sees
    the campaign active and counts the start as done (the study is not something it reads)."""
    from supervisor.executor import settle

    world = make_world()
    world.say("teste de público: lookalike 1% vs interesses")
    world.say("iniciar teste 1")
    start = experiment(world).proposals["start"]
    with world.rt.db.session(world.ws1) as session:  # as a killed worker leaves it
        row = session.get(Proposal, start)
        assert row is not None
        row.state = "executing"
    assert settle(world.rt, world.ws1, start) == "executed"


def test_a_start_that_fails_after_its_study_leaves_no_study_running(make_world: Any) -> None:
    world = make_world()
    world.say("teste de público: lookalike 1% vs interesses")
    row = experiment(world)
    world.sandbox.inject_fault(
        "server_error", code=1487, path_contains=row.campaign_id, method="POST", count=50
    )
    world.say("iniciar teste 1")
    world.sandbox.clear_faults()
    row = experiment(world)
    assert state_of(world, row.proposals["start"]) == "failed"
    assert row.status == "created" and "study_id" not in row.design
    (study,) = world.sandbox.state.studies.values()  # created, then cancelled at once
    assert study.canceled_time is not None and study.end_time <= world.sandbox.now()
    assert world.sandbox.state.campaigns[row.campaign_id].status == "PAUSED"

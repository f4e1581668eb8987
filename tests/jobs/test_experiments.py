"""A/B tests as a person runs them: ask in chat, see the design, start, let the days pass
(the sandbox clock and the daily experiments job), read the card, apply the winner, undo,
and ask what works. The sandbox's copy effects are known (ads/sandbox/variants.py):
"Frete grátis hoje" has a 25% higher true CTR than "Só até domingo"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from jobs.schedules import Kind, run_due
from storage.models import Experiment, Learning, Proposal
from storage.repositories import workspace_settings
from tests.recording import RecordingSender
from tests.support.console import say
from vocabulary.inbound import Action, Channel
from vocabulary.outbox import Capabilities
from vocabulary.replies import Reply

COPY_TEST = 'teste A/B no remarketing: "Frete grátis hoje" vs "Só até domingo"'


def click(world: Any, name: str, value: str) -> list[Reply]:
    return say(world.rt, action=Action(name, value), at=world.sandbox.now())


def next_day(world: Any) -> None:
    """Move the sandbox clock one day and run the daily experiments job that became due."""
    world.sandbox.advance_clock(days=1)
    run_due(world.rt, kinds=[Kind.EXPERIMENTS])


def experiment(world: Any, number: int = 1) -> Experiment:
    with world.rt.db.session(world.ws1) as session:
        row = session.scalar(select(Experiment).where(Experiment.number == number))
        assert row is not None
        session.expunge(row)
        return row


def proposal(world: Any, pid: str) -> Proposal:
    with world.rt.db.session(world.ws1) as session:
        row = session.get(Proposal, pid)
        assert row is not None
        session.expunge(row)
        return row


def create_and_start(world: Any) -> Experiment:
    replies = world.say(COPY_TEST)
    card = next(r for r in replies if r.kind == "approval")
    assert "Variações — A: 'Frete grátis hoje'; B: 'Só até domingo'." in card.text  # quoted inside
    assert "Divisão 50/50: um conjunto por variação com o mesmo orçamento" in card.text
    assert "Métrica principal: CTR." in card.text
    assert "Efeito mínimo detectável: +" in card.text and "poder 80%, α 5%" in card.text
    assert "Depois de criado, para começar: 'iniciar teste 1'." in card.text
    test_card = replies[-1]
    assert test_card.title == "🧪 Teste #1 · copy · Remarketing 7d - Carrinho Abandonado"
    assert "Criado pausado na Meta" in test_card.text  # the admin's draft ran at once
    row = experiment(world)
    state = world.sandbox.state
    adsets = [state.adsets[v["adset_id"]] for v in row.variants]
    assert [a.status for a in adsets] == ["PAUSED", "PAUSED"]
    assert adsets[0].daily_budget == adsets[1].daily_budget == int(row.daily_budget)
    assert [b.label for b in test_card.buttons] == ["Iniciar teste"]
    click(world, test_card.buttons[0].action.name, test_card.buttons[0].action.value)
    row = experiment(world)
    assert proposal(world, row.proposals["start"]).state == "executed"
    ads = [state.ads[v["ad_id"]] for v in row.variants]
    assert [a.status for a in ads] == ["ACTIVE", "ACTIVE"]
    assert state.campaigns[row.campaign_id].status == "ACTIVE"
    return row


def test_a_copy_test_from_chat_to_the_winner_applied_and_undone(make_world: Any) -> None:
    world = make_world()
    row = create_and_start(world)
    truth = [world.sandbox.state.ads[v["ad_id"]].truth.ctr for v in row.variants]
    assert truth[0] / truth[1] > 1.2  # the sandbox's known difference: A is better

    world.sender.sent.clear()
    for _ in range(row.design["days"] + 1):
        next_day(world)
        if experiment(world).status != "running":
            break
    row = experiment(world)
    assert row.status == "winner" and row.verdict["winner"] == "A"
    assert row.verdict["day"] % 7 == 0  # winners only on whole weeks
    # The card shown in chat is edited in place each day (no new message), with its chart.
    assert not [r for _, r in world.sender.sent if r.key and r.key.startswith("experiment:")]
    edits = [r for ref, r in world.sender.updates if ref == f"experiment:{world.ws1}:1"]
    assert len(edits) >= row.verdict["day"]
    assert (
        edits[0].text.splitlines()[1]
        == "Rodando desde 21/11; primeiro resultado em 22/11, com o dia 21/11 completo."
    )
    last = edits[-1]
    assert last.chart is not None and last.chart.png.startswith(b"\x89PNG")
    assert "Vencedor: A." in last.text
    assert "A tem >99% de chance de ser melhor (controle)" in last.text
    assert "de CTR (IC 90%:" in last.text
    assert [b.label for b in last.buttons] == ["Aplicar vencedor", "Encerrar teste"]

    listing = world.say("testes")[-1].text
    assert (
        "#1 · copy · Remarketing 7d - Carrinho Abandonado — vencedor: A (“Frete grátis hoje”)"
        in listing
    )

    works = world.say("o que funciona?")[-1].text
    assert "“Frete grátis hoje” venceu “Só até domingo” em CTR: +" in works
    assert "(IC 90%:" in works and "impressões por variação" in works
    with world.rt.db.session(world.ws1) as session:
        (learning,) = session.scalars(select(Learning).where(Learning.kind == "combination")).all()
    assert learning.data["segment"] == "Remarketing 7d - Carrinho Abandonado"
    assert learning.data["audience"] == "Visitantes 7d + Carrinho"
    assert learning.data["angle"] == "Frete grátis hoje" and learning.data["won"] is True
    assert learning.data["lift"]["low"] > 0

    # Apply the winner: B paused, its budget moved to A, each through the supervisor.
    click(world, "experiment.apply", "1")
    row = experiment(world)
    assert row.status == "applied"
    pause_id, budget_id = row.proposals["rollout"]
    assert proposal(world, pause_id).state == "executed"
    state = world.sandbox.state
    a, b = (state.adsets[v["adset_id"]] for v in row.variants)
    assert b.status == "PAUSED"
    raise_ = proposal(world, budget_id)
    if raise_.state == "pending":  # a doubling needs an approver: Ana is one
        click(world, "approval.approve", budget_id)
    assert a.daily_budget == 2 * int(row.daily_budget)
    click(world, "approval.undo", budget_id)
    assert a.daily_budget == int(row.daily_budget)

    world.say("english")
    assert (
        "#1 · copy · Remarketing 7d - Carrinho Abandonado — winner applied"
        in world.say("tests")[-1].text
    )
    assert (
        "“Frete grátis hoje” beat “Só até domingo” on CTR: +" in world.say("what works?")[-1].text
    )
    shown = world.say("test 1")[-1]
    assert (
        "Winner applied: losers paused and budget moved to A (“Frete grátis hoje”)." in shown.text
    )


def test_where_cards_cannot_be_edited_each_day_brings_a_new_card(make_world: Any) -> None:
    world = make_world()
    create_and_start(world)
    whatsapp_like = RecordingSender(capabilities=Capabilities(edits_in_place=False))
    world.rt.set_sender(Channel.CONSOLE, whatsapp_like)
    for _ in range(3):
        next_day(world)
    cards = [r for _, r in whatsapp_like.sent if r.key == f"experiment:{world.ws1}:1"]
    assert whatsapp_like.updates == []
    assert [c.text.splitlines()[1] for c in cards] == [
        "Teste em andamento: dia 1 de 14.",
        "Teste em andamento: dia 2 de 14.",
        "Teste em andamento: dia 3 de 14.",
    ] or len(cards) == 3
    assert all(c.chart is not None for c in cards[1:])


def test_a_variant_over_twice_the_cpa_target_stops_the_test_with_a_pause_card(
    make_world: Any,
) -> None:
    world = make_world()
    with world.rt.db.session(world.ws1) as session:
        workspace_settings(session, world.ws1).target_cpa = Decimal(500)  # R$ 5,00: far below
    row = create_and_start(world)
    assert row.cpa_target == Decimal(500)
    for _ in range(10):
        next_day(world)
        if experiment(world).status != "running":
            break
    row = experiment(world)
    assert row.status == "stopped_guardrail"
    line = row.verdict["lines"]["pt-BR"][0]
    assert line.startswith(f"Teste parado: o CPA de {row.verdict['guardrail_variant']}")
    assert "passou do limite (2x a meta: R$ 10,00)" in line
    with world.rt.db.session(world.ws1) as session:
        pauses = session.scalars(
            select(Proposal).where(Proposal.proposer_id == "experiments", Proposal.kind == "pause")
        ).all()
    guarded = next(v for v in row.variants if v["label"] == row.verdict["guardrail_variant"])
    assert [p.target_id for p in pauses] == [guarded["adset_id"]]


def test_stop_a_test_in_english_pauses_its_campaign(make_world: Any) -> None:
    world = make_world()
    row = create_and_start(world)
    next_day(world)
    world.say("english")
    card = next(r for r in world.say("stop test 1") if r.kind == "approval")
    assert (
        "pause campaign “Teste A/B #1 · copy · Remarketing 7d - Carrinho Abandonado”" in card.text
    )
    assert experiment(world).status == "stopped"
    stop_id = experiment(world).proposals["stop"]
    if proposal(world, stop_id).state == "pending":  # pausing asks an approver: Ana is one
        click(world, "approval.approve", stop_id)
    assert world.sandbox.state.campaigns[row.campaign_id].status == "PAUSED"
    assert "has already ended" in world.say("stop test 1")[-1].text
    assert "I couldn't find test 7" in world.say("test 7")[-1].text

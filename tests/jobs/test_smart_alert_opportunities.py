"""Opportunities pushed within the day (issue 17): a budget-limited campaign beating the target
brings a 💡 alert and a budget-raise card through the supervisor; an audience whose ROAS rises
(a segment surge injected in the sandbox) brings its own; both can be muted by type."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from jobs.schedules import Kind, run_due
from storage.models import Proposal

DEMO = "act_1000000001"
LOOKALIKE = "120210000000000007"  # the demo's budget-limited winner (ROAS ~3.5, budget R$ 300)


def opportunities(world: Any, chat: str = "console:ana") -> list[Any]:
    return [
        r for r in world.to(chat) if r.data.get("template") == "alert" and r.title.startswith("💡")
    ]


def test_a_budget_limited_winner_reaches_slack_with_a_raise_card(make_pushed: Any) -> None:
    pushed = make_pushed(channel="C0OPPS", number="5511966665555", target_roas=Decimal("1.5"))
    pushed.hourly(1)  # 16:00 in São Paulo: the day's opportunity check runs

    post, card = pushed.posts()  # the alert, then the approval card below it
    text = post.params["text"]
    assert "💡 oportunidade de escalar" in text
    assert "Prospecção Lookalike 1% Compradores" in text and "meta 1,50x" in text
    assert "orçamento esgotado em 7 deles" in text and "/dia a ganhar" in text
    # The raise goes through the supervisor and waits for an approver (policy: budget changes).
    with pushed.rt.db.session() as session:
        [proposal] = session.scalars(select(Proposal).where(Proposal.proposer_id == "smart-alerts"))
        assert (proposal.kind, proposal.target_id, proposal.state) == (
            "set_budget",
            LOOKALIKE,
            "pending",
        )
        assert proposal.new_value["daily_budget"] == "36000"  # R$ 300 + 20%
    assert "Prospecção Lookalike 1% Compradores" in str(card.params.get("blocks"))
    assert "R$ 360" in str(card.params.get("blocks"))  # the new budget on the card
    # WhatsApp (window closed): the alert template, then the approval template with its buttons.
    assert [t["name"] for t in pushed.templates()] == ["budget_alert", "approval_request"]

    pushed.hourly(30)  # the next day's check finds it again: the same incident, no new message
    assert len([p for p in pushed.posts() if "oportunidade de escalar" in p.params["text"]]) == 1
    with pushed.rt.db.session() as session:
        assert len(session.scalars(select(Proposal)).all()) == 1


def test_a_rising_audience_is_an_opportunity_and_mutable(make_world: Any) -> None:
    world = make_world()
    [ack] = world.say("silenciar alertas de oportunidade por 3 dias")
    assert ack.text.startswith("Alertas de oportunidades silenciados até")
    [listing] = world.say("alertas")
    assert "oportunidade de escalar: silenciado até" in listing.text
    assert "público em alta: silenciado até" in listing.text
    world.sandbox.inject_incident(DEMO, "segment_surge", segment="age=35-44", magnitude=2.0)
    world.sandbox.advance_clock(days=2)
    run_due(world.rt, kinds=[Kind.ALERTS])
    assert opportunities(world) == []  # muted

    world.sandbox.advance_clock(days=5)
    run_due(world.rt, kinds=[Kind.ALERTS])
    [alert] = opportunities(world)
    assert alert.title == "💡 público em alta · Loja Aurora (demo)"
    assert "35-44 anos: ROAS" in alert.text and "/dia a mais na verba atual" in alert.text
    assert "quem compra?" in alert.text
    # Bob's account (English, no surge) gets nothing.
    assert opportunities(world, "console:bob") == []


def test_opportunities_in_english(make_world: Any) -> None:
    world = make_world()
    world.say("english")
    [ack] = world.say("mute opportunity alerts for 2 days")
    assert ack.text.startswith("Opportunity alerts muted until")
    world.sandbox.inject_incident(DEMO, "segment_surge", segment="age=35-44", magnitude=2.0)
    world.sandbox.advance_clock(days=7)
    run_due(world.rt, kinds=[Kind.ALERTS])
    [alert] = opportunities(world)
    assert alert.title == "💡 rising audience · Loja Aurora (demo)"
    assert "ages 35-44: ROAS" in alert.text and "/day more at today's spend" in alert.text
    assert "who buys?" in alert.text

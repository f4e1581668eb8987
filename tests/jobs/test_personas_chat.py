"""``quem compra?`` on the console: personas from the sandbox's breakdowns with a chart, and the
button that proposes a paused ad set aimed at the best one (through the supervisor)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from storage.models import Proposal
from tests.support.console import say
from vocabulary.inbound import Action


def test_who_buys_lists_three_to_five_personas_with_a_chart(make_world: Any) -> None:
    world = make_world()
    [reply] = world.say("quem compra?")
    assert reply.title.startswith("Quem compra")
    lines = [line for line in reply.text.splitlines() if "do investimento" in line]
    assert 3 <= len(lines) <= 5
    assert all("ROAS" in line and "CPA R$" in line for line in lines)
    # Best ROAS first, and the shares of spend add up to the whole account.
    roas = [Decimal(line.split("ROAS ")[1].split("x")[0].replace(",", ".")) for line in lines]
    assert roas == sorted(roas, reverse=True)
    shares = [int(line.split(": ")[1].split("%")[0]) for line in lines]
    assert 98 <= sum(shares) <= 102
    assert reply.chart is not None and reply.chart.png.startswith(b"\x89PNG")
    assert "Onde compram melhor:" in reply.text
    assert reply.buttons and reply.buttons[0].label.startswith("Criar conjunto pausado para")

    [english] = world.say("who buys?", user="bob")
    assert english.title.startswith("Who buys") and "of spend" in english.text
    assert world.say("personas")[0].title.startswith("Quem compra")


def test_the_button_proposes_a_paused_ad_set_for_the_best_persona(make_world: Any) -> None:
    world = make_world()
    [listing] = world.say("quem compra?")
    button = listing.buttons[0]
    say(world.rt, user="ana", action=button.action, at=world.sandbox.now())
    with world.rt.db.session() as session:
        [proposal] = session.scalars(select(Proposal).where(Proposal.kind == "create_draft")).all()
    [adset] = proposal.new_value["adsets"]
    assert adset["status"] == "PAUSED" and proposal.new_value["campaign"]["status"] == "PAUSED"
    assert adset["name"].startswith("Persona · ")
    assert adset["targeting"]["geo_locations"] == {"countries": ["BR"]}
    assert int(adset["daily_budget"]) > 0
    assert "melhor ROAS" in proposal.reason
    # A stale or forged button gets a clear answer, not a traceback.
    [stale] = say(world.rt, user="ana", action=Action("persona.adset", "9"), at=world.sandbox.now())
    assert stale.kind == "error" and "quem compra?" in stale.text

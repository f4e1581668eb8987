"""Smart alerts end to end: inject an incident in the sandbox, advance the clock, the hourly
job alerts the chat (one message, a chart, a proposal card), then marks it resolved in place."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from jobs.schedules import Kind, run_due
from storage.models import AlertState, Proposal

DEMO = "act_1000000001"
HISTORY_HOURS = 4 * 24  # three complete local days of hourly reads, and then some


def hourly(world: Any, hours: int) -> None:
    """Advance the sandbox hour by hour; the scheduler fans out the smart-alerts job each time."""
    for _ in range(hours):
        world.sandbox.advance_clock(hours=1)
        run_due(world.rt, kinds=[Kind.ALERTS])


def smart(world: Any, chat: str = "console:ana") -> list[Any]:
    return [
        r for r in world.to(chat) if r.data.get("template") == "alert" and "incidents" in r.data
    ]


def test_a_cpm_shock_is_alerted_within_two_hours_then_resolved_in_place(make_world: Any) -> None:
    world = make_world()
    hourly(world, HISTORY_HOURS)
    assert smart(world) == []  # four quiet days: no false alert

    world.sandbox.inject_incident(DEMO, "cpm_shock", hours=5, magnitude=2.0)
    hourly(world, 2)
    [alert] = smart(world)
    assert alert.title.startswith("⚠️ CPM em alta")
    assert "R$" in alert.text and "/dia em jogo" in alert.text and "desde" in alert.text
    assert alert.chart is not None and alert.chart.png.startswith(b"\x89PNG")
    # A budget cut goes to the supervisor; Ana (admin) gets its approval card after the alert.
    with world.rt.db.session() as session:
        [proposal] = session.scalars(
            select(Proposal).where(Proposal.proposer_id == "smart-alerts")
        ).all()
    assert proposal.kind == "set_budget"
    kinds = world.kinds("console:ana")
    assert kinds.index("notice") < kinds.index("approval")

    hourly(world, 8)  # the shock ends after 5 hours; two quiet runs resolve it
    assert len(smart(world)) == 1  # no second message: the first one is edited
    edits = [reply for ref, reply in world.sender.updates if "incidents" in reply.data]
    assert edits and edits[-1].title.startswith("✅ Resolvido: CPM em alta")
    with world.rt.db.session() as session:
        state = session.scalar(select(AlertState))
    assert state is not None and state.lifecycle["open"] == []


def test_a_muted_kind_stays_quiet_and_alertas_says_so(make_world: Any) -> None:
    world = make_world()
    hourly(world, HISTORY_HOURS)
    [ack] = world.say("silenciar alertas de CPM por 24h")
    assert ack.text.startswith("Alertas de CPM em alta silenciados até")
    [ack] = world.say("alertas de CPA acima de 30%")
    assert "só para variações acima de 30%" in ack.text
    world.sandbox.inject_incident(DEMO, "cpm_shock", hours=5, magnitude=2.0)
    hourly(world, 3)
    assert smart(world) == []
    [reply] = world.say("alertas")
    listing = reply.text
    assert listing.startswith("Limite mensal")  # the budget alerts first, then the smart ones
    assert "CPM em alta: silenciado até" in listing
    assert "CPA em alta: ativo, só variações acima de 30%" in listing
    assert "rastreamento quebrado: ativo" in listing


def test_english_forms_and_clear_errors(make_world: Any) -> None:
    world = make_world()
    [ack] = world.say("mute CPM alerts for 2 days", user="bob")
    assert ack.text.startswith("CPM spike alerts muted until")
    [ack] = world.say("CPA alerts above 25%", user="bob")
    assert ack.text == "CPA rise alerts only for changes above 25%."
    [error] = world.say("mute weather alerts for 2h", user="bob")
    assert error.kind == "error" and "I don't know “weather” alerts" in error.text
    [error] = world.say("mute CPM alerts for 90 days", user="bob")
    assert error.kind == "error" and "up to 30 days" in error.text

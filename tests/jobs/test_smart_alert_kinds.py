"""Each sandbox incident, as a user meets it: the chat gets the alert of its kind within hours of
the onset, with what, since when and the money at stake (issue 17). Timing of each is printed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.jobs.test_smart_alerts import HISTORY_HOURS, hourly, smart

DEMO = "act_1000000001"


def first_alert_within(world: Any, hours: int) -> tuple[int, Any]:
    for hour in range(1, hours + 1):
        hourly(world, 1)
        found = smart(world)
        if found:
            return hour, found
    raise AssertionError(f"no alert within {hours} hours")


@pytest.mark.parametrize(
    ("kind", "magnitude", "within", "title"),
    [
        # the demo sells ~1 an hour: silence is conclusive only after about half a day
        ("broken_pixel", None, 16, "rastreamento quebrado"),
        ("delivery_stall", None, 2, "entrega parada"),
        ("ctr_drop", None, 2, "CTR despencou"),
    ],
)
def test_an_incident_is_alerted_by_its_kind(
    make_world: Any, kind: str, magnitude: float | None, within: int, title: str
) -> None:
    world = make_world()
    hourly(world, HISTORY_HOURS)
    world.sandbox.inject_incident(DEMO, kind, hours=24, magnitude=magnitude)
    hours, [alert] = first_alert_within(world, within)
    print(f"{kind}: alerted after {hours} h")
    assert title in alert.title
    assert "desde" in alert.text and "/dia em jogo" in alert.text


def test_a_spend_surge_overdelivers_and_runs_the_budget_out_early(make_world: Any) -> None:
    world = make_world()
    hourly(world, HISTORY_HOURS + 9)  # local midnight in São Paulo
    world.sandbox.inject_incident(DEMO, "delivery_stall", hours=24, magnitude=2.5)  # 2.5x pace
    hours, alerts = first_alert_within(world, 2)
    print(f"spend surge: alerted after {hours} h")
    assert "gasto acima do normal" in alerts[0].text
    hourly(world, 10)  # by 10:00 most of the day's budget is gone
    texts = " ".join([a.text for a in smart(world)] + [r.text for _, r in world.sender.updates])
    assert "orçamento acabando cedo" in texts
    assert "O orçamento pode acabar antes do melhor horário." in texts


def test_a_chat_threshold_keeps_smaller_changes_out(make_world: Any) -> None:
    world = make_world()
    [ack] = world.say("alertas de CTR acima de 80%")
    assert ack.text == "Alertas de CTR despencou só para variações acima de 80%."
    hourly(world, HISTORY_HOURS)
    world.sandbox.inject_incident(DEMO, "ctr_drop", hours=6, magnitude=0.4)  # CTR -60%
    hourly(world, 4)
    assert smart(world) == []  # alerted to the account, below this chat's bar
    [listing] = world.say("alertas")
    assert "CTR despencou: ativo, só variações acima de 80%" in listing.text

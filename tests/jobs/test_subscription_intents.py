"""Managing pushes in chat: the words (pure matchers through the real router) and their effect."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.core.routes import ROUTER
from bot.core.schedule_intents import parse_hour
from storage.models import Subscription
from vocabulary.parsing import normalize


@pytest.mark.parametrize(
    ("text", "route", "args"),
    [
        ("relatório diário às 9h", "daily_report", {"enabled": True, "hour": 9}),
        ("Relatório diário", "daily_report", {"enabled": True, "hour": None}),
        ("quero o relatório diário às 18:00", "daily_report", {"enabled": True, "hour": 18}),
        ("daily report at 9am", "daily_report", {"enabled": True, "hour": 9}),
        ("send me the daily report at 6 pm", "daily_report", {"enabled": True, "hour": 18}),
        ("parar relatório diário", "daily_report", {"enabled": False}),
        ("stop daily report", "daily_report", {"enabled": False}),
        ("relatório diário às 9h30", "daily_report", {"enabled": True, "hour": -1}),
        ("desligar alertas", "alerts_switch", {"enabled": False}),
        ("turn off alerts", "alerts_switch", {"enabled": False}),
        ("ligar alertas", "alerts_switch", {"enabled": True}),
        ("alertas a 70%", "alert_thresholds", {"thresholds": [70]}),
        ("alertas em 70% e 90%", "alert_thresholds", {"thresholds": [70, 90]}),
        ("alerts at 50% and 90%", "alert_thresholds", {"thresholds": [50, 90]}),
        ("enviar relatório agora", "send_now", {}),
        ("mande o relatório diário agora", "send_now", {}),
        ("send report now", "send_now", {}),
        ("assinaturas", "subscriptions", {}),
        # What must keep its old meaning:
        ("relatório", "report", None),
        ("alertas", "alerts", {}),
        ("pausar campanha black friday", "pause", {"target": "black friday"}),
    ],
)
def test_words_reach_the_right_route(text: str, route: str, args: dict[str, Any] | None) -> None:
    matched = ROUTER.match(normalize(text), "pt-BR")
    assert matched is not None and matched[0].name == route
    if args is not None:
        assert matched[1] == args


def test_hours() -> None:
    assert [parse_hour(t) for t in ("9h", "as 18", "18:00", "9am", "12am", "6 pm", "25h")] == [
        9,
        18,
        18,
        9,
        0,
        18,
        -1,
    ]


def test_chat_settings_are_per_conversation_and_explained(make_world: Any) -> None:
    world = make_world()
    assert world.say("relatório diário às 25h")[0].kind == "error"
    world.say("relatório diário às 7h")
    world.say("alertas a 60% e 90%")
    [summary] = world.say("assinaturas")
    assert summary.text == "Nesta conversa: relatório diário às 7h; alertas em 60%, 90% e 100%."
    [english] = world.say("subscriptions", user="bob")
    assert english.text == "In this chat: daily report at 18:00; alerts at 80% and 100%."
    world.say("desligar alertas")
    with world.rt.db.session() as session:
        rows = {
            (s.kind, s.enabled, s.hour, tuple(s.thresholds or ()))
            for s in session.scalars(select(Subscription))
        }
    assert rows == {("daily_report", True, 7, ()), ("alerts", False, None, (60, 90, 100))}

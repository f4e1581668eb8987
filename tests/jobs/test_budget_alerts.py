"""Budget alerts: once per threshold per month, again next month, per-chat thresholds, proposals."""

from __future__ import annotations

from decimal import ROUND_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from jobs import runs
from storage.models import Proposal, Role
from storage.repositories import add_user, ensure_workspace

DEMO = "act_1000000001"


def alerts(world: Any, chat: str = "console:ana") -> list[Any]:
    return [
        r
        for r in world.to(chat)
        if r.kind == "notice"
        and "limite" in r.text.lower()
        and not (r.title or "").startswith("☀️")  # the morning digest mentions the limit too
    ]


def month_to_date(world: Any) -> Decimal:
    today = world.sandbox.now().astimezone(ZoneInfo("America/Sao_Paulo")).date()
    return Decimal(world.sandbox.state.totals(DEMO, today.replace(day=1), today).spend)


def limit_for(world: Any, share: str) -> int:
    """A monthly limit (major units) that month-to-date spend fills to ``share`` (e.g. "0.85")."""
    return int((month_to_date(world) / Decimal(share) / 100).quantize(Decimal(1), ROUND_UP))


def test_alerts_once_per_threshold_per_month_and_again_next_month(make_world: Any) -> None:
    world = make_world()
    world.report_at(world.ws1, 4)
    world.set_limit(world.ws1, limit_for(world, "0.85"))
    world.advance(hours=1)
    [first] = alerts(world)
    assert first.title.startswith("⚠️ Orçamento do mês: 8")
    assert "Projeção para o fim do mês" in first.text
    assert first.data["limit"].startswith("R$")
    # Approval cards for the reductions reach Ana (an admin approves), after the alert.
    kinds = world.kinds("console:ana")
    assert kinds.index("notice") < kinds.index("approval")
    with world.rt.db.session() as session:
        proposals = session.scalars(
            select(Proposal).where(Proposal.proposer_id == "budget-check")
        ).all()
    assert proposals and all(p.kind == "set_budget" for p in proposals)
    assert all(
        Decimal(p.new_value["daily_budget"]) < Decimal(p.current_value["daily_budget"])
        for p in proposals
    )

    world.advance(hours=5)  # still above 80% every hour: no repeat
    assert len(alerts(world)) == 1

    world.set_limit(world.ws1, limit_for(world, "1.02"))  # now past 100%
    world.advance(hours=1)
    assert len(alerts(world)) == 2
    assert alerts(world)[-1].title.startswith("🛑 Limite mensal atingido")
    world.advance(hours=3)
    assert len(alerts(world)) == 2

    world.sandbox.set_clock(world.sandbox.now().replace(month=12, day=1, hour=12))
    world.set_limit(world.ws1, 100_000)  # December starts from zero, on a comfortable pace
    world.advance(hours=1)
    assert len(alerts(world)) == 2
    world.set_limit(world.ws1, limit_for(world, "0.9"))
    world.advance(hours=1)
    assert len(alerts(world)) == 3
    assert alerts(world)[-1].title.startswith("⚠️ Orçamento do mês: 9")
    assert "2026-12" in alerts(world)[-1].context


def test_projection_overshoot_alerts_once_before_any_threshold(make_world: Any) -> None:
    world = make_world()
    world.report_at(world.ws1, 4)
    world.set_limit(world.ws1, limit_for(world, "0.6"))  # 60% used, pace ends the month ~90%+
    world.advance(hours=1)
    assert alerts(world) == []
    world.set_limit(world.ws1, limit_for(world, "0.7"))  # 70%: the pace now overshoots
    world.advance(hours=1)
    [alert] = alerts(world)
    assert alert.title == "📈 No ritmo atual o mês fecha acima do limite"
    world.advance(hours=2)
    assert len(alerts(world)) == 1


def test_each_chat_keeps_its_own_thresholds_and_can_turn_alerts_off(make_world: Any) -> None:
    world = make_world()
    world.report_at(world.ws1, 4)
    with world.rt.db.session() as session:
        add_user(session, ensure_workspace(session), role=Role.ADMIN, console_name="carla")
    world.say("oi", "carla")
    # Late in the month the pace no longer overshoots a limit that is 75% used.
    world.sandbox.set_clock(world.sandbox.now().replace(day=29))
    [reply] = world.say("alertas a 70%")
    assert reply.text.startswith(
        "Combinado: aviso nesta conversa quando o gasto do mês chegar a 70% e 100% do limite."
    )
    world.set_limit(world.ws1, limit_for(world, "0.75"))
    world.advance(hours=1)
    assert len(alerts(world, "console:ana")) == 1  # Ana asked for 70%
    assert alerts(world, "console:carla") == []  # Carla keeps the default 80%

    [reply] = world.say("desligar alertas")
    assert reply.text.startswith("Alertas de orçamento desligados nesta conversa.")
    world.set_limit(world.ws1, limit_for(world, "1.05"))
    world.advance(hours=1)
    assert len(alerts(world, "console:ana")) == 1
    assert [a.title.split(":")[0] for a in alerts(world, "console:carla")] == [
        "🛑 Limite mensal atingido"
    ]
    # Once past the limit the supervisor may pause the biggest spenders at once (fast track).
    with world.rt.db.session() as session:
        pauses = session.scalars(
            select(Proposal).where(Proposal.proposer_id == "budget-check", Proposal.kind == "pause")
        ).all()
    assert pauses


def test_no_limit_no_budget_check(make_world: Any) -> None:
    world = make_world()
    world.report_at(world.ws1, 4)
    world.advance(hours=2)
    assert runs.records(world.rt.db, "budget-check:") == []
    world.set_limit(world.ws1, 1_000_000)
    world.advance(hours=1)
    assert [r.key for r in runs.records(world.rt.db, "budget-check:")] == [
        f"budget-check:ws{world.ws1}:2026112018"
    ]

"""The daily report, pushed at each workspace's local hour with the sandbox's own figures."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from jobs import runs
from jobs.schedules import JobSpec, Kind, run_due, run_spec
from storage.models import Subscription
from vocabulary.i18n import Locale

DEMO, US = "act_1000000001", "act_1000000002"


def reports(world: Any, chat: str) -> list[Any]:
    return [r for r in world.to(chat) if r.kind == "report"]


def test_report_at_18h_local_with_the_sandbox_figures_chart_and_template_data(
    make_world: Any,
) -> None:
    world = make_world()
    world.advance(hours=2)  # 17:00 in São Paulo: nothing yet
    assert reports(world, "console:ana") == []
    world.advance(hours=1)  # 18:00 in São Paulo, 16:00 in New York
    [report] = reports(world, "console:ana")
    assert reports(world, "console:bob") == []

    day = date(2026, 11, 19)  # the last complete day
    truth = world.sandbox.state.totals(DEMO, day, day)
    before = world.sandbox.state.totals(DEMO, day - timedelta(days=1), day - timedelta(days=1))
    pt = Locale("pt-BR")
    figures = {f.label: f for f in report.figures}
    assert figures["Investimento"].value == pt.money(Decimal(truth.spend), "BRL")
    assert figures["Receita"].value == pt.money(Decimal(truth.revenue), "BRL")
    assert figures["Conversões"].value == pt.number(truth.purchases)
    assert figures["ROAS"].value == pt.ratio(Decimal(truth.revenue) / Decimal(truth.spend))
    spend_change = (Decimal(truth.spend) - before.spend) * 100 / before.spend
    assert figures["Investimento"].change.startswith(f"{pt.change(spend_change)} vs dia anterior")
    assert "vs média 7d" in figures["Investimento"].change
    assert report.title == "Relatório diário · 19 de nov. de 2026"
    assert "🏆 Melhor campanha" in report.text and "⚠️ Pior campanha" in report.text
    assert "🔀 O que mudou" in report.text
    assert report.chart is not None and report.chart.png.startswith(b"\x89PNG")
    assert report.data["spend"] == pt.money(Decimal(truth.spend), "BRL")
    assert set(report.data) >= {"account", "period", "spend", "roas", "conversions", "cpa"}

    world.advance(hours=2)  # 18:00 in New York: Bob's report, in English and dollars
    [english] = reports(world, "console:bob")
    us_truth = world.sandbox.state.totals(US, day, day)
    en = Locale("en")
    assert english.title == "Daily report · Nov 19, 2026"
    assert {f.label: f.value for f in english.figures}["Spend"] == en.money(
        Decimal(us_truth.spend), "USD"
    )
    assert len(reports(world, "console:ana")) == 1


def test_a_re_run_or_a_second_scheduler_sends_once(make_world: Any) -> None:
    world = make_world()
    world.advance(hours=3)
    assert len(reports(world, "console:ana")) == 1
    # The same look at the clock again (a second scheduler, a restart): nothing new.
    again = run_due(world.rt, first_lookback=timedelta(hours=24))
    assert not [j for j in again.enqueued if j.startswith("daily-report")]
    # Even a forced re-run of the very same slot is refused by its run record.
    [record] = runs.records(world.rt.db, "daily-report:ws1:")[:1]
    spec = JobSpec(
        Kind.REPORT,
        datetime_of(record.detail["slot"]),
        record.key.rsplit(":", 1)[1],
        world.ws1,
        world.account1,
        f"ws{world.ws1}:{DEMO}",
        18,
    )
    assert spec.job_id == record.key
    assert run_spec(world.rt, spec) == "duplicate"
    assert len(reports(world, "console:ana")) == 1


def datetime_of(text: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(text)


def test_a_chat_chooses_its_own_hour_and_can_stop(make_world: Any) -> None:
    world = make_world()
    [reply] = world.say("relatório diário às 9h")
    assert reply.text == (
        "Combinado: envio o relatório diário aqui todos os dias às 9h (America/Sao_Paulo)."
    )
    with world.rt.db.session() as session:
        sub = session.scalar(select(Subscription))
        assert (sub.kind, sub.hour, sub.enabled) == ("daily_report", 9, True)
    world.advance(hours=3)  # 18:00: Ana now wants hers at 9h
    assert reports(world, "console:ana") == []
    world.advance(hours=15)  # 9:00 next day
    assert [r.title for r in reports(world, "console:ana")] == [
        "Relatório diário · 20 de nov. de 2026"
    ]
    world.say("parar relatório diário")
    world.advance(hours=24)
    assert len(reports(world, "console:ana")) == 1


def test_send_now_answers_in_the_chat(make_world: Any) -> None:
    world = make_world()
    assert world.say("enviar relatório agora") == []  # the report comes from a job, to this chat
    [reply] = world.to("console:ana")
    assert reply.kind == "report" and reply.title == "Relatório diário · 19 de nov. de 2026"
    assert reply.chart is not None

"""The brain in chat, as a media buyer uses it: margin and autonomy, "por que?", "previsão",
"simular orçamento" (figures from the models, nothing written)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from storage.models import AdAccount, Proposal
from storage.repositories import workspace_settings


def test_the_gross_margin_and_autonomy_are_set_in_chat_and_shown_with_break_even(
    make_world: Any,
) -> None:
    world = make_world()
    [reply] = world.say("margem bruta 45%")
    assert "Margem bruta" in reply.text and "ROAS de equilíbrio 2,22x" in reply.text
    [reply] = world.say("gross margin 120%")
    assert reply.kind == "error" and "entre 0 e 100" in reply.text
    [reply] = world.say("autonomia assistido")
    assert "assistido" in reply.text
    [shown] = world.say("configurações")
    assert "• Margem bruta: 45,00% (ROAS de equilíbrio 2,22x)" in shown.text
    assert "• Autonomia: assistido" in shown.text
    with world.rt.db.session(world.ws1) as session:
        prefs = workspace_settings(session, world.ws1)
        assert (prefs.gross_margin, prefs.autonomy) == (Decimal(45), "assisted")


def test_without_a_margin_settings_say_the_roas_target_stands_in(make_world: Any) -> None:
    world = make_world()
    world.say("meta de roas 3")
    [shown] = world.say("configurações")
    assert "a meta de ROAS 3,00x vale como equilíbrio" in shown.text


def test_simulate_a_budget_gives_a_range_and_writes_nothing(make_world: Any) -> None:
    world = make_world()
    world.say("margem bruta 45%")
    with world.rt.db.session() as session:
        account = session.get(AdAccount, world.account1)
        assert account is not None
        session.expunge(account)
    ads = world.rt.ads(account)
    before = {s.id: s.daily_budget for s in ads.list_adsets(account.external_id)}
    [reply] = world.say("simular orçamento remarketing 350")  # the campaign: its one ad set
    assert reply.title == "Simulação · Visitantes 7d + Carrinho a R$ 350,00/dia"
    assert "Lucro de contribuição" in reply.text and " a " in reply.text  # a range
    assert "Simulação: nada foi alterado." in reply.text
    [english] = world.say("simulate budget visitantes 300")
    assert english.title == "Simulação · Visitantes 7d + Carrinho a R$ 300,00/dia"
    after = {s.id: s.daily_budget for s in ads.list_adsets(account.external_id)}
    assert before == after
    with world.rt.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Proposal)) == 0


def test_forecast_shows_the_month_now_and_with_pending_proposals(make_world: Any) -> None:
    world = make_world()
    world.report_at(world.ws1, 5)
    world.say("margem bruta 45%")
    [now] = world.say("previsão")
    assert now.kind == "report" and now.title == "Previsão do mês · Loja Aurora (demo)"
    assert "Nos orçamentos atuais: investimento R$ " in now.text
    assert "lucro de contribuição" in now.text
    assert "propostas pendentes" not in now.text
    world.advance(hours=17)  # the night plans, the morning proposes (pending: manual autonomy)
    [later] = world.say("forecast")
    assert "propostas pendentes" in later.text


def test_why_explains_the_last_card_with_its_figures_and_curve(make_world: Any) -> None:
    world = make_world()
    world.report_at(world.ws1, 5)
    world.say("margem bruta 45%")
    world.advance(hours=17)
    cards = [r for r in world.to("console:ana") if r.kind == "approval"]
    assert cards
    # The morning brought several cards at once: "por que?" asks which, never guesses.
    [which] = world.say("por que?")
    assert which.text == "Qual das propostas?" and len(which.buttons) == len(cards)
    with world.rt.db.session() as session:
        latest = session.scalars(
            select(Proposal)
            .where(
                Proposal.proposer_id == "nightly-optimization",
                Proposal.kind == "set_budget",
                Proposal.explanation.is_not(None),
            )
            .order_by(Proposal.created_at.desc(), Proposal.id)
        ).first()
    assert latest is not None
    # by id: two cards may name the same target (and ties on created_at pick either)
    chosen = next(b for b in which.buttons if latest.id[:8] in b.action.value)
    assert chosen.label == latest.target_name
    [why] = world.say(chosen.action.value)
    assert why.title == f"Por que: {latest.target_name}"
    assert "ROAS marginal" in why.text and "equilíbrio 2,22x" in why.text
    assert why.chart is not None and why.chart.png.startswith(b"\x89PNG")
    [first] = world.say("explique a proposta 1")
    assert first.title and first.title.startswith("Por que: ")


def test_a_why_button_finds_its_card_when_the_id_begins_with_digits_only(make_world: Any) -> None:
    world = make_world()
    world.report_at(world.ws1, 5)
    world.say("margem bruta 45%")
    world.advance(hours=17)
    with world.rt.db.session() as session:
        row = session.scalars(
            select(Proposal).where(Proposal.explanation.is_not(None)).order_by(Proposal.id)
        ).first()
        assert row is not None
        row.id = "12345678" + row.id[8:]  # about 1 id in 43 starts with eight digits
        name = row.target_name
    [which] = world.say("por que?")
    chosen = next(b for b in which.buttons if "12345678" in b.action.value)
    [why] = world.say(chosen.action.value)
    assert why.title == f"Por que: {name}"


def test_a_rule_is_backtested_then_watched_in_shadow_mode_and_reported(make_world: Any) -> None:
    world = make_world()
    world.report_at(world.ws1, 5)
    world.say("margem bruta 45%")
    world.say("meta de cpa 45")
    [backtest] = world.say("testar regra: pausar se CPA > 2x a meta por 3 dias")
    assert backtest.kind == "report"
    assert backtest.title == "Teste da regra: pausar se cpa > 2x a meta por 3 dias"
    assert "Em 30 dias, com os números como estavam em cada manhã, ela teria agido" in backtest.text
    assert "Efeito estimado no lucro de contribuição" in backtest.text
    [unknown] = world.say("testar regra: fazer alguma coisa")
    assert unknown.kind == "error" and "Exemplos" in unknown.text

    [started] = world.say("regra em modo sombra por 1 dias")
    assert "Regra em modo sombra por 1 dias" in started.text
    [listed] = world.say("regras")
    assert "pausar se cpa > 2x a meta por 3 dias: rodando" in listed.text
    world.advance(hours=8)  # 23:00: the night logs what the rule would do, acting on nothing
    world.advance(hours=24)  # the next night the shadow period ends: the report comes here
    reports = [
        r for r in world.to("console:ana") if (r.title or "").startswith("Fim do modo sombra")
    ]
    assert len(reports) == 1
    with world.rt.db.session() as session:
        from storage.models import ShadowRule

        rule = session.scalars(select(ShadowRule)).one()
        assert rule.status == "reported" and any(e.get("checked") for e in rule.log)
        rule_made = session.scalar(
            select(func.count()).select_from(Proposal).where(Proposal.proposer_kind == "user")
        )
    assert rule_made == 0  # shadow mode never proposed or wrote anything

"""Routine requests are understood in pt-BR and English without any LLM."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.core.routes import ROUTER
from vocabulary.parsing import normalize, parse_amount
from vocabulary.periods import PeriodSpec, resolve_period


def intent(text: str, language: str = "pt-BR") -> tuple[str, dict] | None:
    matched = ROUTER.match(normalize(text), language)
    return (matched[0].name, matched[1]) if matched else None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ajuda", "help"),
        ("Help", "help"),
        ("oi", "help"),
        ("campanhas", "campaigns"),
        ("listar campanhas", "campaigns"),
        ("list campaigns", "campaigns"),
        ("histórico", "history"),
        ("history", "history"),
        ("alertas", "alerts"),
        ("uso", "usage"),
        ("English", "language"),
        ("fale em português", "language"),
    ],
)
def test_simple_commands(text: str, name: str) -> None:
    found = intent(text)
    assert found is not None and found[0] == name


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("como estão minhas campanhas hoje?", PeriodSpec("today")),
        ("relatório dos últimos 7 dias", PeriodSpec("last_n", 7)),
        ("report last 30 days", PeriodSpec("last_n", 30)),
        ("relatório de ontem", PeriodSpec("yesterday")),
        ("status deste mês", PeriodSpec("this_month")),
        ("/ads report", PeriodSpec("last_n", 7)),
        ("how did we do yesterday", PeriodSpec("yesterday")),
        ("relatorio ultimos 14 dias", PeriodSpec("last_n", 14)),
    ],
)
def test_reports_with_periods(text: str, period: PeriodSpec) -> None:
    assert intent(text) == ("report", {"period": period})


def test_schedule_phrases_are_not_on_demand_reports() -> None:
    found = intent("relatório diário às 9h")
    assert found is None or found[0] != "report"


@pytest.mark.parametrize(
    ("text", "name", "target"),
    [
        ("pausar a campanha Black Friday", "pause", "black friday"),
        ("pause black friday", "pause", "black friday"),
        ("pausar 3", "pause", "3"),
        ("ativar remarketing", "resume", "remarketing"),
        ("resume the campaign catalog", "resume", "catalog"),
    ],
)
def test_pause_and_resume_name_their_target(text: str, name: str, target: str) -> None:
    assert intent(text) == (name, {"target": target})


def test_turning_off_alerts_is_not_pausing_a_campaign() -> None:
    matched = intent("desligar alertas")
    assert matched is None or matched[0] != "pause"


@pytest.mark.parametrize(
    ("text", "language", "target", "amount"),
    [
        ("orçamento remarketing 150", "pt-BR", "remarketing", Decimal("150")),
        (
            "orçamento da campanha black friday para R$ 1.500,50",
            "pt-BR",
            "black friday",
            Decimal("1500.50"),
        ),
        ("budget catalog to $1,200.75", "en", "catalog", Decimal("1200.75")),
        ("budget 2 2k", "en", "2", Decimal("2000")),
    ],
)
def test_budget_changes_parse_money_by_locale(
    text: str, language: str, target: str, amount: Decimal
) -> None:
    assert intent(text, language) == ("budget", {"target": target, "amount": amount})


@pytest.mark.parametrize(
    ("raw", "language", "expected"),
    [
        ("1.500", "pt-BR", Decimal("1500")),
        ("1.500", "en", Decimal("1.500")),
        ("1,5", "pt-BR", Decimal("1.5")),
        ("1,500", "en", Decimal("1500")),
        ("R$ 2.345,67", "pt-BR", Decimal("2345.67")),
        ("3 mil", "pt-BR", Decimal("3000")),
        ("abc", "pt-BR", None),
    ],
)
def test_parse_amount(raw: str, language: str, expected: Decimal | None) -> None:
    assert parse_amount(normalize(raw), language) == expected


def test_periods_resolve_in_days_like_meta() -> None:
    today = date(2026, 11, 20)
    assert resolve_period(PeriodSpec("today"), today) == (today, today)
    assert resolve_period(PeriodSpec("last_n", 7), today) == (
        date(2026, 11, 13),
        date(2026, 11, 19),
    )
    assert resolve_period(PeriodSpec("this_month"), today) == (date(2026, 11, 1), today)
    assert resolve_period(PeriodSpec("last_month"), today) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
    )


def test_unknown_text_falls_through_to_the_fallback() -> None:
    assert intent("qual a cor do céu em marte") is None


@pytest.mark.parametrize(
    "text",
    [
        "analise o desempenho da última semana",
        "analyze ROAS last 30 days",
        "planeje uma campanha de Black Friday com R$ 5.000",
        "escreva 5 headlines para o remarketing",
    ],
)
def test_crew_requests_are_not_mistaken_for_reports(text: str) -> None:
    assert intent(text) is None  # the fallback: the crew, or the report with a note without an LLM


@pytest.mark.parametrize(
    ("text", "language", "args"),
    [
        (
            "aumenta o orçamento do remarketing para 300",
            "pt-BR",
            {"target": "remarketing", "amount": Decimal("300")},
        ),
        (
            "reduzir o orçamento da black friday em 20%",
            "pt-BR",
            {"target": "black friday", "percent": Decimal("-20")},
        ),
        (
            "aumenta o orçamento do catálogo em 50 reais",
            "pt-BR",
            {"target": "catalogo", "delta": Decimal("50")},
        ),
        ("orçamento 2 +15%", "pt-BR", {"target": "2", "percent": Decimal("15")}),
        ("budget catalog -50", "en", {"target": "catalog", "delta": Decimal("-50")}),
        (
            "increase the budget of lookalike by 15%",
            "en",
            {"target": "lookalike", "percent": Decimal("15")},
        ),
        (
            "orçamento lookalike 20%",
            "pt-BR",
            {"target": "lookalike", "unsigned_percent": Decimal("20")},
        ),
    ],
)
def test_budget_changes_can_be_relative(text: str, language: str, args: dict) -> None:
    assert intent(text, language) == ("budget", args)


@pytest.mark.parametrize(
    ("text", "campaign", "period"),
    [
        ("como está a campanha de remarketing?", "remarketing", PeriodSpec("last_n", 7)),
        (
            "relatório da campanha black friday últimos 30 dias",
            "black friday",
            PeriodSpec("last_n", 30),
        ),
        ("how is the remarketing campaign doing", "remarketing", PeriodSpec("last_n", 7)),
        ("como foi a campanha da black friday ontem", "black friday", PeriodSpec("yesterday")),
    ],
)
def test_a_report_can_name_one_campaign(text: str, campaign: str, period: PeriodSpec) -> None:
    assert intent(text) == ("report", {"period": period, "campaign": campaign})


def test_the_account_report_names_no_campaign() -> None:
    assert intent("como estão minhas campanhas hoje?") == (
        "report",
        {"period": PeriodSpec("today")},
    )

"""Routine phrasing without an LLM (issue 15, item 7): what a media buyer types, as typed."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest

from ads.sandbox.demo import DEMO_ACCOUNT_ID
from bot.console import ConsoleChat
from bot.core.phrasing import match_per_campaign, match_rank, match_relative_budget
from bot.core.suggest import closest, correct
from vocabulary.i18n import Locale
from vocabulary.parsing import normalize

PT, EN = Locale("pt-BR"), Locale("en")
REMARKETING_ADSET = "Remarketing 7d - Carrinho Abandonado › Visitantes 7d + Carrinho"


def run(rt, *lines: str) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    ConsoleChat(rt, user="ana", out=out).run_script(lines)
    return out.getvalue()


def week(sandbox):  # type: ignore[no-untyped-def]
    today = sandbox.now().astimezone(sandbox.state.account(DEMO_ACCOUNT_ID).tz).date()
    return today - timedelta(days=7), today - timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("aumenta 10% no remarketing", {"target": "remarketing", "percent": Decimal(10)}),
        (
            "increase the remarketing budget by 10%",
            {"target": "remarketing", "percent": Decimal(10)},
        ),
        ("corta 20 % da black friday", {"target": "black friday", "percent": Decimal(-20)}),
        ("sobe 50 reais no remarketing", {"target": "remarketing", "delta": Decimal(50)}),
        ("aumenta o remarketing para 300", {"target": "remarketing", "amount": Decimal(300)}),
        ("aumenta 15% na 3", {"target": "3", "percent": Decimal(15)}),
    ],
)
def test_budget_changes_in_any_word_order(text: str, args: dict) -> None:  # type: ignore[type-arg]
    assert match_relative_budget(normalize(text)) == args


@pytest.mark.parametrize(
    "text",
    ["aumenta o roas em 10%", "aumenta 10% no remarketing e 20% na black friday", "aumenta tudo"],
)
def test_what_is_not_a_budget_change_is_left_alone(text: str) -> None:
    assert match_relative_budget(normalize(text)) is None


def test_aumenta_10_no_remarketing_asks_for_the_change_in_both_languages(
    make_runtime, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox)
    out = run(rt, "aumenta 10% no remarketing")
    assert "Precisa de um LLM" not in out and "O que eu sei fazer" not in out
    assert (
        f"Ação: mudar o orçamento diário do conjunto de anúncios “{REMARKETING_ADSET}” "
        "de R$ 250,00 para R$ 275,00"
    ) in out
    out = run(rt, "english", "increase the remarketing budget by 10%")
    assert "needs an LLM" not in out and "What I can do" not in out
    assert f"“{REMARKETING_ADSET}” from R$250.00 to R$275.00" in out


def test_which_campaign_is_worst_or_best_names_the_reports_own(make_runtime, sandbox) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox)
    report = run(rt, "relatório")
    worst = report.split("⚠️ Pior campanha: ")[1].split("\n")[0]
    best = report.split("🏆 Melhor campanha: ")[1].split("\n")[0]

    out = run(rt, "qual campanha está pior?")
    assert "*⚠️ Pior campanha · " in out and worst in out
    assert "Conta no período: ROAS " in out and "[2] Pausar" in out
    assert best in run(rt, "qual a melhor campanha?")

    out = run(rt, "english", "which campaign is the worst?")
    name = worst.split(":")[0]
    assert "*⚠️ Worst campaign · " in out and name in out
    assert "Account over the period: ROAS " in out and "[2] Pause" in out
    assert match_rank(normalize("which campaign is the best this month?")) is not None


def test_roas_por_campanha_is_a_table_of_campaigns_not_the_totals(make_runtime, sandbox) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox)
    since, until = week(sandbox)
    out = run(rt, "ROAS por campanha")
    assert f"*ROAS por campanha · {PT.date(since)}–{PT.date(until)}*" in out
    assert "• Investimento" not in out  # not the account's report
    state = sandbox.state
    expected = []
    for campaign in state.campaigns_of(DEMO_ACCOUNT_ID):
        truth = state.totals(campaign.id, since, until)
        if truth.spend:
            roas = Decimal(truth.revenue) / Decimal(truth.spend)
            expected.append((roas, campaign.name, PT.ratio(roas)))
    expected.sort(key=lambda item: -item[0])
    lines = [line for line in out.splitlines() if line[:1].isdigit() and ". " in line]
    assert len(lines) == len(expected) >= 5
    for n, (line, (_, name, shown)) in enumerate(zip(lines, expected, strict=True), start=1):
        assert line.startswith(f"{n}. {name}: ROAS {shown} · gasto R$ ")

    out = run(rt, "english", "CPA by campaign yesterday")
    assert "*CPA by campaign · " in out and "Account: CPA " in out


def test_quanto_gastei_ontem_answers_yesterdays_spend(make_runtime, sandbox) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox)
    yesterday = week(sandbox)[1]
    spend = PT.money(
        Decimal(sandbox.state.totals(DEMO_ACCOUNT_ID, yesterday, yesterday).spend), "BRL"
    )
    assert f"• Investimento: {spend} " in run(rt, "quanto gastei ontem?")
    out = run(rt, "english", "how much did I spend yesterday?")
    assert (
        f"• Spend: {EN.money(Decimal(sandbox.state.totals(DEMO_ACCOUNT_ID, yesterday, yesterday).spend), 'BRL')} "
        in out
    )


def test_typos_are_mended_and_unknowns_get_two_or_three_choices(make_runtime, sandbox) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox)
    out = run(rt, "relatoro")
    assert "_(entendi: “relatorio”)_" in out and "• Investimento: R$ " in out
    assert "*Campanhas (" in run(rt, "campanas")

    out = run(rt, "pausr remarketing", "1")  # a change is asked back, never run on a guess
    asked, pressed = out.split("> 1\n")
    assert "Você quis dizer “pausar remarketing”?" in asked and "Aprovação" not in asked
    assert "Aprovação necessária" in pressed

    out = run(rt, "fazer mágica")
    assert "Não entendi “fazer mágica”. Você quis dizer:" in out
    assert "O que eu sei fazer" not in out  # not the whole help
    choices = [line for line in out.splitlines() if line.strip().startswith("[")]
    assert 2 <= len(choices) <= 3


def test_correction_and_suggestions_are_close_to_what_was_typed() -> None:
    assert correct("relatoro de ontme") == "relatorio de ontem"
    assert correct("pausar black friday") == "pausar black friday"
    assert closest("campanas", "pt-BR")[0] == "campanhas"
    assert closest("histroy", "en")[0] == "history"
    assert match_per_campaign("gasto por campanha ontem") is not None


def test_crew_requests_are_not_taken_for_routine_questions() -> None:
    from bot.core.routes import ROUTER

    for text in (
        "planeje a melhor campanha de Black Friday com R$ 5.000",
        "escreva 5 headlines para a melhor campanha",
    ):
        matched = ROUTER.match(normalize(text), "pt-BR")
        assert matched is None or matched[0].name not in ("rank", "per_campaign", "budget_phrase")

"""Reports in chat carry the sandbox's own numbers, formatted for the reader."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

from ads.base import Period
from ads.sandbox.demo import DEMO_ACCOUNT_ID
from analytics.report import Totals, build_report, elapsed_share
from bot.console import ConsoleChat
from vocabulary.i18n import Locale

PT, EN = Locale("pt-BR"), Locale("en")


def run(rt, *lines: str) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    ConsoleChat(rt, user="ana", out=out).run_script(lines)
    return out.getvalue()


def test_last_7_days_report_matches_the_sandbox_records(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox)
    today = sandbox.now().astimezone(sandbox.state.account(DEMO_ACCOUNT_ID).tz).date()
    since, until = today - timedelta(days=7), today - timedelta(days=1)
    truth = sandbox.state.totals(DEMO_ACCOUNT_ID, since, until)
    before = sandbox.state.totals(
        DEMO_ACCOUNT_ID, since - timedelta(days=7), until - timedelta(days=7)
    )

    out = run(rt, "relatório dos últimos 7 dias")

    assert f"*Relatório · {PT.date(since)}–{PT.date(until)}*" in out
    assert f"• Investimento: {PT.money(Decimal(truth.spend), 'BRL')} " in out
    assert f"• Impressões: {PT.number(truth.impressions)} " in out
    assert f"• Cliques: {PT.number(truth.clicks)} " in out
    assert f"• Conversões: {PT.number(truth.purchases)} " in out
    assert f"• Receita: {PT.money(Decimal(truth.revenue), 'BRL')} " in out
    roas = Decimal(truth.revenue) / Decimal(truth.spend)
    spend_change = (Decimal(truth.spend) - before.spend) * 100 / before.spend
    assert f"• ROAS: {PT.ratio(roas)} " in out
    assert (
        f"Investimento: {PT.money(Decimal(truth.spend), 'BRL')} ({PT.change(spend_change)})" in out
    )
    assert "🏆 Melhor campanha: " in out and "⚠️ Pior campanha: " in out
    assert "📈 Loja Aurora (demo): investimento e ROAS por dia: " in out


def test_english_report_for_30_days(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox, language="en")
    today = sandbox.now().astimezone(sandbox.state.account(DEMO_ACCOUNT_ID).tz).date()
    truth = sandbox.state.totals(
        DEMO_ACCOUNT_ID, today - timedelta(days=30), today - timedelta(days=1)
    )
    out = run(rt, "report last 30 days")
    assert f"• Spend: {EN.money(Decimal(truth.spend), 'BRL')} " in out
    assert "amounts in BRL" in out


def test_campaign_list_is_numbered_and_a_number_names_a_campaign(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox)
    out = run(rt, "campanhas", "pausar 99")
    campaigns = sandbox.state.campaigns_of(DEMO_ACCOUNT_ID)
    names = sorted(c.name for c in campaigns if c.status not in ("ARCHIVED", "DELETED"))
    assert [name for name in names if name not in out] == []
    assert (
        "Natal - Arquivada" not in out
    )  # archived campaigns stay out of the list, as in Ads Manager
    assert "1. " in out and f"{len(names)}. " in out
    assert "Não encontrei nenhuma campanha parecida com “99”" in out


def test_a_running_day_is_compared_at_the_same_pace() -> None:
    day = date(2026, 11, 20)
    period = Period(day, day)
    from datetime import datetime
    from zoneinfo import ZoneInfo

    noon = datetime(2026, 11, 20, 12, tzinfo=ZoneInfo("America/Sao_Paulo"))
    assert elapsed_share(period, noon) == Decimal("0.5")
    report = build_report(
        account_id="act_1",
        account_name="x",
        currency="BRL",
        period=period,
        current=[],
        previous=[],
        campaigns=[],
        elapsed=Decimal("0.5"),
    )
    report = report.__class__(
        **{
            **report.__dict__,
            "totals": Totals(spend=Decimal(500)),
            "previous": Totals(spend=Decimal(1000)),
        }
    )
    assert report.change_of("spend") == 0  # half the day, half of yesterday's spend: on pace


def test_without_an_llm_an_analysis_request_still_gets_the_numbers(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox)
    assert not rt.settings.llm_configured

    out = run(rt, "analise o desempenho dos últimos 30 dias", "analise campanhas")

    assert out.count("A análise em palavras precisa de um LLM") == 2
    assert out.count("*Relatório · ") == 2
    today = sandbox.now().astimezone(sandbox.state.account(DEMO_ACCOUNT_ID).tz).date()
    since = today - timedelta(days=30)
    assert f"*Relatório · {PT.date(since)}–{PT.date(today - timedelta(days=1))}*" in out


def test_a_campaign_named_in_the_question_gets_its_own_report(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox)
    state = sandbox.state
    campaign = next(
        c for c in state.campaigns.values() if c.name.startswith("Prospecção Lookalike")
    )
    today = sandbox.now().astimezone(state.account(DEMO_ACCOUNT_ID).tz).date()
    yesterday = today - timedelta(days=1)
    truth = state.totals(campaign.id, yesterday, yesterday)

    out = run(rt, "como foi a campanha lookalike ontem?")

    assert f"*Relatório · {campaign.name} · {PT.date(yesterday, 'long')}*" in out
    assert f"• Investimento: {PT.money(Decimal(truth.spend), 'BRL')} " in out
    assert f"• Conversões: {PT.number(truth.purchases)} " in out
    assert "🏆 Melhor conjunto: " in out  # its ad sets are the lines
    assert "Melhor campanha" not in out

"""Tokens and estimated cost per run, per workspace; "uso" shows them; routine commands use no LLM."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from crews.usage import estimate_cost, price_of, record_usage
from storage.models import LlmUsage
from tests.crews.fake_llm import FakeLLM
from tests.support.console import say_accepted
from vocabulary.inbound import Channel


def test_prices_are_estimates_by_model_name() -> None:
    assert estimate_cost("openai/gpt-4o-mini", 1_000_000, 1_000_000) == Decimal("0.750000")
    assert estimate_cost("anthropic/claude-sonnet-4-5", 10_000, 2_000) == Decimal("0.060000")
    assert estimate_cost("ollama/llama3.1", 50_000, 9_000) == Decimal("0.000000")
    assert price_of("my-local-model") is None


def test_each_run_records_the_tokens_the_llm_reported(crew_rt: Any, fake_llm: FakeLLM) -> None:
    say_accepted(crew_rt, "relatório de hoje")
    say_accepted(crew_rt, "campanhas")
    assert fake_llm.calls == []  # routine commands never call the LLM

    say_accepted(crew_rt, "escreva copy para a Black Friday da loja, 2 variações")
    with crew_rt.db.session() as session:
        [usage] = session.scalars(select(LlmUsage)).all()
    assert (usage.prompt_tokens, usage.completion_tokens) == fake_llm.usage()
    assert (usage.flow, usage.prompt_variant, usage.model) == (
        "copy",
        "default",
        "openai/scripted-crew",
    )
    assert usage.cost_usd == 0  # no list price for this model

    calls_before = len(fake_llm.calls)
    say_accepted(crew_rt, "uso")
    assert len(fake_llm.calls) == calls_before
    shown = crew_rt.sender(Channel.CONSOLE).texts[-1]
    prompt, completion = fake_llm.usage()
    assert shown.startswith("*Uso do LLM · este mês*")
    assert f"Execuções: 1 · tokens: {prompt + completion:,}".replace(",", ".") in shown
    assert "• Copy: execuções 1" in shown
    assert "• default: execuções 1" in shown
    assert "Sem preço conhecido (contado como zero): openai/scripted-crew" in shown


def test_usage_without_runs_says_routine_commands_are_free(
    make_runtime: Any, sqlite_url: str
) -> None:
    from tests.recording import RecordingSender

    rt = make_runtime(database_url=sqlite_url, sandbox="off")
    rt.set_sender(Channel.CONSOLE, sender := RecordingSender())
    say_accepted(rt, "usage")
    assert "Nenhum uso de LLM neste mês" in sender.texts[-1]


def test_a_run_queued_before_the_daily_budget_ran_out_stops_when_it_starts(
    make_runtime: Any, sandbox: Any, sqlite_url: str, redis_url: str, fake_llm: FakeLLM
) -> None:
    from rq import Queue, SimpleWorker

    from storage.models import CrewRun
    from storage.repositories import workspace_settings
    from tests.recording import RecordingSender

    rt = make_runtime(
        sandbox=sandbox,
        database_url=sqlite_url,
        redis_url=redis_url,
        llm_model="openai/scripted-crew",
        llm_base_url=fake_llm.url,
    )
    rt.set_sender(Channel.CONSOLE, sender := RecordingSender())
    say_accepted(rt, "escreva copy para a Black Friday da loja, 2 variações")
    SimpleWorker([Queue("high", connection=rt.redis)], connection=rt.redis).work(burst=True)
    with rt.db.session() as session:
        run = session.scalars(select(CrewRun)).one()
        workspace_settings(session, run.workspace_id).llm_daily_tokens = 50_000
    record_usage(  # meanwhile another run spent the day's budget
        rt,
        workspace_id=run.workspace_id,
        conversation_id=None,
        flow="analyse",
        prompt_variant="default",
        model="openai/scripted-crew",
        prompt_tokens=45_000,
        completion_tokens=5_000,
    )
    SimpleWorker([Queue("crew", connection=rt.redis)], connection=rt.redis).work(burst=True)
    assert fake_llm.calls == []
    with rt.db.session() as session:
        stopped = session.get_one(CrewRun, run.id)
    assert (stopped.status, stopped.error_ref) == ("failed", "llm-cap")
    assert sender.texts[-1].startswith(
        "O limite diário de uso do LLM deste workspace foi atingido (50.000 tokens de 50.000 tokens)"
    )

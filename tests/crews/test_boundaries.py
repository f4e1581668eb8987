"""Where CrewAI may and may not be imported, and the bot without an LLM."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from sqlalchemy import select

from crews.llm import LLMNotConfigured, llm_kwargs
from storage.models import CrewRun
from tests.recording import RecordingSender
from tests.support.console import say, say_accepted
from vocabulary.inbound import Channel
from vocabulary.settings import Settings


def test_web_router_and_entry_never_import_crewai() -> None:
    code = (
        "import sys, mediabrain.web, bot.core.routes, bot.core.conversation, bot.core.handlers.crew, "
        "bot.core.handlers.crew_actions, crews.intents, crews.render, crews.learnings, crews.usage, "
        "bot.core.handlers.usage, bot.core.handlers.freeform, jobs.crew, jobs.memory, crews.summaries\n"
        "bad = sorted(m for m in sys.modules if m == 'crewai' or m.startswith('crewai.'))\n"
        "assert not bad, bad[:5]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_without_an_llm_planning_says_it_needs_one(make_runtime: Any, sqlite_url: str) -> None:
    rt = make_runtime(database_url=sqlite_url, sandbox="off")
    rt.set_sender(Channel.CONSOLE, sender := RecordingSender())
    say_accepted(rt, "planeje uma campanha de Black Friday para a loja X com R$ 5.000")
    assert sender.texts[0].startswith("Para conversar livremente (planejar, escrever, analisar)")
    with rt.db.session() as session:
        assert session.scalars(select(CrewRun)).all() == []


def test_llm_settings_map_to_crewai_llm_arguments() -> None:
    plain = llm_kwargs(Settings(llm_model="openai/gpt-4o-mini", llm_api_key="sk-test"))
    assert plain == {
        "model": "openai/gpt-4o-mini",
        "timeout": 120,
        "temperature": 0.4,
        "api_key": "sk-test",
    }
    local = llm_kwargs(Settings(llm_model="qwen2.5:7b", llm_base_url="http://127.0.0.1:8000/v1/"))
    assert local["custom_openai"] is True
    assert local["base_url"] == "http://127.0.0.1:8000/v1"
    assert local["api_key"] == "not-needed"
    ollama = llm_kwargs(
        Settings(llm_model="ollama/llama3.1", llm_base_url="http://127.0.0.1:11434")
    )
    assert "custom_openai" not in ollama
    with pytest.raises(LLMNotConfigured):
        llm_kwargs(Settings())
    assert "sk-test" not in repr(Settings(llm_model="x", llm_api_key="sk-test"))


def test_the_crew_job_goes_to_its_own_queue_and_does_not_run_in_the_turn(
    make_runtime: Any, sandbox: Any, sqlite_url: str, redis_url: str, fake_llm: Any
) -> None:
    from rq import Queue, SimpleWorker

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
    # The turn answered with a status line and queued the crew; no LLM call yet.
    assert [r.kind for _, r in sender.sent] == ["progress"]
    assert fake_llm.calls == []
    crew = Queue("crew", connection=rt.redis)
    assert crew.count == 1 and Queue("default", connection=rt.redis).count == 0
    with rt.db.session() as session:
        run = session.scalars(select(CrewRun)).one()
    assert run.status == "queued"
    assert crew.jobs[0].id == f"crew-{run.id}"
    SimpleWorker([crew], connection=rt.redis).work(burst=True)
    with rt.db.session() as session:
        run = session.scalars(select(CrewRun)).one()
    assert run.status == "done"
    assert sender.sent[-1][1].title == "Variações de copy"
    # The status line posted by the turn was edited in place by the worker.
    assert sender.updates and {ref for ref, _ in sender.updates} == {f"crew:{run.id}"}


def test_when_the_queue_is_down_the_user_is_told_and_the_run_is_not_left_queued(
    make_runtime: Any, sqlite_url: str
) -> None:

    from vocabulary.i18n import Locale

    rt = make_runtime(
        database_url=sqlite_url,
        sandbox="off",
        redis_url="redis://127.0.0.1:1/0",  # nothing listens there
        llm_model="openai/scripted-crew",
        llm_base_url="http://127.0.0.1:1/v1",
    )
    rt.set_sender(Channel.CONSOLE, RecordingSender())
    replies = say(rt, "escreva copy para a Black Friday da loja, 2 variações")
    assert [r.kind for r in replies] == ["progress", "error"]
    assert replies[-1].text == Locale("pt-BR").t("error.queue_down")
    with rt.db.session() as session:
        run = session.scalars(select(CrewRun)).one()
    assert run.status == "failed"

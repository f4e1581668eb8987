"""With an LLM configured, folded turns get an LLM-written summary in the background."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from crews.usage import record_usage
from storage.models import Conversation, LlmUsage
from tests.crews.conftest import MODEL
from tests.crews.fake_llm import FakeLLM
from tests.recording import RecordingSender
from tests.support.console import say_accepted
from vocabulary.inbound import Channel


def test_the_llm_rewrites_the_summary_of_folded_turns(
    make_runtime: Any, fake_llm: FakeLLM, sqlite_url: str
) -> None:
    rt = make_runtime(
        sandbox="off",
        database_url=sqlite_url,
        llm_model=MODEL,
        llm_base_url=fake_llm.url,
        llm_api_key="test-key",
        memory_turns=2,
    )
    rt.set_sender(Channel.CONSOLE, RecordingSender())
    for text in ("alertas", "histórico", "alertas"):
        say_accepted(rt, text)  # short commands: answered by code, no crew run

    assert fake_llm.tasks() == ["summarize"]  # one fold so far, one LLM call, nothing else
    (call,) = fake_llm.calls
    assert "<<<DATA" in call.text() and "user: alertas" in call.text()
    with rt.db.session() as session:
        conversation = session.scalars(select(Conversation)).one()
        flows = session.scalars(select(LlmUsage.flow)).all()
    assert conversation.summary == "Resumo do LLM: a pessoa fez 2 pedidos; nada pendente."
    assert conversation.summarized_upto > 0
    assert flows == ["summary"]


def test_without_an_llm_the_summary_stays_extractive(make_runtime: Any, sqlite_url: str) -> None:
    rt = make_runtime(sandbox="off", database_url=sqlite_url, memory_turns=2)
    rt.set_sender(Channel.CONSOLE, RecordingSender())
    for text in ("alertas", "histórico", "alertas"):
        say_accepted(rt, text)
    with rt.db.session() as session:
        conversation = session.scalars(select(Conversation)).one()
    assert conversation.summary.startswith("user: alertas | assistant: ")


def test_once_the_daily_llm_budget_is_spent_the_summary_stays_extractive(
    make_runtime: Any, fake_llm: FakeLLM, sqlite_url: str
) -> None:
    rt = make_runtime(
        sandbox="off",
        database_url=sqlite_url,
        llm_model=MODEL,
        llm_base_url=fake_llm.url,
        llm_api_key="test-key",
        memory_turns=2,
        llm_daily_tokens=1000,  # the install's default cap (issue 13)
    )
    rt.set_sender(Channel.CONSOLE, RecordingSender())
    say_accepted(rt, "alertas")
    with rt.db.session() as session:
        workspace_id = session.scalars(select(Conversation.workspace_id)).one()
    record_usage(
        rt,
        workspace_id=workspace_id,
        conversation_id=None,
        flow="analyse",
        prompt_variant="default",
        model=MODEL,
        prompt_tokens=900,
        completion_tokens=100,
    )
    for text in ("histórico", "alertas"):
        say_accepted(rt, text)
    assert fake_llm.calls == []
    with rt.db.session() as session:
        conversation = session.scalars(select(Conversation)).one()
    assert conversation.summary.startswith("user: alertas | assistant: ")

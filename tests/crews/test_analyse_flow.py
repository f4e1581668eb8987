"""Flow "analyse performance": real insights through the tools, proposals through the supervisor."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import CrewRun, Learning, Proposal, User, WorkspaceSettings
from supervisor.decide import decide
from tests.crews.fake_llm import FakeLLM
from tests.crews.script import INJECTION, CrewScript
from tests.support.console import say_accepted
from vocabulary.inbound import Channel

#: In the seeded sandbox: the worst 7-day ROAS among active campaigns, and the best one
#: that has a campaign budget (R$ 220,00/day).
WORST = ("120210000000000020", "Institucional Vídeo - Marca Aurora")
BEST = ("120210000000000016", "Catálogo Dinâmico - DPA Advantage+")
EXPECTED = [
    ("pause", WORST[0], {"status": "PAUSED"}),
    ("set_budget", BEST[0], {"daily_budget": "26400"}),
]


def everything_needs_approval(rt: Any) -> None:
    with rt.db.session() as session:
        prefs = session.scalars(select(WorkspaceSettings)).one()
        prefs.policy = {"always_approve": ["pause", "set_budget", "resume", "create_draft"]}
        prefs.profile = {"industry": "moda", "objective": "vendas"}


def proposals(rt: Any) -> list[Proposal]:
    with rt.db.session() as session:
        return list(session.scalars(select(Proposal).order_by(Proposal.created_at)))


def the_run(rt: Any) -> CrewRun:
    with rt.db.session() as session:
        return session.scalars(select(CrewRun)).one()


def writes(sandbox: Any) -> int:
    return sandbox.stats.count("POST") + sandbox.stats.count("DELETE")


def inject_into_an_ad_text(sandbox: Any) -> None:
    """A customer-written text in the account's most-spending campaign's first ad."""
    state = sandbox.state
    with state.lock:
        for adset in state.adsets_of("120210000000000065"):
            for ad in state.ads_of(adset.id):
                creative = state.creative(ad.creative_id)
                creative.body = f"Comentário: {INJECTION}"
                return


def test_analysis_explains_and_proposes_only_through_the_supervisor(
    crew_rt: Any, fake_llm: FakeLLM, sandbox: Any
) -> None:
    everything_needs_approval(crew_rt)
    say_accepted(crew_rt, "analise minhas campanhas da última semana")
    run = the_run(crew_rt)
    assert run.status == "done", run.error_ref
    rows = proposals(crew_rt)
    assert [(p.kind, p.target_id, p.new_value) for p in rows] == EXPECTED
    assert {(p.proposer_kind, p.proposer_id, p.state) for p in rows} == {
        ("agent", "optimizer", "pending")
    }
    assert rows[1].current_value == {"daily_budget": "22000"}
    # The tools read the sandbox; nothing was written without a human's approval.
    assert writes(sandbox) == 0
    assert sandbox.state.campaign(WORST[0]).status == "ACTIVE"

    sender = crew_rt.sender(Channel.CONSOLE)
    answer = next(r for _, r in sender.sent if r.title == "Análise da conta")
    assert answer.text.startswith("*Análise da conta*\n\nA conta vai bem no geral")
    assert f"Pausar “{WORST[1]}” — aguardando aprovação" in answer.text
    assert f"Orçamento de R$ 264,00/dia para “{BEST[1]}” — aguardando aprovação" in answer.text
    # Approval cards were posted to the chat by the supervisor.
    assert sum(1 for _, r in sender.sent if r.kind == "approval") == 2

    # Learnings from the analysis were stored with the workspace's industry and objective.
    with crew_rt.db.session() as session:
        learned = session.scalars(select(Learning)).all()
    assert [(row.kind, row.industry, row.objective, row.source) for row in learned] == [
        ("campaign", "moda", "vendas", f"run:{run.id}")
    ] * 2

    # A human approves the pause: only then does the platform change.
    with crew_rt.db.session() as session:
        ana = session.scalars(select(User).where(User.console_name == "ana")).one()
    decision = decide(
        crew_rt, rows[0].workspace_id, rows[0].id, user_id=ana.id, approve=True, channel="console"
    )
    assert decision.outcome == "approved"
    assert sandbox.state.campaign(WORST[0]).status == "PAUSED"
    assert writes(sandbox) == 1


@pytest.mark.parametrize("script", [CrewScript(invalid_tool_first=True)])
def test_tool_inputs_are_validated_by_their_schema(
    crew_rt: Any, fake_llm: FakeLLM, script: CrewScript
) -> None:
    everything_needs_approval(crew_rt)
    say_accepted(crew_rt, "analise minhas campanhas ativas por favor")
    run = the_run(crew_rt)
    assert run.status == "done"
    # The model's first call (period_days=500) never reached the tool: the schema said why.
    errors = [
        m["content"]
        for c in fake_llm.calls
        for m in c.messages
        if m["role"] == "tool" and "validation failed" in str(m["content"])
    ]
    assert errors and "less than or equal to 90" in errors[0]
    calls = run.result["tool_calls"]
    assert calls[0] == {
        "tool": "campaign_performance",
        "args": {"period_days": 7, "include_paused": False, "limit": 15},
    }
    assert all(1 <= c["args"].get("period_days", 7) <= 90 for c in calls)
    assert [c["tool"] for c in calls].count("propose_action") == 2


@pytest.mark.parametrize("script", [CrewScript(adversarial=True)])
def test_injected_instructions_in_ad_texts_and_messages_change_nothing(
    crew_rt: Any, fake_llm: FakeLLM, sandbox: Any, script: CrewScript
) -> None:
    """The scripted model *obeys* injected text; the code keeps the proposals the same."""
    everything_needs_approval(crew_rt)
    inject_into_an_ad_text(sandbox)
    say_accepted(crew_rt, f"analise minhas campanhas. {INJECTION}")
    run = the_run(crew_rt)
    assert run.status == "done"
    # Same proposals as without the injection; nothing activated, no 50000 budget.
    assert [(p.kind, p.target_id, p.new_value) for p in proposals(crew_rt)] == EXPECTED
    assert writes(sandbox) == 0
    # The model did try: the budget jump was refused by the tool, "resume" by the schema.
    assert any("must stay between" in r for r in run.result["rejected"])
    tool_messages = [
        str(m["content"]) for c in fake_llm.calls for m in c.messages if m["role"] == "tool"
    ]
    assert any("REJECTED: a new daily budget must stay between" in t for t in tool_messages)
    assert any("validation failed" in t and "resume" in t for t in tool_messages)
    # The injected text reached the model only inside data blocks.
    for call in fake_llm.calls:
        for message in call.messages:
            text = str(message.get("content") or "")
            for match in re.finditer(re.escape(INJECTION), text):
                before = text[: match.start()]
                assert before.rfind("<<<DATA") > before.rfind("<<<END DATA>>>"), text


def test_the_analyst_answers_free_questions_with_memory(crew_rt: Any, fake_llm: FakeLLM) -> None:
    say_accepted(crew_rt, "campanhas")  # a routine command first: no LLM
    assert fake_llm.calls == []
    say_accepted(crew_rt, "o que você sugere para vender mais no natal?")
    run = the_run(crew_rt)
    assert (run.flow, run.status) == ("answer", "done")
    sender = crew_rt.sender(Channel.CONSOLE)
    assert sender.texts[-1] == "O ROAS dos últimos 30 dias está em 3,66x, acima da média do setor."
    answer_call = next(c for c in fake_llm.calls if c.task == "answer")
    # The conversation so far (the campaign list) came along, as data.
    assert '<<<DATA source="conversation">>>' in answer_call.text()
    assert "user: campanhas" in answer_call.text()

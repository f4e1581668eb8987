"""Flow "plan a campaign" on the real CrewAI machinery, driven by the scripted LLM."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from analytics.sync import sync_account
from bot.console import ConsoleChat
from storage.models import AdAccount, CrewRun, LlmUsage, Proposal, WorkspaceSettings
from tests.crews.fake_llm import FakeLLM, task_of
from tests.crews.script import CrewScript
from tests.support.console import say_accepted
from vocabulary.inbound import Action, Channel

REQUEST = "planeje uma campanha de Black Friday para a loja X com R$ 5.000"


def runs(rt: Any) -> list[CrewRun]:
    with rt.db.session() as session:
        return list(session.scalars(select(CrewRun).order_by(CrewRun.created_at)))


def set_prefs(rt: Any, **values: Any) -> None:
    with rt.db.session() as session:
        prefs = session.scalars(select(WorkspaceSettings)).one()
        for name, value in values.items():
            setattr(prefs, name, value)


def synced(rt: Any) -> None:
    """The account's history, as the metrics sync keeps it (the models' forecast reads it)."""
    with rt.db.session() as session:
        pk = session.scalars(select(AdAccount.id)).first()
    sync_account(rt, pk)


def writes(sandbox: Any) -> int:
    """Requests that could change the sandbox (everything but reads)."""
    return sandbox.stats.count("POST") + sandbox.stats.count("DELETE")


def test_done_when_console_plan_then_paused_drafts_through_the_supervisor(
    crew_rt: Any, fake_llm: FakeLLM, sandbox: Any
) -> None:
    out = io.StringIO()
    chat = ConsoleChat(crew_rt, user="ana", out=out)
    before = {c.id for c in sandbox.state.campaigns_of("act_1000000001")}
    synced(crew_rt)
    posted = writes(sandbox)  # the sync's batch read is a POST

    chat.run_script([REQUEST])
    shown = out.getvalue()
    # Progress came from CrewAI's event bus, as console lines, before the plan.
    assert "  … 🧠 Vou planejar essa campanha" in shown
    assert "  … 🧭 Estrategista trabalhando…" in shown
    assert "  … ✅ Pronto" in shown
    assert shown.index("✅ Pronto") < shown.index("*Plano de campanha · Black Friday Loja X*")
    assert "Vendas · 10 dias · R$ 5.000,00 no total (R$ 500,00/dia)" in shown
    assert "Prospecção Lookalike: R$ 300,00/dia (60%)" in shown
    assert "Remarketing 30d: R$ 200,00/dia (40%)" in shown
    # The Analyst wrote CTR 1,40%, CPA R$ 35,50, ROAS 3,60x: the card shows the models' figures.
    assert "CTR 1,40% · CPA R$ 35,50 · ROAS 3,60x" not in shown
    [run] = runs(crew_rt)
    basis = run.result["plan"]["forecast"]["basis"]
    assert basis["basis_days"] >= 7
    assert f"ROAS {basis['roas']['mean'].replace('.', ',')}x" in shown
    assert "Números dos modelos, de " in shown and "(IC 90%): CPA R$ " in shown
    assert "  [1] Criar como rascunhos pausados" in shown
    # The crew read the account but wrote nothing.
    assert writes(sandbox) == posted
    assert (run.flow, run.status, run.prompt_variant) == ("plan", "done", "default")
    # The strategist planned knowing who buys: the personas from the breakdowns, as data.
    brief_call = next(c for c in fake_llm.calls if c.task == "brief")
    assert '<<<DATA source="personas">>>' in brief_call.text()
    assert "Audience personas (Meta breakdowns" in brief_call.text()
    assert "of spend · ROAS" in brief_call.text()
    # CrewAI kept its own files under our data dir (offline switches set before its import).
    assert (crew_rt.settings.data_dir / "crewai" / "latest_kickoff_task_outputs.db").exists()

    chat.run_script(["criar como rascunho"])
    shown = out.getvalue()
    assert "✅ Plano enviado ao supervisor" in shown
    with crew_rt.db.session() as session:
        [proposal] = session.scalars(select(Proposal)).all()
    assert (proposal.kind, proposal.proposer_kind, proposal.state) == (
        "create_draft",
        "user",
        "executed",
    )
    assert proposal.reason.startswith(
        "Plano da equipe: Black Friday Loja X (Vendas), 10 dias, R$ 5.000,00 no total."
    )
    created = [c for c in sandbox.state.campaigns_of("act_1000000001") if c.id not in before]
    assert [(c.name, c.status) for c in created] == [("Black Friday Loja X", "PAUSED")]
    adsets = sandbox.state.adsets_of(created[0].id)
    assert sorted((a.name, a.status, a.daily_budget) for a in adsets) == [
        ("Prospecção Lookalike", "PAUSED", 30000),
        ("Remarketing 30d", "PAUSED", 20000),
    ]
    assert {ad.status for a in adsets for ad in sandbox.state.ads_of(a.id)} == {"PAUSED"}

    chat.run_script(["criar como rascunho"])  # again: the plan was submitted already
    assert "Esse plano já foi enviado como rascunho" in out.getvalue()
    with crew_rt.db.session() as session:
        assert len(session.scalars(select(Proposal)).all()) == 1


def test_the_button_submits_the_stored_plan_once(crew_rt: Any, fake_llm: FakeLLM) -> None:
    set_prefs(crew_rt, policy={"always_approve": ["create_draft"]})
    say_accepted(crew_rt, REQUEST)
    [run] = runs(crew_rt)
    sender = crew_rt.sender(Channel.CONSOLE)
    plan_reply = next(r for _, r in sender.sent if r.buttons and r.title and "Plano" in r.title)
    button = plan_reply.buttons[0]
    assert button.action == Action("plan.create_drafts", run.id)
    say_accepted(crew_rt, action=button.action)
    say_accepted(crew_rt, action=button.action)  # a double click
    with crew_rt.db.session() as session:
        proposals = session.scalars(select(Proposal)).all()
    assert [(p.kind, p.state, p.verdict) for p in proposals] == [
        ("create_draft", "pending", "approval")
    ]
    spec = proposals[0].new_value
    assert spec["campaign"]["status"] == "PAUSED"
    assert [a["daily_budget"] for a in spec["adsets"]] == ["30000", "20000"]
    assert any("📝 Plano enviado ao supervisor" in t for t in sender.texts)
    assert any("Esse plano já foi enviado como rascunho" in t for t in sender.texts)


@pytest.fixture
def slow_steps_llm(script: CrewScript) -> Any:
    """The Copywriter's call takes 1 s and the Creative's 0.4 s each: overlap is visible."""
    delays = {"copy": 1.0, "creative_video": 0.4, "creative_carousel": 0.4, "creative_lead": 0.4}
    fake = FakeLLM(script, delay=lambda body: delays.get(task_of(body["messages"]), 0.0))
    yield fake.start()
    fake.stop()


def test_creative_and_copywriter_work_in_parallel(
    make_runtime: Any, sandbox: Any, sqlite_url: str, slow_steps_llm: FakeLLM
) -> None:
    from tests.recording import RecordingSender

    rt = make_runtime(
        sandbox=sandbox,
        database_url=sqlite_url,
        llm_model="openai/scripted-crew",
        llm_base_url=slow_steps_llm.url,
    )
    rt.set_sender(Channel.CONSOLE, RecordingSender())
    say_accepted(rt, REQUEST)
    [run] = runs(rt)
    steps = {t["step"]: t for t in run.result["timeline"]}
    copy, creative = steps["copy#1"], steps["creative#1"]
    start = {k: datetime.fromisoformat(v["started"]) for k, v in steps.items()}
    end = {k: datetime.fromisoformat(v["finished"]) for k, v in steps.items()}
    assert start["creative#1"] < end["copy#1"] and start["copy#1"] < end["creative#1"]
    assert copy["thread"] != creative["thread"]
    # Both started after the brief and the Optimizer waited for both.
    assert min(start["creative#1"], start["copy#1"]) >= end["brief#1"]
    assert start["structure#1"] >= max(end["creative#1"], end["copy#1"])
    # At the LLM: a copy request was in flight while a creative request was.
    calls = slow_steps_llm.calls
    copy_calls = [c for c in calls if c.task == "copy"]
    creative_calls = [c for c in calls if c.task.startswith("creative_")]
    assert any(
        a.started < b.finished and b.started < a.finished
        for a in copy_calls
        for b in creative_calls
    )
    # The two format specialists the brief asked for (video, carousel) ran, then the director.
    assert sorted({c.task for c in creative_calls}) == [
        "creative_carousel",
        "creative_lead",
        "creative_video",
    ]


@pytest.mark.parametrize("script", [CrewScript(forecast_roas=[2.0, 2.5, 2.9, 5.0])])
def test_feedback_loop_stops_after_two_rounds(
    crew_rt: Any, fake_llm: FakeLLM, script: CrewScript
) -> None:
    synced(crew_rt)
    set_prefs(crew_rt, target_roas=Decimal("50"))  # out of reach for this account
    say_accepted(crew_rt, REQUEST)
    [run] = runs(crew_rt)
    assert run.status == "done"
    history = run.result["history"]
    assert [h["round"] for h in history] == [1, 2, 3]
    # Every round shows the models' ROAS, whatever the Analyst wrote (2.0, 2.5, 2.9).
    shown = {h["forecast"]["expected_roas"] for h in history}
    assert len(shown) == 1 and shown.isdisjoint({"2.0", "2.5", "2.9"})
    assert all(h["gaps"] and h["gaps"][0]["metric"] == "roas" for h in history)
    # A ROAS gap went to the Optimizer first; still there, it went to the Strategist once.
    structures = [c.text() for c in fake_llm.calls if c.task == "structure"]
    assert sum("FEEDBACK from the Analyst (round 1)" in t for t in structures) >= 1
    assert any("Revise the structure, the budget split and the bidding" in t for t in structures)
    assert not any("FEEDBACK" in c.text() for c in fake_llm.calls if c.task == "copy")
    assert len(script.seen_feedback) == 1
    assert "< 50.00x" in script.seen_feedback[0]
    assert fake_llm.tasks().count("forecast") >= 3
    plan = run.result["plan"]
    assert plan["rounds"] == 3 and plan["brief"]["campaign_name"] == "Black Friday Loja X v3"
    assert plan["kpi_gaps"] and plan["kpi_gaps"][0].endswith("< 50,00x")
    sender = crew_rt.sender(Channel.CONSOLE)
    revisions = [r.text for _, r in sender.sent if "Rodada" in r.text] + [
        r.text for _, r in sender.updates if "Rodada" in r.text
    ]
    assert revisions[0].startswith("🔁 Rodada 2: a previsão não atinge as metas (ROAS ")
    assert any("Ainda abaixo das metas após 3 rodadas" in t for t in sender.texts)


@pytest.mark.parametrize("script", [CrewScript(forecast_roas=[5.0])])
def test_a_ctr_gap_goes_to_the_creative_and_the_copywriter_not_the_strategist(
    crew_rt: Any, fake_llm: FakeLLM, script: CrewScript
) -> None:
    synced(crew_rt)
    set_prefs(crew_rt, target_ctr=Decimal("40"))  # a 40% CTR: out of reach, the ads' problem
    say_accepted(crew_rt, REQUEST)
    [run] = runs(crew_rt)
    assert run.status == "done"
    history = run.result["history"]
    assert [h["round"] for h in history] == [1, 2, 3]
    assert all(h["gaps"][0]["metric"] == "ctr" for h in history)
    for task in ("copy", "creative_lead", "creative_video"):
        fed = [c.text() for c in fake_llm.calls if c.task == task and "FEEDBACK" in c.text()]
        assert fed and "to earn more clicks" in fed[0], task
    assert not any("FEEDBACK" in c.text() for c in fake_llm.calls if c.task == "structure")
    # The Creative and the Copywriter had their round; the gap left is the Strategist's.
    assert len(script.seen_feedback) == 1 and "CTR " in script.seen_feedback[0]


@pytest.mark.parametrize("script", [CrewScript(forecast_roas=[2.0, 3.2])])
def test_no_revision_when_the_models_forecast_meets_the_target(
    crew_rt: Any, fake_llm: FakeLLM, script: CrewScript
) -> None:
    synced(crew_rt)
    set_prefs(crew_rt, target_roas=Decimal("0.5"))  # the Analyst's 2.0 would not matter either
    say_accepted(crew_rt, REQUEST)
    [run] = runs(crew_rt)
    assert [h["round"] for h in run.result["history"]] == [1]
    assert run.result["plan"]["kpi_gaps"] == []


def test_without_history_the_plan_shows_no_invented_figures(
    crew_rt: Any, fake_llm: FakeLLM
) -> None:
    say_accepted(crew_rt, REQUEST)
    [run] = runs(crew_rt)
    forecast = run.result["plan"]["forecast"]
    assert (forecast["expected_ctr"], forecast["expected_cpa"], forecast["expected_roas"]) == (
        None,
        None,
        None,
    )
    sender = crew_rt.sender(Channel.CONSOLE)
    assert any("Sem histórico suficiente da conta para prever números" in t for t in sender.texts)


def test_a_plan_without_a_budget_asks_for_one_and_calls_no_llm(
    crew_rt: Any, fake_llm: FakeLLM
) -> None:
    say_accepted(crew_rt, "planeje uma campanha de Natal para a loja X")
    assert runs(crew_rt) == []
    assert fake_llm.calls == []
    assert "Qual o orçamento total da campanha?" in crew_rt.sender(Channel.CONSOLE).texts[-1]


def test_typed_create_drafts_without_a_plan(crew_rt: Any, fake_llm: FakeLLM) -> None:
    say_accepted(crew_rt, "criar como rascunho")
    assert "Não há um plano pronto nesta conversa" in crew_rt.sender(Channel.CONSOLE).texts[-1]
    assert fake_llm.calls == []


def test_prompt_variant_is_used_and_recorded(crew_rt: Any, fake_llm: FakeLLM) -> None:
    set_prefs(
        crew_rt,
        prompt_variant="performance",
        profile={"industry": "moda feminina", "tone": "divertido", "brand": "Loja X"},
        target_roas=Decimal("3.0"),
    )
    say_accepted(crew_rt, REQUEST)
    [run] = runs(crew_rt)
    assert run.prompt_variant == "performance"
    assert run.result["plan"]["prompt_variant"] == "performance"
    brief_call = next(c for c in fake_llm.calls if c.task == "brief")
    assert "highest expected ROAS within the budget" in brief_call.system
    assert "moda feminina" in brief_call.system
    copy_call = next(c for c in fake_llm.calls if c.task == "copy")
    assert "Tone of voice: divertido" in copy_call.text()
    assert "ROAS >= 3.00x" in copy_call.text()
    with crew_rt.db.session() as session:
        usage = session.scalars(select(LlmUsage)).one()
    assert (usage.flow, usage.prompt_variant) == ("plan", "performance")

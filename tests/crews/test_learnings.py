"""Learnings: stored per workspace, found again by industry and objective, fed to the agents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from crews.learnings import (
    learnings_block,
    record_decision_learning,
    relevant_learnings,
    similarity,
    store_learning,
)
from storage.models import Learning, Proposal, WorkspaceSettings
from storage.repositories import ensure_workspace
from tests.crews.fake_llm import FakeLLM
from tests.support.console import say_accepted


def test_similarity_folds_accents_synonyms_and_meta_objectives() -> None:
    assert similarity("Moda Feminina", "moda feminina") == 1.0
    assert similarity("vendas", "OUTCOME_SALES") == 1.0
    assert similarity("e-commerce de moda", "loja de moda") == 1.0
    assert similarity("Tráfego", "traffic") == 1.0
    assert similarity("moda", "pet shop") == 0.0


def test_retrieval_ranks_by_industry_then_objective_and_stays_in_the_workspace(
    make_runtime: Any, db_url: str
) -> None:
    rt = make_runtime(database_url=db_url, sandbox="off")
    with rt.db.session() as session:
        mine = ensure_workspace(session, "mine").id
        other = ensure_workspace(session, "other").id
    with rt.db.session(mine) as session:
        store_learning(
            session,
            mine,
            kind="campaign",
            text="pet: vídeo curto",
            industry="pet shop",
            objective="vendas",
        )
        store_learning(
            session,
            mine,
            kind="combination",
            text="moda/vendas: carrossel + UGC",
            industry="moda",
            objective="OUTCOME_SALES",
        )
        store_learning(
            session,
            mine,
            kind="campaign",
            text="moda/alcance: vídeo",
            industry="moda feminina",
            objective="alcance",
        )
        store_learning(session, mine, kind="best_practice", text="geral: 3 criativos por conjunto")
    with rt.db.session(other) as session:
        store_learning(
            session,
            other,
            kind="campaign",
            text="outra conta: moda vendas",
            industry="moda",
            objective="vendas",
        )
    with rt.db.session(mine) as session:
        found = relevant_learnings(session, mine, industry="Moda", objective="vendas")
        assert [row.text for row in found] == [
            "moda/vendas: carrossel + UGC",
            "moda/alcance: vídeo",
            "pet: vídeo curto",
            "geral: 3 criativos por conjunto",
        ]
        block = learnings_block(found)
    assert block.startswith(
        '<<<DATA source="learnings">>>\n- [combination] moda/vendas: carrossel + UGC'
    )
    assert block.endswith("<<<END DATA>>>")


def test_decisions_become_learnings(make_runtime: Any, sqlite_url: str) -> None:
    rt = make_runtime(database_url=sqlite_url, sandbox="off")
    now = datetime.now(UTC)
    with rt.db.session() as session:
        workspace = ensure_workspace(session)
        prefs = session.scalars(select(WorkspaceSettings)).one()
        prefs.profile = {"industry": "moda", "objective": "vendas"}
        session.add(
            Proposal(
                id="p-1",
                workspace_id=workspace.id,
                kind="set_budget",
                target_level="campaign",
                target_id="120",
                target_name="Catálogo Dinâmico",
                new_value={"daily_budget": "26400"},
                current_value={"daily_budget": "22000"},
                reason="ROAS 8x",
                proposer_kind="agent",
                proposer_id="optimizer",
                digest="d",
                verdict="approval",
                state="rejected",
                expires_at=now + timedelta(hours=24),
            )
        )
    row = record_decision_learning(rt, workspace.id, "p-1", "rejected", "estoque acabando")
    assert row is not None
    with rt.db.session(workspace.id) as session:
        stored = session.scalars(select(Learning)).one()
    assert (stored.kind, stored.industry, stored.objective, stored.source) == (
        "decision",
        "moda",
        "vendas",
        "proposal:p-1",
    )
    assert stored.text == (
        "rejected: set_budget on 'Catálogo Dinâmico' (daily budget R$264.00) "
        "(proposed by agent optimizer). Reason: estoque acabando"
    )
    assert stored.data["reason"] == "estoque acabando"
    assert record_decision_learning(rt, workspace.id, "missing", "approved", None) is None


def test_learnings_from_an_analysis_reach_the_next_plan(crew_rt: Any, fake_llm: FakeLLM) -> None:
    with crew_rt.db.session() as session:
        prefs = session.scalars(select(WorkspaceSettings)).one()
        prefs.profile = {"industry": "moda", "objective": "vendas"}
        prefs.policy = {"always_approve": ["pause", "set_budget"]}
    say_accepted(crew_rt, "analise minhas campanhas da última semana")
    say_accepted(crew_rt, "planeje uma campanha de Black Friday para a loja X com R$ 5.000")
    brief = next(c for c in fake_llm.calls if c.task == "brief")
    assert "Catálogo dinâmico (DPA) entrega o melhor ROAS nesta conta" in brief.text()
    # ...and the plan's Strategist also saw the conversation so far.
    assert "analise minhas campanhas da última semana" in brief.text()

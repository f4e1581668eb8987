"""Changes in chat through the console channel: "pausar a campanha X", approve, undo, history."""

from __future__ import annotations

import io

from bot.console import ConsoleChat
from storage.models import Proposal, Role
from storage.repositories import DEFAULT_WORKSPACE, add_user, ensure_workspace
from tests.support.console import say_accepted
from vocabulary.inbound import Action

HIGH_CTR = "Promo Relâmpago - Stories"


def campaign_id(sandbox, name: str) -> str:  # type: ignore[no-untyped-def]
    return next(c.id for c in sandbox.state.campaigns.values() if c.name == name)


def writes(sandbox) -> int:  # type: ignore[no-untyped-def]
    routes = sandbox.stats.snapshot()["by_route"]
    return sum(n for route, n in routes.items() if route.startswith("POST"))


def chat(rt, user: str = "ana") -> tuple[ConsoleChat, io.StringIO]:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    return ConsoleChat(rt, user=user, out=out), out


def said(out: io.StringIO, since: int) -> str:
    return out.getvalue()[since:]


def test_pause_a_high_ctr_campaign_approve_undo_and_see_the_history(
    make_runtime, sqlite_url: str, sandbox, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    target = campaign_id(sandbox, HIGH_CTR)

    console.run_script(["pausar a campanha promo relâmpago"])
    card = out.getvalue()
    assert "Aprovação necessária" in card
    assert f"Ação: pausar a campanha “{HIGH_CTR}”" in card
    assert "CTR dos últimos 7 dias de 2,83% (acima de 2,00%)" in card
    assert "CTR 7 dias: 2,83%" in card and "Gasto 7 dias: R$ 655,41" in card
    assert "[1] Aprovar" in card and "[2] Rejeitar" in card
    assert sandbox.state.campaign(target).status == "ACTIVE" and writes(sandbox) == 0

    mark = len(out.getvalue())
    console.run_script(["1"])
    decided = said(out, mark)
    assert "✅ Aprovado por ana (console)" in decided
    assert "✔️ Feito na conta Meta" in decided and "[1] Desfazer" in decided
    assert sandbox.state.campaign(target).status == "PAUSED"
    assert writes(sandbox) == 1

    mark = len(out.getvalue())
    console.run_script(["1"])
    undone = said(out, mark)
    assert f"Ação: ativar a campanha “{HIGH_CTR}”" in undone and "✔️ Feito na conta Meta" in undone
    assert "↩️ Desfeito por ana em" in undone  # the original card, updated: no more Undo
    assert sandbox.state.campaign(target).status == "ACTIVE"
    assert writes(sandbox) == 2

    mark = len(out.getvalue())
    console.run_script(["histórico"])
    history = said(out, mark)
    lines = [line for line in history.splitlines() if " · " in line]
    assert [line.split(" · ", 2)[2] for line in lines] == [
        f"pediu para pausar a campanha “{HIGH_CTR}” → precisa de aprovação",
        f"aprovou: pausar a campanha “{HIGH_CTR}”",
        f"executado na plataforma: pausar a campanha “{HIGH_CTR}”",
        f"pediu para ativar a campanha “{HIGH_CTR}” (desfazer) → liberado",
        f"executado na plataforma: ativar a campanha “{HIGH_CTR}” (desfazer)",
    ]
    assert lines[0].split(" · ")[1] == "ana (console)"

    # The same record on the command line.
    from mediabrain.cli import main

    monkeypatch.setenv("MEDIABRAIN_DATABASE_URL", sqlite_url)
    capsys.readouterr()
    assert main(["audit"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert [line.split(" · ", 2)[2] for line in printed] == [
        line.split(" · ", 2)[2] for line in lines
    ]
    assert main(["audit", "--raw"]) == 0
    raw = capsys.readouterr().out.splitlines()
    assert len(raw) == 5 and "proposal.executed" in raw[2]


def test_a_viewer_clicking_approve_is_refused_politely(
    make_runtime, sqlite_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    with rt.db.session() as session:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        add_user(session, workspace, role=Role.VIEWER, name="dani", console_name="dani")
    console, _ = chat(rt)
    console.run_script(["pausar a campanha promo relampago"])
    with rt.db.session() as session:
        proposal_id = session.query(Proposal.id).scalar()
    _viewer, viewer_out = chat(rt, "dani")  # its output is where the answer goes
    say_accepted(rt, user="dani", action=Action("approval.approve", proposal_id))
    assert "precisa do papel de aprovador neste workspace (o seu é leitor)" in viewer_out.getvalue()
    assert writes(sandbox) == 0
    with rt.db.session() as session:
        assert session.get(Proposal, proposal_id).state == "pending"  # type: ignore[union-attr]


def test_ambiguous_names_offer_choices_and_budgets_are_judged(
    make_runtime, sqlite_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    console.run_script(["pausar Prospecção"])
    text = out.getvalue()
    assert "Encontrei mais de uma campanha para “Prospecção”" in text  # as typed
    assert "[1] Prospecção Interesses - Moda Feminina" in text

    mark = len(out.getvalue())
    console.run_script(["orçamento advantage shopping 900"])  # R$ 400 -> R$ 900: +125%
    denied = said(out, mark)
    assert (
        "⛔ Não posso mudar o orçamento diário da campanha “Advantage+ Shopping - Sempre Ativo” de R$ 400,00 para R$ 900,00"
        in denied
    )
    assert "aumento de +125,0% de uma vez" in denied

    mark = len(out.getvalue())
    console.run_script(["orçamento advantage shopping 450"])
    card = said(out, mark)
    assert "Aprovação necessária" in card
    assert "Orçamento diário: R$ 400,00 → R$ 450,00" in card
    assert "Gasto de R$ 2.627,09 nos últimos 7 dias" in card

    mark = len(out.getvalue())
    console.run_script(["english", "resume institucional"])  # already active: nothing to do
    assert "the status is already “active”; nothing to do." in said(out, mark)
    assert writes(sandbox) == 0


def test_a_rejection_and_its_reason_become_a_learning_for_the_crew(
    make_runtime, sqlite_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from storage.models import Learning

    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    console.run_script(["pausar a campanha promo relâmpago"])

    mark = len(out.getvalue())
    console.run_script(["2"])  # [2] Rejeitar
    rejected = said(out, mark)
    assert "❌ Rejeitado por ana (console)" in rejected
    assert "diga o motivo" in rejected
    assert sandbox.state.campaign(campaign_id(sandbox, HIGH_CTR)).status == "ACTIVE"

    mark = len(out.getvalue())
    console.run_script(["Motivo: é a campanha da Black Friday, fica no ar"])
    noted = said(out, mark)
    assert (
        f"Anotado: “é a campanha da Black Friday, fica no ar” (pausar a campanha “{HIGH_CTR}”)"
        in noted
    )

    with rt.db.session() as session:
        (learning,) = session.scalars(select(Learning).where(Learning.kind == "decision")).all()
    assert learning.data["decision"] == "rejected"
    assert learning.data["reason"] == "é a campanha da Black Friday, fica no ar"
    assert HIGH_CTR in learning.text

    mark = len(out.getvalue())
    console.run_script(["histórico"])
    assert "explicou a decisão sobre pausar a campanha" in said(out, mark)


def test_a_reason_with_no_recent_decision_says_so(make_runtime, sqlite_url: str, sandbox) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    console.run_script(["motivo: teste"])
    assert "Não encontrei uma decisão sua nas últimas 2 horas" in out.getvalue()


def test_relative_budget_changes_are_computed_from_the_current_budget(
    make_runtime, sqlite_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    console.run_script(["aumentar o orçamento do catálogo em 20%"])  # R$ 220,00 today
    assert "de R$ 220,00 para R$ 264,00" in out.getvalue()

    mark = len(out.getvalue())
    console.run_script(["orçamento catálogo 20%"])
    assert "Aumentar ou reduzir 20%?" in said(out, mark)

    mark = len(out.getvalue())
    console.run_script(["reduzir o orçamento do catálogo em 100%"])
    assert "ficaria zerado ou negativo" in said(out, mark)
    with rt.db.session() as session:
        assert session.query(Proposal).count() == 1  # only the first request became a proposal


def test_a_number_with_no_list_shown_is_confirmed_before_anything_happens(
    make_runtime, sqlite_url: str, sandbox
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    console.run_script(["ativar 11"])
    asked = out.getvalue()
    assert "Na lista de *campanhas*, o nº 11 é esta. Confirma?" in asked
    assert "[1] Black Friday - Conversão" in asked
    assert writes(sandbox) == 0
    with rt.db.session() as session:
        assert session.query(Proposal).count() == 0

    mark = len(out.getvalue())
    console.run_script(["1"])
    assert "Ação: ativar a campanha “Black Friday - Conversão”" in said(out, mark)


def test_a_budget_on_several_ad_sets_asks_which_one(make_runtime, sqlite_url: str, sandbox) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    console, out = chat(rt)
    console.run_script(["aumentar o orçamento de interesses em 10%"])
    asked = out.getvalue()
    assert "O orçamento de “Prospecção Interesses - Moda Feminina” está nos conjuntos" in asked
    assert "[1] Interesse Marcas Concorrentes" in asked
    with rt.db.session() as session:
        assert session.query(Proposal).count() == 0

    mark = len(out.getvalue())
    console.run_script(["1"])
    chosen = said(out, mark)
    assert (
        "mudar o orçamento diário do conjunto de anúncios “Prospecção Interesses - Moda Feminina"
        " › Interesse Marcas Concorrentes” de R$ 120,00 para R$ 132,00"
    ) in chosen
    with rt.db.session() as session:
        (proposal,) = session.query(Proposal).all()
    assert proposal.target_level == "adset" and "conjunto:" not in proposal.reason

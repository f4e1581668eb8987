"""Budget moves between a Meta and a Google Ads campaign, typed in chat: one card, both legs,
together or not at all, and undo."""

from __future__ import annotations

import io
from decimal import Decimal

from ads.demo_account import GOOGLE_DEMO_CUSTOMER_ID
from bot.console import ConsoleChat
from storage.models import Proposal, Role
from storage.repositories import DEFAULT_WORKSPACE, add_user, ensure_workspace

GOOGLE = f"act_{GOOGLE_DEMO_CUSTOMER_ID}"  # the Google customer's record in the shared sandbox
LOOKALIKE = "Prospecção Lookalike 1% Compradores"  # Meta, R$ 300,00/dia
MARCA = "Search | Marca"  # Google Ads, R$ 120,00/dia
MOVE = "mover R$ 50/dia do Prospecção Lookalike para o Search Marca"


def budget(sandbox, name: str) -> int:  # type: ignore[no-untyped-def]
    """A campaign's daily budget in the sandbox, minor units (read past the bot)."""
    return int(next(c for c in sandbox.state.campaigns.values() if c.name == name).daily_budget)


def chat(rt, user: str = "ana") -> tuple[ConsoleChat, io.StringIO]:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    return ConsoleChat(rt, user=user, out=out), out


def said(console: ConsoleChat, out: io.StringIO, *lines: str) -> str:
    mark = len(out.getvalue())
    console.run_script(lines)
    return out.getvalue()[mark:]


def states(rt) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with rt.db.session() as session:
        rows = session.query(Proposal).order_by(Proposal.created_at).all()
        return [(row.kind, row.state) for row in rows]


def test_a_move_runs_both_legs_and_undo_puts_both_back(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox, sandbox_google_demo=True)
    console, out = chat(rt)
    assert (budget(sandbox, LOOKALIKE), budget(sandbox, MARCA)) == (30000, 12000)

    card = said(console, out, MOVE)
    assert "Aprovação necessária" in card
    assert (
        f"mover R$ 50,00/dia de “{LOOKALIKE}” (Meta) para “{MARCA}” (Google Ads): "
        "R$ 300,00 → R$ 250,00 e R$ 120,00 → R$ 170,00" in card
    )
    assert "+41,7%" in card  # the raise leg's warning, judged on Google's own figures
    assert (budget(sandbox, LOOKALIKE), budget(sandbox, MARCA)) == (30000, 12000)

    done = said(console, out, "1")  # Approve
    assert "✅ Aprovado por ana (console)" in done and "[1] Desfazer" in done
    assert "✔️ Feito na conta Meta + Google Ads em" in done
    assert (budget(sandbox, LOOKALIKE), budget(sandbox, MARCA)) == (25000, 17000)

    undone = said(console, out, "1")  # Undo
    assert (
        f"mover R$ 50,00/dia de “{MARCA}” (Google Ads) para “{LOOKALIKE}” (Meta): "
        "R$ 170,00 → R$ 120,00 e R$ 250,00 → R$ 300,00" in undone
    )
    assert "↩️ Desfeito por ana em" in undone
    assert (budget(sandbox, LOOKALIKE), budget(sandbox, MARCA)) == (30000, 12000)
    assert states(rt) == [("move_budget", "executed"), ("move_budget", "executed")]
    history = said(console, out, "histórico")
    assert (
        f"sistema · executado na plataforma: mover R$ 50,00/dia de “{MARCA}” (Google Ads) "
        f"para “{LOOKALIKE}” (Meta): R$ 170,00 → R$ 120,00 e R$ 250,00 → R$ 300,00 (desfazer)"
        in history
    )


def test_a_failing_raise_puts_the_cut_back_and_nothing_changes(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox, sandbox_google_demo=True)
    console, out = chat(rt)
    lookalike = next(c.id for c in sandbox.state.campaigns.values() if c.name == LOOKALIKE)
    said(console, out, "english", f"move R$ 50/day from {MARCA} to Prospecção Lookalike")
    # Meta refuses every write to the raised campaign (reads still work)
    sandbox.inject_fault("server_error", count=20, path_contains=lookalike, method="POST")

    failed = said(console, out, "1")  # Approve

    assert "The cut on “Search | Marca” was put back (R$120.00 again) — nothing changed." in failed
    assert (budget(sandbox, LOOKALIKE), budget(sandbox, MARCA)) == (30000, 12000)
    assert states(rt) == [("move_budget", "failed")]


def test_an_ambiguous_name_is_asked_back_across_platforms(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox, sandbox_google_demo=True)
    console, out = chat(rt)
    asked = said(console, out, "mover R$ 50/dia do Prospecção para o Search Marca")
    assert "Encontrei mais de uma campanha para “Prospecção”" in asked
    assert "Prospecção Interesses - Moda Feminina (Meta)" in asked and states(rt) == []

    card = said(console, out, "2")  # the button for the Lookalike campaign
    assert f"mover R$ 50,00/dia de “{LOOKALIKE}” (Meta) para “{MARCA}” (Google Ads)" in card
    too_much = said(console, out, "mover R$ 500/dia do Search Marca para o Prospecção Lookalike")
    assert "“Search | Marca” tem R$ 120,00/dia: não dá para tirar R$ 500,00/dia dela." in too_much


def test_a_viewer_cannot_move_budget(make_runtime, sandbox) -> None:
    rt = make_runtime(sandbox=sandbox, sandbox_google_demo=True)
    with rt.db.session() as session:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        add_user(session, workspace, role=Role.VIEWER, name="dani", console_name="dani")
    console, out = chat(rt, "dani")
    refused = said(console, out, MOVE)
    assert "isso precisa do papel de operador" in refused
    assert states(rt) == []
    assert (budget(sandbox, LOOKALIKE), budget(sandbox, MARCA)) == (30000, 12000)


def test_a_throttled_google_account_runs_the_move_later_not_half(make_runtime, sandbox) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox=sandbox, sandbox_google_demo=True)
    console, out = chat(rt)
    said(console, out, MOVE)
    rt.google_sandbox().app.exhaust_quota(GOOGLE_DEMO_CUSTOMER_ID, calls=50)
    later = said(console, out, "1")  # Approve: Google answers "too many requests"

    assert "nada foi alterado ainda" in later  # the job runs again when access returns
    assert states(rt) == [("move_budget", "approved")]
    assert (budget(sandbox, LOOKALIKE), budget(sandbox, MARCA)) == (30000, 12000)


def test_a_move_cut_off_half_way_is_settled_to_nothing_changed(make_runtime, sandbox) -> None:
    """The worker died after the cut reached Meta and before the raise: the reconcile sweep
    reads both campaigns back and puts the cut back."""
    from jobs.reconcile import sweep
    from storage.models import AdAccount
    from supervisor.context import uncached
    from supervisor.lifecycle import transition

    rt = make_runtime(sandbox=sandbox, sandbox_google_demo=True)
    console, out = chat(rt)
    said(console, out, MOVE)
    lookalike = next(c.id for c in sandbox.state.campaigns.values() if c.name == LOOKALIKE)
    with rt.db.session() as session:
        row = session.query(Proposal).one()
        proposal_id, workspace_id = row.id, row.workspace_id
        meta = session.get(AdAccount, row.ad_account_id)
    assert transition(rt, workspace_id, proposal_id, "pending", "executing")  # claimed ...
    uncached(rt.ads(meta)).set_daily_budget(lookalike, 25000)  # ... cut, then the worker died
    assert budget(sandbox, LOOKALIKE) == 25000

    assert sweep(rt)["proposals"] == 1

    assert (budget(sandbox, LOOKALIKE), budget(sandbox, MARCA)) == (30000, 12000)
    assert states(rt) == [("move_budget", "failed")]


def test_a_budget_changed_since_the_card_fails_the_move_as_stale(make_runtime, sandbox) -> None:
    from storage.models import AdAccount
    from supervisor.context import uncached

    rt = make_runtime(sandbox=sandbox, sandbox_google_demo=True)
    console, out = chat(rt)
    said(console, out, MOVE)
    with rt.db.session() as session:
        google = session.query(AdAccount).filter(AdAccount.platform == "google").one()
    ads = uncached(rt.ads(google))
    marca = next(c.id for c in ads.list_campaigns(google.external_id) if c.name == MARCA)
    ads.set_daily_budget(marca, Decimal(13000))  # someone, in Google Ads' own screens

    stale = said(console, out, "1")  # Approve

    assert "o orçamento de “Search | Marca” mudou (R$ 120,00 → R$ 130,00)" in stale
    assert (budget(sandbox, LOOKALIKE), budget(sandbox, MARCA)) == (30000, 13000)
    assert states(rt) == [("move_budget", "failed")]

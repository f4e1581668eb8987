"""Roles on every door: a viewer sends every request and presses every button in the route table.

The walk is over ``ROUTER`` itself, so a new route without a sample fails here, a
write route left at the viewer's level is caught by the database snapshot (a viewer's
turn may only leave the turn's own bookkeeping behind), and every refusal is plain
words plus an audit line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

from bot.core.roles import FLOW_ROLES
from bot.core.routes import ROUTER
from storage.models import Role
from storage.repositories import DEFAULT_WORKSPACE, add_user, ensure_workspace
from tests.support.console import say
from vocabulary.i18n import Locale
from vocabulary.inbound import Action
from vocabulary.parsing import normalize

#: One message per route, as a person would type it.
SAMPLES = {
    "help": "ajuda",
    "language": "fale em inglês",
    "link_whatsapp": "vincular 5511999999999 operador",
    "decision_reason": "motivo: gasto alto demais",
    "history": "histórico",
    "why": "por que?",
    "forecast": "previsão do mês",
    "simulate": "simular orçamento da campanha promo relâmpago para 300",
    "test_rule": "testar regra pausar se roas < 1",
    "shadow_rule": "regra em modo sombra pausar se roas < 1",
    "rules": "regras",
    "usage": "uso",
    "plan_drafts": "criar como rascunho",
    "alerts": "alertas",
    "monthly_limit": "limite mensal 50000",
    "platform_limit": "limite mensal google R$ 20.000",
    "daily_report": "relatório diário às 9h",
    "send_now": "enviar relatório agora",
    "alerts_switch": "desligar alertas",
    "alert_thresholds": "alertas em 50, 80 e 100%",
    "subscriptions": "assinaturas",
    "settings": "configurações",
    "setting": "meta de roas 3",
    "accounts": "contas",
    "use_account": "usar conta 1",
    "campaigns": "campanhas",
    "budget": "orçamento advantage shopping 450",
    "move_budget": "mover R$ 50/dia do Prospecção Lookalike para o Advantage Shopping",
    "pause": "pausar a campanha promo relâmpago",
    "resume": "ativar a campanha promo relâmpago",
    "report": "relatório ontem",
    # --- the batch's other routes (issues 15-18) ---
    "alerts_mute": "silenciar alertas de CPM por 24h",
    "alerts_threshold": "alertas de CPA acima de 30%",
    "bad_monthly_limit": "limite mensal -100",
    "budget_phrase": "aumenta 10% no remarketing",
    "decide": "aprovar 1",
    "delete": "excluir campanha promo relâmpago",
    "link_account": "vincular google 123-456-7890",
    "llm_limit": "limite de uso do LLM 200000 tokens",
    "pending": "pendentes",
    "per_campaign": "ROAS por campanha",
    "personas": "quem compra?",
    "rank": "qual campanha está pior?",
    "recall": "o que você lembra de mim?",
    "test_apply": "aplicar vencedor",
    "test_create": 'teste A/B no remarketing: "Frete grátis hoje" vs "Só até domingo"',
    "test_show": "teste 2",
    "test_start": "iniciar teste 1",
    "test_stop": "parar teste 2",
    "tests": "testes",
    "tone": "meu tom: direto e curto",
    "what_works": "o que funciona?",
    "which_target": "pausar",
}
#: One press per button prefix ("command" stands for a typed write command).
BUTTONS = {
    "command": Action("command", "pausar a campanha promo relâmpago"),
    "approval.approve": Action("approval.approve", "p-1"),
    "approval.reject": Action("approval.reject", "p-1"),
    "approval.reason": Action("approval.reason", "p-1"),
    "approval.undo": Action("approval.undo", "p-1"),
    "plan.": Action("plan.create_drafts", "r-1"),
    "whatsapp.": Action("whatsapp.unsupported", ""),
    "persona.": Action("persona.draft", "1"),
    "experiment.": Action("experiment.start", "1"),
    "change.": Action("change.confirm", "p-1"),
}
#: Free text for each crew flow (nobody's route matches it: the crew's door).
CREW = {
    "analyse": "analisar minhas campanhas",
    "plan": "planeje uma campanha de natal com R$ 5.000",
    "copy": "escreva 5 headlines para a black friday",
    "answer": "qual campanha teve o melhor resultado esta semana e por quê",
}
#: What any turn leaves behind, whoever sends it: the conversation, its messages, the
#: event ledger, what was sent and the audit (checked on its own); the brain's synced
#: figures are a cache of the platform's, not anyone's decision.
BOOKKEEPING = {
    "conversations",
    "messages",
    "inbound_events",
    "outbound_messages",
    "audit_log",
    "metrics_daily",
    "metric_snapshots",
    "alembic_version",
}
#: Viewer routes that change only the viewer's own row or this chat's view.
OWN = {
    "language": {"users", "person_memory"},
    "use_account": {"person_memory"},  # the account follows the person (issue 15)
    "tone": {"person_memory"},
}

VIEWER = "vera"


def test_every_route_and_button_has_a_sample_that_reaches_it() -> None:
    assert set(SAMPLES) == {route.name for route in ROUTER.routes}
    assert set(BUTTONS) == {route.prefix for route in ROUTER.actions}
    for name, typed in SAMPLES.items():
        matched = ROUTER.match(normalize(typed), "pt-BR")
        assert matched is not None and matched[0].name == name, typed
    for name, action in BUTTONS.items():
        assert ROUTER.action_route(action.name).prefix == name  # type: ignore[union-attr]
    for flow, typed in CREW.items():
        assert ROUTER.match(normalize(typed), "pt-BR") is None, typed
        assert ROUTER.fallback_role(typed) is FLOW_ROLES[flow]  # type: ignore[index]


@pytest.fixture
def rt(make_runtime: Any, sandbox: Any, sqlite_url: str) -> Any:
    rt = make_runtime(sandbox=sandbox, database_url=sqlite_url)
    say(rt, "ajuda")  # the console's admin sets the workspace up
    with rt.db.session() as session:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        add_user(session, workspace, role=Role.VIEWER, name=VIEWER, console_name=VIEWER)
    return rt


def snapshot(rt: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table except the turn's bookkeeping, in a stable order."""
    with rt.db.engine.connect() as conn:
        tables = sorted(set(inspect(conn).get_table_names()) - BOOKKEEPING)
        return {
            t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr)
            for t in tables
        }


def refused(rt: Any) -> list[Any]:
    with rt.db.session() as session:
        from storage.models import AuditEntry

        return [e for e in session.query(AuditEntry) if e.action == "route.refused"]


def writes(sandbox: Any) -> dict[str, int]:
    """Writes reaching the platform (a batch of reads is a POST too: its items count instead)."""
    stats = sandbox.stats.snapshot()
    routes = {**stats["by_route"], **stats["items_by_route"]}
    return {
        route: n
        for route, n in routes.items()
        if route.split(" ")[0] in ("POST", "DELETE") and route != "POST /"
    }


WRITE_ROUTES = [r.name for r in ROUTER.routes if r.min_role is not Role.VIEWER]
WRITE_BUTTONS = [name for name, a in BUTTONS.items() if name != "whatsapp."]
READ_ROUTES = [r.name for r in ROUTER.routes if r.min_role is Role.VIEWER]


def test_a_viewer_is_refused_by_every_write_route_button_and_crew_flow(
    rt: Any, sandbox: Any
) -> None:
    locale = Locale("pt-BR")
    before = snapshot(rt)
    turns: list[tuple[str, str | Action, Role]] = [
        *(
            (n, SAMPLES[n], next(r.min_role for r in ROUTER.routes if r.name == n))
            for n in WRITE_ROUTES
        ),
        *((n, BUTTONS[n], ROUTER.action_route(BUTTONS[n].name).min_role) for n in WRITE_BUTTONS),  # type: ignore[union-attr]
        *((f, CREW[f], FLOW_ROLES[f]) for f in ("analyse", "plan", "copy")),  # type: ignore[index]
    ]
    for name, sent, needed in turns:
        replies = (
            say(rt, user=VIEWER, action=sent)
            if isinstance(sent, Action)
            else say(rt, sent, user=VIEWER)
        )
        if name == "command":
            needed = Role.OPERATOR  # the typed command it stands for
        expected = locale.t(
            "error.forbidden", role=locale.t(f"role.{needed.value}"), have=locale.t("role.viewer")
        )
        assert [r.text for r in replies] == [expected], name
        assert snapshot(rt) == before, f"{name} changed something for a viewer"
    assert writes(sandbox) == {}
    assert len(refused(rt)) == len(turns)
    assert {e.detail["role"] for e in refused(rt)} == {"viewer"}


@pytest.mark.parametrize("name", READ_ROUTES)
def test_what_a_viewer_may_do_changes_nothing_shared(rt: Any, sandbox: Any, name: str) -> None:
    before = snapshot(rt)
    replies = say(rt, SAMPLES[name], user=VIEWER)
    # answered (a "not found" or "not valid" answer is still an answer), never refused
    assert not any("precisa do papel" in r.text for r in replies), name
    after = snapshot(rt)
    changed = {t for t in before if before[t] != after[t]}
    assert changed <= OWN.get(name, set()), f"a viewer's {name!r} changed {changed}"
    assert writes(sandbox) == {}
    assert not refused(rt)


def test_the_readme_roles_table_is_the_route_table() -> None:
    """One table in the README says who may do what; it must say what the code enforces."""
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- roles:start -->")[1].split("<!-- roles:end -->")[0]
    documented: dict[str, str] = {}
    for row in table.strip().splitlines()[2:]:
        who, _may, doors = (cell.strip() for cell in row.strip("|").split("|"))
        for door in re.findall(r"`([^`]+)`", doors):
            assert door not in documented, f"{door} is in the table twice"
            documented[door] = who.split()[0]
    enforced = {route.name: route.min_role.value for route in ROUTER.routes}
    enforced |= {route.prefix: route.min_role.value for route in ROUTER.actions}
    enforced |= {f"crew:{flow}": role.value for flow, role in FLOW_ROLES.items()}
    assert documented == enforced

"""Workspace settings in chat: shown to everyone, changed by admins, read in the reader's locale."""

from __future__ import annotations

import io
from decimal import Decimal

from bot.console import ConsoleChat
from storage.models import Role, WorkspaceSettings
from storage.repositories import DEFAULT_WORKSPACE, add_user, ensure_workspace


def run(rt, user: str, *lines: str) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    ConsoleChat(rt, user=user, out=out).run_script(lines)
    return out.getvalue()


def prefs(rt) -> WorkspaceSettings:  # type: ignore[no-untyped-def]
    with rt.db.session() as session:
        row = session.query(WorkspaceSettings).one()
        session.expunge(row)
        return row


def test_an_admin_sets_targets_and_profile_in_plain_words(make_runtime, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox="off", database_url=sqlite_url)
    out = run(
        rt,
        "ana",
        "meta de cpa de 45,50 reais",
        "meta de roas 3,5",
        "meta ctr 2,5%",
        "orçamento máximo diário 1.500",
        "configurar público Mulheres 25-44 que compram moda",
        "configurar fuso America/New_York",
        "configurar formatos video, carousel",
        "configurar policy.high_spend_7d 2000",
    )
    assert "Pronto: Meta de CPA agora é R$ 45,50." in out
    assert "Pronto: Meta de ROAS agora é 3,50x." in out
    assert "Pronto: Meta de CTR agora é 2,50%." in out
    assert "Pronto: Orçamento diário máximo agora é R$ 1.500,00." in out
    assert "Pronto: Público agora é Mulheres 25-44 que compram moda." in out  # as typed
    stored = prefs(rt)
    assert stored.target_cpa == Decimal(4550) and stored.max_daily_budget == Decimal(150000)
    assert stored.target_roas == Decimal("3.5") and stored.target_ctr == Decimal("2.5")
    assert stored.timezone == "America/New_York"
    assert stored.profile == {
        "audience": "Mulheres 25-44 que compram moda",
        "formats": ["video", "carousel"],
    }
    assert stored.policy == {"high_spend_7d": "2000"}  # major units, as PolicyConfig reads them

    shown = run(rt, "ana", "configurações", "histórico")
    assert "• Meta de CPA: R$ 45,50" in shown and "• policy.high_spend_7d: R$ 2.000,00" in shown
    assert "mudou Meta de CPA: — → R$ 45,50" in shown


def test_bad_values_are_refused_with_the_reason_and_nothing_changes(
    make_runtime, sqlite_url: str
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox="off", database_url=sqlite_url)
    out = run(
        rt,
        "ana",
        "configurar fuso Marte/Base",
        "configurar formatos video, carrossel",
        "meta de cpa muito",
        "configurar site loja.example",
    )
    assert "“Marte/Base” não é um fuso horário IANA" in out
    assert "“carrossel” não é uma opção. Opções: video, carousel, stories, ugc, image." in out
    assert "“muito” não é um valor em dinheiro" in out
    assert "“loja.example” não é um endereço http(s)." in out
    stored = prefs(rt)
    assert stored.timezone == "America/Sao_Paulo" and stored.target_cpa is None
    assert stored.profile == {}


def test_only_admins_change_settings(make_runtime, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sandbox="off", database_url=sqlite_url)
    with rt.db.session() as session:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        add_user(session, workspace, role=Role.OPERATOR, name="olga", console_name="olga")
    out = run(rt, "olga", "configurações", "meta de cpa 10")
    assert "*Configurações do workspace*" in out  # everyone can look
    assert "Pronto" not in out
    assert prefs(rt).target_cpa is None
